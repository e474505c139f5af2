/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracetest: probe-access pcapfilter stubs in tracing programs, on real
 * packets, against libpcap.
 *
 *   1. Two network namespaces, pcapf-trace-PID-tx and pcapf-trace-PID-rx,
 *      joined by a veth pair (pftPIDt, pftPIDr) with fixed MACs and MTU
 *      9000. Everything is removed at exit, on failure and on SIGINT,
 *      SIGTERM, SIGHUP, SIGQUIT and SIGPIPE too.
 *   2. tracetest.bpf.o's two programs attach to the netif_receive_skb
 *      tracepoint (tp_btf and raw_tp); they report, for the receiving
 *      veth's skbs only, every stub's result and the bytes the stubs saw.
 *   3. An AF_PACKET socket in the tx namespace sends crafted Ethernet
 *      frames (UDP/53, TCP/80, ICMP, IPv6, 802.1Q, 802.1ad, IPv4 options
 *      and fragments, a cut IPv4 header, a frame larger than a page, ...)
 *      and every frame of the Ethernet captures given with --pcap; the
 *      kernel adds its own (IPv6 neighbour discovery, MLD).
 *   4. For each event and each filter, the stub's u32 is compared with
 *      pcap_offline_filter() on the same bytes, with caplen = len = the
 *      linear length (a probe stub's len is data_end - data).
 *
 * Fails on any disagreement, on no events, on a frame sent that some hook
 * did not report, on a filter that no event matches (or that every event
 * matches: it tested nothing), and on events lost. Without root, kernel
 * BTF, iproute2 or the object it fails under CI (CI=true) and skips (exit
 * 77) elsewhere.
 *
 * usage: tracetest [--pcap CAPTURE]... [OBJECT]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/types.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "pktrun.h"
#include "tracetest.h"

#define SKIP_STATUS 77

static const char *const filter_names[] = {
#define NAME(name, expr) #name,
	TRACE_FILTERS(NAME)
#undef NAME
};
static const char *const filter_exprs[] = {
#define EXPR(name, expr) expr,
	TRACE_FILTERS(EXPR)
#undef EXPR
};
static const char *const hook_names[TRACE_NR_HOOKS] = {
	[TRACE_HOOK_TP_BTF] = "tp_btf/netif_receive_skb",
	[TRACE_HOOK_RAW_TP] = "raw_tp/netif_receive_skb",
};

/* ---- Setup and cleanup --------------------------------------------- */

static char ns_tx[64], ns_rx[64], if_tx[IFNAMSIZ], if_rx[IFNAMSIZ];
static bool made_tx, made_rx;
static char ip_path[256];
/* Signals that would end the process without exit(): cleanup() first.
 * SIGPIPE: `tracetest | head` closes the pipe early. */
static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};

/* Run `ip ARGS...`; returns its exit status (-1 if it did not run).
 * fork and execv only, so the signal handler can use it too. */
static int ip_argv(char *const argv[], bool quiet)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (quiet) {
			int null = open("/dev/null", O_WRONLY);
			if (null >= 0)
				dup2(null, STDERR_FILENO);
		}
		execv(ip_path, argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ip with a NULL-terminated list of arguments; prints the command if it
 * fails. */
static int ip(const char *arg, ...)
{
	char *argv[32] = {"ip", (char *)arg};
	int n = 2;
	va_list ap;

	va_start(ap, arg);
	while (n < 31 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	/* A signal waits until ip is done, so cleanup() sees what it made. */
	sigset_t block, old;
	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		sigaddset(&block, fatal_signals[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	int rc = ip_argv(argv, false);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		fprintf(stderr, "tracetest: failed (%d):", rc);
		for (int i = 0; i < n; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, "\n");
	}
	return rc;
}

/* Deleting a namespace deletes the veth end in it, and with it the peer. */
static void cleanup(void)
{
	if (made_tx)
		ip_argv((char *[]){"ip", "netns", "del", ns_tx, NULL}, true);
	if (made_rx)
		ip_argv((char *[]){"ip", "netns", "del", ns_rx, NULL}, true);
	made_tx = made_rx = false;
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static bool find_ip(void)
{
	const char *dirs[] = {"/usr/sbin", "/sbin", "/usr/bin", "/bin"};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(ip_path, sizeof(ip_path), "%s/ip", dirs[i]);
		if (access(ip_path, X_OK) == 0)
			return true;
	}
	return false;
}

/* Cannot test here: a failure under CI, a skip elsewhere. */
static int unavailable(const char *why)
{
	const char *ci = getenv("CI");

	if (ci && *ci && strcmp(ci, "false") != 0 && strcmp(ci, "0") != 0) {
		fprintf(stderr, "tracetest: cannot run: %s (CI: failing, not skipping)\n", why);
		printf("tracetest: 0 passed, 1 failed\n");
		return 1;
	}
	fprintf(stderr, "tracetest: SKIPPED: %s (needs root, kernel BTF and iproute2; "
		"under CI=true this fails)\n", why);
	return SKIP_STATUS;
}

/* Run fn in namespace ns (a /run/netns name), then come back. */
static int in_netns(const char *ns, int (*fn)(void *), void *arg)
{
	char path[128];
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	int target = open(path, O_RDONLY | O_CLOEXEC);
	int rc = -1;

	if (self >= 0 && target >= 0 && setns(target, CLONE_NEWNET) == 0) {
		rc = fn(arg);
		if (setns(self, CLONE_NEWNET) != 0) {
			perror("tracetest: setns back");
			exit(1);
		}
	}
	if (self >= 0)
		close(self);
	if (target >= 0)
		close(target);
	return rc;
}

static int rx_ifindex(void *arg)
{
	(void)arg;
	return (int)if_nametoindex(if_rx);
}

/* The sending socket: AF_PACKET, bound to the tx veth. Protocol 0: it
 * receives nothing. */
static int tx_socket(void *arg)
{
	(void)arg;
	int ifindex = (int)if_nametoindex(if_tx);
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = ifindex,
	};

	if (fd < 0 || !ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
		perror("tracetest: AF_PACKET socket on the tx veth");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int setup_veth(void)
{
	pid_t pid = getpid();

	snprintf(ns_tx, sizeof(ns_tx), "pcapf-trace-%d-tx", (int)pid);
	snprintf(ns_rx, sizeof(ns_rx), "pcapf-trace-%d-rx", (int)pid);
	snprintf(if_tx, sizeof(if_tx), "pft%dt", (int)pid);
	snprintf(if_rx, sizeof(if_rx), "pft%dr", (int)pid);

	made_tx = true; /* deleting one that ip failed to add fails quietly */
	if (ip("netns", "add", ns_tx, NULL) != 0)
		return -1;
	made_rx = true;
	if (ip("netns", "add", ns_rx, NULL) != 0)
		return -1;
	if (ip("-n", ns_tx, "link", "add", if_tx, "type", "veth", "peer", "name",
	       if_rx, "netns", ns_rx, NULL) != 0 ||
	    ip("-n", ns_tx, "link", "set", if_tx, "address", TRACE_MAC_TX, "mtu",
	       "9000", "up", NULL) != 0 ||
	    ip("-n", ns_rx, "link", "set", if_rx, "address", TRACE_MAC_RX, "mtu",
	       "9000", "up", NULL) != 0)
		return -1;
	return 0;
}

/* ---- The crafted frames --------------------------------------------- */

#define FRAME_MAX 9014 /* MTU 9000 */

struct frame {
	char name[64];
	bool crafted;	   /* by make_frames(), not from a capture */
	uint8_t b[FRAME_MAX];
	size_t len;
	bool seen[TRACE_NR_HOOKS];
	bool seen_untagged; /* arrived with its 802.1Q tag in skb->vlan_tci */
	unsigned linear;    /* of the last event that was this frame */
	unsigned vlan_tci;  /* skb->vlan_tci of its events, or-ed */
};

static const uint8_t mac_tx[6] = {0x02, 0x70, 0x63, 0x61, 0x70, 0x01};
static const uint8_t mac_rx[6] = {0x02, 0x70, 0x63, 0x61, 0x70, 0x02};
static const uint8_t mac_other[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x99};
static const uint8_t mac_bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static void put(struct frame *f, const void *p, size_t n)
{
	if (f->len + n > FRAME_MAX)
		abort();
	memcpy(f->b + f->len, p, n);
	f->len += n;
}
static void put8(struct frame *f, uint8_t v) { put(f, &v, 1); }
static void put16(struct frame *f, uint16_t v)
{
	uint16_t be = htons(v);
	put(f, &be, 2);
}
static void put32(struct frame *f, uint32_t v)
{
	uint32_t be = htonl(v);
	put(f, &be, 4);
}
static void pad(struct frame *f, size_t n, uint8_t byte)
{
	while (n--)
		put8(f, byte);
}

static void eth(struct frame *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	put(f, dst, 6);
	put(f, src, 6);
	put16(f, type);
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* IPv4 header with ihl_words 32-bit words (options: NOPs), payload_len
 * bytes to follow, 10.0.0.1 -> 10.0.0.2. */
static void ipv4(struct frame *f, uint8_t proto, size_t payload_len, int ihl_words,
		 uint16_t frag)
{
	size_t start = f->len, hlen = (size_t)ihl_words * 4;

	put8(f, (uint8_t)(0x40 | ihl_words));
	put8(f, 0);
	put16(f, (uint16_t)(hlen + payload_len));
	put16(f, 0x1234);
	put16(f, frag);
	put8(f, 64);
	put8(f, proto);
	put16(f, 0);
	put32(f, 0x0a000001);
	put32(f, 0x0a000002);
	pad(f, hlen - 20, 1); /* IP options: NOP */
	uint16_t c = htons(csum(f->b + start, hlen));
	memcpy(f->b + start + 10, &c, 2);
}

static void ipv6(struct frame *f, uint8_t next, size_t payload_len)
{
	static const uint8_t src[16] = {0xfd, [15] = 1}, dst[16] = {0xfd, [15] = 2};

	put32(f, 0x60000000);
	put16(f, (uint16_t)payload_len);
	put8(f, next);
	put8(f, 64);
	put(f, src, 16);
	put(f, dst, 16);
}

static void udp(struct frame *f, uint16_t sport, uint16_t dport, size_t payload_len)
{
	put16(f, sport);
	put16(f, dport);
	put16(f, (uint16_t)(8 + payload_len));
	put16(f, 0); /* no checksum */
}

static void tcp(struct frame *f, uint16_t sport, uint16_t dport, uint8_t flags)
{
	put16(f, sport);
	put16(f, dport);
	put32(f, 1000);
	put32(f, flags & 0x10 ? 2000 : 0);
	put8(f, 5 << 4);
	put8(f, flags);
	put16(f, 65535);
	put16(f, 0);
	put16(f, 0);
}

/* A DNS query for example.org, A. */
static void dns_query(struct frame *f)
{
	static const uint8_t q[] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
				    7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0,
				    0, 1, 0, 1};
	put(f, q, sizeof(q));
}
#define DNS_QUERY_LEN 29

enum { TCP_SYN = 0x02, TCP_ACK = 0x10 };

#define CRAFTED_MAX 32

static size_t make_frames(struct frame *fr)
{
	size_t n = 0;
	struct frame *f;

#define NEW(label) (f = &fr[n++], memset(f, 0, sizeof(*f)), f->crafted = true, \
			   snprintf(f->name, sizeof(f->name), "%s", (label)))

	NEW("udp-dns");
	eth(f, mac_rx, mac_tx, ETH_P_IP);
	ipv4(f, IPPROTO_UDP, 8 + DNS_QUERY_LEN, 5, 0);
	udp(f, 33333, 53, DNS_QUERY_LEN);
	dns_query(f);

	NEW("tcp-80-syn");
	eth(f, mac_rx, mac_tx, ETH_P_IP);
	ipv4(f, IPPROTO_TCP, 20, 5, 0);
	tcp(f, 40000, 80, TCP_SYN);

	NEW("icmp-echo-98B"); /* two bytes short of "len >= 100" */
	eth(f, mac_rx, mac_tx, ETH_P_IP);
	ipv4(f, IPPROTO_ICMP, 64, 5, 0);
	put8(f, 8), put8(f, 0), put16(f, 0), put16(f, 1), put16(f, 1);
	pad(f, 56, 0xab);

	NEW("udp-100B"); /* exactly 100 bytes */
	eth(f, mac_rx, mac_tx, ETH_P_IP);
	ipv4(f, IPPROTO_UDP, 66, 5, 0);
	udp(f, 1000, 9, 58);
	pad(f, 58, 0);

	NEW("ip6-udp");
	eth(f, mac_rx, mac_tx, ETH_P_IPV6);
	ipv6(f, IPPROTO_UDP, 8 + DNS_QUERY_LEN);
	udp(f, 5353, 5353, DNS_QUERY_LEN);
	dns_query(f);

	NEW("ip6-icmp6-echo");
	eth(f, mac_rx, mac_tx, ETH_P_IPV6);
	ipv6(f, IPPROTO_ICMPV6, 16);
	put8(f, 128), put8(f, 0), put16(f, 0), put16(f, 7), put16(f, 1);
	pad(f, 8, 0xcd);

	NEW("vlan100-udp-dns"); /* 802.1Q, in the frame */
	eth(f, mac_rx, mac_tx, ETH_P_8021Q);
	put16(f, 100), put16(f, ETH_P_IP);
	ipv4(f, IPPROTO_UDP, 8 + DNS_QUERY_LEN, 5, 0);
	udp(f, 33333, 53, DNS_QUERY_LEN);
	dns_query(f);

	NEW("qinq-tcp-80"); /* 802.1ad outer tag, 802.1Q inner */
	eth(f, mac_rx, mac_tx, ETH_P_8021AD);
	put16(f, 200), put16(f, ETH_P_8021Q), put16(f, 300), put16(f, ETH_P_IP);
	ipv4(f, IPPROTO_TCP, 20, 5, 0);
	tcp(f, 40001, 80, TCP_SYN);

	NEW("udp-300B-far"); /* ether[200] = 0x5a, past the stubs' 128-byte copy */
	eth(f, mac_rx, mac_tx, ETH_P_IP);
	ipv4(f, IPPROTO_UDP, 266, 5, 0);
	udp(f, 1000, 9999, 258);
	pad(f, 258, 0x11);
	f->b[200] = 0x5a;

	NEW("ipopt-tcp-80-ack"); /* IHL 6: the TCP header through X */
	eth(f, mac_rx, mac_tx, ETH_P_IP);
	ipv4(f, IPPROTO_TCP, 20, 6, 0);
	tcp(f, 40002, 80, TCP_ACK);

	NEW("tcp-443-ack");
	eth(f, mac_rx, mac_tx, ETH_P_IP);
	ipv4(f, IPPROTO_TCP, 20, 5, 0);
	tcp(f, 40003, 443, TCP_ACK);

	NEW("udp-dns-fragment"); /* non-first fragment: no ports */
	eth(f, mac_rx, mac_tx, ETH_P_IP);
	ipv4(f, IPPROTO_UDP, 8 + DNS_QUERY_LEN, 5, 0x0010);
	udp(f, 33333, 53, DNS_QUERY_LEN);
	dns_query(f);

	NEW("ipv4-cut-26B"); /* IPv4, UDP, header cut at 12 bytes */
	eth(f, mac_rx, mac_tx, ETH_P_IP);
	put8(f, 0x45), put8(f, 0), put16(f, 60), put16(f, 1), put16(f, 0);
	put8(f, 64), put8(f, IPPROTO_UDP), put16(f, 0);

	NEW("arp-request-bcast");
	eth(f, mac_bcast, mac_tx, ETH_P_ARP);
	put16(f, 1), put16(f, ETH_P_IP), put8(f, 6), put8(f, 4), put16(f, 1);
	put(f, mac_tx, 6), put32(f, 0x0a000001);
	pad(f, 6, 0), put32(f, 0x0a000002);

	NEW("foreign-src-0x88b5");
	eth(f, mac_rx, mac_other, 0x88b5);
	pad(f, 46, 0x42);

	NEW("802.3-llc");
	eth(f, mac_rx, mac_tx, 38); /* a length, not a type */
	put8(f, 0x42), put8(f, 0x42), put8(f, 0x03);
	pad(f, 35, 0);

	NEW("udp-dns-5000B"); /* larger than a page: AF_PACKET pages its payload */
	eth(f, mac_rx, mac_tx, ETH_P_IP);
	ipv4(f, IPPROTO_UDP, 4986 - 20, 5, 0);
	udp(f, 33333, 53, 4986 - 28);
	dns_query(f);
	pad(f, 4986 - 28 - DNS_QUERY_LEN, 0x77);

#undef NEW
	if (n > CRAFTED_MAX)
		abort();
	return n;
}

/* The frames of an Ethernet capture that veth can carry whole (captured
 * whole, 14 to 9014 bytes), appended to frames[*n]. Returns how many it
 * added (none from another link type), or -1. */
static int add_capture(struct frame **frames, size_t *n, size_t *cap_frames,
		       const char *path)
{
	char err[PKTRUN_ERRBUF_SIZE];
	struct pktrun_capture cap;
	int added = 0;

	if (pktrun_capture_read(&cap, path, err) != 0) {
		fprintf(stderr, "tracetest: %s\n", err);
		return -1;
	}
	if (cap.linktype != PKTRUN_DLT_EN10MB) { /* veth carries Ethernet only */
		pktrun_capture_free(&cap);
		return 0;
	}
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	for (size_t i = 0; i < cap.count; i++) {
		const struct pktrun_packet *pkt = &cap.pkts[i];
		if (pkt->caplen != pkt->wirelen || pkt->caplen < 14 || pkt->caplen > FRAME_MAX)
			continue;
		if (*n == *cap_frames) {
			*cap_frames *= 2;
			*frames = realloc(*frames, *cap_frames * sizeof(**frames));
			if (!*frames)
				abort();
		}
		struct frame *f = &(*frames)[(*n)++];
		memset(f, 0, sizeof(*f));
		snprintf(f->name, sizeof(f->name), "%s#%zu", base, i + 1);
		memcpy(f->b, pkt->data, pkt->caplen);
		f->len = pkt->caplen;
		added++;
	}
	pktrun_capture_free(&cap);
	return added;
}

/* ---- Events ---------------------------------------------------------- */

struct events {
	struct tt_event *ev;
	int *frame;	/* per event: the frame sent it is, or -1 */
	size_t count, cap;
	size_t matched; /* events [0, matched) have their frame */
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct events *es = ctx;

	if (size < sizeof(struct tt_event))
		return 0;
	if (es->count == es->cap) {
		es->cap = es->cap ? 2 * es->cap : 64;
		es->ev = realloc(es->ev, es->cap * sizeof(*es->ev));
		es->frame = realloc(es->frame, es->cap * sizeof(*es->frame));
		if (!es->ev || !es->frame)
			abort();
	}
	memcpy(&es->ev[es->count++], data, sizeof(struct tt_event));
	return 0;
}

/* Is event e frame f as sent? Its bytes are f's first e->copied bytes, and
 * its full length (Ethernet header + skb->len) is f's. Or, for a tagged
 * frame, the same with its first tag moved into skb->vlan_tci. */
static int event_is_frame(const struct tt_event *e, const struct frame *f)
{
	size_t total = (size_t)e->mac_len + e->skb_len;

	if (e->copied < 14)
		return 0;
	if (total == f->len && e->copied <= f->len && memcmp(e->frame, f->b, e->copied) == 0)
		return 1;
	if (e->vlan_tci && total + 4 == f->len && e->copied <= f->len - 4 &&
	    memcmp(e->frame, f->b, 12) == 0 &&
	    memcmp(e->frame + 12, f->b + 16, e->copied - 12) == 0)
		return 2;
	return 0;
}

/* Find the frame of each new event and mark the frame seen by its hook.
 * Identical frames (a capture may repeat one) take one event each. */
static void match_events(struct events *es, struct frame *frames, size_t nframes)
{
	for (; es->matched < es->count; es->matched++) {
		const struct tt_event *e = &es->ev[es->matched];
		int best = -1, how = 0;

		for (size_t i = 0; i < nframes; i++) {
			int h = event_is_frame(e, &frames[i]);
			if (!h || e->hook >= TRACE_NR_HOOKS)
				continue;
			if (best < 0 || !frames[i].seen[e->hook]) {
				best = (int)i;
				how = h;
			}
			if (!frames[i].seen[e->hook])
				break;
		}
		es->frame[es->matched] = best;
		if (best < 0)
			continue;
		struct frame *f = &frames[best];
		f->seen[e->hook] = true;
		f->seen_untagged |= how == 2;
		f->linear = e->linear;
		f->vlan_tci |= e->vlan_tci;
	}
}

static void hexdump(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%02x%s", p[i], (i % 32 == 31 || i + 1 == n) ? "\n" : " ");
}

/* Set-up failed after the checks: a test failure, with the summary line. */
static int setup_failed(void)
{
	printf("tracetest: 0 passed, 1 failed\n");
	return 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *object = TRACETEST_OBJECT;
	const char *pcaps[64];
	size_t npcaps = 0;
	char err[PKTRUN_ERRBUF_SIZE];
	struct pktrun_ref *ref[TRACE_NR_FILTERS];
	struct events es = {0};
	int failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--pcap") == 0 && a + 1 < argc && npcaps < 64)
			pcaps[npcaps++] = argv[++a];
		else if (argv[a][0] != '-')
			object = argv[a];
		else {
			fprintf(stderr, "usage: tracetest [--pcap CAPTURE]... [OBJECT]\n");
			return 2;
		}
	}
	if (geteuid() != 0)
		return unavailable("not root");
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return unavailable("no kernel BTF (/sys/kernel/btf/vmlinux)");
	if (!find_ip())
		return unavailable("no ip command (iproute2)");
	if (access(object, R_OK) != 0)
		return unavailable("no BPF object (it is built only where the build "
				   "machine has kernel BTF)");

	for (int i = 0; i < TRACE_NR_FILTERS; i++)
		if (!(ref[i] = pktrun_ref_compile(filter_exprs[i], PKTRUN_DLT_EN10MB,
						  PKTRUN_DEFAULT_SNAPLEN, err))) {
			fprintf(stderr, "tracetest: libpcap: %s: %s\n", filter_exprs[i], err);
			return setup_failed();
		}

	/* The frames: crafted, then those of the captures. */
	struct frame *frames = calloc(CRAFTED_MAX, sizeof(*frames));
	if (!frames)
		abort();
	size_t nframes = make_frames(frames), ncrafted = nframes, ncaptures = 0;
	size_t cap_frames = CRAFTED_MAX;
	for (size_t i = 0; i < npcaps; i++) {
		int added = add_capture(&frames, &nframes, &cap_frames, pcaps[i]);
		if (added < 0)
			return setup_failed();
		if (added)
			ncaptures++;
	}
	if (npcaps)
		printf("%zu frames from %zu Ethernet captures of %zu given\n",
		       nframes - ncrafted, ncaptures, npcaps);

	/* The BPF side before the network: nothing to clean up if it does not load. */
	struct bpf_object *obj = bpf_object__open_file(object, NULL);
	if (!obj || bpf_object__load(obj) != 0) {
		fprintf(stderr, "tracetest: loading %s: %s\n", object, strerror(errno));
		return setup_failed();
	}
	int config_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "tt_config"));
	int events_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "tt_events"));
	int dropped_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "tt_dropped"));
	if (config_fd < 0 || events_fd < 0 || dropped_fd < 0) {
		fprintf(stderr, "tracetest: %s: maps tt_config, tt_events, tt_dropped missing\n", object);
		return setup_failed();
	}

	atexit(cleanup);
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		signal(fatal_signals[i], on_signal);
	if (setup_veth() != 0)
		return setup_failed();

	char nspath[128];
	struct stat st;
	snprintf(nspath, sizeof(nspath), "/run/netns/%s", ns_rx);
	struct tt_config cfg = {.ifindex = (__u32)in_netns(ns_rx, rx_ifindex, NULL)};
	if (stat(nspath, &st) != 0 || (int)cfg.ifindex <= 0) {
		fprintf(stderr, "tracetest: cannot find %s in %s\n", if_rx, ns_rx);
		return setup_failed();
	}
	cfg.netns_ino = (__u32)st.st_ino;
	int tx = in_netns(ns_tx, tx_socket, NULL);
	if (tx < 0)
		return setup_failed();
	printf("veth %s (%s) -> %s (%s, ifindex %u, netns inode %u)\n", if_tx, ns_tx,
	       if_rx, ns_rx, cfg.ifindex, cfg.netns_ino);

	struct ring_buffer *rb = ring_buffer__new(events_fd, on_event, &es, NULL);
	__u32 zero = 0;
	if (!rb || bpf_map_update_elem(config_fd, &zero, &cfg, BPF_ANY) != 0) {
		fprintf(stderr, "tracetest: ring buffer or config: %s\n", strerror(errno));
		return setup_failed();
	}

	struct bpf_link *links[TRACE_NR_HOOKS] = {0};
	const char *progs[TRACE_NR_HOOKS] = {
		[TRACE_HOOK_TP_BTF] = "trace_tp_btf",
		[TRACE_HOOK_RAW_TP] = "trace_raw_tp",
	};
	for (int h = 0; h < TRACE_NR_HOOKS; h++) {
		struct bpf_program *p = bpf_object__find_program_by_name(obj, progs[h]);
		if (!p || !(links[h] = bpf_program__attach(p))) {
			fprintf(stderr, "tracetest: attaching %s (%s): %s\n", progs[h],
				hook_names[h], strerror(errno));
			return setup_failed();
		}
	}

	/* Send every frame, then collect until each hook showed each one. */
	for (size_t i = 0; i < nframes; i++) {
		if (send(tx, frames[i].b, frames[i].len, 0) != (ssize_t)frames[i].len) {
			fprintf(stderr, "tracetest: sending %s (%zu bytes): %s\n",
				frames[i].name, frames[i].len, strerror(errno));
			failed++;
		}
		/* Receiving ran in the softirq on the way out of send(): take its
		 * events now, so the ring buffer never fills. */
		ring_buffer__consume(rb);
	}
	double deadline = now() + 5.0, quiet_until = 0;
	for (;;) {
		ring_buffer__poll(rb, 50);
		match_events(&es, frames, nframes);
		bool all = true;
		for (size_t i = 0; i < nframes; i++)
			for (int h = 0; h < TRACE_NR_HOOKS; h++)
				all = all && frames[i].seen[h];
		if (all && !quiet_until)
			quiet_until = now() + 0.3; /* late duplicates, kernel traffic */
		if ((quiet_until && now() > quiet_until) || now() > deadline)
			break;
	}
	for (int h = 0; h < TRACE_NR_HOOKS; h++)
		bpf_link__destroy(links[h]);
	ring_buffer__consume(rb);
	match_events(&es, frames, nframes);

	/* Compare. */
	size_t per_hook[TRACE_NR_HOOKS] = {0}, comparisons = 0, agreed = 0, disagreed = 0;
	size_t not_compared = 0, ours = 0;
	size_t bpf_match[TRACE_NR_FILTERS] = {0}, pcap_match[TRACE_NR_FILTERS] = {0};
	size_t compared_events = 0;

	for (size_t k = 0; k < es.count; k++) {
		const struct tt_event *e = &es.ev[k];
		const struct frame *f = es.frame[k] >= 0 ? &frames[es.frame[k]] : NULL;

		if (e->hook >= TRACE_NR_HOOKS)
			continue;
		per_hook[e->hook]++;
		ours += f != NULL;
		if (e->copied != e->linear) {
			/* The program could not copy what the stubs saw. */
			not_compared++;
			fprintf(stderr, "tracetest: %s: event of %u linear bytes not copied%s\n",
				hook_names[e->hook], e->linear, f ? " (a crafted frame)" : "");
			if (f)
				failed++;
			continue;
		}
		compared_events++;
		if (!f && e->hook == TRACE_HOOK_TP_BTF) {
			/* Not one of ours: the kernel's (IPv6 DAD, MLD, RS). */
			unsigned type = e->copied >= 14 ? (unsigned)e->frame[12] << 8 | e->frame[13] : 0;
			printf("kernel's frame: %u bytes, type 0x%04x", e->linear, type);
			if (type == ETH_P_IPV6 && e->copied >= 14 + 40 + 1 && e->frame[20] == IPPROTO_ICMPV6)
				printf(", ICMPv6 type %u", e->frame[54]);
			else if (type == ETH_P_IPV6 && e->copied >= 14 + 40 + 8 + 1 && e->frame[20] == 0)
				printf(", hop-by-hop options, then %u (ICMPv6 type %u)", e->frame[54],
				       e->frame[62]);
			printf("\n");
		}
		struct pktrun_packet pkt = {
			.data = (uint8_t *)e->frame, .caplen = e->linear, .wirelen = e->linear,
		};
		for (int i = 0; i < TRACE_NR_FILTERS; i++) {
			uint32_t want = pktrun_ref_verdict(ref[i], &pkt);
			comparisons++;
			bpf_match[i] += e->result[i] != 0;
			pcap_match[i] += want != 0;
			if (e->result[i] == want) {
				agreed++;
				continue;
			}
			disagreed++;
			fprintf(stderr, "DISAGREE %s, frame %s (linear %u of %u), \"%s\": BPF %u, libpcap %u\n",
				hook_names[e->hook], f ? f->name : "(kernel's)", e->linear,
				e->mac_len + e->skb_len, filter_exprs[i], e->result[i], want);
			hexdump(e->frame, e->copied < 128 ? e->copied : 128);
		}
	}

	printf("\n%-14s %-32s %10s %10s\n", "filter", "expression", "BPF", "libpcap");
	for (int i = 0; i < TRACE_NR_FILTERS; i++) {
		/* A filter no event matches, or every event matches, tested nothing. */
		bool exercised = pcap_match[i] > 0 && pcap_match[i] < compared_events;
		printf("%-14s %-32s %10zu %10zu%s\n", filter_names[i], filter_exprs[i],
		       bpf_match[i], pcap_match[i], exercised ? "" : "  NOT EXERCISED");
		failed += !exercised;
	}

	/* Crafted frames one per line; frames from captures only if missed. */
	size_t capture_seen[TRACE_NR_HOOKS] = {0};
	printf("\n%-20s %6s %9s %7s %s\n", "frame", "bytes", "tp_btf", "raw_tp", "linear bytes seen");
	for (size_t i = 0; i < nframes; i++) {
		const struct frame *f = &frames[i];
		for (int h = 0; h < TRACE_NR_HOOKS; h++) {
			failed += !f->seen[h];
			capture_seen[h] += !f->crafted && f->seen[h];
		}
		if (!f->crafted && f->seen[TRACE_HOOK_TP_BTF] && f->seen[TRACE_HOOK_RAW_TP])
			continue;
		printf("%-20s %6zu %9s %7s %u", f->name, f->len,
		       f->seen[TRACE_HOOK_TP_BTF] ? "seen" : "MISSING",
		       f->seen[TRACE_HOOK_RAW_TP] ? "seen" : "MISSING", f->linear);
		if (f->seen_untagged)
			printf(" (its tag moved to skb->vlan_tci)");
		else if (f->vlan_tci)
			printf(" (skb->vlan_tci 0x%x)", f->vlan_tci);
		printf("\n");
	}
	if (nframes > ncrafted)
		printf("%-20s %6zu %9zu %7zu\n", "from captures", nframes - ncrafted,
		       capture_seen[TRACE_HOOK_TP_BTF], capture_seen[TRACE_HOOK_RAW_TP]);

	__u64 lost = 0;
	bpf_map_lookup_elem(dropped_fd, &zero, &lost);
	failed += lost != 0;
	printf("\nevents: %zu (%s %zu, %s %zu), %zu of them frames sent, %zu from the kernel; lost %llu\n",
	       es.count, hook_names[0], per_hook[0], hook_names[1], per_hook[1], ours,
	       es.count - ours, (unsigned long long)lost);
	printf("filters: %d; comparisons: %zu; agreed: %zu; disagreed: %zu; events not compared: %zu\n",
	       TRACE_NR_FILTERS, comparisons, agreed, disagreed, not_compared);
	if (es.count == 0) {
		fprintf(stderr, "tracetest: no events: nothing was tested\n");
		failed++;
	}
	failed += (int)disagreed;
	printf("tracetest: %zu passed, %d failed\n", agreed, failed);

	ring_buffer__free(rb);
	close(tx);
	bpf_object__close(obj);
	for (int i = 0; i < TRACE_NR_FILTERS; i++)
		pktrun_ref_free(ref[i]);
	free(es.ev);
	free(es.frame);
	free(frames);
	return failed ? 1 : 0; /* atexit: cleanup() */
}
