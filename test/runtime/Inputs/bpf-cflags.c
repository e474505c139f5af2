/* Compiled by cli.test with the flags of `pcapf --bpf-cflags` only. */
#include <linux/bpf.h>
#include <pcap_filter.h>

static __attribute__((noinline)) __u32 is_dns(void *data, void *data_end)
	__pcap_filter("udp port 53");

__attribute__((section("xdp"))) int prog(struct xdp_md *ctx)
{
	return is_dns((void *)(long)ctx->data, (void *)(long)ctx->data_end) ? 1 : 2;
}
