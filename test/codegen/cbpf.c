// Hand-written classic BPF through the plugin: the same checks and
// translation as libpcap's output, plus what libpcap never emits.
// RUN: %clang_bpf -O2 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang_bpf -O0 -fno-discard-value-names -S -emit-llvm %s -o - | FileCheck %s --check-prefix=O0
// RUN: not %clang_bpf -fsyntax-only -DBAD %s 2>&1 | FileCheck %s --check-prefix=BAD
#include <linux/bpf.h>
#include <pcap_filter.h>

#ifndef BAD
// `arp`, as tcpdump -ddd prints it, in xt_bpf's comma form.
static __noinline __u32 arp(void *d, void *e) __pcap_cbpf("4,40 0 0 12,21 0 1 2054,6 0 0 4096,6 0 0 0");
// ld M[3]; ret a: M[3] is read before it is written, so it is zeroed.
static __noinline __u32 scratch(void *d, void *e) __pcap_cbpf("2,96 0 0 3,22 0 0 0");
// txa; ret a: X starts at 0.
static __noinline __u32 initial_x(void *d, void *e) __pcap_cbpf("2,135 0 0 0,22 0 0 0");

int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;
	return arp(d, e) + scratch(d, e) + initial_x(d, e);
}
// CHECK-LABEL: define internal {{.*}}@arp(
// CHECK:       icmp ugt {{ptr|[%.a-z0-9_]+\*}}
// CHECK:       4096
// What is read before it is written is zeroed on entry, and nothing else
// (seen before the optimiser folds both filters to `return 0`).
// O0-LABEL: define internal {{.*}}i32 @scratch(
// O0-NOT:   store i32 0, {{ptr|[%.a-z0-9_]+\*}} %X
// O0:       store i32 0, {{ptr|[%.a-z0-9_]+\*}} %M3
// O0-NOT:   store i32 0, {{ptr|[%.a-z0-9_]+\*}} %M
// O0-LABEL: define internal {{.*}}i32 @initial_x(
// O0:       store i32 0, {{ptr|[%.a-z0-9_]+\*}} %X
// O0-NOT:   store i32 0, {{ptr|[%.a-z0-9_]+\*}} %M
#else
// BAD: error: invalid pcap filter: classic BPF text: insn 1: bad k
static __u32 short_insn(void *d, void *e) __pcap_cbpf("2,6 0 0 0,6 0 0");
// BAD: error: pcap filter cannot be translated: insn 0: random (SKF_AD_RANDOM) is Linux skb metadata, which direct access cannot read
static __u32 rand_direct(void *d, void *e) __pcap_cbpf("2,32 0 0 4294963256,22 0 0 0");
// BAD: error: invalid pcap filter: insn 0: division by constant 0
static __u32 div0(void *d, void *e) __pcap_cbpf("2,52 0 0 0,22 0 0 0");
#endif
