// SPDX-License-Identifier: BSD-2-Clause
/*
 * inject.bpf.c: the object of the injection test (inject_test.c). Three
 * run-time stubs, one of each return kind and two stub forms; web is
 * called from two programs and xdp_pair calls two stubs. The filters come
 * from the test, at load time.
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <pcap_filter.h>

static __u32 web(void *data, void *data_end) __pcap_filter_runtime();
static __u32 dns(struct xdp_md *ctx) __pcap_filter_runtime();
static bool any(void *data, void *data_end) __pcap_filter_runtime();

#define DATA(ctx) ((void *)(long)(ctx)->data)
#define DATA_END(ctx) ((void *)(long)(ctx)->data_end)

/* The filter's own value. */
SEC("xdp") int xdp_web(struct xdp_md *ctx)
{
	return web(DATA(ctx), DATA_END(ctx));
}

/* Bit 0: web matched, bit 1: dns matched. */
SEC("xdp") int xdp_pair(struct xdp_md *ctx)
{
	return (web(DATA(ctx), DATA_END(ctx)) ? 1 : 0) | (dns(ctx) ? 2 : 0);
}

/* 1 on a match: a bool stub. */
SEC("xdp") int xdp_any(struct xdp_md *ctx)
{
	return any(DATA(ctx), DATA_END(ctx));
}

char _license[] SEC("license") = "GPL";
