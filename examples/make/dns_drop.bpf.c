/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * dns_drop, the BPF side: an XDP program that drops DNS (the filter
 * "udp port 53", compiled into it by the pcapfilter plugin) and counts what
 * it dropped in a global, which the skeleton shows the loader as
 * skel->bss->dropped.
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <pcap_filter.h>

/* No body: the plugin defines it. */
static __noinline bool is_dns(struct xdp_md *ctx) __pcap_filter("udp port 53");

__u64 dropped;

SEC("xdp")
int drop_dns(struct xdp_md *ctx)
{
	if (!is_dns(ctx))
		return XDP_PASS;
	__sync_fetch_and_add(&dropped, 1);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
