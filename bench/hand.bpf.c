/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hand-written variant: each benchmark filter (filters.def) written in
 * plain XDP C, hand_<id>(), and the programs of bench_progs.h around it and
 * around hand_call_<id>(), its noinline copy. No plugin:
 *
 *   clang-19 -target bpf -O2 -g -idirafter /usr/include/x86_64-linux-gnu \
 *            -c hand.bpf.c
 *
 * Each function returns what libpcap's filter returns for the same bytes
 * (MATCH, the snap length, or 0), which the runner checks on every packet of
 * its packet set. That fixes a few things a quick hand filter gets wrong:
 *
 *   - libpcap rejects the packet (returns 0) only when a load runs past the
 *     captured bytes, so each field is bounds-checked on its own (FITS): a
 *     whole-header check would reject truncated packets that libpcap
 *     matches, e.g. a 21-byte IPv6 packet with next header TCP for "tcp";
 *   - IPv4's transport header is at 4 * IHL with IHL as found (no check that
 *     it is at least 5), and its ports exist only in the first fragment;
 *   - IPv6's next header is not walked through extension headers, except
 *     that "tcp", "icmp6" and friends also accept a fragment header followed
 *     by the protocol; "port" does not;
 *   - "host"/"net" with an IPv4 address also match ARP and RARP addresses.
 *
 * A false FITS reads as "no match" rather than "reject": the same here,
 * because on every path a failed load is followed only by loads further
 * into the packet (which fail too) or by nothing that can match.
 */
#include <stdbool.h>

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>

#include "bench_progs.h"

/* libpcap's return value on a match: the snap length. */
#define MATCH 262144u
#define VERDICT(match) ((match) ? MATCH : 0)

/* The field f of the header at p lies inside the packet. */
#define FITS(p, f, end) ((void *)&(p)->f + sizeof((p)->f) <= (end))

#define IP_FRAG_OFFSET 0x1fff
/* The TCP header's flags byte (libpcap's tcpflags), and its SYN bit. */
#define TCP_FLAGS_OFF 13
#define TCP_FLAG_FIN 0x01
#define TCP_FLAG_SYN 0x02

/* IPv6 fragment header (RFC 8200, 4.5). */
struct frag6hdr {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off;
	__be32 identification;
};

/* The Ethernet header. <linux/if_ether.h>'s struct ethhdr is packed, so
 * clang reads its h_proto with two byte loads and a shift; this one has the
 * 2-byte alignment the header really has. */
struct eth_hdr {
	__u8 dst[ETH_ALEN];
	__u8 src[ETH_ALEN];
	__be16 proto;
};

/* An Ethernet/IPv4 ARP or RARP packet (RFC 826). The addresses are byte
 * arrays, not packed __be32 fields, which clang would read byte by byte:
 * read them with load_be32(). */
struct arp_eth_ip4 {
	__be16 htype;
	__be16 ptype;
	__u8 hlen;
	__u8 plen;
	__be16 oper;
	__u8 sha[ETH_ALEN];
	__u8 spa[4];
	__u8 tha[ETH_ALEN];
	__u8 tpa[4];
};

/* Source and destination ports: the first four bytes of TCP, UDP and SCTP. */
struct l4ports {
	__be16 source;
	__be16 dest;
};

/* Four packet bytes as one 32-bit load. The verifier allows unaligned
 * packet loads where the CPU does (x86-64 and arm64). */
static __always_inline __be32 load_be32(const __u8 *p)
{
	return *(const __be32 *)p;
}

/* The Ethernet type of the frame at data, or 0 if it is too short. */
static __always_inline __be16 eth_type(void *data, void *data_end)
{
	struct eth_hdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return 0;
	return eth->proto;
}

/* The IPv4 header after the Ethernet header. */
static __always_inline struct iphdr *ip4_hdr(void *data)
{
	return data + sizeof(struct eth_hdr);
}

/* The IPv6 header after the Ethernet header. */
static __always_inline struct ipv6hdr *ip6_hdr(void *data)
{
	return data + sizeof(struct eth_hdr);
}

/* The IPv4 protocol is proto. */
static __always_inline bool ip4_proto_is(struct iphdr *ip, void *end, __u8 proto)
{
	return FITS(ip, protocol, end) && ip->protocol == proto;
}

/* libpcap's "ip6 proto": the next header is proto, or a fragment header
 * whose next header is proto. */
static __always_inline bool ip6_proto_is(struct ipv6hdr *ip6, void *end, __u8 proto)
{
	struct frag6hdr *frag = (void *)(ip6 + 1);

	if (!FITS(ip6, nexthdr, end))
		return false;
	if (ip6->nexthdr == proto)
		return true;
	return ip6->nexthdr == IPPROTO_FRAGMENT && FITS(frag, nexthdr, end) &&
	       frag->nexthdr == proto;
}

/* The transport header of ip, whose protocol the caller has checked (so
 * that frag_off and ihl are in bounds), or NULL for a non-first fragment. */
static __always_inline void *ip4_l4(struct iphdr *ip)
{
	if (ip->frag_off & bpf_htons(IP_FRAG_OFFSET))
		return NULL;
	return (void *)ip + ip->ihl * 4;
}

/* The IPv6 transport header, right after the fixed header. */
static __always_inline void *ip6_l4(struct ipv6hdr *ip6)
{
	return (void *)(ip6 + 1);
}

/* libpcap's "port": the source port, then the destination port. */
static __always_inline bool port_is(struct l4ports *l4, void *end, __u16 port)
{
	if (!l4 || !FITS(l4, source, end))
		return false;
	if (l4->source == bpf_htons(port))
		return true;
	return FITS(l4, dest, end) && l4->dest == bpf_htons(port);
}

/* A protocol "port" applies to: TCP, UDP or SCTP. */
static __always_inline bool is_port_proto(__u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_SCTP;
}

/* "PROTO port P" for a TCP or UDP proto, over IPv4 and IPv6. */
static __always_inline bool proto_port_is(void *data, void *end, __u8 proto,
					  __u16 port)
{
	__be16 type = eth_type(data, end);

	if (type == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = ip4_hdr(data);

		return ip4_proto_is(ip, end, proto) && port_is(ip4_l4(ip), end, port);
	}
	if (type == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = ip6_hdr(data);

		return FITS(ip6, nexthdr, end) && ip6->nexthdr == proto &&
		       port_is(ip6_l4(ip6), end, port);
	}
	return false;
}

/* The IPv4 address of an IPv4 packet (source or destination) or of an
 * ARP/RARP packet (sender or target) matches addr under mask. */
static __always_inline bool ip4_addr_in(void *data, void *end, __be32 addr,
					__be32 mask)
{
	struct iphdr *ip = ip4_hdr(data);
	struct arp_eth_ip4 *arp = data + sizeof(struct eth_hdr);

	switch (eth_type(data, end)) {
	case bpf_htons(ETH_P_IP):
		if (!FITS(ip, saddr, end))
			return false;
		if ((ip->saddr & mask) == addr)
			return true;
		return FITS(ip, daddr, end) && (ip->daddr & mask) == addr;
	case bpf_htons(ETH_P_ARP):
	case bpf_htons(ETH_P_RARP):
		if (!FITS(arp, spa, end))
			return false;
		if ((load_be32(arp->spa) & mask) == addr)
			return true;
		return FITS(arp, tpa, end) && (load_be32(arp->tpa) & mask) == addr;
	}
	return false;
}

/* tcp */
static __always_inline __u32 hand_tcp(void *data, void *data_end)
{
	__be16 type = eth_type(data, data_end);

	if (type == bpf_htons(ETH_P_IP))
		return VERDICT(ip4_proto_is(ip4_hdr(data), data_end, IPPROTO_TCP));
	if (type == bpf_htons(ETH_P_IPV6))
		return VERDICT(ip6_proto_is(ip6_hdr(data), data_end, IPPROTO_TCP));
	return 0;
}

/* udp port 53 */
static __always_inline __u32 hand_udp_53(void *data, void *data_end)
{
	return VERDICT(proto_port_is(data, data_end, IPPROTO_UDP, 53));
}

/* tcp port 80 */
static __always_inline __u32 hand_tcp_80(void *data, void *data_end)
{
	return VERDICT(proto_port_is(data, data_end, IPPROTO_TCP, 80));
}

/* host 10.0.0.2 */
static __always_inline __u32 hand_host(void *data, void *data_end)
{
	return VERDICT(ip4_addr_in(data, data_end, bpf_htonl(0x0a000002),
				   bpf_htonl(0xffffffff)));
}

/* net 192.168.0.0/16 */
static __always_inline __u32 hand_net(void *data, void *data_end)
{
	return VERDICT(ip4_addr_in(data, data_end, bpf_htonl(0xc0a80000),
				   bpf_htonl(0xffff0000)));
}

/* port is 80 or 443 */
static __always_inline bool is_web_port(__be16 port)
{
	return port == bpf_htons(80) || port == bpf_htons(443);
}

/* Either port of l4 is 80 or 443, in libpcap's order: source, then
 * destination. */
static __always_inline bool web_ports(struct l4ports *l4, void *end)
{
	if (!l4 || !FITS(l4, source, end))
		return false;
	if (is_web_port(l4->source))
		return true;
	return FITS(l4, dest, end) && is_web_port(l4->dest);
}

/* tcp port 80 or tcp port 443 */
static __always_inline __u32 hand_tcp_80_443(void *data, void *data_end)
{
	__be16 type = eth_type(data, data_end);

	if (type == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = ip4_hdr(data);

		return VERDICT(ip4_proto_is(ip, data_end, IPPROTO_TCP) &&
			       web_ports(ip4_l4(ip), data_end));
	}
	if (type == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = ip6_hdr(data);

		return VERDICT(FITS(ip6, nexthdr, data_end) &&
			       ip6->nexthdr == IPPROTO_TCP &&
			       web_ports(ip6_l4(ip6), data_end));
	}
	return 0;
}

/* icmp or icmp6 */
static __always_inline __u32 hand_icmp_any(void *data, void *data_end)
{
	__be16 type = eth_type(data, data_end);

	if (type == bpf_htons(ETH_P_IP))
		return VERDICT(ip4_proto_is(ip4_hdr(data), data_end, IPPROTO_ICMP));
	if (type == bpf_htons(ETH_P_IPV6))
		return VERDICT(ip6_proto_is(ip6_hdr(data), data_end, IPPROTO_ICMPV6));
	return 0;
}

/* The 802.1Q tag after the Ethernet header. */
struct vlan_tag {
	__be16 tci;
	__be16 type; /* of what follows the tag */
};

/* vlan and tcp: one tag (802.1Q, 802.1ad or 0x9100), then IPv4 or IPv6 TCP. */
static __always_inline __u32 hand_vlan_tcp(void *data, void *data_end)
{
	__be16 type = eth_type(data, data_end);
	struct vlan_tag *tag = data + sizeof(struct eth_hdr);
	void *l3 = tag + 1;

	if (type != bpf_htons(ETH_P_8021Q) && type != bpf_htons(ETH_P_8021AD) &&
	    type != bpf_htons(ETH_P_QINQ1))
		return 0;
	if (!FITS(tag, type, data_end))
		return 0;
	if (tag->type == bpf_htons(ETH_P_IP))
		return VERDICT(ip4_proto_is(l3, data_end, IPPROTO_TCP));
	if (tag->type == bpf_htons(ETH_P_IPV6))
		return VERDICT(ip6_proto_is(l3, data_end, IPPROTO_TCP));
	return 0;
}

/* ip6 and tcp */
static __always_inline __u32 hand_ip6_tcp(void *data, void *data_end)
{
	return VERDICT(eth_type(data, data_end) == bpf_htons(ETH_P_IPV6) &&
		       ip6_proto_is(ip6_hdr(data), data_end, IPPROTO_TCP));
}

/* tcp[tcpflags] & mask != 0: IPv4 only, as libpcap's tcp[] */
static __always_inline __u32 tcp_flags_any(void *data, void *data_end,
					   __u8 mask)
{
	struct iphdr *ip = ip4_hdr(data);
	__u8 *flags;

	if (eth_type(data, data_end) != bpf_htons(ETH_P_IP) ||
	    !ip4_proto_is(ip, data_end, IPPROTO_TCP))
		return 0;
	flags = ip4_l4(ip);
	if (!flags)
		return 0;
	flags += TCP_FLAGS_OFF;
	return VERDICT((void *)(flags + 1) <= data_end && (*flags & mask));
}

/* tcp[tcpflags] & tcp-syn != 0 */
static __always_inline __u32 hand_tcp_syn(void *data, void *data_end)
{
	return tcp_flags_any(data, data_end, TCP_FLAG_SYN);
}

/* src host 10.0.0.2 and dst port 22: IPv4 only (the address is) */
static __always_inline __u32 hand_src_dport(void *data, void *data_end)
{
	struct iphdr *ip = ip4_hdr(data);
	struct l4ports *l4;

	if (eth_type(data, data_end) != bpf_htons(ETH_P_IP) ||
	    !FITS(ip, saddr, data_end) || ip->saddr != bpf_htonl(0x0a000002) ||
	    !is_port_proto(ip->protocol))
		return 0;
	l4 = ip4_l4(ip);
	return VERDICT(l4 && FITS(l4, dest, data_end) && l4->dest == bpf_htons(22));
}

static __always_inline bool in_range(__be16 port)
{
	__u16 p = bpf_ntohs(port);

	return p >= 1000 && p <= 2000;
}

/* Either port of l4 is in 1000-2000: source, then destination. */
static __always_inline bool ports_in_range(struct l4ports *l4, void *end)
{
	if (!l4 || !FITS(l4, source, end))
		return false;
	if (in_range(l4->source))
		return true;
	return FITS(l4, dest, end) && in_range(l4->dest);
}

/* portrange 1000-2000: TCP, UDP or SCTP, IPv4 or IPv6 */
static __always_inline __u32 hand_portrange(void *data, void *data_end)
{
	__be16 type = eth_type(data, data_end);

	if (type == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = ip4_hdr(data);

		return VERDICT(FITS(ip, protocol, data_end) &&
			       is_port_proto(ip->protocol) &&
			       ports_in_range(ip4_l4(ip), data_end));
	}
	if (type == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = ip6_hdr(data);

		return VERDICT(FITS(ip6, nexthdr, data_end) &&
			       is_port_proto(ip6->nexthdr) &&
			       ports_in_range(ip6_l4(ip6), data_end));
	}
	return 0;
}

/* ether broadcast: needs only the destination address. */
static __always_inline __u32 hand_ether_bcast(void *data, void *data_end)
{
	struct eth_hdr *eth = data;

	if (!FITS(eth, dst, data_end))
		return 0;
	return VERDICT(load_be32(&eth->dst[2]) == 0xffffffff &&
		       *(__u16 *)eth->dst == 0xffff);
}

/* arp */
static __always_inline __u32 hand_arp(void *data, void *data_end)
{
	return VERDICT(eth_type(data, data_end) == bpf_htons(ETH_P_ARP));
}

/* host 192.168.1.1 */
static __always_inline __u32 hand_host_c(void *data, void *data_end)
{
	return VERDICT(ip4_addr_in(data, data_end, bpf_htonl(0xc0a80101),
				   bpf_htonl(0xffffffff)));
}

/* The destination port of l4 (NULL: a non-first fragment) is port. */
static __always_inline bool dport_is(struct l4ports *l4, void *end, __u16 port)
{
	return l4 && FITS(l4, dest, end) && l4->dest == bpf_htons(port);
}

/* udp and dst port 53 */
static __always_inline __u32 hand_udp_dst_53(void *data, void *data_end)
{
	__be16 type = eth_type(data, data_end);

	if (type == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = ip4_hdr(data);

		return VERDICT(ip4_proto_is(ip, data_end, IPPROTO_UDP) &&
			       dport_is(ip4_l4(ip), data_end, 53));
	}
	if (type == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = ip6_hdr(data);

		/* dst port: the next header itself is UDP */
		return VERDICT(FITS(ip6, nexthdr, data_end) &&
			       ip6->nexthdr == IPPROTO_UDP &&
			       dport_is(ip6_l4(ip6), data_end, 53));
	}
	return 0;
}

/* ip6 and tcp dst port 443 */
static __always_inline __u32 hand_ip6_tcp_dst_443(void *data, void *data_end)
{
	struct ipv6hdr *ip6 = ip6_hdr(data);

	return VERDICT(eth_type(data, data_end) == bpf_htons(ETH_P_IPV6) &&
		       FITS(ip6, nexthdr, data_end) &&
		       ip6->nexthdr == IPPROTO_TCP &&
		       dport_is(ip6_l4(ip6), data_end, 443));
}

/* tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 */
static __always_inline __u32 hand_tcp_syn_fin(void *data, void *data_end)
{
	return tcp_flags_any(data, data_end, TCP_FLAG_SYN | TCP_FLAG_FIN);
}

/* vlan and ip and tcp port 22: one tag, then IPv4 TCP */
static __always_inline __u32 hand_vlan_ip_tcp_22(void *data, void *data_end)
{
	__be16 type = eth_type(data, data_end);
	struct vlan_tag *tag = data + sizeof(struct eth_hdr);
	struct iphdr *ip = (void *)(tag + 1);

	if (type != bpf_htons(ETH_P_8021Q) && type != bpf_htons(ETH_P_8021AD) &&
	    type != bpf_htons(ETH_P_QINQ1))
		return 0;
	if (!FITS(tag, type, data_end) || tag->type != bpf_htons(ETH_P_IP))
		return 0;
	return VERDICT(ip4_proto_is(ip, data_end, IPPROTO_TCP) &&
		       port_is(ip4_l4(ip), data_end, 22));
}

/* net 10.0.0.0/8 and not port 22. A port load past the packet is no
 * match, as libpcap rejects the packet there. */
static __always_inline __u32 hand_net_not_22(void *data, void *data_end)
{
	struct iphdr *ip = ip4_hdr(data);
	struct l4ports *l4;

	if (!ip4_addr_in(data, data_end, bpf_htonl(0x0a000000),
			 bpf_htonl(0xff000000)))
		return 0;
	/* ARP and RARP have no ports; the addresses covered the protocol. */
	if (eth_type(data, data_end) != bpf_htons(ETH_P_IP) ||
	    !is_port_proto(ip->protocol))
		return MATCH;
	l4 = ip4_l4(ip);
	if (!l4)
		return MATCH;
	if (!FITS(l4, source, data_end) || l4->source == bpf_htons(22) ||
	    !FITS(l4, dest, data_end))
		return 0;
	return VERDICT(l4->dest != bpf_htons(22));
}

/* icmp or icmp6 or arp */
static __always_inline __u32 hand_icmp_icmp6_arp(void *data, void *data_end)
{
	switch (eth_type(data, data_end)) {
	case bpf_htons(ETH_P_IP):
		return VERDICT(ip4_proto_is(ip4_hdr(data), data_end, IPPROTO_ICMP));
	case bpf_htons(ETH_P_IPV6):
		return VERDICT(ip6_proto_is(ip6_hdr(data), data_end, IPPROTO_ICMPV6));
	case bpf_htons(ETH_P_ARP):
		return MATCH;
	}
	return 0;
}

/* port is 80, 443 or 8080: a switch, which clang keeps as compares (an
 * `||` chain becomes a computed boolean). */
static __always_inline bool is_web_port3(__be16 port)
{
	switch (port) {
	case bpf_htons(80):
	case bpf_htons(443):
	case bpf_htons(8080):
		return true;
	}
	return false;
}

/* (tcp port 80 or tcp port 443 or tcp port 8080) and (src net 10.0.0.0/8
 * or src net 192.168.0.0/16) and not host 10.1.2.3: IPv4 only (the
 * addresses are); each address load past the packet is no match. */
static __always_inline __u32 hand_web_src_nets(void *data, void *data_end)
{
	struct iphdr *ip = ip4_hdr(data);
	struct l4ports *l4;
	__u32 saddr;

	if (eth_type(data, data_end) != bpf_htons(ETH_P_IP) ||
	    !ip4_proto_is(ip, data_end, IPPROTO_TCP))
		return 0;
	l4 = ip4_l4(ip);
	if (!l4 || !FITS(l4, source, data_end))
		return 0;
	if (!is_web_port3(l4->source) &&
	    !(FITS(l4, dest, data_end) && is_web_port3(l4->dest)))
		return 0;
	if (!FITS(ip, saddr, data_end))
		return 0;
	saddr = bpf_ntohl(ip->saddr);
	if ((saddr & 0xff000000) != 0x0a000000 &&
	    (saddr & 0xffff0000) != 0xc0a80000)
		return 0;
	if (saddr == 0x0a010203 || !FITS(ip, daddr, data_end))
		return 0;
	return VERDICT(ip->daddr != bpf_htonl(0x0a010203));
}

/* hand_call_<id>: the noinline function of each filter. */
#define BENCH_FILTER(id, expr)                                            \
	static __noinline __u32 hand_call_##id(void *data, void *data_end) \
	{                                                                 \
		return hand_##id(data, data_end);                         \
	}                                                                 \
	BENCH_PROGRAMS(id, hand_call_##id, hand_##id)
#include "filters.def"
#undef BENCH_FILTER
