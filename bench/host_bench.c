/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcapf-host-bench: the plugin's host-target stubs (host_stubs.c) against
 * libpcap's bpf_filter(), in one process, on the same packets.
 *
 * For every filter of filters.def the runner compiles the expression with
 * libpcap as the plugin does (pcap_open_dead(EN10MB, 262144), optimiser on,
 * netmask unknown) and
 *
 *   1. checks, on every packet of the Ethernet captures given, that the
 *      stub's verdict equals bpf_filter()'s exactly (the u32), the stub run
 *      on a copy of the packet that ends at an inaccessible page
 *      (test/kernel/hostfence.c), so that a read past the end is a
 *      mismatch too; any mismatch ends the run before timing, exit 1;
 *   2. times both on the whole packet set: a batch is enough passes over
 *      all packets for --batch calls (default 20000), each call through a
 *      function pointer, as a user's dispatch would be, timed by
 *      CLOCK_MONOTONIC around the batch (short batches: on a shared
 *      machine a long one is often preempted); ns per packet = batch time
 *      / (passes * packets). Each round times every filter all three ways
 *      in turn (bpf_filter() first or last, alternating by round), so
 *      drift and other load spread over all; the figure is the median over
 *      the rounds, with its interquartile range.
 *
 * The stub is timed twice: called (host_<id>, another object's function,
 * through a pointer, as libpcap's bpf_filter() is) and inlined into the
 * loop (loop_<id>, as where the stub is declared in the caller's own
 * file). host_empty(), a function of the stubs' type that reads nothing,
 * called the same way, gives the cost of the call and the loop alone.
 *
 * Prints markdown. Exit status: 0; 1 on a verdict mismatch; 2 if it
 * cannot run.
 *
 * usage: pcapf-host-bench [--batch CALLS] [--rounds N] CAPTURE...
 *
 * Defaults: 20000 calls a batch, 301 rounds.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include <pcap/pcap.h>

#include "hostfence.h"
#include "host_stubs.h"
#include "pktrun.h"

struct filter {
	const char *id;
	const char *expr;
	host_filter_fn *stub;
	uint32_t (*loop)(const unsigned char *const *data, const uint32_t *len,
			 size_t n, int passes);
};

static const struct filter filters[] = {
#define BENCH_FILTER(id, expr) {#id, expr, host_##id, loop_##id},
#include "filters.def"
#undef BENCH_FILTER
};

#define NR_FILTERS (sizeof(filters) / sizeof(filters[0]))
#define MAX_ROUNDS 10001
#define MAX_SHOWN 5 /* mismatches shown per filter */
#define SNAPLEN 262144u /* the plugin's default, libpcap's maximum */

/* bpf_filter() through a pointer, as the stubs are called. */
typedef u_int bpf_filter_fn(const struct bpf_insn *, const u_char *, u_int, u_int);
static bpf_filter_fn *volatile run_bpf_filter = bpf_filter;

/* The packets, flat, as both sides read them. */
struct packets {
	size_t n;
	const unsigned char **data;
	uint32_t *caplen, *wirelen;
	size_t longest;
	int files, not_ethernet;
};

/* What was measured of one filter: per round, ns per packet. */
struct result {
	double stub[MAX_ROUNDS], inlined[MAX_ROUNDS], bpf[MAX_ROUNDS];
};

static void die(const char *what, const char *why)
{
	fprintf(stderr, "pcapf-host-bench: %s: %s\n", what, why);
	exit(2);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die("calloc", strerror(errno));
	return p;
}

/* Every packet of the Ethernet captures among paths; the others are
 * counted and skipped. The captures stay in memory (caps). */
static void read_packets(struct packets *ps, struct pktrun_capture *caps,
			 char **paths, int n)
{
	char err[PKTRUN_ERRBUF_SIZE];
	size_t total = 0;

	for (int i = 0; i < n; i++) {
		if (pktrun_capture_read(&caps[i], paths[i], err) != 0)
			die(paths[i], err);
		if (caps[i].linktype != PKTRUN_DLT_EN10MB) {
			ps->not_ethernet++;
			pktrun_capture_free(&caps[i]);
			memset(&caps[i], 0, sizeof(caps[i]));
			continue;
		}
		ps->files++;
		total += caps[i].count;
	}
	ps->data = xcalloc(total, sizeof(*ps->data));
	ps->caplen = xcalloc(total, sizeof(*ps->caplen));
	ps->wirelen = xcalloc(total, sizeof(*ps->wirelen));
	for (int i = 0; i < n; i++)
		for (size_t k = 0; k < caps[i].count; k++) {
			const struct pktrun_packet *p = &caps[i].pkts[k];

			ps->data[ps->n] = p->data;
			ps->caplen[ps->n] = p->caplen;
			ps->wirelen[ps->n] = p->wirelen;
			if (p->caplen > ps->longest)
				ps->longest = p->caplen;
			ps->n++;
		}
	if (!ps->n)
		die("captures", "no Ethernet packets to run on");
}

/* expr compiled by libpcap as the plugin compiles it. */
static void compile_reference(struct bpf_program *prog, const char *expr)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, SNAPLEN);

	if (!p)
		die("pcap_open_dead", "failed");
	if (pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0)
		die(expr, pcap_geterr(p));
	pcap_close(p);
}

/* Mismatches of the stub against bpf_filter() on the packet set, each
 * shown (up to MAX_SHOWN) on stderr. */
static unsigned long check_filter(const struct filter *f,
				  const struct bpf_program *prog,
				  const struct packets *ps)
{
	unsigned long bad = 0;

	for (size_t i = 0; i < ps->n; i++) {
		uint32_t want = bpf_filter(prog->bf_insns, ps->data[i],
					   ps->wirelen[i], ps->caplen[i]);
		uint32_t got = 0;
		bool faulted = hostfence_call(f->stub, ps->data[i], ps->caplen[i],
					      &got) != 0;

		if (!faulted && got == want)
			continue;
		if (bad++ < MAX_SHOWN) {
			if (faulted)
				fprintf(stderr, "%s: packet %zu (%u bytes): the stub read "
					"past its end (bpf_filter: %u)\n",
					f->expr, i, ps->caplen[i], want);
			else
				fprintf(stderr, "%s: packet %zu (%u bytes): stub %u, "
					"bpf_filter %u\n",
					f->expr, i, ps->caplen[i], got, want);
		}
	}
	return bad;
}

/* ---- timing ---- */

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Keeps every verdict live, so no call can be dropped. */
static volatile uint32_t sink;

/* ns per packet of fn over `passes` passes over the packets. */
static double time_stub(host_filter_fn *fn, const struct packets *ps, int passes)
{
	uint32_t sum = 0;
	double t0 = now_ns();

	for (int r = 0; r < passes; r++)
		for (size_t i = 0; i < ps->n; i++)
			sum += fn(ps->data[i], ps->caplen[i]);
	double t1 = now_ns();
	sink += sum;
	return (t1 - t0) / ((double)passes * ps->n);
}

/* The same for f's stub inlined into its loop. */
static double time_inlined(const struct filter *f, const struct packets *ps, int passes)
{
	double t0 = now_ns();

	sink += f->loop(ps->data, ps->caplen, ps->n, passes);
	return (now_ns() - t0) / ((double)passes * ps->n);
}

/* The same for bpf_filter() on prog. */
static double time_bpf_filter(const struct bpf_program *prog,
			      const struct packets *ps, int passes)
{
	bpf_filter_fn *fn = run_bpf_filter;
	const struct bpf_insn *insns = prog->bf_insns;
	uint32_t sum = 0;
	double t0 = now_ns();

	for (int r = 0; r < passes; r++)
		for (size_t i = 0; i < ps->n; i++)
			sum += fn(insns, ps->data[i], ps->wirelen[i], ps->caplen[i]);
	double t1 = now_ns();
	sink += sum;
	return (t1 - t0) / ((double)passes * ps->n);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-quantile of v[0..n), interpolating between ranks (sorts a copy). */
static double quantile(const double *v, int n, double q)
{
	static double s[MAX_ROUNDS];
	double rank = q * (n - 1);
	int lo = (int)rank;

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return lo + 1 < n ? s[lo] + (rank - lo) * (s[lo + 1] - s[lo]) : s[lo];
}

static double median(const double *v, int n)
{
	return quantile(v, n, 0.5);
}

static double iqr(const double *v, int n)
{
	return quantile(v, n, 0.75) - quantile(v, n, 0.25);
}

/* ---- report ---- */

static void print_loadavg(const char *when)
{
	char line[128] = "?";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (!fgets(line, sizeof(line), f))
			strcpy(line, "?");
		fclose(f);
	}
	line[strcspn(line, "\n")] = '\0';
	printf("Load average %s: %s.\n", when, line);
}

/* expr as a code span in a markdown table cell: its `|` (tcp-syn|tcp-fin)
 * escaped, as it would end the cell. None of the filters holds a backtick. */
static void print_cell(const char *expr)
{
	fputs("| `", stdout);
	for (; *expr; expr++) {
		if (*expr == '|')
			putchar('\\');
		putchar(*expr);
	}
	fputs("` ", stdout);
}

/* Over the filters: the geometric mean, range and count below 10x of a
 * ratio. */
struct ratio_stats {
	double log_sum, lo, hi;
	int below;
};

static void add_ratio(struct ratio_stats *st, double ratio)
{
	st->log_sum += log(ratio);
	st->lo = fmin(st->lo, ratio);
	st->hi = fmax(st->hi, ratio);
	st->below += ratio < 10;
}

static void print_ratio(const char *what, const struct ratio_stats *st)
{
	printf("bpf_filter / stub %s: geometric mean %.2fx, %.1fx to %.1fx; "
	       "%d of %zu filters below 10x.\n",
	       what, exp(st->log_sum / NR_FILTERS), st->lo, st->hi, st->below,
	       NR_FILTERS);
}

/* The table, a row per filter, and the geometric means. */
static void print_report(const struct result *res, const double *empty, int rounds)
{
	struct ratio_stats called = {0, INFINITY, 0, 0}, inlined = called;

	printf("\n| filter | stub called ns/packet (IQR) | stub inlined (IQR) "
	       "| bpf_filter ns/packet (IQR) | bpf_filter / stub called "
	       "| bpf_filter / stub inlined |\n"
	       "|---|---|---|---|---|---|\n");
	for (size_t f = 0; f < NR_FILTERS; f++) {
		double s = median(res[f].stub, rounds), in = median(res[f].inlined, rounds);
		double b = median(res[f].bpf, rounds);

		print_cell(filters[f].expr);
		printf("| %.2f (%.2f) | %.2f (%.2f) | %.2f (%.2f) | %.1f | %.1f |\n",
		       s, iqr(res[f].stub, rounds), in, iqr(res[f].inlined, rounds),
		       b, iqr(res[f].bpf, rounds), b / s, b / in);
		add_ratio(&called, b / s);
		add_ratio(&inlined, b / in);
	}
	putchar('\n');
	print_ratio("called", &called);
	print_ratio("inlined", &inlined);
	printf("The call alone (host_empty() called as the stubs are): %.2f "
	       "ns/packet (IQR %.2f).\n", median(empty, rounds), iqr(empty, rounds));
}

/* ---- main ---- */

struct options {
	int batch, rounds;
	char **captures;
	int nr_captures;
};

static void usage(void)
{
	fprintf(stderr, "usage: pcapf-host-bench [--batch CALLS] [--rounds N] CAPTURE...\n");
	exit(2);
}

static int parse_count(const char *arg, int max)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v < 1 || v > max)
		usage();
	return (int)v;
}

static void parse_options(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"batch", required_argument, NULL, 'b'},
		{"rounds", required_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	int c;

	*o = (struct options){.batch = 20000, .rounds = 301};
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'b')
			o->batch = parse_count(optarg, 100000000);
		else if (c == 'r')
			o->rounds = parse_count(optarg, MAX_ROUNDS);
		else
			usage();
	}
	o->captures = argv + optind;
	o->nr_captures = argc - optind;
	if (!o->nr_captures)
		usage();
}

int main(int argc, char **argv)
{
	static struct result res[NR_FILTERS];
	static double empty[MAX_ROUNDS];
	struct bpf_program progs[NR_FILTERS];
	struct packets ps = {0};
	struct options o;
	struct utsname u;
	unsigned long bad = 0;

	parse_options(&o, argc, argv);
	struct pktrun_capture *caps = xcalloc(o.nr_captures, sizeof(*caps));
	read_packets(&ps, caps, o.captures, o.nr_captures);
	if (hostfence_map(ps.longest) != 0)
		die("hostfence_map", strerror(errno));
	for (size_t f = 0; f < NR_FILTERS; f++) {
		compile_reference(&progs[f], filters[f].expr);
		bad += check_filter(&filters[f], &progs[f], &ps);
	}
	hostfence_unmap();
	if (bad) {
		fprintf(stderr, "pcapf-host-bench: %lu verdicts differ from bpf_filter()'s; "
			"not timed\n", bad);
		return 1;
	}

	int passes = (int)((o.batch + ps.n - 1) / ps.n);

	uname(&u);
	printf("Host stubs (plugin, host target) against libpcap %s bpf_filter(), "
	       "%s %s.\n", pcap_lib_version(), u.sysname, u.machine);
	printf("Packets: %zu, from %d Ethernet captures (%d others skipped); every "
	       "verdict of every filter equals bpf_filter()'s.\n",
	       ps.n, ps.files, ps.not_ethernet);
	printf("Batches of %d passes over the packets, %d rounds (medians; "
	       "CLOCK_MONOTONIC).\n", passes, o.rounds);
	print_loadavg("before");

	for (int r = 0; r < o.rounds; r++) {
		empty[r] = time_stub(host_empty, &ps, passes);
		for (size_t f = 0; f < NR_FILTERS; f++) {
			if (r % 2)
				res[f].bpf[r] = time_bpf_filter(&progs[f], &ps, passes);
			res[f].stub[r] = time_stub(filters[f].stub, &ps, passes);
			res[f].inlined[r] = time_inlined(&filters[f], &ps, passes);
			if (!(r % 2))
				res[f].bpf[r] = time_bpf_filter(&progs[f], &ps, passes);
		}
	}
	print_loadavg("after");
	print_report(res, empty, o.rounds);

	for (size_t f = 0; f < NR_FILTERS; f++)
		pcap_freecode(&progs[f]);
	for (int i = 0; i < o.nr_captures; i++)
		if (caps[i].pkts)
			pktrun_capture_free(&caps[i]);
	free(caps);
	free(ps.data);
	free(ps.caplen);
	free(ps.wirelen);
	return 0;
}
