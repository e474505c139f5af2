/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pkttrace: what the tracing program (pkttrace.bpf.c) and the runner
 * (pkttrace.c) share: the configuration the runner writes before it
 * attaches and the event sent for each matching packet.
 *
 * Included by BPF C after vmlinux.h and by host C after <linux/types.h>.
 */
#ifndef PKTTRACE_H
#define PKTTRACE_H

/* Bytes of the frame an event carries: Ethernet, an IPv6 header and the
 * ports, with room for a VLAN tag or IPv4 options. */
#define PKTTRACE_SNAP 128

/* pt_config[0]. ifindex 0: every interface of every namespace. */
struct pkttrace_config {
	__u32 ifindex;	 /* only this interface... */
	__u32 netns_ino; /* ...of this network namespace (ifindex is per namespace) */
};

struct pkttrace_event {
	__u64 skb;	 /* the struct sk_buff's kernel address */
	__u32 ifindex;	 /* skb->dev->ifindex */
	__u32 netns_ino; /* the device's network namespace */
	__u32 len;	 /* the frame's length from its MAC header, paged data included */
	__u32 linear;	 /* frame bytes the filter saw: MAC header to end of linear data */
	__u32 copied;	 /* bytes in frame[]: min(linear, PKTTRACE_SNAP), 0 if the read failed */
	__u8 frame[PKTTRACE_SNAP];
};

#endif /* PKTTRACE_H */
