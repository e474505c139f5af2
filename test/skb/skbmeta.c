// SPDX-License-Identifier: BSD-2-Clause
/*
 * skbmeta.c: checks that Linux extensions read in struct __sk_buff stubs
 * have the kernel's meaning (libpcap offline reads them as 0, so libpcap
 * cannot be the reference here). BPF_PROG_TEST_RUN builds the skb on the
 * loopback device of the current network namespace with eth_type_trans(),
 * which fixes every value from first principles:
 *   proto     the frame's ethertype;
 *   pkttype   PACKET_HOST (0) for lo's address 00:00:00:00:00:00,
 *             PACKET_MULTICAST (2) for a group address (ff:ff:ff:ff:ff:ff
 *             too: lo's broadcast address is all zeros, so nothing is
 *             PACKET_BROADCAST there), else PACKET_OTHERHOST (3);
 *   ifindex   lo's, 1;  mark  what ctx_in sets;  queue  0;
 *   vlan tag, present, tpid  0 (no accelerated tag in a test run);
 *   cpu       a possible CPU;  random  not constant over 32 runs;
 *   alu_xor_x A ^ X.
 * Both skb access modes must agree (skb, skb_load_bytes). Needs root; it
 * fails, never skips, when BPF cannot run.
 * Usage: skbmeta OBJECT
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_packet.h>

#define MARK 0xabcd1234u
#define MATCH 262144u

static int passed, failed;

/* A 60-byte Ethernet frame to dst: IPv4/UDP (TC test runs want a whole
 * IPv4 header). */
static void make_frame(unsigned char *f, const unsigned char dst[6])
{
	static const unsigned char rest[] = {
		0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,		/* src, IPv4 */
		0x45, 0, 0, 46, 0, 0, 0, 0, 64, 17, 0, 0,	/* IPv4, UDP */
		10, 0, 0, 1, 10, 0, 0, 2, 0x30, 0x39, 0, 53, 0, 26, 0, 0,
	};
	memset(f, 0, 60);
	memcpy(f, dst, 6);
	memcpy(f + 6, rest, sizeof(rest));
}

static int run(struct bpf_object *obj, const char *name, const unsigned char *frame,
	       __u32 *retval)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);
	struct __sk_buff ctx = {.mark = MARK};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = 60,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = 1);

	if (!prog) {
		fprintf(stderr, "skbmeta: no program %s\n", name);
		return -1;
	}
	if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts)) {
		fprintf(stderr, "skbmeta: test run of %s: %s\n", name, strerror(errno));
		return -1;
	}
	*retval = opts.retval;
	return 0;
}

/* Both access modes of an ANCILLARY() pair return want. */
static void expect(struct bpf_object *obj, const char *name, const char *frame_name,
		   const unsigned char *frame, __u32 want)
{
	char lb[64];
	const char *names[2] = {name, lb};

	snprintf(lb, sizeof(lb), "%s_loadbytes", name);
	for (int m = 0; m < 2; m++) {
		__u32 got;
		if (m == 1 && !bpf_object__find_program_by_name(obj, lb))
			break;
		if (run(obj, names[m], frame, &got) || got != want) {
			if (!errno || got != want)
				fprintf(stderr, "skbmeta: %s on %s: got %u, want %u\n",
					names[m], frame_name, got, want);
			failed++;
		} else {
			passed++;
		}
	}
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		unsigned char dst[6];
		__u32 pkttype;
	} frames[] = {
		{"to lo's address", {0, 0, 0, 0, 0, 0}, PACKET_HOST},
		{"ff:ff:ff:ff:ff:ff", {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, PACKET_MULTICAST},
		{"multicast", {0x01, 0x00, 0x5e, 0, 0, 1}, PACKET_MULTICAST},
		{"to another host", {0x02, 0x11, 0x22, 0x33, 0x44, 0x55}, PACKET_OTHERHOST},
	};
	unsigned char frame[60];
	struct bpf_object *obj;
	long cpus = sysconf(_SC_NPROCESSORS_CONF);

	if (argc != 2) {
		fprintf(stderr, "usage: skbmeta OBJECT\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "skbmeta: cannot load %s: %s (needs root and BPF)\n",
			argv[1], strerror(errno));
		return 2;
	}
	for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		const char *fn = frames[i].name;
		__u32 cpu;

		make_frame(frame, frames[i].dst);
		expect(obj, "proto", fn, frame, 0x0800);
		expect(obj, "pkttype", fn, frame, frames[i].pkttype);
		expect(obj, "ifindex", fn, frame, 1);
		expect(obj, "mark", fn, frame, MARK);
		expect(obj, "queue", fn, frame, 0);
		expect(obj, "vlan_tag", fn, frame, 0);
		expect(obj, "vlan_present", fn, frame, 0);
		expect(obj, "vlan_tpid", fn, frame, 0);
		expect(obj, "xor_x", fn, frame, 0xff00u ^ 0x0f0fu);
		expect(obj, "inbound", fn, frame, MATCH);
		expect(obj, "outbound", fn, frame, 0);
		expect(obj, "on_lo", fn, frame, MATCH);
		expect(obj, "on_7", fn, frame, 0);
		expect(obj, "inbound_udp", fn, frame, MATCH);
		if (!run(obj, "cpu", frame, &cpu) && cpu < (__u32)cpus) {
			passed++;
		} else {
			fprintf(stderr, "skbmeta: cpu %u not below %ld\n", cpu, cpus);
			failed++;
		}
	}
	/* random: 32 runs of each mode give more than one value. */
	for (int m = 0; m < 2; m++) {
		const char *name = m ? "random_loadbytes" : "random";
		__u32 first = 0, v, distinct = 0;
		for (int r = 0; r < 32; r++) {
			if (run(obj, name, frame, &v))
				break;
			if (r == 0)
				first = v;
			else if (v != first)
				distinct++;
		}
		if (distinct) {
			passed++;
		} else {
			fprintf(stderr, "skbmeta: %s returned %u 32 times\n", name, first);
			failed++;
		}
	}
	bpf_object__close(obj);
	printf("skbmeta: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
