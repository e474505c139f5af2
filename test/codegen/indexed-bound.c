// The bound on X before an indexed direct load (X + N <= 0xffff, for the
// verifier) bounds the pointer only: X beyond it returns 0, and X itself
// flows on unchanged into TXA and RET. The stub is ld [0]; tax; ldb [x + 0];
// txa; ret a: it returns X whenever the byte at X is in the packet. It used
// to store min(X, 0xfffe) back into X, which with 65535 readable bytes or
// more (a large TC head, XDP multi-buffer) read and returned the wrong
// offset. No kernel test reaches it: BPF_PROG_TEST_RUN takes at most a page
// for XDP and about 3.7 KB linear for skb programs, so every X > 0xfffe
// fails the length check too; the IR shows the separate reject.
// RUN: %clang_bpf -O2 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang_bpf -O2 -S %s -o /dev/null
// The host has no packet range: the check is exact, X + 1 against the end.
// RUN: %clang -target x86_64-linux-gnu %plugin_flags -I%S/../../include -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=HOST
#include <pcap_filter.h>

static __attribute__((noinline)) unsigned int ret_x(void *d, void *e)
	__pcap_cbpf("5,32 0 0 0,7 0 0 0,80 0 0 0,135 0 0 0,22 0 0 0");

unsigned int use(void *d, void *e) { return ret_x(d, e); }

// CHECK-LABEL: define internal {{.*}}i32 @ret_x(
// CHECK:       [[X:%.*]] = tail call i32 @llvm.bswap.i32(
// CHECK-NEXT:  [[FAR:%.*]] = icmp ugt i32 [[X]], 65534
// CHECK-NEXT:  br i1 [[FAR]], label %[[EXIT:[0-9]+]], label
// CHECK:       @llvm.bpf.passthrough.i64.i64(
// CHECK:       @llvm.umin.i64(i64 {{.*}}, i64 65534)
// The one exit returns X itself on the matching path, 0 from the far one.
// CHECK:       [[EXIT]]:
// CHECK-NEXT:  phi i32 [ [[X]], {{.*}} ], [ 0, {{.*}} ], [ 0, {{.*}} ], [ 0, {{.*}} ]
// HOST-LABEL: define internal {{.*}}i32 @ret_x(
// HOST-NOT:   65534
// HOST-NOT:   umin
// HOST:       [[X:%.*]] = tail call i32 @llvm.bswap.i32(
// HOST:       [[X64:%.*]] = zext i32 [[X]] to i64
// HOST:       getelementptr i8, {{ptr|[%.a-z0-9_]+\*}} %0, i64 [[X64]]
// HOST:       [[END:%.*]] = getelementptr i8, {{ptr|[%.a-z0-9_]+\*}} {{.*}}, i64 1
// HOST-NEXT:  [[SHORT:%.*]] = icmp ugt {{ptr|[%.a-z0-9_]+\*}} [[END]], %1
// HOST-NEXT:  select i1 [[SHORT]], i32 0, i32 [[X]]
