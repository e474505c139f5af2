// SPDX-License-Identifier: BSD-2-Clause
/*
 * skbmeta.bpf.c: Linux extensions (SKF_AD_*) read by struct __sk_buff
 * stubs, in TC programs. Each program returns one stub's value; skbmeta.c
 * runs them with BPF_PROG_TEST_RUN and checks the kernel's meaning. The
 * cBPF is written by hand (ld [SKF_AD_OFF + n]; ret a), so the value itself
 * comes back; the expressions are the keywords libpcap users write.
 */
#include <linux/bpf.h>
#include <pcap_filter.h>

#define SEC(name) __attribute__((section(name), used))

/* ld [SKF_AD_OFF + n]; ret a, in skb and skb_load_bytes access. */
#define ANCILLARY(name, k)                                                    \
	static __noinline __u32 name##_skb(struct __sk_buff *skb)             \
		__pcap_cbpf("2,32 0 0 " #k ",22 0 0 0");                      \
	static __noinline __u32 name##_lb(struct __sk_buff *skb)              \
		__pcap_cbpf("2,32 0 0 " #k ",22 0 0 0",                       \
			    "access=skb_load_bytes");                         \
	SEC("tc") int name(struct __sk_buff *skb) { return name##_skb(skb); } \
	SEC("tc") int name##_loadbytes(struct __sk_buff *skb)                 \
	{                                                                     \
		return name##_lb(skb);                                        \
	}

ANCILLARY(proto, 4294963200)	    /* SKF_AD_PROTOCOL */
ANCILLARY(pkttype, 4294963204)	    /* SKF_AD_PKTTYPE */
ANCILLARY(ifindex, 4294963208)	    /* SKF_AD_IFINDEX */
ANCILLARY(mark, 4294963220)	    /* SKF_AD_MARK */
ANCILLARY(queue, 4294963224)	    /* SKF_AD_QUEUE */
ANCILLARY(cpu, 4294963236)	    /* SKF_AD_CPU */
ANCILLARY(vlan_tag, 4294963244)	    /* SKF_AD_VLAN_TAG */
ANCILLARY(vlan_present, 4294963248) /* SKF_AD_VLAN_TAG_PRESENT */
ANCILLARY(random, 4294963256)	    /* SKF_AD_RANDOM */
ANCILLARY(vlan_tpid, 4294963260)    /* SKF_AD_VLAN_TPID */

/* ldx #0x0f0f; ld #0xff00; ld [SKF_AD_ALU_XOR_X] (A ^= X); ret a */
static __noinline __u32 xor_x_skb(struct __sk_buff *skb)
	__pcap_cbpf("4,1 0 0 3855,0 0 0 65280,32 0 0 4294963240,22 0 0 0");
SEC("tc") int xor_x(struct __sk_buff *skb) { return xor_x_skb(skb); }

/* The keywords, as libpcap compiles them (ldh [type] etc.). */
#define EXPRESSION(name, expr)                                                \
	static __noinline __u32 name##_skb(struct __sk_buff *skb)             \
		__pcap_filter(expr);                                          \
	SEC("tc") int name(struct __sk_buff *skb) { return name##_skb(skb); }

EXPRESSION(inbound, "inbound")
EXPRESSION(outbound, "outbound")
EXPRESSION(on_lo, "ifindex 1")
EXPRESSION(on_7, "ifindex 7")
EXPRESSION(inbound_udp, "inbound and udp")

char LICENSE[] SEC("license") = "Dual BSD/GPL";
