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

/* call_fN of the --host library: the filter on n bytes at p. */
typedef uint32_t host_filter_fn(const unsigned char *p, unsigned long n);

struct filter {
	char *expr;
	int linktype;	  /* DLT_*, for the reference and the captures run */
	bool set_linktype; /* also "linktype=NAME" in the stub */
	uint32_t snaplen; /* pcap_compile's; also "snaplen=N" when set_snaplen */
	bool set_snaplen;
	struct pktrun_ref *ref;
	bool kernel_meaning; /* skb access, Linux ancillary loads: not compared */
	enum state state;
	size_t chunk;	 /* the generated file (and object) holding it */
	int fd[2];	 /* kernel program fds by enum prog, -1 if none */
	host_filter_fn *host;
	struct pcapf_prog *ebpf; /* --ebpf: the analysed program */
	size_t disagreed;
	/* rows of --apply-tests and --cases only */
	char *name;
	long capture; /* index of the row's capture; -1: every capture */
	uint32_t *expected; /* the results column */
	size_t n_expected;
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
	char **cflags, *cflags_buf; /* the tokens point into cflags_buf */
	size_t n_cflags;
	bool verify_only, host;
	bool ebpf;	   /* --ebpf: libpcapf's eBPF back end, not the plugin */
	unsigned ebpf_cpu; /* --mcpu N: its instruction set */
	enum pcapf_access access;
	long expect_rejected; /* filters the plugin must reject; -1: any */
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
	unsigned char *fence;	/* --host: packet copies end at fence + fence_len, */
	size_t fence_len;	/* where an inaccessible page begins */
	char *log; /* verifier log of the program being diagnosed */
	size_t logs_printed;
	struct reasons rejected, skipped, other_captures;
	size_t packets, runs, agreed, disagreed, faults, expected_mismatches;
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
struct lt_counts *lt_counts(struct difftest *t, int linktype);
void put_c_string(FILE *out, const char *s);
const char *prog_str(enum prog prog);

/* difftest_compile.c: every S_CANDIDATE filter ends S_COMPILED (in
 * work/chunkN.bpf.o, or work/chunkN.so for --host, N its chunk) or
 * rejected. */
void compile_filters(struct difftest *t);

/* difftest_ebpf.c: --ebpf's compile (S_CANDIDATE -> S_COMPILED or
 * rejected), load (-> S_LOADED or S_LOAD_FAILED) and unload. */
void ebpf_compile_filters(struct difftest *t);
void ebpf_load_filters(struct difftest *t);
void ebpf_unload_filters(struct difftest *t);

/* difftest_run.c */
void load_filters(struct difftest *t); /* S_COMPILED -> S_LOADED or S_LOAD_FAILED */
void run_filters(struct difftest *t);
void unload_filters(struct difftest *t);

#endif /* DIFFTEST_H */
