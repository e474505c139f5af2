// SPDX-License-Identifier: BSD-2-Clause
/*
 * stubs.bpf.c: the object of the Go package's tests (pcapfilter_test.go),
 * compiled with the plugin and -fplugin-arg-pcapfilter-no-decl-tags (for
 * cilium/ebpf 0.9). One program per stub form for the corpus, one with two
 * stubs, one that calls a stub twice; the filters come from the tests.
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <pcap_filter.h>

static __u32 pointers(void *data, void *data_end) __pcap_filter_runtime();
static __u32 skb(struct __sk_buff *skb) __pcap_filter_runtime();
static __u32 web(void *data, void *data_end) __pcap_filter_runtime();
static bool dns(struct xdp_md *ctx) __pcap_filter_runtime();

#define DATA(ctx) ((void *)(long)(ctx)->data)
#define DATA_END(ctx) ((void *)(long)(ctx)->data_end)

/* The filter's own value: direct access. */
SEC("xdp") int xdp_value(struct xdp_md *ctx)
{
	return pointers(DATA(ctx), DATA_END(ctx));
}

/* The filter's own value: skb access. */
SEC("tc") int tc_value(struct __sk_buff *ctx)
{
	return skb(ctx);
}

/* Bit 0: web matched, bit 1: dns matched (a bool stub). */
SEC("xdp") int xdp_pair(struct xdp_md *ctx)
{
	return (web(DATA(ctx), DATA_END(ctx)) ? 1 : 0) | (dns(ctx) ? 2 : 0);
}

/* web on the frame (bit 0) and on the frame past its first 14 bytes (bit
 * 1): one stub, two calls. */
SEC("xdp") int xdp_twice(struct xdp_md *ctx)
{
	void *data = DATA(ctx), *end = DATA_END(ctx);
	int r = web(data, end) ? 1 : 0;

	if (data + 14 <= end && web(data + 14, end))
		r |= 2;
	return r;
}

char _license[] SEC("license") = "GPL";
