/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Stand-in for the pcapfilter plugin, for difftest's self-test: hand-written
 * bodies of three filters, which fake-clang.sh puts where the plugin would.
 * They follow libpcap's code for DLT_EN10MB exactly:
 *   ip   ldh [12]; jeq #0x800    -> snaplen, else 0 (0 if shorter than 14)
 *   arp  ldh [12]; jeq #0x806
 *   ip6  ldh [12]; jeq #0x86dd
 * With -DSTANDIN_BUG two bugs go in, to prove difftest catches them: `ip`
 * also matches IPv6 (a disagreement) and `arp` reads the packet without a
 * bounds check (rejected by the verifier).
 */
#ifndef STANDIN_PCAP_FILTER_H
#define STANDIN_PCAP_FILTER_H

#include <linux/bpf.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

static __always_inline __u32 standin_ethertype_is(void *data, void *data_end,
						  __u16 type, __u32 snaplen)
{
	__u8 *p = data;

	if ((void *)(p + 14) > data_end)
		return 0;
	return (__u16)(p[12] << 8 | p[13]) == type ? snaplen : 0;
}

static __always_inline __u32 standin_ip(void *data, void *data_end, __u32 snaplen)
{
#ifdef STANDIN_BUG
	if (standin_ethertype_is(data, data_end, 0x86dd, snaplen))
		return snaplen;
#endif
	return standin_ethertype_is(data, data_end, 0x0800, snaplen);
}

static __always_inline __u32 standin_arp(void *data, void *data_end, __u32 snaplen)
{
#ifdef STANDIN_BUG
	__u8 *p = data;
	return (__u16)(p[12] << 8 | p[13]) == 0x0806 ? snaplen : 0;
#else
	return standin_ethertype_is(data, data_end, 0x0806, snaplen);
#endif
}

static __always_inline __u32 standin_ip6(void *data, void *data_end, __u32 snaplen)
{
	return standin_ethertype_is(data, data_end, 0x86dd, snaplen);
}

#endif
