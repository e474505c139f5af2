/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pkttrace: print the received packets that a tcpdump filter, given on the
 * command line, matches, from a tracing program in the style of pwru: one
 * line per packet with its struct sk_buff's address, interface, length and
 * addresses. Loads pkttrace.bpf.o with the filter put into its run-time
 * stub (libpcapf_bpf, probe access) and attaches it to the
 * netif_receive_skb tracepoint.
 *
 * usage: pkttrace [-n COUNT] [-t SECONDS] [-i IFACE] [-O OBJECT] EXPRESSION...
 *
 *   -n COUNT    stop after COUNT packets
 *   -t SECONDS  stop after SECONDS (default for both: at SIGINT or SIGTERM)
 *   -i IFACE    only packets received on IFACE, of pkttrace's own network
 *               namespace (default: every interface of every namespace)
 *   -O OBJECT   the BPF object (default: the one the build made)
 *
 * The expression may be several arguments, joined with spaces, as in
 * tcpdump. It sees the frame from its Ethernet header to the end of the
 * skb's linear data. At the end pkttrace says on stderr how many packets
 * it printed and how many the ring buffer lost.
 *
 * Exit status: 0; 1 on an error (a bad expression: libpcap's message);
 * 2 on a usage error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/types.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "pkttrace.h"
#include "rtfilter.h"

static const char tool[] = "pkttrace";

static void usage(void)
{
	fprintf(stderr, "usage: pkttrace [-n COUNT] [-t SECONDS] [-i IFACE] [-O OBJECT] EXPRESSION...\n");
	exit(2);
}

/* Packets printed, and how many to print (0: no limit). */
static unsigned long long printed, limit;

static unsigned int be16(const __u8 *p) { return p[0] << 8 | p[1]; }

/* " SRC > DST PROTO", ports for TCP and UDP: what the bytes copied allow. */
static void print_l3(const __u8 *p, size_t n)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	size_t l3 = 14, l4;
	unsigned int type = n >= 14 ? be16(p + 12) : 0, proto;

	if ((type == 0x8100 || type == 0x88a8) && n >= 18) { /* one VLAN tag */
		printf(" vlan %u", be16(p + 14) & 0xfff);
		type = be16(p + 16);
		l3 = 18;
	}
	if (type == 0x0800 && n >= l3 + 20) {
		inet_ntop(AF_INET, p + l3 + 12, src, sizeof(src));
		inet_ntop(AF_INET, p + l3 + 16, dst, sizeof(dst));
		proto = p[l3 + 9];
		/* A non-first fragment has no ports. */
		l4 = be16(p + l3 + 6) & 0x1fff ? n : l3 + (p[l3] & 15) * 4;
	} else if (type == 0x86dd && n >= l3 + 40) {
		inet_ntop(AF_INET6, p + l3 + 8, src, sizeof(src));
		inet_ntop(AF_INET6, p + l3 + 24, dst, sizeof(dst));
		proto = p[l3 + 6];
		l4 = l3 + 40;
	} else {
		printf(type == 0x0806 ? " ARP" : " ethertype 0x%04x", type);
		return;
	}
	bool ports = (proto == 6 || proto == 17) && l4 + 4 <= n;
	printf(" %s", src);
	if (ports)
		printf(".%u", be16(p + l4));
	printf(" > %s", dst);
	if (ports)
		printf(".%u", be16(p + l4 + 2));
	switch (proto) {
	case 1: printf(" ICMP"); break;
	case 6: printf(" TCP"); break;
	case 17: printf(" UDP"); break;
	case 58: printf(" ICMPv6"); break;
	default: printf(" proto %u", proto);
	}
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct pkttrace_event *e = data;

	(void)ctx;
	if (size < sizeof(*e) || (limit && printed >= limit))
		return 0;
	printf("0x%016llx  netns %u  ifindex %u  len %u  linear %u ", (unsigned long long)e->skb,
	       e->netns_ino, e->ifindex, e->len, e->linear);
	print_l3(e->frame, e->copied);
	printf("\n");
	fflush(stdout);
	if (++printed == limit)
		rtfilter_stop = 1;
	return 0;
}

int main(int argc, char *argv[])
{
	const char *object = PKTTRACE_OBJECT, *iface = NULL;
	double seconds = 0;
	int opt;

	while ((opt = getopt(argc, argv, "+n:t:i:O:")) != -1) {
		char *end;
		switch (opt) {
		case 'n':
			limit = strtoull(optarg, &end, 10);
			if (*end || end == optarg || !limit || optarg[0] == '-') {
				fprintf(stderr, "%s: -n wants a positive count, not '%s'\n", tool, optarg);
				return 2;
			}
			break;
		case 't': seconds = rtfilter_seconds(tool, optarg); break;
		case 'i': iface = optarg; break;
		case 'O': object = optarg; break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();

	struct pkttrace_config cfg = {0};
	if (iface) {
		struct stat st;
		cfg.ifindex = if_nametoindex(iface);
		if (!cfg.ifindex) {
			fprintf(stderr, "%s: no interface %s: %s\n", tool, iface, strerror(errno));
			return 1;
		}
		if (stat("/proc/self/ns/net", &st) != 0) {
			fprintf(stderr, "%s: /proc/self/ns/net: %s\n", tool, strerror(errno));
			return 1;
		}
		cfg.netns_ino = (__u32)st.st_ino;
	}
	char *expr = rtfilter_expression(tool, argc - optind, argv + optind);
	if (!expr)
		return 1;

	int status = 1;
	struct ring_buffer *rb = NULL;
	struct bpf_link *link = NULL;
	struct bpf_object *obj = rtfilter_load(tool, object, "match", expr);
	if (!obj)
		goto out;
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "pkttrace");
	int config_fd = bpf_object__find_map_fd_by_name(obj, "pt_config");
	int events_fd = bpf_object__find_map_fd_by_name(obj, "pt_events");
	int lost_fd = bpf_object__find_map_fd_by_name(obj, "pt_lost");
	if (!prog || config_fd < 0 || events_fd < 0 || lost_fd < 0) {
		fprintf(stderr, "%s: %s lacks the program pkttrace or its maps\n", tool, object);
		goto out;
	}
	__u32 zero = 0;
	if (bpf_map_update_elem(config_fd, &zero, &cfg, BPF_ANY) != 0) {
		fprintf(stderr, "%s: cannot configure: %s\n", tool, strerror(errno));
		goto out;
	}
	rb = ring_buffer__new(events_fd, on_event, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "%s: ring buffer: %s\n", tool, strerror(errno));
		goto out;
	}
	link = bpf_program__attach(prog);
	if (!link) {
		fprintf(stderr, "%s: cannot attach to netif_receive_skb: %s\n", tool,
			strerror(errno));
		goto out;
	}
	rtfilter_catch_signals();
	fprintf(stderr, "%s: tracing netif_receive_skb on %s, filter '%s'\n", tool,
		iface ? iface : "every interface", expr);

	double start = rtfilter_now();
	while (!rtfilter_stop) {
		int timeout_ms = 100;
		if (seconds) {
			double left = start + seconds - rtfilter_now();
			if (left <= 0)
				break;
			if (left < 0.1)
				timeout_ms = (int)(left * 1000) + 1;
		}
		int err = ring_buffer__poll(rb, timeout_ms);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "%s: ring buffer: %s\n", tool, strerror(-err));
			goto out;
		}
	}
	/* Detach first, then print what the buffer still holds. */
	bpf_link__destroy(link);
	link = NULL;
	ring_buffer__consume(rb);
	__u64 lost = 0;
	bpf_map_lookup_elem(lost_fd, &zero, &lost);
	fprintf(stderr, "%s: %llu packets, %llu lost\n", tool, printed, (unsigned long long)lost);
	status = 0;
out:
	bpf_link__destroy(link);
	ring_buffer__free(rb);
	bpf_object__close(obj);
	free(expr);
	return status;
}
