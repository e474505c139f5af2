/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gen_chains.c: extension-header chains for the protochain differential.
 *
 * Usage: gen_chains OUT.pcap MAXHEADERS [LONGEST]
 *
 * Ethernet frames, for the headers libpcap's protochain walks:
 *   - IPv6 with 0..MAXHEADERS extension headers, all of one type (hop-by-hop,
 *     routing, fragment, destination options, AH) or the five in turn, then
 *     an upper layer that is or is not what a filter looks for (TCP, UDP,
 *     ICMPv6, IPv6-in-IPv6) or where libpcap stops (ESP, no next header);
 *     each cut short before, at and after each header's first two bytes;
 *   - with LONGEST, the same chains of LONGEST - 4 .. LONGEST headers (up
 *     to protochain's bound, or past it), each whole and cut short only in
 *     its last header, which keeps the set small at a bound of 100;
 *   - IPv4 with one AH of every length 0..15, then TCP, UDP or ICMP;
 *   - crafted AH chains libpcap 1.10.3 never leaves: it sets X to the AH's
 *     length instead of adding it, so an AH at offset 40 with length 8
 *     (X = (8 + 2) * 4 = 40) is read again and again.
 * The reference (pktrun_ref_verdict_guarded()) runs libpcap under a time
 * limit, so the last group is counted as "reference did not stop".
 *
 * Each record's timestamp is its index, for tracing a disagreement back.
 */
#define _DEFAULT_SOURCE /* u_char for pcap.h under -std=c11 */

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	ETH = 14,
	IP6 = 40,
	EXT = 8, /* each extension header: length byte 0, 8 bytes */
	UPPER = 8,
	MAX_PKT = ETH + IP6 + 255 * EXT + UPPER,
};

static const uint8_t ext_types[] = {0, 43, 44, 60, 51};
static const uint8_t v6_uppers[] = {6, 17, 58, 41, 50, 59};
static const uint8_t v4_uppers[] = {6, 17, 1};

static pcap_dumper_t *out;
static unsigned long written;

static void dump(const uint8_t *b, size_t len)
{
	struct pcap_pkthdr h = {.caplen = (bpf_u_int32)len,
				.len = (bpf_u_int32)len};

	h.ts.tv_usec = (suseconds_t)(written % 1000000);
	h.ts.tv_sec = (time_t)(written / 1000000);
	pcap_dump((u_char *)out, &h, b);
	written++;
}

static size_t ether(uint8_t *b, uint16_t type)
{
	memset(b, 0, ETH);
	b[0] = 0xab, b[5] = 0x02, b[6] = 0xab, b[11] = 0x01;
	b[12] = (uint8_t)(type >> 8), b[13] = (uint8_t)type;
	return ETH;
}

/* The whole packet and, for each header from first_ext on, its prefixes
 * ending before, at and after the next-header byte and the length byte
 * (the two the walk reads). */
static void dump_cut(const uint8_t *b, size_t len, size_t first_ext)
{
	for (size_t n = first_ext; n < len; n += EXT)
		for (size_t k = 0; k < 3; k++)
			dump(b, n + k);
	dump(b, len);
}

/* n extension headers of one type (or the five in turn, type -1), then
 * upper; cut short in every header, or in the last one only. */
static void ipv6_chain(unsigned n, int type, uint8_t upper, bool last_only)
{
	uint8_t b[MAX_PKT] = {0};
	size_t at = ether(b, 0x86dd), ip = at;
	uint8_t *next = &b[ip + 6];

	b[ip] = 0x60;
	b[ip + 7] = 64;
	b[ip + 8] = 0xfe, b[ip + 9] = 0x80, b[ip + 23] = 0x01; /* fe80::1 */
	b[ip + 24] = 0xfe, b[ip + 25] = 0x80, b[ip + 39] = 0x02;
	at += IP6;
	for (unsigned i = 0; i < n; i++) {
		*next = type >= 0 ? (uint8_t)type
				  : ext_types[i % sizeof(ext_types)];
		next = &b[at];
		/* AH's length counts 4-byte words minus 2: 0 is 8 bytes. */
		b[at + 1] = 0;
		at += EXT;
	}
	*next = upper;
	at += UPPER;
	b[ip + 4] = (uint8_t)((at - ip - IP6) >> 8);
	b[ip + 5] = (uint8_t)(at - ip - IP6);
	dump_cut(b, at, last_only && n ? at - UPPER - EXT : ip + IP6);
}

static void ipv4_ah(uint8_t ah_len, uint8_t upper)
{
	uint8_t b[ETH + 20 + 64 + UPPER] = {0};
	size_t at = ether(b, 0x0800), ip = at;

	b[ip] = 0x45;
	b[ip + 8] = 64;
	b[ip + 9] = 51;
	b[ip + 12] = 10, b[ip + 15] = 1, b[ip + 16] = 10, b[ip + 19] = 2;
	at += 20;
	b[at] = upper;
	b[at + 1] = ah_len;
	at += (ah_len + 2u) * 4 > 64 ? 64 : (ah_len + 2u) * 4;
	at += UPPER;
	b[ip + 3] = (uint8_t)(at - ip);
	dump_cut(b, at, ip + 20);
}

/* An AH at X = 40 whose length sends libpcap 1.10.3 back to it. */
static void ipv6_ah_loop(uint8_t before)
{
	uint8_t b[ETH + IP6 + 2 * EXT + UPPER] = {0};
	size_t ip = ether(b, 0x86dd);

	b[ip] = 0x60;
	b[ip + 5] = 2 * EXT + UPPER;
	b[ip + 6] = before; /* AH at once, or after a hop-by-hop header */
	size_t ah = ip + IP6 + (before == 51 ? 0 : EXT);
	if (before != 51)
		b[ip + IP6] = 51;
	b[ah] = 51;
	b[ah + 1] = (uint8_t)((ah - ip) / 4 - 2);
	dump(b, sizeof(b));
}

int main(int argc, char **argv)
{
	pcap_t *dead;
	unsigned max, longest = 0;

	if ((argc != 3 && argc != 4) || (max = (unsigned)atoi(argv[2])) > 255 ||
	    (argc == 4 && ((longest = (unsigned)atoi(argv[3])) > 255 ||
			   longest < max + 4))) {
		fprintf(stderr, "usage: gen_chains OUT.pcap MAXHEADERS (0..255) "
				"[LONGEST (MAXHEADERS + 4..255)]\n");
		return 2;
	}
	if (argc == 3)
		longest = max;
	dead = pcap_open_dead(DLT_EN10MB, 262144);
	out = dead ? pcap_dump_open(dead, argv[1]) : NULL;
	if (!out) {
		fprintf(stderr, "gen_chains: %s: %s\n", argv[1],
			dead ? pcap_geterr(dead) : "pcap_open_dead failed");
		return 1;
	}
	for (unsigned n = 0; n <= longest; n++) {
		bool last_only = n > max;

		if (last_only && n + 4 < longest)
			continue;
		for (int t = -1; t < (int)sizeof(ext_types); t++)
			for (size_t u = 0; u < sizeof(v6_uppers); u++)
				ipv6_chain(n, t < 0 ? -1 : ext_types[t],
					   v6_uppers[u], last_only);
	}
	for (uint8_t len = 0; len < 16; len++)
		for (size_t u = 0; u < sizeof(v4_uppers); u++)
			ipv4_ah(len, v4_uppers[u]);
	ipv6_ah_loop(51);
	ipv6_ah_loop(0);
	pcap_dump_close(out);
	pcap_close(dead);
	printf("gen_chains: %lu packets written to %s\n", written, argv[1]);
	return 0;
}
