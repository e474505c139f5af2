/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * xdpcount, the BPF side: an XDP program that counts the packets an
 * interface receives and those a filter chosen at run time matches, and
 * passes every packet.
 *
 * The filter is a run-time stub: the plugin gives it a placeholder body
 * (and its BTF), and xdpcount puts the expression from its command line in
 * before the object loads (pcapf_bpf_object__set_filter(), pcapf_bpf.h).
 * The counters are per-CPU, so the hot path needs no atomic operation;
 * xdpcount adds up the CPUs' values.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <pcap_filter.h>

#include "xdpcount.h"

static __u32 match(void *data, void *data_end) __pcap_filter_runtime();

/* counts[XDPCOUNT_*]: packets, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDPCOUNT_NR);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline void count(__u32 key)
{
	__u64 *n = bpf_map_lookup_elem(&counts, &key);

	if (n)
		(*n)++;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	count(XDPCOUNT_TOTAL);
	if (match(data, data_end))
		count(XDPCOUNT_MATCHED);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
