/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xdpcount: count the packets an interface receives that a tcpdump filter,
 * given on the command line, matches. Attaches xdpcount.bpf.o's XDP
 * program with the filter put into its run-time stub (libpcapf_bpf), prints
 * the counts every second and the totals at the end, and detaches.
 *
 * usage: xdpcount [-S | -N] [-t SECONDS] [-O OBJECT] IFACE EXPRESSION...
 *
 *   -S          generic XDP (XDP_FLAGS_SKB_MODE), for any interface
 *   -N          native XDP (XDP_FLAGS_DRV_MODE): fails where the driver has none
 *               (default: native where the driver has it, generic elsewhere)
 *   -t SECONDS  stop after SECONDS (default: at SIGINT or SIGTERM)
 *   -O OBJECT   the BPF object (default: the one the build made)
 *
 * The expression may be several arguments, joined with spaces, as in
 * tcpdump. The program is attached through a BPF link, so it is detached
 * when xdpcount exits, however it exits.
 *
 * Exit status: 0; 1 on an error (a bad expression: libpcap's message);
 * 2 on a usage error.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "rtfilter.h"
#include "xdpcount.h"

static const char tool[] = "xdpcount";

static void usage(void)
{
	fprintf(stderr, "usage: xdpcount [-S | -N] [-t SECONDS] [-O OBJECT] IFACE EXPRESSION...\n");
	exit(2);
}

/* The map's per-CPU values, added up. */
static int read_counts(int map_fd, __u64 total[XDPCOUNT_NR])
{
	int ncpus = libbpf_num_possible_cpus();

	if (ncpus < 0)
		return ncpus;
	__u64 *percpu = calloc(ncpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	for (__u32 key = 0; key < XDPCOUNT_NR; key++) {
		if (bpf_map_lookup_elem(map_fd, &key, percpu) != 0) {
			int err = -errno;
			free(percpu);
			return err;
		}
		total[key] = 0;
		for (int cpu = 0; cpu < ncpus; cpu++)
			total[key] += percpu[cpu];
	}
	free(percpu);
	return 0;
}

static const char *mode_name(__u8 attach_mode)
{
	switch (attach_mode) {
	case XDP_ATTACHED_DRV: return "native";
	case XDP_ATTACHED_SKB: return "generic";
	case XDP_ATTACHED_HW: return "offloaded";
	default: return "unknown mode";
	}
}

int main(int argc, char *argv[])
{
	const char *object = XDPCOUNT_OBJECT;
	__u32 xdp_flags = 0;
	double seconds = 0;
	int opt;

	while ((opt = getopt(argc, argv, "+SNt:O:")) != -1) {
		switch (opt) {
		case 'S': xdp_flags = XDP_FLAGS_SKB_MODE; break;
		case 'N': xdp_flags = XDP_FLAGS_DRV_MODE; break;
		case 't': seconds = rtfilter_seconds(tool, optarg); break;
		case 'O': object = optarg; break;
		default: usage();
		}
	}
	if (argc - optind < 2)
		usage();
	const char *iface = argv[optind];
	unsigned int ifindex = if_nametoindex(iface);
	if (!ifindex) {
		fprintf(stderr, "%s: no interface %s: %s\n", tool, iface, strerror(errno));
		return 1;
	}
	char *expr = rtfilter_expression(tool, argc - optind - 1, argv + optind + 1);
	if (!expr)
		return 1;

	int status = 1;
	struct bpf_object *obj = rtfilter_load(tool, object, "match", expr);
	if (!obj)
		goto out;
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "xdp_count");
	int map_fd = bpf_object__find_map_fd_by_name(obj, "counts");
	if (!prog || map_fd < 0) {
		fprintf(stderr, "%s: %s has no program xdp_count or no map counts\n", tool, object);
		goto out;
	}
	LIBBPF_OPTS(bpf_link_create_opts, link_opts, .flags = xdp_flags);
	int link_fd = bpf_link_create(bpf_program__fd(prog), ifindex, BPF_XDP, &link_opts);
	if (link_fd < 0) {
		fprintf(stderr, "%s: cannot attach to %s: %s\n", tool, iface, strerror(errno));
		goto out;
	}
	LIBBPF_OPTS(bpf_xdp_query_opts, query);
	bpf_xdp_query(ifindex, 0, &query);
	rtfilter_catch_signals();
	fprintf(stderr, "%s: counting on %s (ifindex %u, %s XDP), filter '%s'\n", tool, iface,
		ifindex, mode_name(query.attach_mode), expr);

	__u64 counts[XDPCOUNT_NR];
	double start = rtfilter_now(), next = start + 1;
	int err = 0;
	while (!rtfilter_stop && !err) {
		double now = rtfilter_now();
		if (seconds && now >= start + seconds)
			break;
		if (now >= next) {
			err = read_counts(map_fd, counts);
			if (!err)
				printf("%7.1f s  matched %llu of %llu packets\n", now - start,
				       (unsigned long long)counts[XDPCOUNT_MATCHED],
				       (unsigned long long)counts[XDPCOUNT_TOTAL]);
			fflush(stdout);
			next += 1;
		}
		double wake = seconds && start + seconds < next ? start + seconds : next;
		if (wake > now)
			usleep((useconds_t)((wake - now) * 1e6));
	}
	if (!err)
		err = read_counts(map_fd, counts);
	close(link_fd);
	if (err) {
		fprintf(stderr, "%s: cannot read the counters: %s\n", tool, strerror(-err));
		goto out;
	}
	printf("%s: %s: matched %llu of %llu packets, filter '%s'\n", tool, iface,
	       (unsigned long long)counts[XDPCOUNT_MATCHED],
	       (unsigned long long)counts[XDPCOUNT_TOTAL], expr);
	status = 0;
out:
	bpf_object__close(obj);
	free(expr);
	return status;
}
