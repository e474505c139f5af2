/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * run-example: run a capture through the example's XDP program and check
 * its counters against libpcap.
 *
 * Loads filters.bpf.o with libbpf, runs every packet of the capture through
 * the program with BPF_PROG_TEST_RUN (no network interface needed), reads
 * the per-filter counters from its `matches` map, and prints per filter the
 * packets the BPF program matched next to the packets libpcap's own filter
 * matches in the same capture. Exit status 1 on any mismatch, 2 if it cannot
 * run (BPF needs root).
 *
 * usage: run-example [OBJECT [CAPTURE]]
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "filters.h"
#include "pktrun.h"

static const char *const exprs[NR_FILTERS] = {
	[WEB] = WEB_EXPR,
	[DNS] = DNS_EXPR,
	[PING] = PING_EXPR,
};

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "run-example: %s: %s\n", what, why);
	return 2;
}

int main(int argc, char **argv)
{
	const char *object = argc > 1 ? argv[1] : EXAMPLE_OBJECT;
	const char *capture = argc > 2 ? argv[2] : EXAMPLE_CAPTURE;
	char err[PKTRUN_ERRBUF_SIZE];
	struct pktrun_capture cap;
	struct pktrun_ref *ref[NR_FILTERS];
	unsigned long long by_libpcap[NR_FILTERS] = {0}, by_bpf[NR_FILTERS];
	size_t skipped[PKTRUN_SKIP_OTHER + 1] = {0}, ran = 0;
	int mismatches = 0;

	if (pktrun_bpf_check(err, sizeof(err)) != 0)
		return fail("BPF cannot run here", err);

	/* The BPF side: load the object, find the program and its counters. */
	struct bpf_object *obj = bpf_object__open_file(object, NULL);
	if (!obj || bpf_object__load(obj) != 0)
		return fail(object, strerror(errno));
	int prog = bpf_program__fd(bpf_object__find_program_by_name(obj, "count_matches"));
	int matches = bpf_map__fd(bpf_object__find_map_by_name(obj, "matches"));
	if (prog < 0 || matches < 0)
		return fail(object, "no program count_matches or map matches");

	/* The libpcap side: the same expressions, compiled by libpcap. */
	for (int f = 0; f < NR_FILTERS; f++)
		if (!(ref[f] = pktrun_ref_compile(exprs[f], PKTRUN_DLT_EN10MB,
						  PKTRUN_DEFAULT_SNAPLEN, err)))
			return fail(exprs[f], err);

	if (pktrun_capture_read(&cap, capture, err) != 0)
		return fail(capture, err);
	if (cap.linktype != PKTRUN_DLT_EN10MB)
		return fail(capture, "not an Ethernet capture");

	for (size_t i = 0; i < cap.count; i++) {
		struct pktrun_packet pkt = cap.pkts[i];
		struct pktrun_result res;

		switch (pktrun_run(prog, PKTRUN_XDP, &pkt, &res)) {
		case PKTRUN_OK:
			break;
		case PKTRUN_SKIP_FRAGS: /* it ran, on the first res.seen bytes */
			pkt.caplen = res.seen;
			break;
		default: /* the kernel refused it: the program did not run */
			skipped[res.status]++;
			continue;
		}
		ran++;
		for (int f = 0; f < NR_FILTERS; f++)
			by_libpcap[f] += pktrun_ref_verdict(ref[f], &pkt) != 0;
	}

	printf("%-30s %8s %8s\n", "filter", "BPF", "libpcap");
	for (__u32 f = 0; f < NR_FILTERS; f++) {
		if (bpf_map_lookup_elem(matches, &f, &by_bpf[f]) != 0)
			return fail("reading the matches map", strerror(errno));
		bool ok = by_bpf[f] == by_libpcap[f];
		mismatches += !ok;
		printf("%-30s %8llu %8llu  %s\n", exprs[f], by_bpf[f], by_libpcap[f],
		       ok ? "OK" : "MISMATCH");
	}
	printf("%zu packets from %s, %zu run\n", cap.count, capture, ran);
	for (int st = PKTRUN_SKIP_SHORT; st <= PKTRUN_SKIP_OTHER; st++)
		if (skipped[st])
			printf("%zu skipped: %s\n", skipped[st], pktrun_status_str(st));

	for (int f = 0; f < NR_FILTERS; f++)
		pktrun_ref_free(ref[f]);
	pktrun_capture_free(&cap);
	bpf_object__close(obj);
	return mismatches ? 1 : 0;
}
