// Indexed loads (LD IND) in direct access, on a link type with a
// variable-length header (radiotap), where libpcap reads almost everything
// relative to X.
// RUN: %clang_bpf -O2 -S -emit-llvm %s -o - | FileCheck %s
#include <linux/bpf.h>
#include <pcap_filter.h>

// Regression: libpcap emits `inbound` here as ld [x + SKF_AD_OFF + 4], out
// of bounds offline. Its check can never pass on BPF, which ended the block
// early; the instructions after it used to be emitted into the ended block
// (invalid IR). The filter is `return 0`, which the optimiser propagates into
// the caller and then deletes the stub.
static __noinline __u32 radio_inbound(void *d, void *e)
	__pcap_filter("inbound", "linktype=IEEE802_11_RADIO");

// Regression: loads covered by checks on every path but dominated by none
// must not compute a new data + X (the verifier keeps ranges per pointer).
// Each block's first indexed load re-checks the pointer it reads through,
// and X is bounded by a min (X + N <= 0xffff) the checks depend on.
static __noinline __u32 radio_host(void *d, void *e)
	__pcap_filter("ether host ab:cd:ef:0:0:1", "linktype=IEEE802_11_RADIO");

int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;
	return radio_inbound(d, e) + radio_host(d, e);
}
// CHECK-NOT:   @radio_inbound
// CHECK-LABEL: define internal {{.*}}i32 @radio_host(
// CHECK-NOT:   @radio_inbound
// The first indexed check (16 bytes past X) bounds X to 0xffff - 16, on a
// value the optimiser cannot see through (so it cannot move the bound onto
// the value before a byte swap, where the verifier loses it).
// CHECK:       [[OPAQUE:%.*]] = tail call i64 @llvm.bpf.passthrough.i64.i64(i32 {{[0-9]+}}, i64
// CHECK:       tail call i64 @llvm.umin.i64(i64 [[OPAQUE]], i64 65519)
// CHECK-NOT:   @radio_inbound
