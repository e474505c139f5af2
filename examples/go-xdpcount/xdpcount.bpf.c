// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdpcount.bpf.c: the BPF side of go-xdpcount (main.go), built with
 * cilium/ebpf's bpf2go and the pcapfilter plugin (-cflags: -fplugin=...
 * -fplugin-arg-pcapfilter-no-decl-tags, for cilium/ebpf 0.9). Counts the
 * frames an interface receives and those the run-time stub matches; the
 * filter comes from the command line, through pcapfilter.Inject().
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <pcap_filter.h>

static __u32 match(void *data, void *data_end) __pcap_filter_runtime();

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2); /* 0: frames, 1: matched */
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

static void count(__u32 key)
{
	__u64 *n = bpf_map_lookup_elem(&counts, &key);

	if (n)
		(*n)++;
}

/* XDP_PASS for every frame; the return value is not the filter's, so
 * main.go's -pcap mode reads the counters. */
SEC("xdp") int xdp_count(struct xdp_md *ctx)
{
	count(0);
	if (match((void *)(long)ctx->data, (void *)(long)ctx->data_end))
		count(1);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
