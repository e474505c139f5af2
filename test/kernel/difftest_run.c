/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * difftest, running: load what difftest_compile.c built and run every
 * loaded filter on every packet of the captures of its link type, each
 * verdict compared with libpcap's (pktrun_ref_verdict) as an exact u32.
 *
 * Kernel runs load each work/chunkN.bpf.o with libbpf (if one does not
 * load, its programs one at a time, to count and show the verifier's
 * refusals) and run each program with BPF_PROG_TEST_RUN (pktrun_run);
 * packets the kernel will not run are counted as skipped, by reason.
 *
 * Host runs (--host) dlopen each work/chunkN.so and call call_fN
 * in-process on every packet, whatever its length or link type, on a copy
 * that ends at an inaccessible page (hostfence.h): a read past its end is
 * reported and counted as a disagreement. With --target the stubs run on
 * the other machine (difftest_cross.c) and their verdicts are compared
 * here in the same way.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "difftest.h"

#define MAX_REPORTS_PER_FILTER 5 /* disagreements printed in full */
#define MAX_VERIFIER_LOGS 3	 /* verifier logs printed */
#define VERIFIER_LOG_TAIL 40	 /* lines of each */
#define LOG_SIZE (4u << 20)

/* The programs each filter has: XDP and TC, TC only for the skb stub
 * form, or the in-process call. */
bool has_prog(const struct difftest *t, enum prog p)
{
	if (t->opt.host)
		return p == PROG_HOST;
	if (t->opt.access == PCAPF_ACCESS_SKB || t->opt.access == PCAPF_ACCESS_SKB_LOAD_BYTES)
		return p == PROG_TC;
	return p == PROG_XDP || p == PROG_TC;
}

/* ---- loading into the kernel ------------------------------------------- */

/* libbpf's warnings during the last load, for when it fails for a reason
 * no single program explains. */
static char libbpf_msgs[16384];
static size_t libbpf_len;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN && libbpf_len < sizeof(libbpf_msgs) - 1) {
		int n = vsnprintf(libbpf_msgs + libbpf_len,
				  sizeof(libbpf_msgs) - libbpf_len, fmt, ap);
		if (n > 0)
			libbpf_len += (size_t)n;
		if (libbpf_len > sizeof(libbpf_msgs) - 1)
			libbpf_len = sizeof(libbpf_msgs) - 1;
	}
	return 0;
}

static int object_load(struct bpf_object *obj)
{
	libbpf_len = 0;
	libbpf_msgs[0] = '\0';
	return bpf_object__load(obj);
}

/* xdp_fI or tc_fI: filter I, and the program type. */
static bool program_filter(const struct bpf_program *prog, size_t *i, enum prog *p)
{
	const char *name = bpf_program__name(prog);
	int end = 0;

	if (sscanf(name, "xdp_f%zu%n", i, &end) == 1 && !name[end])
		*p = PROG_XDP;
	else if (sscanf(name, "tc_f%zu%n", i, &end) == 1 && !name[end])
		*p = PROG_TC;
	else
		return false;
	return true;
}

static char *chunk_path(const struct difftest *t, size_t c, const char *ext)
{
	char base[32];

	snprintf(base, sizeof(base), "chunk%zu", c);
	return work_path(t, base, ext);
}

/* Open chunkC.bpf.o to load the programs of its S_COMPILED filters, or
 * only program (only, p) with its verifier log in t->log. */
static struct bpf_object *open_object(struct difftest *t, size_t c, size_t only,
				      enum prog p)
{
	char *path = chunk_path(t, c, ".bpf.o");
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	size_t i;
	enum prog q;

	if (!obj)
		fatal("cannot open %s: %s\n%s", path, strerror(errno), libbpf_msgs);
	free(path);
	bpf_object__for_each_program(prog, obj) {
		bool load = program_filter(prog, &i, &q) && i < t->n_filters &&
			    (only == ALL ? t->filters[i].state == S_COMPILED
					 : i == only && q == p);
		bpf_program__set_autoload(prog, load);
		if (load && only != ALL) {
			t->log[0] = '\0';
			bpf_program__set_log_buf(prog, t->log, LOG_SIZE);
		}
	}
	return obj;
}

/* The last lines of the verifier log: the error is at the end. */
static void print_verifier_log(const struct difftest *t, size_t i, enum prog p)
{
	const char *log = t->log[0] ? t->log : libbpf_msgs;
	const char *start = log + strlen(log);

	for (int lines = 0; start > log && lines <= VERIFIER_LOG_TAIL; start--)
		lines += start[-1] == '\n';
	printf("LOAD FAILED %s_f%zu: ", prog_str(p), i);
	put_c_string(stdout, t->filters[i].expr);
	printf("\n  verifier log (last %d lines):\n%s\n", VERIFIER_LOG_TAIL, start);
}

/* Load the programs of filter i one at a time. */
static void diagnose_filter(struct difftest *t, size_t i)
{
	for (enum prog p = PROG_XDP; p <= PROG_TC; p++) {
		if (!has_prog(t, p))
			continue;
		struct bpf_object *obj = open_object(t, t->filters[i].chunk, i, p);
		if (object_load(obj) != 0) {
			t->progs_failed++;
			if (t->logs_printed++ < MAX_VERIFIER_LOGS)
				print_verifier_log(t, i, p);
			t->filters[i].state = S_LOAD_FAILED;
		}
		bpf_object__close(obj);
	}
}

/* The objects are built with -g: each program must be loaded with the
 * object's BTF and its func_info. A stub whose BTF FUNC the kernel refuses
 * takes the whole object's BTF with it, and libbpf then loads the programs
 * without BTF, with a warning only; Clang 14-16 objects went that way until
 * the plugin built their stubs' prototypes (plugin/StubPrototype.h). */
static void require_btf(const struct bpf_program *prog, size_t c)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len) != 0)
		fatal("chunk%zu.bpf.o: %s: BPF_OBJ_GET_INFO_BY_FD: %s\n", c,
		      bpf_program__name(prog), strerror(errno));
	if (!info.btf_id || !info.nr_func_info)
		fatal("chunk%zu.bpf.o: %s loaded without the object's BTF (btf_id %u, %u func_info records):\n%s",
		      c, bpf_program__name(prog), info.btf_id, info.nr_func_info, libbpf_msgs);
}

/* Load the programs of chunk c; if its object does not load, load them
 * one at a time to count and show the failures, then the others together. */
static struct bpf_object *load_chunk(struct difftest *t, size_t c)
{
	struct bpf_object *obj = open_object(t, c, ALL, PROG_XDP);
	struct bpf_program *prog;
	size_t i;
	enum prog p;

	if (object_load(obj) != 0) {
		bpf_object__close(obj);
		printf("difftest: chunk%zu.bpf.o does not load; loading its programs one by one\n", c);
		for (i = 0; i < t->n_filters; i++)
			if (t->filters[i].state == S_COMPILED && t->filters[i].chunk == c)
				diagnose_filter(t, i);
		obj = open_object(t, c, ALL, PROG_XDP);
		if (chunk_has(t, c, S_COMPILED) && object_load(obj) != 0)
			fatal("every program of chunk%zu.bpf.o loads alone but not together:\n%s",
			      c, libbpf_msgs);
	}
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__autoload(prog) || !program_filter(prog, &i, &p))
			continue;
		require_btf(prog, c);
		t->filters[i].fd[p] = bpf_program__fd(prog);
		t->filters[i].state = S_LOADED;
		t->progs_loaded++;
	}
	return obj;
}

static void load_kernel(struct difftest *t)
{
	libbpf_set_print(libbpf_print);
	t->log = xcalloc(LOG_SIZE, 1);
	for (size_t c = 0; c < t->n_chunks; c++)
		if (chunk_has(t, c, S_COMPILED))
			t->objs[c] = load_chunk(t, c);
}

/* ---- loading in-process (--host) --------------------------------------- */

/* The fence: room for the longest packet, then an inaccessible page. */
static void make_fence(struct difftest *t)
{
	size_t longest = 0;

	for (size_t c = 0; c < t->n_captures; c++)
		for (size_t k = 0; k < t->captures[c].count; k++)
			if (t->captures[c].pkts[k].caplen > longest)
				longest = t->captures[c].pkts[k].caplen;
	if (hostfence_map(longest) != 0)
		fatal("cannot map the packet fence: %s", strerror(errno));
}

/* dlopen chunk c and find the filters' functions in it. */
static void *load_library(struct difftest *t, size_t c)
{
	char *path = chunk_path(t, c, ".so"), sym[32];
	void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (!lib)
		fatal("dlopen %s: %s", path, dlerror());
	for (size_t i = 0; i < t->n_filters; i++) {
		struct filter *f = &t->filters[i];
		if (f->state != S_COMPILED || f->chunk != c)
			continue;
		snprintf(sym, sizeof(sym), "call_f%zu", i);
		f->host = (host_filter_fn *)dlsym(lib, sym);
		if (!f->host)
			fatal("%s has no %s: %s", path, sym, dlerror());
		f->state = S_LOADED;
		t->progs_loaded++;
	}
	free(path);
	return lib;
}

static void load_host(struct difftest *t)
{
	for (size_t c = 0; c < t->n_chunks; c++)
		if (chunk_has(t, c, S_COMPILED))
			t->libs[c] = load_library(t, c);
	make_fence(t);
}

void load_filters(struct difftest *t)
{
	if (!count_state(t, S_COMPILED))
		return;
	t->objs = xcalloc(t->n_chunks, sizeof(*t->objs));
	t->libs = xcalloc(t->n_chunks, sizeof(*t->libs));
	if (t->opt.target)
		load_cross(t);
	else if (t->opt.host)
		load_host(t);
	else
		load_kernel(t);
}

void unload_filters(struct difftest *t)
{
	for (size_t c = 0; t->objs && c < t->n_chunks; c++) {
		bpf_object__close(t->objs[c]);
		if (t->libs[c])
			dlclose(t->libs[c]);
	}
	free(t->objs);
	free(t->libs);
	hostfence_unmap();
	free(t->log);
}

/* ---- running ----------------------------------------------------------- */

static void put_packet(const struct pktrun_capture *cap, size_t k)
{
	const struct pktrun_packet *pkt = &cap->pkts[k];

	printf("  packet %s:%zu (%s), %u bytes (wire %u):", cap->path, k,
	       pktrun_linktype_name(cap->linktype), pkt->caplen, pkt->wirelen);
	for (uint32_t b = 0; b < pkt->caplen && b < 64; b++)
		printf("%s%02x", b % 16 ? " " : "\n    ", pkt->data[b]);
	putchar('\n');
}

enum outcome {
	RAN,	 /* the verdict is in *got */
	SKIPPED, /* the kernel did not run it (counted by reason) */
	FAULTED, /* host: the filter read past the end of the packet */
};

/* got: NULL for a read past the end */
static void report_disagreement(const struct filter *f, size_t i, enum prog p,
				const struct pktrun_capture *cap, size_t k,
				const uint32_t *got, uint32_t want)
{
	if (f->disagreed > MAX_REPORTS_PER_FILTER)
		return;
	printf("DISAGREE %s_f%zu%s%s: ", prog_str(p), i, f->name ? " " : "",
	       f->name ? f->name : "");
	put_c_string(stdout, f->expr);
	putchar('\n');
	put_packet(cap, k);
	if (got)
		printf("  got %u, libpcap %u\n", *got, want);
	else
		printf("  read past the end of the packet (a fault), libpcap %u\n", want);
	if (f->disagreed == MAX_REPORTS_PER_FILTER)
		printf("  (further disagreements of this filter are counted, not shown)\n");
}

static void count_skip(struct difftest *t, enum prog p, const struct pktrun_result *r)
{
	char why[256];

	snprintf(why, sizeof(why), "%s: %s%s%s%s", prog_str(p),
		 pktrun_status_str(r->status), r->err ? " (" : "",
		 r->err ? strerror(r->err) : "", r->err ? ")" : "");
	reasons_add(&t->skipped, why);
}

/* --host: in-process, or what the other machine (--target) said for
 * packet k of capture c. */
static enum outcome run_host(const struct difftest *t, const struct filter *f, size_t c,
			     size_t k, uint32_t *got)
{
	if (t->opt.target) {
		int64_t v = f->cross[t->cross_first[c] + k];
		*got = (uint32_t)v;
		return v < 0 ? FAULTED : RAN;
	}
	const struct pktrun_packet *pkt = &t->captures[c].pkts[k];
	return hostfence_call(f->host, pkt->data, pkt->caplen, got) == 0 ? RAN : FAULTED;
}

static enum outcome run_prog(struct difftest *t, const struct filter *f, enum prog p,
			     size_t c, size_t k, uint32_t *got)
{
	const struct pktrun_packet *pkt = &t->captures[c].pkts[k];
	struct pktrun_result r;

	if (p == PROG_HOST)
		return run_host(t, f, c, k, got);
	if (pktrun_run(f->fd[p], (enum pktrun_hook)p, pkt, &r) != PKTRUN_OK) {
		count_skip(t, p, &r);
		return SKIPPED;
	}
	*got = r.retval;
	return RAN;
}

/* Packet k of capture c through every program of filter i. */
static void run_packet(struct difftest *t, struct lt_counts *lt, size_t i, size_t c,
		       size_t k, uint32_t want)
{
	struct filter *f = &t->filters[i];
	const struct pktrun_capture *cap = &t->captures[c];
	uint32_t got = 0;
	for (enum prog p = 0; p < N_PROGS; p++) {
		if (!has_prog(t, p))
			continue;
		enum outcome o = run_prog(t, f, p, c, k, &got);
		if (o == SKIPPED) {
			lt->skipped++;
			continue;
		}
		t->runs++, lt->runs++;
		if (o == RAN && got == want) {
			t->agreed++, lt->agreed++;
		} else {
			t->disagreed++, lt->disagreed++;
			t->faults += o == FAULTED;
			f->disagreed++;
			report_disagreement(f, i, p, cap, k, o == RAN ? &got : NULL, want);
		}
		if (o == RAN && k < f->n_expected && got != f->expected[k]) {
			t->expected_mismatches++;
			printf("note: apply-test %s, packet %zu, %s: got %u, libpcap %u, "
			       "expected column %u\n",
			       f->name, k, prog_str(p), got, want, f->expected[k]);
		}
	}
}

/* --expect-past-bound: where libpcap went on past the bound (its verdict
 * differs from the bounded program's, or it did not stop), the bounded
 * program's verdict, which must be 0, is the one to compare with. */
static void compare_past_bound(struct difftest *t, const struct filter *f,
			       const struct pktrun_capture *cap, uint32_t *want,
			       bool *stopped)
{
	for (size_t k = 0; k < cap->count; k++) {
		uint32_t bounded = pktrun_ref_verdict(f->bounded, &cap->pkts[k]);

		if (stopped[k] && want[k] == bounded)
			continue;
		t->past_bound++;
		if (bounded) {
			t->past_bound_nonzero++;
			printf("past the bound: %s, packet %zu: the bounded program "
			       "returns %u, libpcap %u%s\n", f->expr, k, bounded,
			       want[k], stopped[k] ? "" : " (did not stop)");
		}
		want[k] = bounded;
		stopped[k] = true;
	}
}

/* Every loaded filter on every packet of its link type (or of its row's
 * capture). Filters whose verdict has the kernel's meaning are loaded,
 * not compared. */
void run_filters(struct difftest *t)
{
	if (t->opt.target)
		run_cross(t);
	for (size_t i = 0; i < t->n_filters; i++) {
		const struct filter *f = &t->filters[i];
		if (f->state != S_LOADED || f->kernel_meaning)
			continue;
		struct lt_counts *lt = lt_counts(t, f->linktype);
		for (size_t c = 0; c < t->n_captures; c++) {
			const struct pktrun_capture *cap = &t->captures[c];
			if (cap->linktype != f->linktype ||
			    (f->capture >= 0 && f->capture != (long)c))
				continue;
			/* libpcap 1.10.3 never stops on some crafted AH
			 * chains: no reference there, nothing to compare
			 * (counted apart, never as agreement). */
			uint32_t *want = xcalloc(cap->count + 1, sizeof(*want));
			bool *stopped = xcalloc(cap->count + 1, sizeof(*stopped));
			t->ref_unstopped += pktrun_ref_verdicts_guarded(
				f->ref, cap->pkts, cap->count, want, stopped);
			if (f->bounded)
				compare_past_bound(t, f, cap, want, stopped);
			for (size_t k = 0; k < cap->count; k++)
				if (stopped[k])
					run_packet(t, lt, i, c, k, want[k]);
			free(want);
			free(stopped);
		}
	}
}
