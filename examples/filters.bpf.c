/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * pcapfilter example: an XDP program that counts, per filter, the packets
 * three tcpdump filters match, and passes every packet.
 *
 * Each filter is a function declared with __pcap_filter(EXPRESSION) and no
 * body: the pcapfilter Clang plugin compiles the expression with libpcap
 * at build time and writes the body. The function returns what libpcap's
 * filter returns for the packet: non-zero (the snap length) on a match,
 * 0 otherwise.
 *
 *   clang -target bpf -O2 -g -fplugin=libpcapfilter.so -I include \
 *         -c filters.bpf.c -o filters.bpf.o
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <pcap_filter.h>

#include "filters.h"

static __u32 is_web(void *data, void *data_end) __pcap_filter(WEB_EXPR);
static __u32 is_dns(void *data, void *data_end) __pcap_filter(DNS_EXPR);
static __u32 is_ping(void *data, void *data_end) __pcap_filter(PING_EXPR);

/* matches[filter]: packets that filter matched. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NR_FILTERS);
	__type(key, __u32);
	__type(value, __u64);
} matches SEC(".maps");

static void count(__u32 filter)
{
	__u64 *n = bpf_map_lookup_elem(&matches, &filter);

	if (n)
		__sync_fetch_and_add(n, 1);
}

SEC("xdp")
int count_matches(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (is_web(data, data_end))
		count(WEB);
	if (is_dns(data, data_end))
		count(DNS);
	if (is_ping(data, data_end))
		count(PING);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
