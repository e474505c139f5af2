/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture.c: the libpcap side of xdp_match: the packets of a capture file,
 * and libpcap's verdicts on them (capture.h).
 */
#include <stdio.h>
#include <pcap/pcap.h>

#include "capture.h"

static pcap_t *open_capture(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, errbuf);

	if (!p)
		fprintf(stderr, "xdp_match: %s\n", errbuf);
	return p;
}

long capture_for_each(const char *path,
		      int (*fn)(const unsigned char *pkt, size_t len, void *arg),
		      void *arg)
{
	pcap_t *p = open_capture(path);
	struct pcap_pkthdr *hdr;
	const unsigned char *pkt;
	long n = 0;

	if (!p)
		return -1;
	while (pcap_next_ex(p, &hdr, &pkt) == 1) {
		if (fn(pkt, hdr->caplen, arg)) {
			n = -1;
			break;
		}
		n++;
	}
	pcap_close(p);
	return n;
}

long capture_count_matches(const char *path, const char *expr)
{
	pcap_t *p = open_capture(path);
	struct bpf_program prog;
	struct pcap_pkthdr *hdr;
	const unsigned char *pkt;
	long n = 0;

	if (!p)
		return -1;
	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN)) {
		fprintf(stderr, "xdp_match: %s\n", pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	while (pcap_next_ex(p, &hdr, &pkt) == 1)
		n += pcap_offline_filter(&prog, hdr, pkt) != 0;
	pcap_freecode(&prog);
	pcap_close(p);
	return n;
}
