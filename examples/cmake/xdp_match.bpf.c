/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * xdp_match, the BPF side: an XDP program that counts the packets a filter
 * chosen at run time matches. The plugin compiles the run-time stub to a
 * placeholder with the stub's BTF; the loader puts the filter in before
 * loading (pcapf_bpf.h).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <pcap_filter.h>

static __u32 match(void *data, void *data_end) __pcap_filter_runtime();

__u64 matched;

SEC("xdp")
int count_matches(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (match(data, data_end))
		__sync_fetch_and_add(&matched, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
