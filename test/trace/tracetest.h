/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracetest: what the tracing program (tracetest.bpf.c) and its runner
 * (tracetest.c) share: the filters, the addresses of the veth pair, the
 * configuration the runner writes and the event the program sends.
 *
 * Included by BPF C after vmlinux.h and by host C after <linux/types.h>.
 */
#ifndef TRACETEST_H
#define TRACETEST_H

/* The sender's and the receiver's MAC addresses: the runner sets them on
 * the veth pair; "ether src" needs the sender's at build time. */
#define TRACE_MAC_TX "02:70:63:61:70:01"
#define TRACE_MAC_RX "02:70:63:61:70:02"

/*
 * The filters, each compiled into a probe-access stub: X(name, expression).
 * Together they read Ethernet, IPv4 (with its variable header length, so
 * through X), IPv6, 802.1Q, the length, a byte past the stub's 128-byte
 * copy, and the 802.3 length/type rules.
 */
#define TRACE_FILTERS(X)                                                \
	X(udp53, "udp port 53")                                         \
	X(tcp80, "tcp port 80")                                         \
	X(icmp, "icmp")                                                 \
	X(ip6udp, "ip6 and udp")                                        \
	X(vlan, "vlan")                                                 \
	X(vlan_dns, "vlan and udp port 53")                             \
	X(len100, "len >= 100")                                         \
	X(src_tx, "ether src " TRACE_MAC_TX)                            \
	X(syn, "tcp[tcpflags] & tcp-syn != 0")                          \
	X(far, "ether[200] = 0x5a")                                     \
	X(icmp6, "icmp6")                                               \
	X(arp_bcast, "arp and ether broadcast")

#define TRACE_ENUM(name, expr) TRACE_F_##name,
enum { TRACE_FILTERS(TRACE_ENUM) TRACE_NR_FILTERS };
#undef TRACE_ENUM

/* The hooks the program attaches to. */
enum {
	TRACE_HOOK_TP_BTF, /* tp_btf/netif_receive_skb: BTF-typed skb */
	TRACE_HOOK_RAW_TP, /* raw_tp/netif_receive_skb: untyped skb, CO-RE reads */
	TRACE_NR_HOOKS,
};

/* Bytes of the frame an event carries: more than any frame the runner
 * sends is linear. */
#define TRACE_COPY_MAX 8192

/* tt_config[0], written by the runner: the receiving veth. The program
 * ignores every skb until ifindex is set. */
struct tt_config {
	__u32 ifindex;	 /* of the receiving veth, in its namespace */
	__u32 netns_ino; /* that namespace's inode (ifindex is per namespace) */
};

struct tt_event {
	__u32 hook;	  /* TRACE_HOOK_* */
	__u32 skb_len;	  /* skb->len: from skb->data, paged bytes included */
	__u32 data_len;	  /* skb->data_len: the paged part */
	__u32 mac_len;	  /* skb->data - frame start: the Ethernet header pulled */
	__u32 linear;	  /* data_end - data: the frame's linear bytes, the stubs' len */
	__u32 copied;	  /* bytes in frame[]: linear, or 0 if the copy failed or is too long */
	__u16 vlan_proto; /* skb->vlan_proto, network order (tag out of band) */
	__u16 vlan_tci;	  /* skb->vlan_tci */
	__u32 result[TRACE_NR_FILTERS]; /* what each stub returned */
	__u8 frame[TRACE_COPY_MAX];
};

#endif /* TRACETEST_H */
