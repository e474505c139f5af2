/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * pcapfilter example: count, per network interface, the DNS packets the
 * kernel receives, from a tracing program.
 *
 * Attaches: the netif_receive_skb tracepoint (SEC("tp_btf/..."):
 * BPF_PROG_TYPE_TRACING), which every received packet passes with its
 * Ethernet header parsed; load-examples --attach SECONDS attaches it, and
 *   bpftool map dump name dns_rx
 * shows the counts (key: ifindex).
 * Stub form: (void *data, void *data_end) with "access=probe": the pointers
 * are kernel addresses, the filter reads them with bpf_probe_read_kernel().
 * Here the frame runs from the MAC header to the end of the skb's linear
 * data, so `len` and what the filter can see are that linear part (paged
 * data is not in it). Needs vmlinux.h (generated at build time from the
 * kernel's BTF) for struct sk_buff; include pcap_filter.h after it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <pcap_filter.h>

static __noinline bool is_dns(void *data, void *data_end)
	__pcap_filter("udp port 53", "access=probe");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);   /* ifindex */
	__type(value, __u64); /* DNS packets received */
} dns_rx SEC(".maps");

SEC("tp_btf/netif_receive_skb")
int BPF_PROG(trace_dns, struct sk_buff *skb)
{
	void *data = skb->head + skb->mac_header;
	void *data_end = skb->data + (skb->len - skb->data_len);

	if (skb->mac_header == (__u16)~0U || !is_dns(data, data_end))
		return 0;

	__u32 ifindex = skb->dev ? skb->dev->ifindex : 0;
	__u64 one = 1, *n = bpf_map_lookup_elem(&dns_rx, &ifindex);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&dns_rx, &ifindex, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
