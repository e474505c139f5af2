/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dns_drop: loads dns_drop.bpf.o through its skeleton and runs two packets
 * through it with BPF_PROG_TEST_RUN, a DNS query and an HTTP SYN: the first
 * must be dropped and counted, the second passed. Exit status 0 when both
 * verdicts and the counter are right. Needs root (or CAP_BPF and
 * CAP_PERFMON).
 */
#include <stdio.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "dns_drop.skel.h"

/* Ethernet, IPv4 10.0.0.1 -> 10.0.0.2, UDP 12345 -> 53. */
static const unsigned char dns_query[42] = {
	0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,
	0x45, 0, 0, 28, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	0x30, 0x39, 0, 53, 0, 8, 0, 0,
};

/* Ethernet, IPv4 10.0.0.1 -> 10.0.0.2, TCP 12345 -> 80, SYN. */
static const unsigned char http_syn[54] = {
	0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,
	0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	0x30, 0x39, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff,
	0, 0, 0, 0,
};

/* The program's verdict on pkt, or -1. */
static int test_run(int prog_fd, const unsigned char *pkt, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt,
		    .data_size_in = (__u32)len, .repeat = 1);

	if (bpf_prog_test_run_opts(prog_fd, &opts)) {
		perror("dns_drop: BPF_PROG_TEST_RUN");
		return -1;
	}
	return (int)opts.retval;
}

int main(void)
{
	struct dns_drop_bpf *skel = dns_drop_bpf__open_and_load();
	int dns, http, ok;

	if (!skel) {
		perror("dns_drop: loading dns_drop.bpf.o");
		return 1;
	}
	dns = test_run(bpf_program__fd(skel->progs.drop_dns), dns_query, sizeof(dns_query));
	http = test_run(bpf_program__fd(skel->progs.drop_dns), http_syn, sizeof(http_syn));
	ok = dns == XDP_DROP && http == XDP_PASS && skel->bss->dropped == 1;
	printf("dns_drop: DNS query %s, HTTP SYN %s, dropped %llu: %s\n",
	       dns == XDP_DROP ? "XDP_DROP" : "not dropped",
	       http == XDP_PASS ? "XDP_PASS" : "not passed",
	       (unsigned long long)skel->bss->dropped, ok ? "OK" : "WRONG");
	dns_drop_bpf__destroy(skel);
	return ok ? 0 : 1;
}
