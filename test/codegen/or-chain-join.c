// A test after an `or` chain that shares a target with the chain's false
// side (`not src host` after `src net a or src net b`) stays a branch of its
// own. SimplifyCFG folds the chain into one branch on an `or` of the two
// mask compares, which the BPF backend splits into branches again; it then
// folded the host test into that branch too, an `or` under an `and` that
// the backend computed as 0/1 values (`r3 = 1; r5 = 1; if ... r5 = 0; ...
// r3 &= r5`), which the verifier explores both ways.
// RUN: %clang_bpf -O2 -S %s -o - | FileCheck %s
#include <linux/bpf.h>
#include <pcap_filter.h>

static __noinline __u32 nets(void *d, void *e)
	__pcap_filter("(src net 10.0.0.0/8 or src net 192.168.0.0/16) and "
		      "not src host 10.1.2.3");

int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;
	return nets(d, e);
}
// The IPv4 half: 10.0.0.0/8 and 192.168.0.0/16 are two branches, on the
// word as loaded (the low byte 10, the low halfword 43200), the host
// (50462986: 10.1.2.3 in the order the word was loaded) a third; no 0/1
// value in any register but r0.
// CHECK-LABEL: nets:
// CHECK-NOT:   {{r[1-9] = [01]$}}
// CHECK:       if r{{[0-9]}} == 10 goto
// CHECK-NOT:   {{r[1-9] = [01]$}}
// CHECK:       if r{{[0-9]}} != 43200 goto
// CHECK-NOT:   {{r[1-9] = [01]$}}
// CHECK:       if r{{[0-9]}} == 50462986 goto
// CHECK-NOT:   {{r[1-9] = [01]$}}
// CHECK:       exit
