// Tests of one value against several constants with the same target (the
// ARP-or-RARP test of `host`, the TCP/UDP/SCTP test of `port`) are lowered
// as a switch, which the BPF backend emits as one compare and branch per
// constant. As a chain of branches, SimplifyCFG merged them and the length
// check after them into one branch on an `or` of compares, which the BPF
// backend (no setcc) computed as 0/1 values with branches of their own
// (`r3 = 1; r4 = 1; if ... r4 = 0; ... r3 |= r4`, about 9 instructions).
// Only a chain whose target begins with such a check becomes a switch: the
// backend splits a plain `or` of compares itself, and there LLVM compares
// a byte-swapped port with swapped constants (20480 is port 80, 47873
// port 443), not in a switch. A `jge #lo` and a `jgt #hi` of one range
// (`portrange`) are one compare of A - lo.
// RUN: %clang_bpf -O2 -S %s -o - | FileCheck %s
#include <linux/bpf.h>
#include <pcap_filter.h>

static __noinline __u32 host(void *d, void *e) __pcap_filter("host 192.168.1.1");
static __noinline __u32 ports(void *d, void *e)
	__pcap_filter("portrange 1000-2000");
static __noinline __u32 web(void *d, void *e)
	__pcap_filter("tcp port 80 or tcp port 443");
// A chain begins only at a `jeq #k`: here a `jgt #5` falls to `jeq #17`
// with the same target (ldb [20]; jgt #5; jeq #17; ldh [54]; ret a;
// ret #1), which must stay a `>` (a switch made from it had case 5).
static __noinline __u32 above(void *d, void *e)
	__pcap_cbpf("6,48 0 0 20,37 1 0 5,21 0 2 17,40 0 0 54,22 0 0 0,6 0 0 1");
// One flag bit to a verdict that is a power of two: the returned value is
// the masked bit shifted into place, no branch (the verifier walks one path
// where a branch gives two).
static __noinline __u32 syn(void *d, void *e)
	__pcap_filter("tcp[tcpflags] & tcp-syn != 0");

int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;
	return host(d, e) + ports(d, e) + web(d, e) + above(d, e) + syn(d, e);
}
// The ethertype as loaded (pcapf_prog__as_loaded(): only compared), RARP
// 0x8035 as 13696, ARP 0x806 as 1544, IPv4 as 8; the compares of a switch
// follow each other (block labels between).
// CHECK-LABEL: host:
// CHECK-NOT:   |=
// CHECK-NOT:   be16
// CHECK:       if r[[T:[0-9]]] == 13696 goto
// CHECK-NOT:   {{^\s+[a-z]}}
// CHECK:       if r[[T]] == 1544 goto
// CHECK-NOT:   {{^\s+[a-z]}}
// CHECK:       if r[[T]] != 8 goto
// CHECK-NOT:   |=
// CHECK:       exit
// CHECK-LABEL: ports:
// CHECK-NOT:   |=
// CHECK:       if r[[P:[0-9]]] == 6 goto
// CHECK-NOT:   {{^\s+[a-z]}}
// CHECK:       if r[[P]] == 132 goto
// CHECK-NOT:   {{^\s+[a-z]}}
// CHECK:       if r[[P]] != 17 goto
// Each port in 1000-2000 is one compare, `port - 1000 < 1001`, not a
// compare with 1000 and another with 2001 (two branches, three paths).
// CHECK-NOT:   2001
// CHECK:       r[[Q:[0-9]]] += -1000
// CHECK-NEXT:  r[[B:[0-9]]] = 1001
// CHECK-NEXT:  if r[[B]] > r[[Q]] goto
// CHECK-NOT:   2001
// CHECK-NOT:   |=
// CHECK:       exit
// CHECK-LABEL: web:
// CHECK-NOT:   |=
// CHECK:       if r[[W:[0-9]]] == 20480 goto
// CHECK-NOT:   {{^\s+[a-z]}}
// CHECK:       if r[[W]] == 47873 goto
// CHECK-NOT:   |=
// CHECK:       exit
// CHECK-LABEL: above:
// CHECK-NOT:   == 5 goto
// CHECK:       if r[[G:[0-9]]] > 5 goto
// CHECK:       if r[[G]] {{==|!=}} 17 goto
// CHECK-LABEL: syn:
// CHECK:       r0 = *(u8 *)(r{{[0-9]}} + 27)
// CHECK-NEXT:  r0 &= 2
// CHECK-NEXT:  r0 <<= 17
// CHECK-NOT:   if
// CHECK:       exit
