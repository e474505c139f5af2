/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * pcapfilter example: a TC classifier that marks DNS and drops DNS sent to
 * any resolver but one.
 *
 * Attaches: tc, ingress or egress (SEC("tc"): BPF_PROG_TYPE_SCHED_CLS), e.g.
 *   tc qdisc add dev eth0 clsact
 *   tc filter add dev eth0 egress bpf direct-action obj tc_dns.bpf.o sec tc
 * Stub form: (struct __sk_buff *skb), access=skb (the default for that form):
 * bytes in the linear head are read directly, bytes beyond it (paged data,
 * GSO payload) with bpf_skb_load_bytes(), so the filter sees the whole
 * packet, and `len` is skb->len. Offset 0 is the Ethernet header, on
 * ingress and on egress.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <pcap_filter.h>

/* Only this resolver may be asked. */
static __noinline bool to_other_resolver(struct __sk_buff *skb)
	__pcap_filter("udp dst port 53 and not dst host 192.0.2.53");
static __noinline bool is_dns(struct __sk_buff *skb)
	__pcap_filter("udp port 53 or tcp port 53");

#define DNS_MARK 0x53

SEC("tc")
int tc_dns(struct __sk_buff *skb)
{
	if (to_other_resolver(skb))
		return TC_ACT_SHOT;
	if (is_dns(skb))
		skb->mark = DNS_MARK;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
