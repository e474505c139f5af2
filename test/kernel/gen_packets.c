/*
 * gen_packets.c - the crafted packet set for pcapfilter's kernel differential test
 *
 * Usage: gen_packets OUT.pcap [SEED]
 *
 * Writes a DLT_EN10MB capture (caplen == len for every record) that the differential test runs
 * through libpcap's pcap_offline_filter() (the reference) and through the eBPF programs pcapfilter
 * generates for the same filter expressions; every verdict must agree. The set is built so that the
 * corpus expressions (test corpus: filters-en10mb-compilable.txt) both match and miss, and so that
 * the generated code's guards run:
 *
 *   1 link       ARP, RARP, 802.1Q VLAN, QinQ, MPLS, PPPoE, 802.3 LLC/SNAP (STP, NetBEUI, IPX, ISO),
 *                DECnet and the other ethertypes libpcap has keywords for;
 *   2 ipv4       TCP, UDP, ICMP, IGMP, SCTP, GRE, ESP, AH, IP-in-IP, PIM, VRRP, ... with the
 *                addresses and ports the corpus names; broadcast and multicast;
 *   3 ipv6       TCP, UDP, ICMPv6, multicast, extension header chains (hop-by-hop, routing,
 *                fragment, destination options, AH);
 *   4 tunnel     VXLAN and Geneve (with and without options, over IPv4 and IPv6);
 *   5 odd        IPv4 options (IHL 6..15), fragments, IHL 0..4, IHL past the end of the packet,
 *                wrong total length, wrong version; IPv6 with a wrong payload length or version;
 *   6 long       protocols the corpus indexes far into ("ip[0xab] == 0xcd", "tcp[0xab] ...") with
 *                200 bytes of 0xcd after their header, so such loads are in bounds and match;
 *   7 truncated  every prefix (1 byte up to the whole packet) of a dozen representative packets,
 *                so that every packet load of a filter falls out of bounds somewhere;
 *   8 random     200 packets of random bytes (length 1..300) from a seeded xorshift64 generator,
 *                half of them with the ethertype (and the next protocol byte) forced so that the
 *                IPv4, IPv6 and VLAN code paths run on garbage.
 *
 * The output depends only on SEED (default DEFAULT_SEED; 0 also means the default): the same seed
 * gives the same file, byte for byte. Checksums are not computed except the IPv4 header checksum;
 * filters do not look at them.
 *
 * Each record's timestamp says where it came from: ts.tv_sec is the group number above and
 * ts.tv_usec the record's index in the file, so a mismatch the harness reports can be traced back
 * to the code that built the packet.
 *
 * libpcap 1.10.3 hazard: the code it generates for "ip protochain N" / "ip6 protochain N" sets X to
 * the AH header's length instead of adding it (X = (ah_len + 2) * 4), so some bytes make the walk
 * come back to a header it has already seen and pcap_offline_filter() never returns. No record in
 * this file does that, at any network-layer offset: a crafted packet that would is a bug here and
 * stops the program, a random one is drawn again (see protochain_loops()).
 *
 * Build: gcc -std=c11 -Wall -Wextra -O2 gen_packets.c -lpcap -o gen_packets
 */
#define _DEFAULT_SOURCE /* u_char and friends for pcap.h under -std=c11; inet_pton */

#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SEED 0x9e3779b97f4a7c15ull
#define PKT_MAX 1600
#define RANDOM_PACKETS 200
#define RANDOM_MAX_LEN 300
#define LONG_PAYLOAD 200

enum group {
	GROUP_LINK = 1,
	GROUP_IPV4,
	GROUP_IPV6,
	GROUP_TUNNEL,
	GROUP_ODD,
	GROUP_LONG,
	GROUP_TRUNCATED,
	GROUP_RANDOM,
};

/* Ethertypes */
enum {
	ETH_IPV4 = 0x0800, ETH_ARP = 0x0806, ETH_RARP = 0x8035, ETH_IPV6 = 0x86dd,
	ETH_VLAN = 0x8100, ETH_QINQ = 0x88a8, ETH_VLAN_9100 = 0x9100,
	ETH_MPLS = 0x8847, ETH_MPLS_MC = 0x8848, ETH_PPPOE_DISC = 0x8863, ETH_PPPOE_SESS = 0x8864,
	ETH_TEB = 0x6558, /* transparent Ethernet bridging: Geneve/GRE carrying Ethernet */
};

/* IP protocol numbers (and IPv6 next-header values) */
enum {
	P_HOPOPTS = 0, P_ICMP = 1, P_IGMP = 2, P_IPIP = 4, P_TCP = 6, P_IGRP = 9, P_UDP = 17,
	P_IPV6 = 41, P_ROUTING = 43, P_FRAGMENT = 44, P_GRE = 47, P_ESP = 50, P_AH = 51,
	P_ICMPV6 = 58, P_NONE = 59, P_DSTOPTS = 60, P_EIGRP = 88, P_PIM = 103, P_IPCOMP = 108,
	P_VRRP = 112, P_SCTP = 132,
};

/* TCP flags */
enum { FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40, CWR = 0x80 };

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* MAC addresses: the corpus names ab:cd:ef:00:00:0{1,2,3} and a few others. */
static const uint8_t MAC_A[6] = { 0xab, 0xcd, 0xef, 0x00, 0x00, 0x01 };
static const uint8_t MAC_B[6] = { 0xab, 0xcd, 0xef, 0x00, 0x00, 0x02 };
static const uint8_t MAC_C[6] = { 0xab, 0xcd, 0xef, 0x00, 0x00, 0x03 };
static const uint8_t MAC_D[6] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc };
static const uint8_t MAC_E[6] = { 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6 };
static const uint8_t MAC_F[6] = { 0x00, 0x10, 0x18, 0xde, 0x38, 0x1e };
static const uint8_t MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t MAC_ZERO[6] = { 0 };
static const uint8_t MAC_STP[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 };
static const uint8_t MAC_LLDP[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e };
static const uint8_t MAC_CDP[6] = { 0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc };
static const uint8_t MAC_V4MC_1[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };   /* 224.0.0.1 */
static const uint8_t MAC_V4MC_D[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x0d };   /* 224.0.0.13 */
static const uint8_t MAC_V4MC_12[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x12 };  /* 224.0.0.18 */
static const uint8_t MAC_V4MC_16[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x16 };  /* 224.0.0.22 */
static const uint8_t MAC_V4MC_FB[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };  /* 224.0.0.251 */
static const uint8_t MAC_V6MC_1[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };   /* ff02::1 */
static const uint8_t MAC_V6MC_2[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x02 };   /* ff02::2 */
static const uint8_t MAC_V6MC_12[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x12 };  /* ff02::12 */
static const uint8_t MAC_V6MC_16[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x16 };  /* ff02::16 */
static const uint8_t MAC_V6MC_FB[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0xfb };  /* ff02::fb */
static const uint8_t MAC_V6MC_NS[6] = { 0x33, 0x33, 0xff, 0xaa, 0xbb, 0xcc };  /* ff02::1:ffaa:bbcc */

/* IPv6 addresses the corpus names */
#define V6_LL_A "fe80::1122:33ff:fe44:5566"
#define V6_LL_B "fe80::7788:99ff:feaa:bbcc"
#define V6_LL_C "fe80::d6ca:6dff:fe66:cf60"
#define V6_DOC "2001:db8:1011:1213:1415:1617:1819:1a1b"
#define V6_LOOP "::1"

static void die(const char *msg)
{
	fprintf(stderr, "gen_packets: %s\n", msg);
	exit(1);
}

/* ------------------------------------------------------------------------------------------------
 * Packet buffer and byte writers
 */

struct pkt {
	uint8_t b[PKT_MAX];
	size_t n;
};

static void reset(struct pkt *p)
{
	memset(p, 0, sizeof(*p));
}

static void put8(struct pkt *p, unsigned v)
{
	if (p->n >= PKT_MAX)
		die("packet too long");
	p->b[p->n++] = (uint8_t)v;
}

static void put16(struct pkt *p, unsigned v)
{
	put8(p, v >> 8);
	put8(p, v);
}

static void put32(struct pkt *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p, v & 0xffff);
}

static void put_bytes(struct pkt *p, const uint8_t *d, size_t len)
{
	for (size_t i = 0; i < len; i++)
		put8(p, d[i]);
}

static void put_fill(struct pkt *p, unsigned byte, size_t len)
{
	for (size_t i = 0; i < len; i++)
		put8(p, byte);
}

/* A recognisable payload: "pcapfilter" repeated. */
static void put_payload(struct pkt *p, size_t len)
{
	static const char text[] = "pcapfilter";
	for (size_t i = 0; i < len; i++)
		put8(p, (uint8_t)text[i % (sizeof(text) - 1)]);
}

static void put_ip6(struct pkt *p, const char *text)
{
	uint8_t a[16];
	if (inet_pton(AF_INET6, text, a) != 1)
		die("bad IPv6 address in the generator");
	put_bytes(p, a, sizeof(a));
}

static void set16(struct pkt *p, size_t off, unsigned v)
{
	p->b[off] = (uint8_t)(v >> 8);
	p->b[off + 1] = (uint8_t)v;
}

/* Pads with zeros to len bytes (60 is the Ethernet minimum without the FCS, as NICs pad). */
static void pad_to(struct pkt *p, size_t len)
{
	while (p->n < len)
		put8(p, 0);
}

/* ------------------------------------------------------------------------------------------------
 * Link layer
 */

static void eth(struct pkt *p, const uint8_t *dst, const uint8_t *src, unsigned type)
{
	put_bytes(p, dst, 6);
	put_bytes(p, src, 6);
	put16(p, type);
}

/* 802.3 frame: a length field instead of an ethertype; finish it with len_field_end(). */
static size_t eth_8023(struct pkt *p, const uint8_t *dst, const uint8_t *src)
{
	put_bytes(p, dst, 6);
	put_bytes(p, src, 6);
	put16(p, 0);
	return p->n - 2;
}

/* Sets the 16-bit length field at off to the number of bytes that follow it. */
static void len_field_end(struct pkt *p, size_t off)
{
	set16(p, off, (unsigned)(p->n - off - 2));
}

/* 802.1Q tag body (the TPID is the preceding ethertype): TCI, then the next ethertype. */
static void vlan(struct pkt *p, unsigned tci, unsigned type)
{
	put16(p, tci);
	put16(p, type);
}

static void mpls(struct pkt *p, unsigned label, bool bottom)
{
	put32(p, (uint32_t)label << 12 | (bottom ? 0x100u : 0u) | 64u);
}

static void llc(struct pkt *p, unsigned dsap, unsigned ssap, unsigned ctrl)
{
	put8(p, dsap);
	put8(p, ssap);
	put8(p, ctrl);
}

static void snap(struct pkt *p, uint32_t oui, unsigned type)
{
	llc(p, 0xaa, 0xaa, 0x03);
	put8(p, oui >> 16);
	put16(p, oui & 0xffff);
	put16(p, type);
}

/* PPPoE header; the payload length is set by pppoe_end(). */
static size_t pppoe_begin(struct pkt *p, unsigned code, unsigned session)
{
	size_t off = p->n;
	put8(p, 0x11); /* version 1, type 1 */
	put8(p, code);
	put16(p, session);
	put16(p, 0);
	return off;
}

static void pppoe_end(struct pkt *p, size_t off)
{
	set16(p, off + 4, (unsigned)(p->n - off - 6));
}

static void arp(struct pkt *p, unsigned op, const uint8_t *sha, uint32_t spa, const uint8_t *tha,
		uint32_t tpa)
{
	put16(p, 1);        /* Ethernet */
	put16(p, ETH_IPV4);
	put8(p, 6);
	put8(p, 4);
	put16(p, op);
	put_bytes(p, sha, 6);
	put32(p, spa);
	put_bytes(p, tha, 6);
	put32(p, tpa);
}

/* ------------------------------------------------------------------------------------------------
 * IPv4 and IPv6
 */

/*
 * IPv4 header with IHL field ihl; options (ihl > 5) are a router alert followed by NOPs. For
 * ihl < 5 the IHL field lies but 20 bytes are still written. Finish with ipv4_end().
 */
static size_t ipv4_begin(struct pkt *p, unsigned ihl, unsigned proto, uint32_t src, uint32_t dst,
			 unsigned frag)
{
	size_t off = p->n;
	put8(p, 0x40 | (ihl & 0xf));
	put8(p, 0);        /* TOS */
	put16(p, 0);       /* total length, set by ipv4_end() */
	put16(p, 0x1234);  /* id */
	put16(p, frag);    /* flags (DF 0x4000, MF 0x2000) and offset in 8-byte units */
	put8(p, 64);       /* TTL */
	put8(p, proto);
	put16(p, 0);       /* checksum, set by ipv4_end() */
	put32(p, src);
	put32(p, dst);
	if (ihl > 5) {
		size_t optlen = (ihl - 5) * 4;
		put8(p, 0x94); /* router alert */
		put8(p, 4);
		put16(p, 0);
		if (optlen > 4) {
			put_fill(p, 0x01, optlen - 5); /* NOP */
			put8(p, 0x00);                 /* end of options */
		}
	}
	return off;
}

static void ipv4_end(struct pkt *p, size_t off)
{
	size_t hlen = 4 * (p->b[off] & 0xf);
	uint32_t sum = 0;

	if (hlen < 20)
		hlen = 20;
	set16(p, off + 2, (unsigned)(p->n - off));
	for (size_t i = 0; i < hlen; i += 2)
		sum += (uint32_t)p->b[off + i] << 8 | p->b[off + i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	set16(p, off + 10, ~sum & 0xffff);
}

static size_t ipv6_begin(struct pkt *p, unsigned nh, const char *src, const char *dst)
{
	size_t off = p->n;
	put32(p, 0x60000000); /* version 6, traffic class 0, flow label 0 */
	put16(p, 0);          /* payload length, set by ipv6_end() */
	put8(p, nh);
	put8(p, 64);          /* hop limit */
	put_ip6(p, src);
	put_ip6(p, dst);
	return off;
}

static void ipv6_end(struct pkt *p, size_t off)
{
	set16(p, off + 4, (unsigned)(p->n - off - 40));
}

/* Hop-by-hop or destination options header of 8 * (len8 + 1) bytes, filled with PadN. */
static void ip6_options(struct pkt *p, unsigned nh, unsigned len8)
{
	put8(p, nh);
	put8(p, len8);
	put8(p, 1);                       /* PadN */
	put8(p, 4 + 8 * len8);
	put_fill(p, 0, 4 + 8 * len8);
}

/* Routing header (type 4, segment routing style) with one address, segments left 0. */
static void ip6_routing(struct pkt *p, unsigned nh)
{
	put8(p, nh);
	put8(p, 2);    /* 8 * (2 + 1) = 24 bytes */
	put8(p, 4);    /* routing type */
	put8(p, 0);    /* segments left */
	put32(p, 0);
	put_ip6(p, V6_LL_B);
}

static void ip6_fragment(struct pkt *p, unsigned nh, unsigned offset8, bool more)
{
	put8(p, nh);
	put8(p, 0);
	put16(p, offset8 << 3 | (more ? 1u : 0u));
	put32(p, 0xcafe0001);
}

/* Authentication header with a 12-byte ICV: payload length 4, i.e. (4 + 2) * 4 = 24 bytes. */
static void ah(struct pkt *p, unsigned nh)
{
	put8(p, nh);
	put8(p, 4);
	put16(p, 0);
	put32(p, 0x00000100); /* SPI */
	put32(p, 1);          /* sequence number */
	put_fill(p, 0xa5, 12);
}

/* ------------------------------------------------------------------------------------------------
 * Transport and above
 */

/* TCP header; doff > 5 adds an MSS option and NOPs. */
static void tcp_hdr(struct pkt *p, unsigned sport, unsigned dport, unsigned flags, unsigned doff)
{
	put16(p, sport);
	put16(p, dport);
	put32(p, 0x01020304);
	put32(p, (flags & ACK) ? 0x0a0b0c0d : 0);
	put8(p, doff << 4);
	put8(p, flags);
	put16(p, 0xffff);
	put16(p, 0);   /* checksum */
	put16(p, 0);   /* urgent pointer */
	if (doff > 5) {
		put8(p, 2);    /* MSS */
		put8(p, 4);
		put16(p, 1460);
		put_fill(p, 0x01, (doff - 6) * 4);
	}
}

static void tcp(struct pkt *p, unsigned sport, unsigned dport, unsigned flags)
{
	tcp_hdr(p, sport, dport, flags, 5);
}

static size_t udp_begin(struct pkt *p, unsigned sport, unsigned dport)
{
	size_t off = p->n;
	put16(p, sport);
	put16(p, dport);
	put16(p, 0);   /* length, set by udp_end() */
	put16(p, 0);   /* checksum: none */
	return off;
}

static void udp_end(struct pkt *p, size_t off)
{
	set16(p, off + 4, (unsigned)(p->n - off));
}

/* ICMP or ICMPv6 message: type, code, checksum, 4 bytes of id/sequence (or reserved), payload. */
static void icmp(struct pkt *p, unsigned type, unsigned code)
{
	put8(p, type);
	put8(p, code);
	put16(p, 0);
	put16(p, 0x1234);
	put16(p, 1);
	put_payload(p, 8);
}

static void sctp(struct pkt *p, unsigned sport, unsigned dport)
{
	put16(p, sport);
	put16(p, dport);
	put32(p, 0);          /* verification tag */
	put32(p, 0);          /* checksum */
	put8(p, 1);           /* INIT chunk */
	put8(p, 0);
	put16(p, 20);
	put32(p, 0x11223344); /* initiate tag */
	put32(p, 65536);
	put16(p, 10);
	put16(p, 10);
	put32(p, 1);
}

static void vxlan(struct pkt *p, uint32_t vni)
{
	put8(p, 0x08);        /* VNI present */
	put_fill(p, 0, 3);
	put32(p, vni << 8);
}

/* Geneve header; optlen4 is the option length in 4-byte units (one TLV option is written). */
static void geneve(struct pkt *p, uint32_t vni, unsigned proto, unsigned optlen4, unsigned version)
{
	put8(p, version << 6 | optlen4);
	put8(p, 0);
	put16(p, proto);
	put32(p, vni << 8);
	if (optlen4 > 0) {
		put16(p, 0x0102);      /* option class */
		put8(p, 0x80);         /* type */
		put8(p, optlen4 - 1);  /* option data length in 4-byte units */
		put_fill(p, 0x5a, 4 * (optlen4 - 1));
	}
}

/* Common compositions: a whole IPv4 or IPv6 datagram after whatever link header came first. */

static void ipv4_tcp(struct pkt *p, unsigned ihl, uint32_t src, uint32_t dst, unsigned sport,
		     unsigned dport, unsigned flags)
{
	size_t ip = ipv4_begin(p, ihl, P_TCP, src, dst, 0);
	tcp(p, sport, dport, flags);
	ipv4_end(p, ip);
}

static void ipv4_udp(struct pkt *p, uint32_t src, uint32_t dst, unsigned sport, unsigned dport,
		     size_t payload)
{
	size_t ip = ipv4_begin(p, 5, P_UDP, src, dst, 0);
	size_t u = udp_begin(p, sport, dport);
	put_payload(p, payload);
	udp_end(p, u);
	ipv4_end(p, ip);
}

static void ipv6_tcp(struct pkt *p, const char *src, const char *dst, unsigned sport,
		     unsigned dport, unsigned flags)
{
	size_t ip = ipv6_begin(p, P_TCP, src, dst);
	tcp(p, sport, dport, flags);
	ipv6_end(p, ip);
}

static void ipv6_udp(struct pkt *p, const char *src, const char *dst, unsigned sport,
		     unsigned dport, size_t payload)
{
	size_t ip = ipv6_begin(p, P_UDP, src, dst);
	size_t u = udp_begin(p, sport, dport);
	put_payload(p, payload);
	udp_end(p, u);
	ipv6_end(p, ip);
}

/* ------------------------------------------------------------------------------------------------
 * libpcap 1.10.3 protochain walk (see the header comment)
 */

/*
 * Mirrors the loop libpcap 1.10.3 generates for protochain with the network header at offset nl,
 * without the early exit at the wanted protocol (so a loop for any protocol is found). For IPv4:
 * A = ip[9], X = IHL * 4, then while A == AH: A = P[nl+X], X = (P[nl+X+1] + 2) * 4. IPv6 adds
 * hop-by-hop, destination options, routing and fragment headers: X += (P[nl+X+1] + 1) * 8.
 * A failed load ends the filter. The walk is deterministic in (X, A), so more steps than there are
 * such states means it loops.
 */
static bool protochain_loops(const uint8_t *b, size_t n, size_t nl, bool v6)
{
	uint64_t x, a, limit = 256 * (uint64_t)(n + 1) + 1;

	if (v6) {
		if (nl + 6 >= n)
			return false;
		a = b[nl + 6];
		x = 40;
	} else {
		if (nl + 9 >= n)
			return false;
		a = b[nl + 9];
		x = 4u * (b[nl] & 0xf);
	}
	for (uint64_t step = 0; step < limit; step++) {
		bool ext = v6 && (a == P_HOPOPTS || a == P_DSTOPTS || a == P_ROUTING || a == P_FRAGMENT);
		uint64_t len;

		if (!ext && a != P_AH)
			return false;
		if (nl + x + 1 >= n)
			return false;
		a = b[nl + x];
		len = b[nl + x + 1];
		x = ext ? x + (len + 1) * 8 : (len + 2) * 4;
	}
	return true;
}

static bool would_hang_libpcap(const uint8_t *b, size_t n)
{
	for (size_t nl = 14; nl < n; nl++)
		if (protochain_loops(b, n, nl, false) || protochain_loops(b, n, nl, true))
			return true;
	return false;
}

/* ------------------------------------------------------------------------------------------------
 * Output
 */

static pcap_dumper_t *dumper;
static enum group current_group;
static unsigned long written;

static void emit_len(const struct pkt *p, size_t len)
{
	struct pcap_pkthdr h;

	if (len == 0 || len > p->n)
		die("bad record length");
	if (would_hang_libpcap(p->b, len)) {
		fprintf(stderr, "gen_packets: record %lu (group %d) would hang libpcap 1.10.3's protochain\n",
			written, (int)current_group);
		exit(1);
	}
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)current_group;
	h.ts.tv_usec = (suseconds_t)written;
	h.caplen = (bpf_u_int32)len;
	h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)dumper, &h, p->b);
	written++;
}

static void emit(const struct pkt *p)
{
	emit_len(p, p->n);
}

/* ------------------------------------------------------------------------------------------------
 * Group 1: link layer and non-IP
 */

static void gen_arp(void)
{
	static const struct { unsigned op; uint32_t spa, tpa; } msgs[] = {
		{ 1, IP4(192, 1, 2, 23), IP4(192, 1, 2, 254) },
		{ 2, IP4(192, 1, 2, 254), IP4(192, 1, 2, 23) },
		{ 1, IP4(1, 2, 3, 4), IP4(10, 0, 0, 2) },
		{ 2, IP4(10, 0, 0, 2), IP4(1, 2, 3, 4) },
		{ 1, IP4(192, 168, 30, 1), IP4(192, 168, 170, 211) },
		{ 1, IP4(10, 80, 131, 1), IP4(10, 80, 131, 2) },
		{ 1, IP4(10, 0, 0, 2), IP4(10, 0, 0, 2) }, /* gratuitous */
	};
	struct pkt p;

	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		bool request = msgs[i].op == 1;
		reset(&p);
		eth(&p, request ? MAC_BCAST : MAC_A, request ? MAC_A : MAC_B, ETH_ARP);
		arp(&p, msgs[i].op, request ? MAC_A : MAC_B, msgs[i].spa, request ? MAC_ZERO : MAC_A,
		    msgs[i].tpa);
		if (i % 2)
			pad_to(&p, 60);
		emit(&p);
	}

	/* RARP: request (op 3) from a host that knows only its MAC, replies (op 4) */
	reset(&p);
	eth(&p, MAC_BCAST, MAC_C, ETH_RARP);
	arp(&p, 3, MAC_C, 0, MAC_C, 0);
	emit(&p);
	reset(&p);
	eth(&p, MAC_C, MAC_B, ETH_RARP);
	arp(&p, 4, MAC_B, IP4(10, 1, 1, 10), MAC_C, IP4(10, 1, 1, 100));
	emit(&p);
	reset(&p);
	eth(&p, MAC_C, MAC_B, ETH_RARP);
	arp(&p, 4, MAC_B, IP4(1, 2, 3, 4), MAC_C, IP4(192, 168, 1, 1));
	emit(&p);
	reset(&p);
	eth(&p, MAC_C, MAC_B, ETH_RARP);
	arp(&p, 4, MAC_B, IP4(192, 168, 170, 211), MAC_C, IP4(1, 2, 3, 4));
	pad_to(&p, 60);
	emit(&p);
}

static void gen_vlan(void)
{
	static const unsigned vids[] = { 1, 5, 8, 10, 500, 2014, 2061, 4095 };
	struct pkt p;

	/* One tag, IPv4 TCP inside; the priority bits are set on every other tag. */
	for (size_t i = 0; i < sizeof(vids) / sizeof(vids[0]); i++) {
		reset(&p);
		eth(&p, MAC_B, MAC_A, ETH_VLAN);
		vlan(&p, (i % 2 ? 0xa000u : 0u) | vids[i], ETH_IPV4);
		ipv4_tcp(&p, 5, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 40000 + (unsigned)i, 80, SYN);
		emit(&p);
	}
	/* Other payloads and TPIDs */
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_VLAN);
	vlan(&p, 10, ETH_IPV6);
	ipv6_tcp(&p, V6_LL_A, V6_LL_B, 40000, 22, SYN);
	emit(&p);
	reset(&p);
	eth(&p, MAC_BCAST, MAC_A, ETH_VLAN);
	vlan(&p, 5, ETH_ARP);
	arp(&p, 1, MAC_A, IP4(192, 1, 2, 23), MAC_ZERO, IP4(192, 1, 2, 254));
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_VLAN_9100);
	vlan(&p, 10, ETH_IPV4);
	ipv4_udp(&p, IP4(10, 0, 1, 7), IP4(1, 2, 3, 4), 5353, 53, 12);
	emit(&p);
	/* vlan 8 carrying an STP BPDU in an 802.3 frame ("vlan 8 and stp") */
	{
		size_t lenf;
		reset(&p);
		eth(&p, MAC_STP, MAC_A, ETH_VLAN);
		put16(&p, 8);
		lenf = p.n;
		put16(&p, 0);
		llc(&p, 0x42, 0x42, 0x03);
		put_fill(&p, 0, 35);
		len_field_end(&p, lenf);
		emit(&p);
	}

	/* QinQ: 802.1ad outer + 802.1Q inner, and 802.1Q twice */
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_QINQ);
	vlan(&p, 100, ETH_VLAN);
	vlan(&p, 10, ETH_IPV4);
	ipv4_tcp(&p, 5, IP4(192, 168, 1, 1), IP4(172, 17, 89, 30), 40001, 443, ACK);
	emit(&p);
	reset(&p);
	eth(&p, MAC_V4MC_FB, MAC_A, ETH_VLAN);
	vlan(&p, 2061, ETH_VLAN);
	vlan(&p, 2014, ETH_IPV4);
	ipv4_udp(&p, IP4(192, 168, 1, 4), IP4(224, 0, 0, 251), 5353, 5353, 20);
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_VLAN);
	vlan(&p, 500, ETH_VLAN);
	vlan(&p, 5, ETH_IPV6);
	ipv6_udp(&p, V6_DOC, V6_DOC, 53, 53, 16);
	emit(&p);
}

static void gen_mpls(void)
{
	struct pkt p;

	reset(&p);                               /* one label */
	eth(&p, MAC_B, MAC_A, ETH_MPLS);
	mpls(&p, 100, true);
	ipv4_tcp(&p, 5, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 40000, 80, SYN);
	emit(&p);
	reset(&p);                               /* two labels */
	eth(&p, MAC_B, MAC_A, ETH_MPLS);
	mpls(&p, 12345, false);
	mpls(&p, 6789, true);
	ipv4_udp(&p, IP4(1, 2, 3, 4), IP4(10, 0, 1, 9), 1000, 53, 8);
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_MPLS);
	mpls(&p, 12345, true);
	ipv4_tcp(&p, 5, IP4(1, 2, 3, 4), IP4(192, 0, 2, 20), 40000, 25, SYN);
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_MPLS);
	mpls(&p, 12345, true);
	ipv6_tcp(&p, "1234:5678:9abc::123", V6_DOC, 40000, 80, SYN);
	emit(&p);
	reset(&p);                               /* MPLS multicast ethertype */
	eth(&p, MAC_V4MC_1, MAC_A, ETH_MPLS_MC);
	mpls(&p, 100, true);
	ipv4_udp(&p, IP4(10, 0, 0, 2), IP4(224, 0, 0, 1), 1000, 7, 8);
	emit(&p);
}

static void gen_pppoe(void)
{
	struct pkt p;
	size_t s;

	/* Discovery: PADI (broadcast) with Service-Name and Host-Uniq tags, then a PADO */
	reset(&p);
	eth(&p, MAC_BCAST, MAC_A, ETH_PPPOE_DISC);
	s = pppoe_begin(&p, 0x09, 0);
	put16(&p, 0x0101);
	put16(&p, 0);
	put16(&p, 0x0103);
	put16(&p, 4);
	put32(&p, 0xdeadbeef);
	pppoe_end(&p, s);
	emit(&p);
	reset(&p);
	eth(&p, MAC_A, MAC_B, ETH_PPPOE_DISC);
	s = pppoe_begin(&p, 0x07, 0);
	put16(&p, 0x0101);
	put16(&p, 0);
	pppoe_end(&p, s);
	pad_to(&p, 60);
	emit(&p);

	/* Session: IPv4, IPv6, MPLS and LCP inside PPP (sessions 1234 and 0x3b as in the corpus) */
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_PPPOE_SESS);
	s = pppoe_begin(&p, 0, 1234);
	put16(&p, 0x0021);
	ipv4_tcp(&p, 5, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 40000, 80, SYN);
	pppoe_end(&p, s);
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_PPPOE_SESS);
	s = pppoe_begin(&p, 0, 1234);
	put16(&p, 0x0057);
	ipv6_udp(&p, V6_LL_A, V6_LL_B, 546, 547, 8);
	pppoe_end(&p, s);
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_PPPOE_SESS);
	s = pppoe_begin(&p, 0, 1234);
	put16(&p, 0x0281);
	mpls(&p, 123, true);
	ipv4_udp(&p, IP4(1, 2, 3, 4), IP4(10, 0, 0, 2), 1000, 53, 8);
	pppoe_end(&p, s);
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_PPPOE_SESS);
	s = pppoe_begin(&p, 0, 0x3b);
	put16(&p, 0xc021);
	put8(&p, 9);   /* echo request */
	put8(&p, 1);
	put16(&p, 8);
	put32(&p, 0x01020304);
	pppoe_end(&p, s);
	pad_to(&p, 60);
	emit(&p);
}

static void gen_llc(void)
{
	/* LLC control fields: I, S (RR, RNR, REJ) and U (UI, UA, DISC, DM, SABME, TEST, XID, FRMR) */
	static const unsigned ctrls[] = { 0x00, 0x01, 0x05, 0x09, 0x03, 0x63, 0x43, 0x0f, 0x6f, 0xe3,
					  0xaf, 0x87 };
	/* IS-IS PDU types and fixed header lengths: L1/L2/p2p hello, L1/L2 LSP, L1/L2 CSNP,
	 * L1/L2 PSNP */
	static const unsigned isis_types[][2] = { { 0x0f, 27 }, { 0x10, 27 }, { 0x11, 20 }, { 0x12, 27 },
						  { 0x14, 27 }, { 0x18, 33 }, { 0x19, 33 }, { 0x1a, 17 },
						  { 0x1b, 17 } };
	struct pkt p;
	size_t lf;

	/* STP configuration BPDU to the bridge group address */
	reset(&p);
	lf = eth_8023(&p, MAC_STP, MAC_A);
	llc(&p, 0x42, 0x42, 0x03);
	put16(&p, 0);          /* protocol id */
	put8(&p, 0);           /* version */
	put8(&p, 0);           /* configuration BPDU */
	put8(&p, 0);           /* flags */
	put16(&p, 0x8000);     /* root id */
	put_bytes(&p, MAC_A, 6);
	put32(&p, 4);          /* root path cost */
	put16(&p, 0x8000);     /* bridge id */
	put_bytes(&p, MAC_A, 6);
	put16(&p, 0x8001);     /* port id */
	put16(&p, 0);
	put16(&p, 20 << 8);
	put16(&p, 2 << 8);
	put16(&p, 15 << 8);
	len_field_end(&p, lf);
	pad_to(&p, 60);
	emit(&p);

	/* NetBEUI (F0/F0) with every control field kind */
	for (size_t i = 0; i < sizeof(ctrls) / sizeof(ctrls[0]); i++) {
		reset(&p);
		lf = eth_8023(&p, i % 2 ? MAC_B : MAC_BCAST, MAC_A);
		llc(&p, 0xf0, 0xf0, ctrls[i]);
		if ((ctrls[i] & 0x03) != 0x03)
			put8(&p, 0x02); /* I and S frames have a 2-byte control field */
		put_payload(&p, 20);
		len_field_end(&p, lf);
		pad_to(&p, 60);
		emit(&p);
	}

	/* LLC SAPs 0x06 (IP) and 0x00 (null), which "ether proto 6" and "link proto 0" test */
	for (unsigned sap = 0; sap <= 6; sap += 6) {
		reset(&p);
		lf = eth_8023(&p, MAC_B, MAC_A);
		llc(&p, sap, sap, 0x03);
		put_payload(&p, 40);
		len_field_end(&p, lf);
		emit(&p);
	}

	/* IPX: 802.2 (E0/E0) and Novell raw 802.3 (0xffff right after the length) */
	reset(&p);
	lf = eth_8023(&p, MAC_BCAST, MAC_A);
	llc(&p, 0xe0, 0xe0, 0x03);
	put16(&p, 0xffff);
	put16(&p, 30);
	put_fill(&p, 0, 26);
	len_field_end(&p, lf);
	emit(&p);
	reset(&p);
	lf = eth_8023(&p, MAC_BCAST, MAC_A);
	put16(&p, 0xffff);
	put16(&p, 30);
	put_fill(&p, 0, 26);
	len_field_end(&p, lf);
	emit(&p);

	/* ISO: CLNP, ES-IS and IS-IS over LLC FE/FE */
	for (size_t i = 0; i < 2 + sizeof(isis_types) / sizeof(isis_types[0]); i++) {
		reset(&p);
		lf = eth_8023(&p, MAC_B, MAC_A);
		llc(&p, 0xfe, 0xfe, 0x03);
		if (i < 2) {
			put8(&p, i == 0 ? 0x81 : 0x82);
			put_fill(&p, 0, 20);
		} else {
			put8(&p, 0x83);    /* IS-IS */
			put8(&p, isis_types[i - 2][1]);
			put8(&p, 1);       /* version */
			put8(&p, 0);       /* id length */
			put8(&p, isis_types[i - 2][0]);
			put8(&p, 1);
			put8(&p, 0);
			put8(&p, 0);
			put_fill(&p, 0, isis_types[i - 2][1] - 8);
		}
		len_field_end(&p, lf);
		pad_to(&p, 60);
		emit(&p);
	}

	/* SNAP: RFC 1042 IPv4, AppleTalk phase 2, AARP, Cisco CDP */
	reset(&p);
	lf = eth_8023(&p, MAC_B, MAC_A);
	snap(&p, 0, ETH_IPV4);
	ipv4_udp(&p, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 1000, 53, 8);
	len_field_end(&p, lf);
	emit(&p);
	reset(&p);
	lf = eth_8023(&p, MAC_B, MAC_A);
	snap(&p, 0x080007, 0x809b);
	put_fill(&p, 0x11, 20);
	len_field_end(&p, lf);
	pad_to(&p, 60);
	emit(&p);
	reset(&p);
	lf = eth_8023(&p, MAC_BCAST, MAC_A);
	snap(&p, 0, 0x80f3);
	put_fill(&p, 0x22, 28);
	len_field_end(&p, lf);
	pad_to(&p, 60);
	emit(&p);
	reset(&p);
	lf = eth_8023(&p, MAC_CDP, MAC_A);
	snap(&p, 0x00000c, 0x2000);
	put_payload(&p, 30);
	len_field_end(&p, lf);
	emit(&p);
}

static void gen_other_ethertypes(void)
{
	/* AARP, AppleTalk, IPX, LAT, MOP DL, MOP RC, SCA, loopback, LLDP, a local experimental type,
	 * and ethertype-like values <= 1500 that libpcap reads as 802.3 lengths */
	static const unsigned types[] = { 0x80f3, 0x809b, 0x8137, 0x6004, 0x6001, 0x6002, 0x6007,
					  0x9000, 0x88cc, 0x88b5, 0x0600, 0xffff, 0x0006, 0x05dc, 0x05dd };
	struct pkt p;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		reset(&p);
		eth(&p, types[i] == 0x88cc ? MAC_LLDP : (i % 3 == 0 ? MAC_BCAST : MAC_D),
		    i % 2 ? MAC_E : MAC_F, types[i]);
		put_payload(&p, 46);
		emit(&p);
	}

	/* Unusual addresses: a destination starting with zero bytes, ether[7:2] == 0x1234 and
	 * ether[10:4] == 0x12345678, ether[8] == 5, 12:34:56:78:9a:bc as source, the same MAC as
	 * source and destination */
	static const uint8_t mac_zero1[6] = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };
	static const uint8_t mac_1234[6] = { 0x00, 0x12, 0x34, 0x00, 0x12, 0x34 };
	static const uint8_t mac_byte8[6] = { 0x02, 0x00, 0x05, 0x5e, 0x10, 0x01 };
	static const uint8_t mac_d6[6] = { 0xd6, 0xc5, 0x28, 0x21, 0x3e, 0xaf };
	reset(&p);
	eth(&p, mac_zero1, MAC_A, ETH_IPV4);
	ipv4_udp(&p, IP4(10, 0, 0, 2), IP4(10, 0, 1, 7), 1000, 7, 18);
	emit(&p);
	reset(&p);
	eth(&p, MAC_A, mac_1234, 0x5678);
	put_payload(&p, 46);
	emit(&p);
	reset(&p);
	eth(&p, mac_d6, mac_byte8, ETH_IPV4);
	ipv4_tcp(&p, 5, IP4(192, 168, 1, 4), IP4(192, 168, 170, 211), 40000, 80, SYN);
	pad_to(&p, 60);
	emit(&p);
	reset(&p);
	eth(&p, MAC_E, MAC_D, ETH_IPV4);
	ipv4_udp(&p, IP4(192, 168, 1, 4), IP4(192, 168, 1, 1), 7, 7, 18);
	emit(&p);
	reset(&p);
	eth(&p, MAC_E, MAC_E, ETH_IPV4);
	ipv4_udp(&p, IP4(192, 0, 2, 20), IP4(192, 0, 2, 20), 7, 7, 18);
	emit(&p);

	/* DECnet: short format (dst at 17, src at 19), padded short format, long format; the
	 * corpus names 50.764 (= 0xcafc), 1.1 (= 0x0401) and 63.1023 (= 0xffff), stored
	 * little-endian; pairs are {dst, src} */
	static const unsigned dn_addrs[][2] = { { 0xcafc, 0x0401 }, { 0x0401, 0xcafc }, { 0xffff, 0xffff } };
	for (size_t i = 0; i < 3; i++) {
		unsigned dst = dn_addrs[i][0], src = dn_addrs[i][1];

		reset(&p);              /* short */
		eth(&p, MAC_D, MAC_E, 0x6003);
		put16(&p, 0x0700);      /* length, little-endian */
		put8(&p, 0x02);
		put8(&p, dst & 0xff);
		put8(&p, dst >> 8);
		put8(&p, src & 0xff);
		put8(&p, src >> 8);
		put8(&p, 0);
		pad_to(&p, 60);
		emit(&p);
		reset(&p);              /* one pad byte */
		eth(&p, MAC_D, MAC_E, 0x6003);
		put16(&p, 0x0800);
		put8(&p, 0x81);
		put8(&p, 0x02);
		put8(&p, dst & 0xff);
		put8(&p, dst >> 8);
		put8(&p, src & 0xff);
		put8(&p, src >> 8);
		put8(&p, 0);
		pad_to(&p, 60);
		emit(&p);
		reset(&p);              /* long: area, subarea, 6-byte ids ending in the address */
		eth(&p, MAC_D, MAC_E, 0x6003);
		put16(&p, 0x1500);
		put8(&p, 0x06);
		put16(&p, 0);
		put32(&p, 0xaa000400);
		put8(&p, dst & 0xff);
		put8(&p, dst >> 8);
		put16(&p, 0);
		put32(&p, 0xaa000400);
		put8(&p, src & 0xff);
		put8(&p, src >> 8);
		put_fill(&p, 0, 3);
		pad_to(&p, 60);
		emit(&p);
	}
}

/* ------------------------------------------------------------------------------------------------
 * Group 2: IPv4
 */

static const struct { uint32_t src, dst; } v4_pairs[] = {
	{ IP4(10, 0, 0, 2), IP4(192, 168, 170, 211) },
	{ IP4(192, 168, 1, 1), IP4(172, 17, 89, 30) },
	{ IP4(192, 0, 2, 20), IP4(192, 0, 2, 20) },
	{ IP4(10, 0, 1, 7), IP4(1, 2, 3, 4) },
	{ IP4(192, 1, 2, 23), IP4(192, 1, 2, 254) },
	{ IP4(172, 16, 5, 4), IP4(172, 31, 0, 9) },
	{ IP4(192, 168, 1, 4), IP4(10, 0, 1, 200) },
};
#define V4_PAIRS (sizeof(v4_pairs) / sizeof(v4_pairs[0]))

static void gen_ipv4_tcp_udp(void)
{
	static const unsigned tcp_ports[] = { 80, 443, 22, 25, 53, 7 };
	static const unsigned flag_sets[] = { SYN, SYN | ACK, ACK, PSH | ACK, FIN | ACK, RST,
					      SYN | ECE | CWR, URG | ACK };
	static const unsigned udp_ports[] = { 53, 7, 123, 5353 };
	struct pkt p;
	unsigned k = 0;

	/* TCP: every address pair to every port, the flags rotating; half of them are answers */
	for (size_t i = 0; i < V4_PAIRS; i++) {
		for (size_t j = 0; j < sizeof(tcp_ports) / sizeof(tcp_ports[0]); j++, k++) {
			unsigned eph = 40000 + k, flags = flag_sets[k % 8];
			bool reply = (i + j) % 2 == 1;

			reset(&p);
			eth(&p, reply ? MAC_A : MAC_B, reply ? MAC_B : MAC_A, ETH_IPV4);
			if (reply)
				ipv4_tcp(&p, 5, v4_pairs[i].dst, v4_pairs[i].src, tcp_ports[j], eph, flags);
			else
				ipv4_tcp(&p, 5, v4_pairs[i].src, v4_pairs[i].dst, eph, tcp_ports[j], flags);
			emit(&p);
		}
	}
	/* TCP with options and a payload */
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV4);
	{
		size_t ip = ipv4_begin(&p, 5, P_TCP, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 0x4000);
		tcp_hdr(&p, 40000, 80, PSH | ACK, 8);
		put_payload(&p, 40);
		ipv4_end(&p, ip);
	}
	emit(&p);

	/* UDP: a few pairs and ports, both directions */
	for (size_t i = 0; i < V4_PAIRS; i += 2) {
		for (size_t j = 0; j < sizeof(udp_ports) / sizeof(udp_ports[0]); j++) {
			reset(&p);
			eth(&p, MAC_C, MAC_A, ETH_IPV4);
			if ((i / 2 + j) % 2)
				ipv4_udp(&p, v4_pairs[i].dst, v4_pairs[i].src, udp_ports[j], 33000 + (unsigned)j, 12);
			else
				ipv4_udp(&p, v4_pairs[i].src, v4_pairs[i].dst, 33000 + (unsigned)j, udp_ports[j], 12);
			emit(&p);
		}
	}

	/* DHCP: discover from 0.0.0.0:68 to the broadcast, offer from 192.168.1.1:67 */
	reset(&p);
	eth(&p, MAC_BCAST, MAC_C, ETH_IPV4);
	ipv4_udp(&p, 0, IP4(255, 255, 255, 255), 68, 67, 48);
	emit(&p);
	reset(&p);
	eth(&p, MAC_BCAST, MAC_A, ETH_IPV4);
	ipv4_udp(&p, IP4(192, 168, 1, 1), IP4(255, 255, 255, 255), 67, 68, 48);
	emit(&p);
}

static void gen_ipv4_other(void)
{
	static const unsigned icmp_types[][2] = { { 8, 0 }, { 0, 0 }, { 3, 1 }, { 3, 3 }, { 4, 0 },
						   { 5, 1 }, { 11, 0 }, { 9, 0 }, { 13, 0 }, { 0, 1 } };
	struct pkt p;
	size_t ip, u;

	/* ICMP */
	for (size_t i = 0; i < sizeof(icmp_types) / sizeof(icmp_types[0]); i++) {
		reset(&p);
		eth(&p, MAC_B, MAC_A, ETH_IPV4);
		ip = ipv4_begin(&p, 5, P_ICMP, v4_pairs[i % V4_PAIRS].src, v4_pairs[i % V4_PAIRS].dst, 0);
		icmp(&p, icmp_types[i][0], icmp_types[i][1]);
		ipv4_end(&p, ip);
		emit(&p);
	}

	/* IGMP: v2 report and query to multicast groups, with the router alert option (IHL 6) */
	reset(&p);
	eth(&p, MAC_V4MC_16, MAC_A, ETH_IPV4);
	ip = ipv4_begin(&p, 6, P_IGMP, IP4(192, 168, 1, 4), IP4(224, 0, 0, 22), 0);
	put8(&p, 0x16);
	put8(&p, 0);
	put16(&p, 0);
	put32(&p, IP4(224, 0, 0, 22));
	ipv4_end(&p, ip);
	emit(&p);
	reset(&p);
	eth(&p, MAC_V4MC_1, MAC_B, ETH_IPV4);
	ip = ipv4_begin(&p, 5, P_IGMP, IP4(192, 168, 1, 1), IP4(224, 0, 0, 1), 0);
	put8(&p, 0x11);
	put8(&p, 100);
	put16(&p, 0);
	put32(&p, 0);
	ipv4_end(&p, ip);
	pad_to(&p, 60);
	emit(&p);

	/* SCTP: the corpus' 5672, port 7, a port in 1-1023 */
	static const unsigned sctp_ports[][2] = { { 40000, 5672 }, { 5672, 40000 }, { 7, 7 }, { 2000, 1000 } };
	for (size_t i = 0; i < 4; i++) {
		reset(&p);
		eth(&p, MAC_B, MAC_A, ETH_IPV4);
		ip = ipv4_begin(&p, 5, P_SCTP, v4_pairs[i].src, v4_pairs[i].dst, 0);
		sctp(&p, sctp_ports[i][0], sctp_ports[i][1]);
		ipv4_end(&p, ip);
		emit(&p);
	}

	/* GRE carrying IPv4 ICMP */
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV4);
	ip = ipv4_begin(&p, 5, P_GRE, IP4(192, 0, 2, 20), IP4(172, 17, 89, 30), 0);
	put16(&p, 0);
	put16(&p, ETH_IPV4);
	{
		size_t inner = ipv4_begin(&p, 5, P_ICMP, IP4(10, 0, 0, 2), IP4(10, 0, 1, 7), 0);
		icmp(&p, 8, 0);
		ipv4_end(&p, inner);
	}
	ipv4_end(&p, ip);
	emit(&p);

	/* ESP; AH before TCP and before UDP; AH before AH before TCP */
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV4);
	ip = ipv4_begin(&p, 5, P_ESP, IP4(192, 1, 2, 23), IP4(192, 1, 2, 254), 0);
	put32(&p, 0x00001001);
	put32(&p, 7);
	put_fill(&p, 0x3c, 32);
	ipv4_end(&p, ip);
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV4);
	ip = ipv4_begin(&p, 5, P_AH, IP4(192, 1, 2, 23), IP4(192, 1, 2, 254), 0);
	ah(&p, P_TCP);
	tcp(&p, 40000, 80, SYN);
	ipv4_end(&p, ip);
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV4);
	ip = ipv4_begin(&p, 5, P_AH, IP4(10, 0, 0, 2), IP4(1, 2, 3, 4), 0);
	ah(&p, P_UDP);
	u = udp_begin(&p, 33000, 53);
	put_payload(&p, 8);
	udp_end(&p, u);
	ipv4_end(&p, ip);
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV4);
	ip = ipv4_begin(&p, 5, P_AH, IP4(10, 0, 0, 2), IP4(1, 2, 3, 4), 0);
	ah(&p, P_AH);
	ah(&p, P_TCP);
	tcp(&p, 40000, 22, SYN);
	ipv4_end(&p, ip);
	emit(&p);

	/* IP in IP (4) and IPv6 in IP (41) */
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV4);
	ip = ipv4_begin(&p, 5, P_IPIP, IP4(192, 0, 2, 20), IP4(172, 17, 89, 30), 0);
	ipv4_udp(&p, IP4(10, 0, 0, 2), IP4(10, 0, 1, 7), 33000, 53, 8);
	ipv4_end(&p, ip);
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV4);
	ip = ipv4_begin(&p, 5, P_IPV6, IP4(192, 0, 2, 20), IP4(172, 17, 89, 30), 0);
	ipv6_udp(&p, V6_DOC, V6_LL_B, 33000, 53, 8);
	ipv4_end(&p, ip);
	emit(&p);

	/* Routing and redundancy protocols the corpus has keywords for: PIM, VRRP (v2 and v3,
	 * priority 191), CARP (same protocol number, checksum > 0xb000), IGRP, EIGRP, IPComp */
	reset(&p);
	eth(&p, MAC_V4MC_D, MAC_A, ETH_IPV4);
	ip = ipv4_begin(&p, 5, P_PIM, IP4(10, 0, 0, 2), IP4(224, 0, 0, 13), 0);
	put32(&p, 0x20000000);
	put_fill(&p, 0, 8);
	ipv4_end(&p, ip);
	emit(&p);
	static const uint8_t vrrp_hdrs[][8] = {
		{ 0x21, 1, 100, 1, 0, 1, 0x12, 0x34 },
		{ 0x31, 2, 191, 1, 0, 1, 0x12, 0x34 },
		{ 0x21, 3, 50, 1, 1, 1, 0xb1, 0x23 },
	};
	for (size_t i = 0; i < 3; i++) {
		reset(&p);
		eth(&p, MAC_V4MC_12, MAC_A, ETH_IPV4);
		ip = ipv4_begin(&p, 5, P_VRRP, IP4(192, 168, 1, 1), IP4(224, 0, 0, 18), 0);
		put_bytes(&p, vrrp_hdrs[i], 8);
		put32(&p, IP4(192, 168, 1, 254));
		ipv4_end(&p, ip);
		emit(&p);
	}
	static const unsigned misc_protos[] = { P_IGRP, P_EIGRP, P_IPCOMP, 253 };
	for (size_t i = 0; i < 4; i++) {
		reset(&p);
		eth(&p, MAC_B, MAC_A, ETH_IPV4);
		ip = ipv4_begin(&p, 5, misc_protos[i], v4_pairs[i].src, v4_pairs[i].dst, 0);
		put_payload(&p, 24);
		ipv4_end(&p, ip);
		emit(&p);
	}

	/* Multicast and broadcast destinations */
	reset(&p);
	eth(&p, MAC_V4MC_FB, MAC_A, ETH_IPV4);
	ipv4_udp(&p, IP4(192, 168, 1, 4), IP4(224, 0, 0, 251), 5353, 5353, 20);
	emit(&p);
	reset(&p);
	eth(&p, MAC_V4MC_1, MAC_A, ETH_IPV4);
	ip = ipv4_begin(&p, 5, P_ICMP, IP4(10, 0, 0, 2), IP4(224, 0, 0, 1), 0);
	icmp(&p, 8, 0);
	ipv4_end(&p, ip);
	emit(&p);
	reset(&p);
	eth(&p, MAC_BCAST, MAC_A, ETH_IPV4);
	ipv4_udp(&p, IP4(192, 168, 1, 4), IP4(255, 255, 255, 255), 137, 137, 20);
	emit(&p);
	reset(&p);        /* multicast IP inside a unicast frame, and the reverse */
	eth(&p, MAC_B, MAC_A, ETH_IPV4);
	ipv4_udp(&p, IP4(10, 0, 0, 2), IP4(239, 1, 2, 3), 1000, 1000, 8);
	emit(&p);
	reset(&p);
	eth(&p, MAC_V4MC_1, MAC_A, ETH_IPV4);
	ipv4_tcp(&p, 5, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 40000, 80, SYN);
	emit(&p);
}

/* ------------------------------------------------------------------------------------------------
 * Group 3: IPv6
 */

static void gen_ipv6(void)
{
	static const struct { const char *src, *dst; } pairs[] = {
		{ V6_LL_A, V6_LL_B },
		{ V6_LOOP, V6_LOOP },
		{ V6_DOC, V6_DOC },
		{ V6_LL_C, "ff02::12" },
		{ "10::1", "10::1" },
		{ "2001:db8::5", "ff11:2233:4455:6677:8899:aabb:ccdd:ee01" },
		{ "abcd:e0e1:e3e4:e5e6:e7e8:e9ea:c7c8:1", "abcd:e0e1:e3e4:e5e6:e7e8:e9ea:c7c8:2" },
		{ V6_DOC, V6_LL_B },
		{ "::10.0.0.2", "::ffff:192.168.170.211" },
	};
	static const unsigned tcp_ports[] = { 80, 22, 443 };
	static const unsigned icmp6_types[][2] = { { 128, 0 }, { 129, 0 }, { 1, 4 }, { 2, 0 }, { 3, 0 },
						    { 4, 1 }, { 133, 0 }, { 136, 0 } };
	const size_t npairs = sizeof(pairs) / sizeof(pairs[0]);
	struct pkt p;
	size_t ip, u;

	for (size_t i = 0; i < npairs; i++) {
		bool mc = pairs[i].dst[0] == 'f' && pairs[i].dst[1] == 'f';
		const uint8_t *dmac = mc ? MAC_V6MC_12 : MAC_B;

		for (size_t j = 0; j < 3; j++) {
			reset(&p);
			eth(&p, dmac, MAC_A, ETH_IPV6);
			if (j % 2)
				ipv6_tcp(&p, pairs[i].dst, pairs[i].src, tcp_ports[j], 50000 + (unsigned)j, SYN | ACK);
			else
				ipv6_tcp(&p, pairs[i].src, pairs[i].dst, 50000 + (unsigned)j, tcp_ports[j], SYN);
			emit(&p);
		}
		reset(&p);
		eth(&p, dmac, MAC_A, ETH_IPV6);
		ipv6_udp(&p, pairs[i].src, pairs[i].dst, 33000, i % 2 ? 7 : 53, 16);
		emit(&p);
	}

	/* ICMPv6: echo, errors, router solicitation, neighbor advertisement, neighbor solicitation */
	for (size_t i = 0; i < sizeof(icmp6_types) / sizeof(icmp6_types[0]); i++) {
		reset(&p);
		eth(&p, icmp6_types[i][0] == 133 ? MAC_V6MC_2 : MAC_B, MAC_A, ETH_IPV6);
		ip = ipv6_begin(&p, P_ICMPV6, pairs[i % npairs].src,
				icmp6_types[i][0] == 133 ? "ff02::2" : pairs[i % npairs].dst);
		icmp(&p, icmp6_types[i][0], icmp6_types[i][1]);
		ipv6_end(&p, ip);
		emit(&p);
	}
	reset(&p);
	eth(&p, MAC_V6MC_NS, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_ICMPV6, V6_LL_A, "ff02::1:ffaa:bbcc");
	put8(&p, 135);
	put8(&p, 0);
	put16(&p, 0);
	put32(&p, 0);
	put_ip6(&p, V6_LL_B);
	put8(&p, 1);      /* source link-layer address option */
	put8(&p, 1);
	put_bytes(&p, MAC_A, 6);
	ipv6_end(&p, ip);
	emit(&p);
	reset(&p);
	eth(&p, MAC_V6MC_1, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_ICMPV6, V6_LL_A, "ff02::1");
	icmp(&p, 128, 0);
	ipv6_end(&p, ip);
	emit(&p);

	/* Multicast: mDNS, VRRPv3 to ff02::12, PIM, SCTP */
	reset(&p);
	eth(&p, MAC_V6MC_FB, MAC_A, ETH_IPV6);
	ipv6_udp(&p, V6_LL_A, "ff02::fb", 5353, 5353, 20);
	emit(&p);
	reset(&p);
	eth(&p, MAC_V6MC_12, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_VRRP, V6_LL_C, "ff02::12");
	put32(&p, 0x31016401);
	put_ip6(&p, V6_LL_C);
	ipv6_end(&p, ip);
	emit(&p);
	reset(&p);
	eth(&p, MAC_V6MC_12, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_PIM, V6_LL_A, "ff02::d");
	put32(&p, 0x20000000);
	put_fill(&p, 0, 8);
	ipv6_end(&p, ip);
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_SCTP, V6_DOC, V6_LL_B);
	sctp(&p, 40000, 5672);
	ipv6_end(&p, ip);
	emit(&p);

	/* Extension header chains */
	reset(&p);                                  /* hop-by-hop -> TCP */
	eth(&p, MAC_B, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_HOPOPTS, V6_LL_A, V6_LL_B);
	ip6_options(&p, P_TCP, 0);
	tcp(&p, 40000, 80, SYN);
	ipv6_end(&p, ip);
	emit(&p);
	reset(&p);                                  /* hop-by-hop (16 bytes) -> UDP */
	eth(&p, MAC_B, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_HOPOPTS, V6_DOC, V6_DOC);
	ip6_options(&p, P_UDP, 1);
	u = udp_begin(&p, 33000, 53);
	put_payload(&p, 8);
	udp_end(&p, u);
	ipv6_end(&p, ip);
	emit(&p);
	reset(&p);                                  /* routing -> TCP */
	eth(&p, MAC_B, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_ROUTING, V6_LL_A, V6_LL_B);
	ip6_routing(&p, P_TCP);
	tcp(&p, 40000, 443, SYN);
	ipv6_end(&p, ip);
	emit(&p);
	reset(&p);                                  /* first fragment -> UDP */
	eth(&p, MAC_B, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_FRAGMENT, V6_LL_A, V6_LL_B);
	ip6_fragment(&p, P_UDP, 0, true);
	u = udp_begin(&p, 33000, 53);
	put_payload(&p, 16);
	udp_end(&p, u);
	ipv6_end(&p, ip);
	emit(&p);
	reset(&p);                                  /* later fragment, UDP-looking bytes */
	eth(&p, MAC_B, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_FRAGMENT, V6_LL_A, V6_LL_B);
	ip6_fragment(&p, P_UDP, 185, false);
	u = udp_begin(&p, 33000, 53);
	put_payload(&p, 16);
	udp_end(&p, u);
	ipv6_end(&p, ip);
	emit(&p);
	reset(&p);                                  /* destination options -> TCP */
	eth(&p, MAC_B, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_DSTOPTS, V6_LOOP, V6_LOOP);
	ip6_options(&p, P_TCP, 0);
	tcp(&p, 40000, 22, SYN);
	ipv6_end(&p, ip);
	emit(&p);
	reset(&p);                                  /* AH -> TCP */
	eth(&p, MAC_B, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_AH, V6_LL_A, V6_LL_B);
	ah(&p, P_TCP);
	tcp(&p, 40000, 80, SYN);
	ipv6_end(&p, ip);
	emit(&p);
	reset(&p);                                  /* AH -> UDP, loopback addresses */
	eth(&p, MAC_B, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_AH, V6_LOOP, V6_LOOP);
	ah(&p, P_UDP);
	u = udp_begin(&p, 33000, 53);
	put_payload(&p, 8);
	udp_end(&p, u);
	ipv6_end(&p, ip);
	emit(&p);
	reset(&p);                                  /* HBH -> DST -> routing -> fragment -> AH -> TCP */
	eth(&p, MAC_B, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_HOPOPTS, V6_DOC, V6_LL_B);
	ip6_options(&p, P_DSTOPTS, 0);
	ip6_options(&p, P_ROUTING, 0);
	ip6_routing(&p, P_FRAGMENT);
	ip6_fragment(&p, P_AH, 0, false);
	ah(&p, P_TCP);
	tcp(&p, 40000, 80, SYN);
	ipv6_end(&p, ip);
	emit(&p);
	reset(&p);                                  /* HBH -> DST -> UDP */
	eth(&p, MAC_B, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_HOPOPTS, V6_LL_C, "ff02::12");
	ip6_options(&p, P_DSTOPTS, 0);
	ip6_options(&p, P_UDP, 0);
	u = udp_begin(&p, 33000, 7);
	put_payload(&p, 8);
	udp_end(&p, u);
	ipv6_end(&p, ip);
	emit(&p);
	reset(&p);                                  /* HBH with router alert -> ICMPv6 MLDv2 report */
	eth(&p, MAC_V6MC_16, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_HOPOPTS, V6_LL_A, "ff02::16");
	put8(&p, P_ICMPV6);
	put8(&p, 0);
	put8(&p, 5);     /* router alert */
	put8(&p, 2);
	put16(&p, 0);
	put8(&p, 1);     /* PadN */
	put8(&p, 0);
	icmp(&p, 143, 0);
	ipv6_end(&p, ip);
	emit(&p);
	/* No next header, IPv6 in IPv6, IPv4 in IPv6, IPComp */
	static const unsigned nhs[] = { P_NONE, P_IPV6, P_IPIP, P_IPCOMP };
	for (size_t i = 0; i < 4; i++) {
		reset(&p);
		eth(&p, MAC_B, MAC_A, ETH_IPV6);
		ip = ipv6_begin(&p, nhs[i], V6_DOC, V6_LL_B);
		if (nhs[i] == P_IPV6)
			ipv6_udp(&p, V6_LL_A, V6_LL_B, 33000, 53, 8);
		else if (nhs[i] == P_IPIP)
			ipv4_udp(&p, IP4(10, 0, 0, 2), IP4(1, 2, 3, 4), 33000, 53, 8);
		else
			put_payload(&p, 16);
		ipv6_end(&p, ip);
		emit(&p);
	}
}

/* ------------------------------------------------------------------------------------------------
 * Group 4: tunnels
 */

/* Inner frame of a tunnel: Ethernet + IPv4 + TCP */
static void inner_eth_ipv4_tcp(struct pkt *p, unsigned sport, unsigned dport)
{
	eth(p, MAC_E, MAC_D, ETH_IPV4);
	ipv4_tcp(p, 5, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), sport, dport, SYN);
}

static void build_vxlan(struct pkt *p, uint32_t vni)
{
	size_t ip, u;

	eth(p, MAC_B, MAC_A, ETH_IPV4);
	ip = ipv4_begin(p, 5, P_UDP, IP4(192, 0, 2, 20), IP4(172, 17, 89, 30), 0);
	u = udp_begin(p, 49152, 4789);
	vxlan(p, vni);
	inner_eth_ipv4_tcp(p, 40000, 80);
	udp_end(p, u);
	ipv4_end(p, ip);
}

/* Geneve over IPv4 carrying Ethernet + IPv4 + TCP with the given source port */
static void build_geneve(struct pkt *p, uint32_t vni, unsigned optlen4, unsigned version,
			 unsigned inner_sport)
{
	size_t ip, u;

	eth(p, MAC_B, MAC_A, ETH_IPV4);
	ip = ipv4_begin(p, 5, P_UDP, IP4(192, 0, 2, 20), IP4(172, 17, 89, 30), 0);
	u = udp_begin(p, 49152, 6081);
	geneve(p, vni, ETH_TEB, optlen4, version);
	inner_eth_ipv4_tcp(p, inner_sport, 80);
	udp_end(p, u);
	ipv4_end(p, ip);
}

static void gen_tunnels(void)
{
	struct pkt p;
	size_t ip, u;

	reset(&p);
	build_vxlan(&p, 100);
	emit(&p);
	reset(&p);
	build_vxlan(&p, 12345);
	emit(&p);

	/* Geneve: the corpus' VNIs 12345, 10, 11; inner TCP from port 22; with an option; and a
	 * version 1 header, which libpcap does not take for Geneve */
	reset(&p);
	build_geneve(&p, 12345, 0, 0, 22);
	emit(&p);
	reset(&p);
	build_geneve(&p, 10, 0, 0, 40000);
	emit(&p);
	reset(&p);
	build_geneve(&p, 11, 3, 0, 22);
	emit(&p);
	reset(&p);
	build_geneve(&p, 12345, 0, 1, 22);
	emit(&p);

	/* Geneve inside Geneve ("geneve and geneve") */
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV4);
	ip = ipv4_begin(&p, 5, P_UDP, IP4(192, 0, 2, 20), IP4(172, 17, 89, 30), 0);
	u = udp_begin(&p, 49152, 6081);
	geneve(&p, 10, ETH_TEB, 0, 0);
	{
		size_t ip2, u2;
		eth(&p, MAC_E, MAC_D, ETH_IPV4);
		ip2 = ipv4_begin(&p, 5, P_UDP, IP4(10, 0, 0, 2), IP4(10, 0, 1, 7), 0);
		u2 = udp_begin(&p, 49153, 6081);
		geneve(&p, 12345, ETH_TEB, 0, 0);
		inner_eth_ipv4_tcp(&p, 22, 80);
		udp_end(&p, u2);
		ipv4_end(&p, ip2);
	}
	udp_end(&p, u);
	ipv4_end(&p, ip);
	emit(&p);

	/* Geneve carrying IPv4 directly (protocol 0x0800) */
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV4);
	ip = ipv4_begin(&p, 5, P_UDP, IP4(192, 0, 2, 20), IP4(172, 17, 89, 30), 0);
	u = udp_begin(&p, 49152, 6081);
	geneve(&p, 10, ETH_IPV4, 0, 0);
	ipv4_tcp(&p, 5, IP4(1, 2, 3, 4), IP4(10, 0, 1, 7), 22, 40000, ACK);
	udp_end(&p, u);
	ipv4_end(&p, ip);
	emit(&p);

	/* Geneve over IPv6 */
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV6);
	ip = ipv6_begin(&p, P_UDP, V6_DOC, V6_LL_B);
	u = udp_begin(&p, 49152, 6081);
	geneve(&p, 12345, ETH_TEB, 0, 0);
	inner_eth_ipv4_tcp(&p, 22, 80);
	udp_end(&p, u);
	ipv6_end(&p, ip);
	emit(&p);
}

/* ------------------------------------------------------------------------------------------------
 * Group 5: IPv4 (and IPv6) oddities
 */

static void gen_odd(void)
{
	struct pkt p;
	size_t ip, u;

	/* Options: IHL 6..15, TCP to port 80 after them (ports must be found with the IHL) */
	for (unsigned ihl = 6; ihl <= 15; ihl++) {
		reset(&p);
		eth(&p, MAC_B, MAC_A, ETH_IPV4);
		ipv4_tcp(&p, ihl, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 40000, 80, SYN);
		emit(&p);
	}
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV4);
	ip = ipv4_begin(&p, 7, P_UDP, IP4(192, 168, 1, 1), IP4(10, 0, 1, 7), 0);
	u = udp_begin(&p, 33000, 53);
	put_payload(&p, 8);
	udp_end(&p, u);
	ipv4_end(&p, ip);
	emit(&p);

	/* Fragments: the first one (MF, offset 0) has real ports; later ones (offset != 0) carry
	 * bytes that look like TCP/UDP port 80/53/7 and an ICMP echo, which filters must not read */
	static const struct { unsigned proto, frag; } frags[] = {
		{ P_TCP, 0x2000 },          /* MF, offset 0 */
		{ P_TCP, 0x2000 | 1 },      /* MF, offset 8 */
		{ P_TCP, 100 },             /* last fragment, offset 800 */
		{ P_UDP, 0x2000 | 0x1fff }, /* largest offset */
		{ P_UDP, 0x4000 },          /* DF only: not a fragment */
		{ P_ICMP, 3 },
		{ P_UDP, 0x8000 | 2 },      /* reserved flag set, offset 16 */
	};
	for (size_t i = 0; i < sizeof(frags) / sizeof(frags[0]); i++) {
		reset(&p);
		eth(&p, MAC_B, MAC_A, ETH_IPV4);
		ip = ipv4_begin(&p, 5, frags[i].proto, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), frags[i].frag);
		if (frags[i].proto == P_TCP)
			tcp(&p, 80, 80, SYN);
		else if (frags[i].proto == P_UDP)
			udp_end(&p, udp_begin(&p, 53, 7));
		else
			icmp(&p, 8, 0);
		ipv4_end(&p, ip);
		emit(&p);
	}

	/* IHL 0..4: the "transport header" overlaps the IP header */
	for (unsigned ihl = 0; ihl < 5; ihl++) {
		reset(&p);
		eth(&p, MAC_B, MAC_A, ETH_IPV4);
		ipv4_tcp(&p, ihl, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 40000, 80, SYN);
		emit(&p);
	}

	/* IHL past the end of the packet, or cutting into the TCP header */
	static const struct { unsigned ihl; size_t payload; } long_ihl[] = {
		{ 15, 8 }, { 10, 20 }, { 8, 20 }, { 6, 0 },
	};
	for (size_t i = 0; i < sizeof(long_ihl) / sizeof(long_ihl[0]); i++) {
		reset(&p);
		eth(&p, MAC_B, MAC_A, ETH_IPV4);
		ip = ipv4_begin(&p, 5, P_TCP, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 0);
		if (long_ihl[i].payload == 20)
			tcp(&p, 40000, 80, SYN);
		else
			put_payload(&p, long_ihl[i].payload);
		ipv4_end(&p, ip);
		p.b[ip] = (uint8_t)(0x40 | long_ihl[i].ihl);
		emit(&p);
	}

	/* Total length larger than the packet, smaller than the header, zero, header only; a
	 * version 6 header under ethertype 0x0800 and a version 4 one under 0x86dd */
	static const unsigned tot_lens[] = { 1500, 10, 0, 20 };
	for (size_t i = 0; i < sizeof(tot_lens) / sizeof(tot_lens[0]); i++) {
		reset(&p);
		eth(&p, MAC_B, MAC_A, ETH_IPV4);
		ipv4_tcp(&p, 5, IP4(192, 168, 1, 1), IP4(172, 17, 89, 30), 40000, 22, SYN);
		set16(&p, 14 + 2, tot_lens[i]);
		emit(&p);
	}
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV4);
	ipv4_tcp(&p, 5, IP4(192, 168, 1, 1), IP4(172, 17, 89, 30), 40000, 22, SYN);
	p.b[14] = 0x65;
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV6);
	ipv6_tcp(&p, V6_LL_A, V6_LL_B, 40000, 80, SYN);
	p.b[14] = 0x45;
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV6);
	ipv6_tcp(&p, V6_LL_A, V6_LL_B, 40000, 80, SYN);
	set16(&p, 14 + 4, 1000);
	emit(&p);
}

/* ------------------------------------------------------------------------------------------------
 * Group 6: long payloads of 0xcd
 */

/* A TCP or UDP header (nothing for other protocols) followed by LONG_PAYLOAD bytes of 0xcd */
static void long_l4(struct pkt *p, unsigned proto)
{
	size_t u = 0;

	if (proto == P_TCP)
		tcp(p, 40000, 80, PSH | ACK);
	else if (proto == P_UDP)
		u = udp_begin(p, 33000, 53);
	put_fill(p, 0xcd, LONG_PAYLOAD);
	if (proto == P_UDP)
		udp_end(p, u);
}

static void gen_long(void)
{
	static const unsigned v4_protos[] = { P_TCP, P_UDP, P_ICMP, P_IGMP, P_SCTP, P_PIM, P_VRRP, P_IGRP };
	static const unsigned v6_protos[] = { P_TCP, P_UDP, P_ICMPV6, P_SCTP };
	static const unsigned ethertypes[] = { ETH_ARP, ETH_RARP, 0x809b, 0x6003, 0x6004, 0x6001, 0x6002,
					       0x6007 };
	struct pkt p;
	size_t ip, u;

	for (size_t i = 0; i < sizeof(v4_protos) / sizeof(v4_protos[0]); i++) {
		reset(&p);
		eth(&p, MAC_B, MAC_A, ETH_IPV4);
		ip = ipv4_begin(&p, 5, v4_protos[i], IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 0);
		long_l4(&p, v4_protos[i]);
		ipv4_end(&p, ip);
		emit(&p);
	}
	for (size_t i = 0; i < sizeof(v6_protos) / sizeof(v6_protos[0]); i++) {
		reset(&p);
		eth(&p, MAC_B, MAC_A, ETH_IPV6);
		ip = ipv6_begin(&p, v6_protos[i], V6_LL_A, V6_LL_B);
		long_l4(&p, v6_protos[i]);
		ipv6_end(&p, ip);
		emit(&p);
	}
	for (size_t i = 0; i < sizeof(ethertypes) / sizeof(ethertypes[0]); i++) {
		reset(&p);
		eth(&p, MAC_BCAST, MAC_A, ethertypes[i]);
		if (ethertypes[i] == ETH_ARP || ethertypes[i] == ETH_RARP)
			arp(&p, ethertypes[i] == ETH_ARP ? 1 : 3, MAC_A, IP4(192, 1, 2, 23), MAC_ZERO,
			    IP4(192, 1, 2, 254));
		put_fill(&p, 0xcd, LONG_PAYLOAD);
		emit(&p);
	}

	/* VLAN TCP and Geneve-encapsulated TCP */
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_VLAN);
	vlan(&p, 10, ETH_IPV4);
	ip = ipv4_begin(&p, 5, P_TCP, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 0);
	long_l4(&p, P_TCP);
	ipv4_end(&p, ip);
	emit(&p);
	reset(&p);
	eth(&p, MAC_B, MAC_A, ETH_IPV4);
	ip = ipv4_begin(&p, 5, P_UDP, IP4(192, 0, 2, 20), IP4(172, 17, 89, 30), 0);
	u = udp_begin(&p, 49152, 6081);
	geneve(&p, 12345, ETH_TEB, 0, 0);
	{
		size_t inner;
		eth(&p, MAC_E, MAC_D, ETH_IPV4);
		inner = ipv4_begin(&p, 5, P_TCP, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 0);
		long_l4(&p, P_TCP);
		ipv4_end(&p, inner);
	}
	udp_end(&p, u);
	ipv4_end(&p, ip);
	emit(&p);
}

/* ------------------------------------------------------------------------------------------------
 * Group 7: every truncation of representative packets
 */

static void rep_ipv4_tcp(struct pkt *p)
{
	eth(p, MAC_B, MAC_A, ETH_IPV4);
	ipv4_tcp(p, 5, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 40000, 80, SYN);
}

static void rep_ipv4_udp(struct pkt *p)
{
	eth(p, MAC_B, MAC_A, ETH_IPV4);
	ipv4_udp(p, IP4(192, 168, 1, 1), IP4(172, 17, 89, 30), 33000, 53, 4);
}

static void rep_ipv4_options(struct pkt *p)
{
	eth(p, MAC_B, MAC_A, ETH_IPV4);
	ipv4_tcp(p, 8, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 40000, 80, SYN);
}

static void rep_ipv6_tcp(struct pkt *p)
{
	eth(p, MAC_B, MAC_A, ETH_IPV6);
	ipv6_tcp(p, V6_LL_A, V6_LL_B, 40000, 80, SYN);
}

static void rep_ipv6_ext(struct pkt *p)
{
	size_t ip;

	eth(p, MAC_B, MAC_A, ETH_IPV6);
	ip = ipv6_begin(p, P_HOPOPTS, V6_DOC, V6_DOC);
	ip6_options(p, P_DSTOPTS, 0);
	ip6_options(p, P_TCP, 0);
	tcp(p, 40000, 80, SYN);
	ipv6_end(p, ip);
}

static void rep_vlan_tcp(struct pkt *p)
{
	eth(p, MAC_B, MAC_A, ETH_VLAN);
	vlan(p, 10, ETH_IPV4);
	ipv4_tcp(p, 5, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 40000, 80, SYN);
}

static void rep_qinq(struct pkt *p)
{
	eth(p, MAC_B, MAC_A, ETH_QINQ);
	vlan(p, 100, ETH_VLAN);
	vlan(p, 5, ETH_IPV4);
	ipv4_tcp(p, 5, IP4(192, 168, 1, 1), IP4(172, 17, 89, 30), 40000, 22, SYN);
}

static void rep_arp(struct pkt *p)
{
	eth(p, MAC_BCAST, MAC_A, ETH_ARP);
	arp(p, 1, MAC_A, IP4(192, 1, 2, 23), MAC_ZERO, IP4(192, 1, 2, 254));
}

static void rep_mpls(struct pkt *p)
{
	eth(p, MAC_B, MAC_A, ETH_MPLS);
	mpls(p, 12345, false);
	mpls(p, 6789, true);
	ipv4_udp(p, IP4(1, 2, 3, 4), IP4(10, 0, 1, 9), 1000, 53, 0);
}

static void rep_pppoe_session(struct pkt *p)
{
	size_t s;

	eth(p, MAC_B, MAC_A, ETH_PPPOE_SESS);
	s = pppoe_begin(p, 0, 1234);
	put16(p, 0x0021);
	ipv4_tcp(p, 5, IP4(10, 0, 0, 2), IP4(192, 168, 170, 211), 40000, 80, SYN);
	pppoe_end(p, s);
}

static void rep_vxlan(struct pkt *p)
{
	build_vxlan(p, 100);
}

static void rep_geneve(struct pkt *p)
{
	build_geneve(p, 12345, 0, 0, 22);
}

static void (*const representatives[])(struct pkt *) = {
	rep_ipv4_tcp, rep_ipv4_udp, rep_ipv4_options, rep_ipv6_tcp, rep_ipv6_ext, rep_vlan_tcp,
	rep_qinq, rep_arp, rep_mpls, rep_pppoe_session, rep_vxlan, rep_geneve,
};

static void gen_truncated(void)
{
	struct pkt p;

	for (size_t i = 0; i < sizeof(representatives) / sizeof(representatives[0]); i++) {
		reset(&p);
		representatives[i](&p);
		for (size_t len = 1; len <= p.n; len++)
			emit_len(&p, len);
	}
}

/* ------------------------------------------------------------------------------------------------
 * Group 8: random bytes
 */

static uint64_t rng;

static uint64_t xorshift64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/*
 * Odd-numbered packets get a forced ethertype (IPv4, IPv6, 802.1Q in turn) and a next-protocol
 * byte from a small list, so that the checks behind "ip", "ip6" and "vlan" pass and the transport
 * and extension header code runs on random bytes.
 */
static void random_packet(struct pkt *p, size_t i)
{
	static const unsigned ethertypes[] = { ETH_IPV4, ETH_IPV6, ETH_VLAN };
	static const unsigned protos[] = { P_TCP, P_UDP, P_ICMP, P_SCTP, P_ICMPV6, P_HOPOPTS,
					   P_FRAGMENT, P_AH };
	static const unsigned inner_types[] = { ETH_IPV4, ETH_IPV6, ETH_VLAN, ETH_MPLS };
	size_t len = 1 + (size_t)(xorshift64() % RANDOM_MAX_LEN);

	reset(p);
	for (size_t k = 0; k < len; k++)
		put8(p, (unsigned)(xorshift64() & 0xff));
	if (i % 2 == 0 || len < 14)
		return;

	unsigned type = ethertypes[(i / 2) % 3];
	unsigned proto = protos[xorshift64() % 8];
	set16(p, 12, type);
	if (type == ETH_IPV4 && len > 23)
		p->b[23] = (uint8_t)proto;
	else if (type == ETH_IPV6 && len > 20)
		p->b[20] = (uint8_t)proto;
	else if (type == ETH_VLAN && len >= 18)
		set16(p, 16, inner_types[xorshift64() % 4]);
}

static void gen_random(void)
{
	struct pkt p;

	for (size_t i = 0; i < RANDOM_PACKETS; i++) {
		do
			random_packet(&p, i);
		while (would_hang_libpcap(p.b, p.n));
		emit(&p);
	}
}

/* ------------------------------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	uint64_t seed = DEFAULT_SEED;
	pcap_t *dead;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: gen_packets OUT.pcap [SEED]\n");
		return 2;
	}
	if (argc == 3) {
		char *end;
		seed = strtoull(argv[2], &end, 0);
		if (*argv[2] == '\0' || *end != '\0') {
			fprintf(stderr, "gen_packets: bad seed '%s'\n", argv[2]);
			return 2;
		}
		if (seed == 0)
			seed = DEFAULT_SEED; /* xorshift64 needs a non-zero state */
	}
	rng = seed;

	dead = pcap_open_dead(DLT_EN10MB, 65535);
	if (!dead)
		die("pcap_open_dead failed");
	dumper = pcap_dump_open(dead, argv[1]);
	if (!dumper) {
		fprintf(stderr, "gen_packets: %s\n", pcap_geterr(dead));
		return 1;
	}

	current_group = GROUP_LINK;
	gen_arp();
	gen_vlan();
	gen_mpls();
	gen_pppoe();
	gen_llc();
	gen_other_ethertypes();

	current_group = GROUP_IPV4;
	gen_ipv4_tcp_udp();
	gen_ipv4_other();

	current_group = GROUP_IPV6;
	gen_ipv6();

	current_group = GROUP_TUNNEL;
	gen_tunnels();

	current_group = GROUP_ODD;
	gen_odd();

	current_group = GROUP_LONG;
	gen_long();

	current_group = GROUP_TRUNCATED;
	gen_truncated();

	current_group = GROUP_RANDOM;
	gen_random();

	if (pcap_dump_flush(dumper) != 0)
		die("cannot write the output file");
	pcap_dump_close(dumper);
	pcap_close(dead);
	printf("gen_packets: %lu packets written to %s\n", written, argv[1]);
	return 0;
}
