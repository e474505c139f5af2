// protochain's unrolled loop in direct access: the loads of paths that meet
// (an extension header, an AH) are sunk by LLVM into one load, which must go
// through a phi of the checked pointers, never through data + a phi of the
// offsets: the verifier has no range for a pointer made afresh
// ("invalid access to packet, off=14 size=1").
// RUN: %clang_bpf -O1 -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,%ir_pointers
// RUN: %clang_bpf -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,%ir_pointers
// RUN: %clang_bpf -O3 -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,%ir_pointers
// In skb access the copies' loads call bpf_skb_load_bytes() alone
// (PCAPF_INSN_SKB_HELPER): no head attempt, so no pointer data + X.
// RUN: %clang_bpf -O1 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=SKB
// RUN: %clang_bpf -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=SKB
#include <linux/bpf.h>
#include <pcap_filter.h>

static __noinline __u32 nd(void *d, void *e)
	__pcap_filter("ip6 protochain 58", "protochain_depth=8");
static __noinline __u32 nd_skb(struct __sk_buff *skb)
	__pcap_filter("ip6 protochain 58", "access=skb", "protochain_depth=8");

int prog(struct xdp_md *ctx)
{
	return nd((void *)(long)ctx->data, (void *)(long)ctx->data_end);
}

int tc(struct __sk_buff *skb)
{
	return nd_skb(skb);
}
// CHECK-LABEL: define internal {{.*}}i32 @nd(
// CHECK-NOT:   phi i64
// Each indexed check's pointer, compared with data_end, is what the loads
// use, behind a barrier the optimiser does not take apart.
// CHECK:       [[BASE:%[0-9]+]] = getelementptr i8, {{ptr|[%.a-z0-9_]+\*}} %0, i64 %{{[0-9]+}}
// CHECK:       icmp ugt {{ptr|[%.a-z0-9_]+\*}} %{{[0-9]+}}, %1
// OPAQUE:      tail call ptr @llvm.bpf.passthrough.p0.p0(i32 {{[0-9]+}}, ptr [[BASE]])
// With LLVM 14's typed pointers the barrier is on another copy of the
// pointer.
// TYPED:       call i8* @llvm.bpf.passthrough.p0i8.p0i8(i32 {{[0-9]+}}, i8* %{{[0-9]+}})
// CHECK-NOT:   phi i64
// CHECK:       declare {{ptr|[%.a-z0-9_]+\*}} @llvm.bpf.passthrough{{.p0.p0|.p0i8.p0i8}}

// SKB-LABEL: define internal {{.*}}i32 @nd_skb(
// SKB-NOT:   getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 %
// SKB:       call i64 inttoptr (i64 26 to {{ptr|i64 \(.*\)\*}})({{.*}}%0, i32 %{{[0-9]+}}, {{ptr|[%.a-z0-9_]+\*}}
// SKB-NOT:   getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 %
// SKB:       {{^}}}
