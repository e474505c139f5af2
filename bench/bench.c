/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcapf-bench: pcapfilter's generated filters against hand-written XDP C,
 * and against the run-time eBPF back end.
 *
 * Three variants of every filter of filters.def: gen.bpf.o (built with the
 * plugin), hand.bpf.o (hand-written; see bench_progs.h for the programs
 * each object holds) and the run-time back end's instructions for the same
 * expression (libpcapf's pcapf_prog__emit_ebpf(), in this process; the
 * programs around them in ebpf_progs.c). Each filter comes in two forms,
 * called as a BPF subprogram and inlined. This runner
 *
 *   1. counts the filter's eBPF instructions: called, the filter function
 *      (libbpf appends the subprograms a program calls when it loads it,
 *      and check_<id> calls only the filter, so its instruction count grows
 *      by exactly the filter's size; the back end's subprogram body);
 *      inlined, the whole program icheck_<id> (the PCAPF_EBPF_XDP program);
 *   2. reads the kernel's verified_insns and JIT size (bpf_prog_info) of
 *      check_<id> (of its filter function: jited_func_lens[1]) and of
 *      icheck_<id> (jited_prog_len);
 *   3. runs check_<id> and icheck_<id> on every packet of the packet set
 *      (the captures on the command line and the timing packets) and
 *      compares their verdicts with libpcap's; a variant that disagrees
 *      anywhere is excluded from the figures;
 *   4. times BENCH_CALLS calls of the filter on one packet with
 *      BPF_PROG_TEST_RUN (repeat N), on each timing packet, as a subprogram
 *      call (loop_<id>) and inlined (iloop_<id>), and subtracts the time of
 *      the same loop around an empty filter of the same variant:
 *      ns per filter = (median t_filter - median t_empty) / BENCH_CALLS,
 *      medians over the rounds. Each round runs every program once, so
 *      drift and other load on the machine spread over all of them.
 *
 * Prints markdown. Exit status: 0, 1 if a variant disagrees with libpcap,
 * 2 if it cannot run (BPF needs root).
 *
 * usage: pcapf-bench [--gen OBJ] [--hand OBJ] [--repeat N] [--rounds N] [CAPTURE...]
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench.h"
#include "ebpf_progs.h"
#include "pktrun.h"

struct filter {
	const char *id;
	const char *expr;
};

static const struct filter filters[] = {
#define BENCH_FILTER(id, expr) {#id, expr},
#include "filters.def"
#undef BENCH_FILTER
};

#define NR_FILTERS (sizeof(filters) / sizeof(filters[0]))
#define NR_VARIANTS 3 /* generated, hand-written, run-time back end */
#define RUNTIME 2      /* the run-time back end's index */
#define MAX_ROUNDS 101
#define MAX_SHOWN 5 /* disagreements shown per filter and variant */

/* The packets timed: a mix of a hit and a miss for most filters. */
static const uint8_t syn_bytes[] = {
	/* Ethernet */
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
	0x08, 0x00,
	/* IPv4, IHL 5, DF, TTL 64, TCP, 192.168.1.10 -> 10.0.0.2 */
	0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	192, 168, 1, 10, 10, 0, 0, 2,
	/* TCP 40000 -> 80, SYN */
	0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x50, 0x02, 0xfa, 0xf0, 0x00, 0x00, 0x00, 0x00,
};

static const uint8_t dns6_bytes[] = {
	/* Ethernet */
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
	0x86, 0xdd,
	/* IPv6, payload 37, UDP, hop limit 64, 2001:db8::1 -> 2001:db8::35 */
	0x60, 0x00, 0x00, 0x00, 0x00, 0x25, 0x11, 0x40,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x35,
	/* UDP 54321 -> 53, length 37 */
	0xd4, 0x31, 0x00, 0x35, 0x00, 0x25, 0x00, 0x00,
	/* DNS query: example.com A */
	0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
	0x00, 0x01, 0x00, 0x01,
};

static const uint8_t arp_bytes[] = {
	/* Ethernet, broadcast */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
	0x08, 0x06,
	/* ARP request: who has 10.0.0.2, tell 10.0.0.1 */
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 10, 0, 0, 1,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10, 0, 0, 2,
};

struct timing_packet {
	const char *name;
	struct pktrun_packet pkt;
};

/* pktrun_packet's data is not const, but nothing writes to it. */
#define TIMING_PACKET(name, bytes)                                        \
	{name, {(uint8_t *)(bytes), sizeof(bytes), sizeof(bytes)}}

static const struct timing_packet timing[] = {
	TIMING_PACKET("IPv4 TCP SYN :80", syn_bytes),
	TIMING_PACKET("IPv6 UDP DNS", dns6_bytes),
	TIMING_PACKET("ARP request", arp_bytes),
};

#define NR_TIMING (sizeof(timing) / sizeof(timing[0]))

struct options {
	const char *obj_path[RUNTIME]; /* gen, hand */
	int repeat;
	int rounds;
	char **captures;
	int nr_captures;
};

/* How a program runs the filter: a BPF-to-BPF call, or inlined. */
enum mode { MODE_CALL, MODE_INLINE, NR_MODES };

static const char *const check_prefix[NR_MODES] = {"check_", "icheck_"};
static const char *const loop_prefix[NR_MODES] = {"loop_", "iloop_"};

/* Loop index of the empty filter, after the filters'. */
#define EMPTY NR_FILTERS

/* One variant's programs and what was measured of them. Per mode: insns
 * are the filter function's instructions (call) or the whole program's
 * (inline); verified is verified_insns of check_<id> or icheck_<id>; jit
 * the JIT's bytes of the filter function or of the whole icheck_<id>. */
struct variant {
	const char *name;
	const char *path; /* its object; NULL: the run-time back end */
	struct bpf_object *obj;
	struct ebpf_progs progs[NR_FILTERS + 1]; /* the back end's; [EMPTY] too */
	int check_fd[NR_MODES][NR_FILTERS];
	int loop_fd[NR_MODES][NR_FILTERS + 1];
	size_t insns[NR_MODES][NR_FILTERS];
	uint32_t verified[NR_MODES][NR_FILTERS];
	uint32_t jit[NR_MODES][NR_FILTERS];
	/* packets on which both forms agree with libpcap; runs that do not */
	unsigned long agree[NR_FILTERS], disagree[NR_FILTERS];
	/* over the rounds, [mode][filter][timing packet]: the median ns per
	 * filter run and its interquartile range; the median ns of one run of
	 * the empty loop */
	double ns[NR_MODES][NR_FILTERS][NR_TIMING];
	double iqr[NR_MODES][NR_FILTERS][NR_TIMING];
	double empty_ns[NR_MODES][NR_TIMING];
};

/* The packet set: every packet the verdicts are compared on. */
struct packet_set {
	struct pktrun_capture *caps;
	size_t nr_caps;
	size_t not_ethernet;		 /* captures skipped */
	unsigned long packets, skipped; /* packets, and those the kernel refused */
};

static void die(const char *what, const char *why)
{
	fprintf(stderr, "pcapf-bench: %s: %s\n", what, why);
	exit(2);
}

static struct bpf_program *find_prog(struct bpf_object *obj, const char *prefix,
				     const char *id)
{
	char name[64];
	struct bpf_program *prog;

	snprintf(name, sizeof(name), "%s%s", prefix, id);
	prog = bpf_object__find_program_by_name(obj, name);
	if (!prog)
		die(name, "no such program in the object");
	return prog;
}

/* verified_insns of the loaded program fd, and its JIT size: of the whole
 * program (inline), or of its one subprogram, the filter (call). */
static void prog_info(int fd, enum mode m, uint32_t *verified, uint32_t *jit)
{
	struct bpf_prog_info info = {0};
	uint32_t len = sizeof(info), func_lens[2] = {0};

	if (bpf_obj_get_info_by_fd(fd, &info, &len) != 0)
		die("bpf_obj_get_info_by_fd", strerror(errno));
	*verified = info.verified_insns;
	*jit = info.jited_prog_len;
	if (m == MODE_INLINE)
		return;
	if (info.nr_jited_func_lens != 2)
		die("check program", "expected a main program and one subprogram");
	memset(&info, 0, sizeof(info));
	info.nr_jited_func_lens = 2;
	info.jited_func_lens = (uintptr_t)func_lens;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) != 0)
		die("bpf_obj_get_info_by_fd", strerror(errno));
	*jit = func_lens[1];
}

/* Open and load v's object; count each filter's instructions (the growth
 * of check_<id> at load; icheck_<id> whole). */
static void object_load(struct variant *v)
{
	size_t own_insns[NR_FILTERS];

	v->obj = bpf_object__open_file(v->path, NULL);
	if (!v->obj)
		die(v->path, strerror(errno));
	for (size_t f = 0; f < NR_FILTERS; f++)
		own_insns[f] = bpf_program__insn_cnt(find_prog(v->obj, "check_", filters[f].id));
	if (bpf_object__load(v->obj) != 0)
		die(v->path, "the kernel rejected it (libbpf printed the verifier log)");
	for (size_t f = 0; f < NR_FILTERS; f++)
		for (int m = 0; m < NR_MODES; m++) {
			struct bpf_program *check =
				find_prog(v->obj, check_prefix[m], filters[f].id);

			v->insns[m][f] = bpf_program__insn_cnt(check) -
					 (m == MODE_CALL ? own_insns[f] : 0);
			v->check_fd[m][f] = bpf_program__fd(check);
		}
	for (int m = 0; m < NR_MODES; m++)
		for (size_t f = 0; f <= EMPTY; f++)
			v->loop_fd[m][f] = bpf_program__fd(find_prog(
				v->obj, loop_prefix[m], f < EMPTY ? filters[f].id : "empty"));
}

/* The run-time back end's programs for every filter and the empty one. */
static void runtime_load(struct variant *v)
{
	for (size_t f = 0; f <= EMPTY; f++) {
		struct ebpf_progs *p = &v->progs[f];

		ebpf_progs_load(p, f < EMPTY ? filters[f].expr : NULL);
		v->loop_fd[MODE_CALL][f] = p->loop_fd;
		v->loop_fd[MODE_INLINE][f] = p->iloop_fd;
		if (f == EMPTY)
			break;
		v->check_fd[MODE_CALL][f] = p->check_fd;
		v->check_fd[MODE_INLINE][f] = p->whole_fd;
		v->insns[MODE_CALL][f] = p->body_insns;
		v->insns[MODE_INLINE][f] = p->whole_insns;
	}
}

static void variant_load(struct variant *v)
{
	if (v->path)
		object_load(v);
	else
		runtime_load(v);
	for (size_t f = 0; f < NR_FILTERS; f++)
		for (int m = 0; m < NR_MODES; m++)
			prog_info(v->check_fd[m][f], m, &v->verified[m][f], &v->jit[m][f]);
}

static void variant_close(struct variant *v)
{
	if (v->path)
		bpf_object__close(v->obj);
	else
		for (size_t f = 0; f <= EMPTY; f++)
			ebpf_progs_close(&v->progs[f]);
}

/* ---- verdicts: every variant against libpcap on the packet set ---- */

static void report_disagreement(struct variant *v, size_t f, enum mode m,
				const char *where, size_t index, uint32_t want,
				uint32_t got)
{
	if (++v->disagree[f] <= MAX_SHOWN)
		fprintf(stderr, "pcapf-bench: %s %s \"%s\": %s #%zu: libpcap %u, BPF %u\n",
			v->name, m == MODE_CALL ? "called" : "inlined",
			filters[f].expr, where, index, want, got);
}

/* Run every check program (both forms) on pkt (packet number index of where). Returns
 * false if the kernel refused to run the packet: a refusal depends on the
 * packet alone, so it comes at the first run, and nothing is counted. */
static bool check_packet(struct variant *vars, struct pktrun_ref *const *refs,
			 const struct pktrun_packet *pkt, const char *where,
			 size_t index)
{
	for (int i = 0; i < NR_VARIANTS; i++) {
		struct variant *v = &vars[i];

		for (size_t f = 0; f < NR_FILTERS; f++) {
			bool agree = true;

			for (int m = 0; m < NR_MODES; m++) {
				struct pktrun_packet seen = *pkt;
				struct pktrun_result res;

				switch (pktrun_run(v->check_fd[m][f], PKTRUN_XDP, pkt, &res)) {
				case PKTRUN_OK:
					break;
				case PKTRUN_SKIP_FRAGS: /* it ran on the first res.seen bytes */
					seen.caplen = res.seen;
					break;
				default:
					return false;
				}
				uint32_t want = pktrun_ref_verdict(refs[f], &seen);

				if (res.retval != want) {
					agree = false;
					report_disagreement(v, f, m, where, index, want,
							    res.retval);
				}
			}
			v->agree[f] += agree;
		}
	}
	return true;
}

static void check_all(struct variant *vars, struct pktrun_ref *const *refs,
		      struct packet_set *set)
{
	for (size_t c = 0; c < set->nr_caps; c++) {
		struct pktrun_capture *cap = &set->caps[c];

		for (size_t i = 0; i < cap->count; i++) {
			set->packets++;
			set->skipped += !check_packet(vars, refs, &cap->pkts[i],
						      cap->path, i + 1);
		}
	}
	for (size_t p = 0; p < NR_TIMING; p++) {
		set->packets++;
		set->skipped += !check_packet(vars, refs, &timing[p].pkt,
					      timing[p].name, 1);
	}
}

/* Read the Ethernet captures among paths; count and skip the others. */
static void read_captures(struct packet_set *set, char **paths, int n)
{
	char err[PKTRUN_ERRBUF_SIZE];

	set->caps = calloc(n ? n : 1, sizeof(*set->caps));
	if (!set->caps)
		abort();
	for (int i = 0; i < n; i++) {
		struct pktrun_capture *cap = &set->caps[set->nr_caps];

		if (pktrun_capture_read(cap, paths[i], err) != 0)
			die(paths[i], err);
		if (cap->linktype != PKTRUN_DLT_EN10MB) {
			set->not_ethernet++;
			pktrun_capture_free(cap);
			continue;
		}
		set->nr_caps++;
	}
}

/* ---- timing ---- */

/* Average ns of one run of prog fd on pkt, over repeat runs. */
static double run_ns(int fd, const struct pktrun_packet *pkt, int repeat)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt->data,
		    .data_size_in = pkt->caplen, .repeat = repeat);

	if (bpf_prog_test_run_opts(fd, &opts) != 0)
		die("BPF_PROG_TEST_RUN", strerror(errno));
	return opts.duration;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-quantile of v[0..n) (sorts v), interpolating between ranks. */
static double quantile(double *v, int n, double q)
{
	double rank = q * (n - 1);
	int lo = (int)rank;

	qsort(v, n, sizeof(*v), cmp_double);
	return lo + 1 < n ? v[lo] + (rank - lo) * (v[lo + 1] - v[lo]) : v[lo];
}

static double median(double *v, int n)
{
	return quantile(v, n, 0.5);
}

/* Run times of one variant's loops: [mode][filter or EMPTY][packet][round] */
struct samples {
	double ns[NR_MODES][NR_FILTERS + 1][NR_TIMING][MAX_ROUNDS];
};

static void time_round(struct variant *vars, struct samples *s, int round,
		       int repeat)
{
	for (size_t p = 0; p < NR_TIMING; p++)
		for (int m = 0; m < NR_MODES; m++)
			for (int i = 0; i < NR_VARIANTS; i++)
				for (size_t f = 0; f <= EMPTY; f++)
					s[i].ns[m][f][p][round] = run_ns(
						vars[i].loop_fd[m][f], &timing[p].pkt, repeat);
}

/* The figures of v from its samples: per round, ns per filter run is the
 * loop's time less the empty loop's, over BENCH_CALLS. */
static void summarize(struct variant *v, struct samples *s, int rounds)
{
	double net[MAX_ROUNDS];

	for (int m = 0; m < NR_MODES; m++)
		for (size_t p = 0; p < NR_TIMING; p++) {
			double *empty = s->ns[m][EMPTY][p];

			for (size_t f = 0; f < NR_FILTERS; f++) {
				for (int r = 0; r < rounds; r++)
					net[r] = (s->ns[m][f][p][r] - empty[r]) / BENCH_CALLS;
				v->ns[m][f][p] = median(net, rounds);
				v->iqr[m][f][p] = quantile(net, rounds, 0.75) -
						  quantile(net, rounds, 0.25);
			}
			v->empty_ns[m][p] = median(empty, rounds);
		}
}

/* Time every loop, rounds times. Each round after the first reloads both
 * objects: the JIT places each program at a random offset in its memory,
 * and the alignment of the code changes its speed by up to a cycle or so
 * per filter run; over the rounds, the medians take in many placements. */
static void time_all(struct variant *vars, int repeat, int rounds)
{
	struct samples *s = calloc(NR_VARIANTS, sizeof(*s));

	if (!s)
		abort();
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; r > 0 && i < NR_VARIANTS; i++) {
			variant_close(&vars[i]);
			variant_load(&vars[i]);
		}
		time_round(vars, s, r, repeat);
	}
	for (int i = 0; i < NR_VARIANTS; i++)
		summarize(&vars[i], &s[i], rounds);
	free(s);
}

static double filter_ns_avg(const struct variant *v, enum mode m, size_t f)
{
	double sum = 0;

	for (size_t p = 0; p < NR_TIMING; p++)
		sum += v->ns[m][f][p];
	return sum / NR_TIMING;
}

/* The median interquartile range of the per-round figures, over all
 * filters, packets and both variants in mode m: the noise to read the
 * figures against. */
static double typical_iqr(const struct variant *vars, enum mode m)
{
	double all[NR_VARIANTS * NR_FILTERS * NR_TIMING];
	int n = 0;

	for (int i = 0; i < NR_VARIANTS; i++)
		for (size_t f = 0; f < NR_FILTERS; f++)
			for (size_t p = 0; p < NR_TIMING; p++)
				all[n++] = vars[i].iqr[m][f][p];
	return median(all, n);
}

/* ---- report ---- */

static bool excluded(const struct variant *v, size_t f)
{
	return v->disagree[f] != 0;
}

/* A figure of variant v for filter f, or "excluded" if v disagrees. The
 * buffers are reused after 16 calls: enough for any one printf here. */
static const char *fig(const struct variant *v, size_t f, const char *fmt, double x)
{
	static char buf[16][32];
	static int next;
	char *b = buf[next++ % 16];

	if (excluded(v, f))
		return "excluded";
	snprintf(b, sizeof(buf[0]), fmt, x);
	return b;
}

static void print_cpu_model(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256], model[256] = "?\n";

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "model name", 10) == 0 && strchr(line, ':')) {
			snprintf(model, sizeof(model), "%s", strchr(line, ':') + 2);
			break;
		}
	if (f)
		fclose(f);
	printf("CPU %s", model);
}

static void print_setup(const struct options *o, const struct packet_set *set,
			const struct variant *vars)
{
	struct utsname u;

	uname(&u);
	printf("- Kernel %s %s, ", u.release, u.machine);
	print_cpu_model();
	printf("- %d filter runs per program run, BPF_PROG_TEST_RUN repeat %d, "
	       "rounds: %d (medians; objects reloaded each round).\n",
	       BENCH_CALLS, o->repeat, o->rounds);
	printf("- Timing packets:");
	for (size_t p = 0; p < NR_TIMING; p++)
		printf(" %s (%u bytes)%s", timing[p].name, timing[p].pkt.caplen,
		       p + 1 < NR_TIMING ? "," : ".\n");
	printf("- Noise: a figure's typical interquartile range over the rounds "
	       "is %.2f ns (call), %.2f ns (inline).\n",
	       typical_iqr(vars, MODE_CALL), typical_iqr(vars, MODE_INLINE));
	printf("- Verdicts checked on %lu packets: the timing packets and those "
	       "of the Ethernet captures (%zu; captures of other link types "
	       "skipped: %zu); the kernel refused %lu (not compared).\n\n",
	       set->packets, set->nr_caps, set->not_ethernet, set->skipped);
}

/* A filter's expression as a markdown table cell's code span: a `|` in it
 * (tcp-syn|tcp-fin) would end the cell, so it is escaped. */
static const char *cell(const char *expr)
{
	static char buf[512];
	size_t n = 0;

	for (; *expr && n + 2 < sizeof(buf); expr++) {
		if (*expr == '|')
			buf[n++] = '\\';
		buf[n++] = *expr;
	}
	buf[n] = '\0';
	return buf;
}

static void print_main_table(const struct variant *gen, const struct variant *hand,
			     unsigned long compared)
{
	printf("| filter | insns gen | insns hand | verified gen | verified hand "
	       "| call ns gen | call ns hand | inline ns gen | inline ns hand "
	       "| agree gen | agree hand |\n");
	printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
	for (size_t f = 0; f < NR_FILTERS; f++)
		printf("| `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %lu/%lu | %lu/%lu |\n",
		       cell(filters[f].expr), fig(gen, f, "%.0f", gen->insns[MODE_CALL][f]),
		       fig(hand, f, "%.0f", hand->insns[MODE_CALL][f]),
		       fig(gen, f, "%.0f", gen->verified[MODE_CALL][f]),
		       fig(hand, f, "%.0f", hand->verified[MODE_CALL][f]),
		       fig(gen, f, "%.2f", filter_ns_avg(gen, MODE_CALL, f)),
		       fig(hand, f, "%.2f", filter_ns_avg(hand, MODE_CALL, f)),
		       fig(gen, f, "%.2f", filter_ns_avg(gen, MODE_INLINE, f)),
		       fig(hand, f, "%.2f", filter_ns_avg(hand, MODE_INLINE, f)),
		       gen->agree[f], compared, hand->agree[f], compared);
}

/* The timing packets libpcap's filter f matches, as "syn, arp". */
static const char *matches(struct pktrun_ref *ref)
{
	static char buf[128];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t p = 0; p < NR_TIMING; p++)
		if (pktrun_ref_verdict(ref, &timing[p].pkt))
			len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
					len ? ", " : "", timing[p].name);
	return len ? buf : "none";
}

static void print_packet_table(const struct variant *vars,
			       struct pktrun_ref *const *refs, enum mode m)
{
	printf("| filter | matches |");
	for (size_t p = 0; p < NR_TIMING; p++)
		for (int i = 0; i < NR_VARIANTS; i++)
			printf(" %s %s |", timing[p].name, vars[i].name);
	printf("\n|---|---|");
	for (size_t p = 0; p < NR_TIMING * NR_VARIANTS; p++)
		printf("--:|");
	printf("\n");
	for (size_t f = 0; f < NR_FILTERS; f++) {
		printf("| `%s` | %s |", cell(filters[f].expr), matches(refs[f]));
		for (size_t p = 0; p < NR_TIMING; p++)
			for (int i = 0; i < NR_VARIANTS; i++)
				printf(" %s |", fig(&vars[i], f, "%.2f", vars[i].ns[m][f][p]));
		printf("\n");
	}
	printf("| empty loop, ns per run | |");
	for (size_t p = 0; p < NR_TIMING; p++)
		for (int i = 0; i < NR_VARIANTS; i++)
			printf(" %.0f |", vars[i].empty_ns[m][p]);
	printf("\n");
}

/* The figures the run-time back end's tables set side by side. */
enum measure { INSNS, VERIFIED, JIT, NS, NR_MEASURES };

static const char *const measure_name[NR_MEASURES] = {"insns", "verified", "JIT",
						      "ns"};

static double measure(const struct variant *v, enum measure what, enum mode m,
		      size_t f)
{
	switch (what) {
	case INSNS:
		return v->insns[m][f];
	case VERIFIED:
		return v->verified[m][f];
	case JIT:
		return v->jit[m][f];
	default:
		return filter_ns_avg(v, m, f);
	}
}

/* Timing figures closer to 0 than this (ns) are noise, not a base for a
 * ratio; the report says how many it left out. */
#define MIN_RATIO_NS 0.05

/* a / b, or 0 where there is no meaningful ratio. */
static double ratio(double a, double b, enum measure what)
{
	if (what == NS && (a < MIN_RATIO_NS || b < MIN_RATIO_NS))
		return 0;
	return b > 0 ? a / b : 0;
}

static void print_form_table(const struct variant *vars, enum mode m)
{
	printf("| filter |");
	for (int w = 0; w < NR_MEASURES; w++)
		for (int i = 0; i < NR_VARIANTS; i++)
			printf(" %s %s |", measure_name[w], vars[i].name);
	printf("\n|---|");
	for (int w = 0; w < NR_MEASURES * NR_VARIANTS; w++)
		printf("--:|");
	printf("\n");
	for (size_t f = 0; f < NR_FILTERS; f++) {
		printf("| `%s` |", cell(filters[f].expr));
		for (int w = 0; w < NR_MEASURES; w++)
			for (int i = 0; i < NR_VARIANTS; i++)
				printf(" %s |", fig(&vars[i], f, w == NS ? "%.2f" : "%.0f",
						    measure(&vars[i], w, m, f)));
		printf("\n");
	}
}

/* The geometric mean of the ratios ebpf / base over the filters neither
 * excludes, for every measure and form; a row of the ratio table. */
static void print_geomean_row(const struct variant *vars, int base)
{
	const struct variant *rt = &vars[RUNTIME], *b = &vars[base];

	printf("| geometric mean, %s / %s |", rt->name, b->name);
	for (int m = 0; m < NR_MODES; m++)
		for (int w = 0; w < NR_MEASURES; w++) {
			double log_sum = 0;
			int n = 0, left_out = 0;

			for (size_t f = 0; f < NR_FILTERS; f++) {
				double r = ratio(measure(rt, w, m, f), measure(b, w, m, f), w);

				if (excluded(rt, f) || excluded(b, f))
					continue;
				if (r > 0) {
					log_sum += log(r);
					n++;
				} else {
					left_out++;
				}
			}
			printf(n ? " **%.2f**" : " -", n ? exp(log_sum / n) : 0);
			printf(left_out ? " (%d left out) |" : " |", left_out);
		}
	printf(" |\n");
}

static void print_ratio_table(const struct variant *vars)
{
	const struct variant *rt = &vars[RUNTIME], *gen = &vars[0];

	printf("| filter |");
	for (int m = 0; m < NR_MODES; m++)
		for (int w = 0; w < NR_MEASURES; w++)
			printf(" %s %s |", measure_name[w],
			       m == MODE_CALL ? "called" : "inlined");
	printf(" agree %s |\n|---|", rt->name);
	for (int w = 0; w <= NR_MODES * NR_MEASURES; w++)
		printf("--:|");
	printf("\n");
	for (size_t f = 0; f < NR_FILTERS; f++) {
		printf("| `%s` |", cell(filters[f].expr));
		for (int m = 0; m < NR_MODES; m++)
			for (int w = 0; w < NR_MEASURES; w++) {
				double r = ratio(measure(rt, w, m, f),
						 measure(gen, w, m, f), w);

				printf(" %s |", excluded(gen, f) ? "excluded"
					       : r > 0 ? fig(rt, f, "%.2f", r) : "-");
			}
		printf(" %lu |\n", rt->agree[f]);
	}
	print_geomean_row(vars, 0);
	print_geomean_row(vars, 1);
}

/* Filters whose PCAPF_EBPF_XDP program is not the context loads and the
 * subprogram body: for them the inlined timing is of the body only. */
static void print_whole_vs_body(const struct variant *rt)
{
	int n = 0;

	for (size_t f = 0; f < NR_FILTERS; f++)
		if (!rt->progs[f].whole_is_body)
			printf("%s`%s`", n++ ? ", " : "- The XDP program is not the "
			       "context loads and the subprogram body for: ",
			       filters[f].expr);
	printf(n ? "; their inlined ns time the subprogram body inlined.\n\n"
		 : "- Every XDP program is its two context loads and the "
		   "subprogram body, unchanged.\n\n");
}

static void print_runtime_report(const struct variant *vars)
{
	printf("\n## Run-time eBPF back end\n\n");
	printf("%s: pcapf_prog__emit_ebpf() of libpcapf (direct access, "
	       "Ethernet). Called: its PCAPF_EBPF_SUBPROG body as the subprogram "
	       "of a check program like check_<id> (4 instructions: context "
	       "loads, call, exit) and of a loop of %d BPF-to-BPF calls. "
	       "Inlined: its PCAPF_EBPF_XDP program, against icheck_<id> of the "
	       "objects (the always_inline filter in an XDP program); timed as "
	       "%d copies of the body inlined in one program, each exit a jump "
	       "past its copy. insns: called, the filter function; inlined, the "
	       "whole program. JIT: x86-64 bytes of the filter function "
	       "(jited_func_lens) / of the whole program (jited_prog_len).\n\n",
	       vars[RUNTIME].name, BENCH_CALLS, BENCH_CALLS);
	print_whole_vs_body(&vars[RUNTIME]);
	printf("Called:\n\n");
	print_form_table(vars, MODE_CALL);
	printf("\nInlined (whole XDP program):\n\n");
	print_form_table(vars, MODE_INLINE);
	printf("\nRatios %s / gen (the plugin's output); ns ratios leave out "
	       "figures below %.2f ns (\"-\"); agree: packets on which both forms "
	       "of %s return libpcap's verdict:\n\n", vars[RUNTIME].name,
	       MIN_RATIO_NS, vars[RUNTIME].name);
	print_ratio_table(vars);
}

static void print_report(const struct options *o, const struct packet_set *set,
			 const struct variant *vars, struct pktrun_ref *const *refs)
{
	unsigned long compared = set->packets - set->skipped;

	printf("## pcapfilter: generated vs hand-written filters\n\n");
	print_setup(o, set, vars);
	printf("insns: eBPF instructions of the filter function in the object. "
	       "verified: the kernel's verified_insns for a program that calls "
	       "it once (4 instructions of its own). call ns / inline ns: ns per "
	       "filter run, called as a BPF subprogram / inlined, net of an "
	       "empty filter, averaged over the timing packets. agree: verdicts "
	       "equal to libpcap's.\n\n");
	print_main_table(&vars[0], &vars[1], compared);
	printf("\nns per filter run, called as a subprogram, per timing packet "
	       "(matches: the timing packets the filter matches):\n\n");
	print_packet_table(vars, refs, MODE_CALL);
	printf("\nns per filter run, inlined, per timing packet:\n\n");
	print_packet_table(vars, refs, MODE_INLINE);
	print_runtime_report(vars);
}

/* ---- main ---- */

static void usage(void)
{
	fprintf(stderr, "usage: pcapf-bench [--gen OBJ] [--hand OBJ] [--repeat N] "
			"[--rounds N] [CAPTURE...]\n");
	exit(2);
}

static void parse_options(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"gen", required_argument, NULL, 'g'},
		{"hand", required_argument, NULL, 'h'},
		{"repeat", required_argument, NULL, 'r'},
		{"rounds", required_argument, NULL, 'n'},
		{0},
	};
	int c;

	*o = (struct options){
		.obj_path = {BENCH_GEN_OBJECT, BENCH_HAND_OBJECT},
		.repeat = 20000,
		.rounds = 15,
	};
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'g':
			o->obj_path[0] = optarg;
			break;
		case 'h':
			o->obj_path[1] = optarg;
			break;
		case 'r':
			o->repeat = atoi(optarg);
			break;
		case 'n':
			o->rounds = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (o->repeat < 1 || o->rounds < 1 || o->rounds > MAX_ROUNDS)
		usage();
	o->captures = argv + optind;
	o->nr_captures = argc - optind;
}

int main(int argc, char **argv)
{
	static struct variant vars[NR_VARIANTS];
	struct pktrun_ref *refs[NR_FILTERS];
	struct packet_set set = {0};
	struct options o;
	char err[PKTRUN_ERRBUF_SIZE];
	bool disagree = false;

	parse_options(&o, argc, argv);
	if (pktrun_bpf_check(err, sizeof(err)) != 0)
		die("BPF cannot run here", err);
	vars[0] = (struct variant){.name = "gen", .path = o.obj_path[0]};
	vars[1] = (struct variant){.name = "hand", .path = o.obj_path[1]};
	vars[RUNTIME] = (struct variant){.name = "ebpf"};
	for (int i = 0; i < NR_VARIANTS; i++)
		variant_load(&vars[i]);
	for (size_t f = 0; f < NR_FILTERS; f++)
		if (!(refs[f] = pktrun_ref_compile(filters[f].expr, PKTRUN_DLT_EN10MB,
						   PKTRUN_DEFAULT_SNAPLEN, err)))
			die(filters[f].expr, err);

	read_captures(&set, o.captures, o.nr_captures);
	check_all(vars, refs, &set);
	time_all(vars, o.repeat, o.rounds);
	print_report(&o, &set, vars, refs);

	for (int i = 0; i < NR_VARIANTS; i++)
		for (size_t f = 0; f < NR_FILTERS; f++)
			disagree |= excluded(&vars[i], f);
	for (size_t f = 0; f < NR_FILTERS; f++)
		pktrun_ref_free(refs[f]);
	for (size_t c = 0; c < set.nr_caps; c++)
		pktrun_capture_free(&set.caps[c]);
	free(set.caps);
	for (int i = 0; i < NR_VARIANTS; i++)
		variant_close(&vars[i]);
	return disagree ? 1 : 0;
}
