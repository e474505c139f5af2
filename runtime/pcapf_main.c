/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcapf_main.c: the pcapf command, to see what a filter becomes.
 *
 *   pcapf [-s] [-o OPTION]... EXPRESSION
 *
 * prints the analysed program (dump.c): libpcap's cBPF with the guards,
 * reject points and initialisation the translation adds. It plays the role
 * libpcap's filtertest plays for libpcap's own tests: the lit suites run it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pcapf.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pcapf [-s] [-o OPTION]... EXPRESSION\n"
		"Compile a tcpdump filter expression with libpcap and print the\n"
		"analysed program: the cBPF with the packet guards, reject points\n"
		"and initialisation pcapfilter's translation adds.\n"
		"  -o OPTION  a translator option, as in __pcap_filter():\n"
		"             linktype=NAME (default EN10MB), snaplen=N\n"
		"             (default 262144), access=direct,\n"
		"             input=cbpf (EXPRESSION is classic BPF as numbers,\n"
		"             tcpdump -ddd or xt_bpf style)\n"
		"  -s         print analysis counts instead of the listing\n"
		"  -h         this help\n");
}

int main(int argc, char **argv)
{
	char errbuf[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(opts);
	struct pcapf_prog *prog;
	int c, stats = 0;

	while ((c = getopt(argc, argv, "ho:s")) != -1) {
		switch (c) {
		case 'o':
			if (pcapf_opts__parse(&opts, optarg, errbuf)) {
				fprintf(stderr, "pcapf: %s\n", errbuf);
				return 2;
			}
			break;
		case 's':
			stats = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	prog = pcapf_prog__compile(argv[optind], &opts, errbuf);
	if (!prog) {
		fprintf(stderr, "pcapf: %s\n", errbuf);
		return 1;
	}
	if (stats) {
		struct pcapf_prog_stats s;
		size_t cnt;

		pcapf_prog__insns(prog, &cnt);
		pcapf_prog__stats(prog, &s);
		printf("insns %zu reachable %zu loads %zu guards_len %zu "
		       "guards_ind %zu guards_div %zu rejects %zu\n",
		       cnt, s.reachable, s.loads, s.guards_len, s.guards_ind,
		       s.guards_div, s.rejects);
	} else if (pcapf_prog__dump(prog, stdout)) {
		fprintf(stderr, "pcapf: write error: %s\n", strerror(errno));
		pcapf_prog__free(prog);
		return 1;
	}
	pcapf_prog__free(prog);
	return 0;
}
