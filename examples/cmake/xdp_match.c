/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xdp_match CAPTURE EXPRESSION: puts EXPRESSION into xdp_match.bpf.o's
 * run-time stub, loads it through its skeleton, runs every packet of the
 * Ethernet capture CAPTURE through it with BPF_PROG_TEST_RUN, and prints
 * how many matched beside libpcap's own count for the same expression
 * (pcap_offline_filter()). Exit status 0 when they agree. Needs root (or
 * CAP_BPF and CAP_PERFMON).
 */
#include <stdio.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <pcapf_bpf.h>

#include "capture.h"
#include "xdp_match.skel.h"

/* One packet through the program (*(int *)arg); 0, or -1 said. */
static int test_run(const unsigned char *pkt, size_t len, void *arg)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt,
		    .data_size_in = (__u32)len, .repeat = 1);

	if (bpf_prog_test_run_opts(*(int *)arg, &opts)) {
		perror("xdp_match: BPF_PROG_TEST_RUN");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char errbuf[PCAPF_ERRBUF_SIZE];
	struct xdp_match_bpf *skel;
	long packets, expected;
	int err, prog_fd;

	if (argc != 3) {
		fputs("usage: xdp_match CAPTURE EXPRESSION\n", stderr);
		return 2;
	}
	/* Before the object is opened: libbpf picks load hooks at open. */
	err = pcapf_bpf__register_handlers();
	skel = err ? NULL : xdp_match_bpf__open();
	if (!skel) {
		fprintf(stderr, "xdp_match: opening xdp_match.bpf.o failed\n");
		return 1;
	}
	err = pcapf_bpf_object__set_filter(skel->obj, "match", argv[2], NULL, errbuf);
	if (err) {
		fprintf(stderr, "xdp_match: %s\n", errbuf);
		goto out;
	}
	err = xdp_match_bpf__load(skel);
	if (err) {
		fprintf(stderr, "xdp_match: loading xdp_match.bpf.o failed (%d)\n", err);
		goto out;
	}
	prog_fd = bpf_program__fd(skel->progs.count_matches);
	packets = capture_for_each(argv[1], test_run, &prog_fd);
	expected = capture_count_matches(argv[1], argv[2]);
	err = packets < 0 || expected < 0 || (long)skel->bss->matched != expected;
	if (packets >= 0 && expected >= 0)
		printf("xdp_match: '%s': %llu of %ld packets match, libpcap %ld: %s\n",
		       argv[2], (unsigned long long)skel->bss->matched, packets,
		       expected, err ? "WRONG" : "OK");
out:
	xdp_match_bpf__destroy(skel);
	return err ? 1 : 0;
}
