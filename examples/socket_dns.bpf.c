/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * pcapfilter example: a socket filter that passes the DNS packets a host
 * receives to a packet socket, as tcpdump's kernel filter would.
 *
 * Attaches: a socket, with setsockopt(fd, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd)
 * (SEC("socket"): BPF_PROG_TYPE_SOCKET_FILTER); sniff_dns.c does it on an
 * AF_PACKET SOCK_RAW socket, where offset 0 is the Ethernet header.
 * Stub form: (struct __sk_buff *skb) with "access=skb_load_bytes": socket
 * filters cannot read packet data directly, so every load is a
 * bpf_skb_load_bytes(); `len` is skb->len, the whole packet.
 *
 * A socket filter returns how many bytes of the packet to keep, 0 to drop
 * it: exactly what a __u32 stub returns, the snap length (262144, the
 * whole packet) on a match and 0 otherwise. `inbound` is a Linux extension:
 * skb->pkt_type, which is PACKET_OUTGOING for the copies of sent packets a
 * packet socket sees.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <pcap_filter.h>

static __noinline __u32 received_dns(struct __sk_buff *skb)
	__pcap_filter("inbound and udp port 53", "access=skb_load_bytes");

SEC("socket")
int socket_dns(struct __sk_buff *skb)
{
	return received_dns(skb);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
