/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sniff-dns: attach socket_dns.bpf.o's socket filter ("inbound and udp
 * port 53", compiled by the pcapfilter plugin) to a packet socket and print
 * what it lets through.
 *
 * usage: sniff-dns [-i IFACE] [-c COUNT] [OBJECT]   print COUNT packets (root)
 *        sniff-dns --selftest [OBJECT]
 *
 * --selftest runs in a network namespace of its own (unshare), on its
 * loopback: it sends UDP datagrams to ports 53 and 80 over IPv4 and IPv6
 * and checks that the socket received exactly the port-53 ones, once each
 * (the incoming copy; a packet socket also sees the outgoing one, which
 * `inbound` rejects), whole (the filter returns the snap length, 262144).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* A packet socket with the filter attached, bound to ifindex (0: all). The
 * socket receives nothing until bind(), so nothing arrives unfiltered. */
static int open_sniffer(int prog_fd, int ifindex)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = ifindex,
	};

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof(prog_fd)) != 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
		perror("sniff-dns: packet socket");
		return -1;
	}
	return fd;
}

/* One line per packet: direction, length, addresses and ports. */
static void print_packet(const unsigned char *p, ssize_t n, const struct sockaddr_ll *from)
{
	char src[INET6_ADDRSTRLEN] = "?", dst[INET6_ADDRSTRLEN] = "?";
	const unsigned char *l4 = NULL;
	int type = n >= 14 ? p[12] << 8 | p[13] : 0;

	if (type == ETH_P_IP && n >= 34) {
		inet_ntop(AF_INET, p + 26, src, sizeof(src));
		inet_ntop(AF_INET, p + 30, dst, sizeof(dst));
		l4 = p + 14 + (p[14] & 15) * 4;
	} else if (type == ETH_P_IPV6 && n >= 54) {
		inet_ntop(AF_INET6, p + 22, src, sizeof(src));
		inet_ntop(AF_INET6, p + 38, dst, sizeof(dst));
		l4 = p + 54;
	}
	printf("%-3s %5zd bytes  %s", from->sll_pkttype == PACKET_OUTGOING ? "out" : "in", n, src);
	if (l4 && l4 + 4 <= p + n)
		printf(".%u", l4[0] << 8 | l4[1]);
	printf(" > %s", dst);
	if (l4 && l4 + 4 <= p + n)
		printf(".%u", l4[2] << 8 | l4[3]);
	printf("\n");
}

static int selftest(int prog_fd)
{
	enum { EACH = 3, PAYLOAD = 20 };
	char payload[PAYLOAD] = "pcapfilter selftest";
	unsigned char buf[2048];
	int got = 0, bad = 0;

	/* A namespace of our own, removed when we exit; bring up its lo. */
	if (unshare(CLONE_NEWNET) != 0) {
		perror("sniff-dns: unshare(CLONE_NEWNET)");
		return 1;
	}
	struct ifreq ifr = {.ifr_name = "lo"};
	int ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ctl < 0 || ioctl(ctl, SIOCGIFFLAGS, &ifr) != 0) {
		perror("sniff-dns: lo");
		return 1;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(ctl, SIOCSIFFLAGS, &ifr) != 0) {
		perror("sniff-dns: bringing lo up");
		return 1;
	}

	int fd = open_sniffer(prog_fd, (int)if_nametoindex("lo"));
	if (fd < 0)
		return 1;
	struct timeval tv = {.tv_usec = 300000};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	int u4 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int u6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	static const int ports[] = {53, 80};
	for (int i = 0; i < EACH; i++)
		for (int k = 0; k < 2; k++) {
			int port = ports[k];
			struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons(port),
						 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
			struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(port),
						  .sin6_addr = IN6ADDR_LOOPBACK_INIT};
			if (sendto(u4, payload, PAYLOAD, 0, (struct sockaddr *)&a4, sizeof(a4)) != PAYLOAD ||
			    sendto(u6, payload, PAYLOAD, 0, (struct sockaddr *)&a6, sizeof(a6)) != PAYLOAD) {
				perror("sniff-dns: sendto");
				return 1;
			}
		}

	for (;;) {
		struct sockaddr_ll from;
		socklen_t fromlen = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			break; /* timeout: nothing more */
		print_packet(buf, n, &from);
		got++;
		int type = buf[12] << 8 | buf[13];
		ssize_t whole = 14 + (type == ETH_P_IP ? 20 : 40) + 8 + PAYLOAD;
		const unsigned char *udp = buf + (type == ETH_P_IP ? 34 : 54);
		bool ok = from.sll_pkttype != PACKET_OUTGOING && n == whole &&
			  (udp[0] << 8 | udp[1]) != 80 && (udp[2] << 8 | udp[3]) == 53;
		bad += !ok;
	}
	close(u4);
	close(u6);
	close(fd);
	close(ctl);
	printf("sniff-dns selftest: sent %d datagrams to port 53 and %d to port 80 (IPv4 and IPv6); "
	       "the filter passed %d packets, %d of them wrong\n", 2 * EACH, 2 * EACH, got, bad);
	return got == 2 * EACH && bad == 0 ? 0 : 1;
}

static int sniff(int prog_fd, const char *iface, long count)
{
	static unsigned char buf[65536];
	int ifindex = iface ? (int)if_nametoindex(iface) : 0;

	if (iface && !ifindex) {
		fprintf(stderr, "sniff-dns: no interface %s\n", iface);
		return 1;
	}
	int fd = open_sniffer(prog_fd, ifindex);
	if (fd < 0)
		return 1;
	for (long i = 0; i < count; i++) {
		struct sockaddr_ll from;
		socklen_t fromlen = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			perror("sniff-dns: recvfrom");
			close(fd);
			return 1;
		}
		print_packet(buf, n, &from);
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *object = SOCKET_DNS_OBJECT, *iface = NULL;
	long count = 10;
	bool self = false;

	for (int a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--selftest") == 0)
			self = true;
		else if (strcmp(argv[a], "-i") == 0 && a + 1 < argc)
			iface = argv[++a];
		else if (strcmp(argv[a], "-c") == 0 && a + 1 < argc)
			count = atol(argv[++a]);
		else if (argv[a][0] != '-')
			object = argv[a];
		else {
			fprintf(stderr, "usage: sniff-dns [-i IFACE] [-c COUNT] [OBJECT]\n"
					"       sniff-dns --selftest [OBJECT]\n");
			return 2;
		}
	}

	struct bpf_object *obj = bpf_object__open_file(object, NULL);
	if (!obj || bpf_object__load(obj) != 0) {
		fprintf(stderr, "sniff-dns: loading %s: %s\n", object, strerror(errno));
		return 1;
	}
	int prog_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "socket_dns"));
	if (prog_fd < 0) {
		fprintf(stderr, "sniff-dns: %s has no program socket_dns\n", object);
		return 1;
	}
	int rc = self ? selftest(prog_fd) : sniff(prog_fd, iface, count);
	bpf_object__close(obj);
	return rc;
}
