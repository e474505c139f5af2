/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The example's three filters, shared by the BPF program (filters.bpf.c)
 * and its runner (run_example.c): the index of each filter's counter in the
 * `matches` map, and its tcpdump expression.
 */
#ifndef EXAMPLE_FILTERS_H
#define EXAMPLE_FILTERS_H

enum example_filter {
	WEB,  /* HTTP and HTTPS */
	DNS,  /* DNS over UDP */
	PING, /* ICMP and ICMPv6 */
	NR_FILTERS,
};

#define WEB_EXPR "tcp port 80 or tcp port 443"
#define DNS_EXPR "udp and port 53"
#define PING_EXPR "icmp or icmp6"

#endif
