/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * difftest.h: what the three parts of difftest share.
 *
 *   difftest.c          arguments, input (filters, cases, apply tests),
 *                       libpcap's references, the report, main
 *   difftest_compile.c  the generated C file, clang with the plugin, and
 *                       the triage of the filters it rejects
 *   difftest_run.c      loading (libbpf, or dlopen for --host) and running
 *                       every filter on its packets against libpcap
 *   difftest_ebpf.c     --ebpf: libpcapf's eBPF back end in place of the
 *                       plugin and clang
 *   difftest_cross.c    --host --target: the stubs linked into crossrun
 *                       (crossrun.c) for another machine, run there once
 *                       on every packet
 *
 * difftest.c's header comment says what the test measures and how.
 */
#ifndef DIFFTEST_H
#define DIFFTEST_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "hostfence.h"
#include "pcapf.h"
#include "pktrun.h"

#define ALL SIZE_MAX /* "every filter" where a filter index is expected */

enum state {
	S_CANDIDATE,	    /* libpcap compiles it */
	S_REJECTED_LIBPCAP, /* libpcap does not */
	S_NOT_RUN,	    /* an apply-test row the plugin cannot express */
	S_PREDICTED_REJECT, /* libpcapf refuses it: clang must fail too */
	S_SUSPECT,	    /* in a file clang failed on: compiled alone */
	S_REJECTED_PLUGIN,  /* clang with the plugin fails on it */
	S_COMPILED,	    /* in the object file */
	S_LOAD_FAILED,	    /* the verifier rejects one of its programs */
	S_LOADED,
};

/* Where a filter runs: the kernel program types, or in-process. */
enum prog {
	PROG_XDP = PKTRUN_XDP,
	PROG_TC = PKTRUN_TC,
	PROG_HOST,
	N_PROGS,
};

struct filter {
	char *expr;
	int linktype;	  /* DLT_*, for the reference and the captures run */
	bool set_linktype; /* also "linktype=NAME" in the stub */
	uint32_t snaplen; /* pcap_compile's; also "snaplen=N" when set_snaplen */
	bool set_snaplen;
	struct pktrun_ref *ref;
	/* --expect-past-bound: libpcap's interpreter on libpcapf's cBPF */
	struct pktrun_ref *bounded;
	bool kernel_meaning; /* skb access, Linux ancillary loads: not compared */
	enum state state;
	size_t chunk;	 /* the generated file (and object) holding it */
	int fd[2];	 /* kernel program fds by enum prog, -1 if none */
	host_filter_fn *host;
	struct pcapf_prog *ebpf; /* --ebpf: the analysed program */
	int64_t *cross; /* --target: verdicts by cross packet number, -1 a fault */
	size_t disagreed;
	/* rows of --apply-tests and --cases only */
	char *name;
	long capture; /* index of the row's capture; -1: every capture */
	uint32_t *expected; /* the results column */
	size_t n_expected;
};

/* A command line's words, split at blanks: they point into buf. */
struct words {
	char **v, *buf;
	size_t n;
};

/* A count per distinct reason, printed most frequent first. */
struct reason {
	char *text;
	size_t n;
};
struct reasons {
	struct reason *v;
	size_t n, total;
};

/* The counts of one link type. */
struct lt_counts {
	int linktype;
	size_t filters, loaded, captures, packets, runs, agreed, disagreed, skipped;
};

struct options {
	const char *clang, *plugin, *filters, *cases, *apply_tests, *pcap_dir, *work;
	const char *linktype; /* --linktype: the link type of --filters */
	const char **includes, **pcaps, **options; /* options: --option, every stub */
	size_t n_includes, n_pcaps, n_options;
	struct words cflags; /* --cflags */
	const char *target;  /* --target: the host triple the stubs are built for */
	struct words runner; /* --runner: the command that runs its programs */
	bool verify_only, host;
	bool ebpf;	   /* --ebpf: libpcapf's eBPF back end, not the plugin */
	unsigned ebpf_cpu; /* --mcpu N: its instruction set */
	bool ebpf_inline;  /* --inline: its inline form (difftest_ebpf.c) */
	enum pcapf_access access;
	long expect_rejected; /* filters the plugin must reject; -1: any */
	/* (filter, packet) pairs past protochain's bound; -1: no such
	 * comparison (difftest.c) */
	long expect_past_bound;
};

struct difftest {
	struct options opt;
	char work[PATH_MAX];
	bool temp_work;
	struct filter *filters;
	size_t n_filters;
	struct pktrun_capture *captures;
	size_t n_captures;
	struct lt_counts *lts;
	size_t n_lts;
	size_t n_chunks;
	struct bpf_object **objs; /* kernel runs: by chunk */
	void **libs;		  /* --host: by chunk */
	/* --target: the packets in the file crossrun reads, numbered from 0,
	 * and by capture the number of its first packet (SIZE_MAX: not in it) */
	size_t n_cross_packets, *cross_first;
	char *log; /* verifier log of the program being diagnosed */
	size_t logs_printed;
	struct reasons rejected, skipped, other_captures;
	size_t packets, runs, agreed, disagreed, faults, expected_mismatches;
	/* packets on which libpcap (a looping reference) did not stop */
	size_t ref_unstopped;
	/* --expect-past-bound: (filter, packet) pairs where libpcap's loop
	 * went on past the bound (compared with the bounded program), and
	 * where the bounded program did not return 0 there (each a failure) */
	size_t past_bound, past_bound_nonzero;
	size_t progs_loaded, progs_failed;
};

/* difftest.c */
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *work_path(const struct difftest *t, const char *base, const char *ext);
void reasons_add(struct reasons *r, const char *text);
size_t count_state(const struct difftest *t, enum state state);
/* Does a filter of chunk `chunk` have state `state`? */
bool chunk_has(const struct difftest *t, size_t chunk, enum state state);
/* The options filter f's stub carries (link type, snap length, --option)
 * added to opts (whose access the caller sets), as libpcapf options. */
void filter_opts(const struct difftest *t, const struct filter *f,
		 struct pcapf_opts *opts);
/* Is linktype a link type of the filters? */
bool has_lt(const struct difftest *t, int linktype);
struct lt_counts *lt_counts(struct difftest *t, int linktype);
void put_c_string(FILE *out, const char *s);
const char *prog_str(enum prog prog);

/* difftest_compile.c: every S_CANDIDATE filter ends S_COMPILED (in
 * work/chunkN.bpf.o, work/chunkN.so for --host, or work/chunkN.o for
 * --target, N its chunk) or rejected. */
void compile_filters(struct difftest *t);
/* Start argv[0] (from PATH) with stdout and stderr to err_path; wait for
 * it: did it exit with status 0? */
pid_t spawn_command(const char *const *argv, const char *err_path);
bool wait_command(pid_t pid);
/* The contents of path (if it can be read) to out. */
void cat_file(const char *path, FILE *out);

/* difftest_cross.c: link the S_COMPILED filters into work/crossrun
 * (S_LOADED), then run it once on every packet of the filters' link types
 * and keep its verdicts in filter.cross. */
void load_cross(struct difftest *t);
void run_cross(struct difftest *t);

/* difftest_ebpf.c: --ebpf's compile (S_CANDIDATE -> S_COMPILED or
 * rejected), load (-> S_LOADED or S_LOAD_FAILED) and unload. */
void ebpf_compile_filters(struct difftest *t);
void ebpf_load_filters(struct difftest *t);
void ebpf_unload_filters(struct difftest *t);

/* difftest_run.c */
/* Does each filter have program p (XDP and TC, TC only for skb access, or
 * the in-process call)? */
bool has_prog(const struct difftest *t, enum prog p);
void load_filters(struct difftest *t); /* S_COMPILED -> S_LOADED or S_LOAD_FAILED */
void run_filters(struct difftest *t);
void unload_filters(struct difftest *t);

#endif /* DIFFTEST_H */
