// The bound on X before an indexed direct load (X + N <= 0xffff, for the
// verifier) is emitted only where the analysis' value ranges say X can
// exceed it (PCAPF_INSN_X_IN_RANGE). In `tcp port 80` X is the IPv4 header
// length, 4 * ([14] & 0xf), at most 60: neither port load is bounded.
// (Here the BPF backend used to fold the bound away itself, from the known
// bits of X, once llvm.bpf.passthrough was gone; with a constant X it did
// not, see bigendian.c.) X from a halfword, which is byte-swapped and so
// unbounded for the verifier, keeps its bound.
// RUN: %clang_bpf -O2 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang_bpf -O2 -S %s -o /dev/null
#include <linux/bpf.h>
#include <pcap_filter.h>

static __noinline __u32 port80(void *d, void *e) __pcap_filter("tcp port 80");

static __noinline __u32 far_x(void *d, void *e)
	__pcap_filter("ether[ether[12:2]] = 1");

int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;
	return port80(d, e) + far_x(d, e);
}
// The bound is a passthrough of X (i64); a pointer's passthrough (p0) is
// the barrier behind each indexed check (protochain.c), not a bound.
// CHECK-LABEL: define internal {{.*}}i32 @port80(
// CHECK-NOT:   @llvm.bpf.passthrough.i64
// CHECK-NOT:   @llvm.umin
// CHECK-LABEL: define internal {{.*}}i32 @far_x(
// CHECK:       @llvm.bpf.passthrough.i64.i64(
// CHECK:       @llvm.umin.i64(i64 {{.*}}, i64 65534)
