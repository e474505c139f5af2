/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * difftest: the kernel differential test of pcapfilter.
 *
 * What it measures. A pcapfilter stub must return, in the kernel, exactly
 * the 32-bit value libpcap's interpreter (pcap_offline_filter) returns for
 * the same packet bytes: the snap length on a match, 0 otherwise. difftest
 * checks that claim end to end, through everything a user's build goes
 * through: the Clang plugin, the BPF back end at the chosen -O and -mcpu,
 * libbpf, the kernel verifier and the kernel's JIT or interpreter.
 *
 * Why in the kernel. The translation's hard cases (out-of-bounds loads,
 * division by zero, 32-bit compares, shifts, scratch memory; see
 * SEMANTICS.md) are exactly where eBPF and libpcap differ, so only a
 * run of the real program on real bytes shows the translation is right.
 *
 * How. For every expression it writes one BPF C file holding, per filter i,
 * the two stub shapes and a program for each:
 *
 *   static __noinline __u32 fi_xdp(struct xdp_md *ctx) __pcap_filter(...);
 *   static __u32 fi_pp(void *data, void *data_end) __pcap_filter(...);
 *   SEC("xdp") int xdp_fi(...)  calls fi_xdp   (a BPF-to-BPF call)
 *   SEC("tc")  int tc_fi(...)   calls fi_pp    (inlined into the program)
 *
 * compiles it once with the plugin, loads it with libbpf, runs every
 * Ethernet packet through both programs of every filter with
 * BPF_PROG_TEST_RUN, and compares each return value with libpcap's verdict
 * for the same bytes (pktrun.h). Expressions libpcap rejects, the plugin
 * rejects (found by compiling them one by one when the whole file fails) or
 * the verifier rejects are counted by reason; a few of them do not sink the
 * run. Packets the kernel will not run are counted as skipped, by reason.
 *
 * Input, one of:
 *   --filters FILE --pcap FILE...   every filter (one expression a line,
 *                                   # comments) on every Ethernet packet
 *                                   of the captures
 *   --cases TSV                     one packet per filter: rows of name,
 *                                   expression, packet in hex, why
 *                                   (semantics-cases.tsv)
 *   --apply-tests TSV --pcap-dir D  libpcap's own apply tests (EN10MB rows,
 *                                   the row's snap length as "snaplen=N"),
 *                                   compared with live libpcap (the
 *                                   verdict) and with the expected-results
 *                                   column (written for libpcap's head, so
 *                                   a mismatch there is a note, not a
 *                                   failure)
 * --verify-only stops after loading: the verifier matrix, run at -O1..-O3
 * and -mcpu=v1..v4 through --cflags. clang runs as: CLANG -target bpf -g
 * CFLAGS (default -O2) -fplugin=PLUGIN -I DIR... -idirafter <multiarch
 * include dir> -c.
 *
 * Details. Packets are named file:index, numbered from 0. libpcap's verdict
 * is taken with the packet length set to the captured length (pktrun.c
 * says why). Work files (the generated C, objects, clang's messages) go to
 * --work DIR and stay there; without it, to a temporary directory removed
 * when the run passes.
 *
 * Exit status: 0 when every loaded filter agreed on every run; 1 on any
 * disagreement, load failure, or when the plugin compiled nothing; 2 when
 * the test cannot run at all (bad arguments, unreadable files, no clang,
 * or BPF unavailable, e.g. not root). The last line is always
 * "difftest: N passed, M failed": N filters loaded and agreed on every run,
 * M filters failed to load or disagreed; rejected filters are neither.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "pcapf.h"
#include "pktrun.h"

/* Where <asm/types.h> lives for -target bpf (Debian multiarch). */
#ifndef DIFFTEST_SYSINC
#define DIFFTEST_SYSINC "/usr/include/x86_64-linux-gnu"
#endif

#define ALL SIZE_MAX		  /* "every filter" for write_source() */
#define MAX_REPORTS_PER_FILTER 5  /* disagreements printed in full */
#define MAX_VERIFIER_LOGS 3	  /* verifier logs printed */
#define VERIFIER_LOG_TAIL 40	  /* lines of each */
#define LOG_SIZE (4u << 20)

enum state {
	S_CANDIDATE,	    /* libpcap compiles it */
	S_REJECTED_LIBPCAP, /* libpcap does not */
	S_NOT_RUN,	    /* an apply-test row the plugin cannot express */
	S_PREDICTED_REJECT, /* libpcapf refuses it: clang must fail too */
	S_REJECTED_PLUGIN,  /* clang with the plugin fails on it */
	S_COMPILED,	    /* in the object file */
	S_LOAD_FAILED,	    /* the verifier rejects one of its programs */
	S_LOADED,
};

struct filter {
	char *expr;
	uint32_t snaplen; /* pcap_compile's; also "snaplen=N" when set_snaplen */
	bool set_snaplen;
	struct pktrun_ref *ref;
	enum state state;
	pid_t clang_pid; /* while compiled alone */
	int fd[2];	 /* program fds, by enum pktrun_hook */
	size_t disagreed;
	/* rows of --apply-tests and --cases only */
	char *name;
	long capture; /* index of the row's capture; -1: every capture */
	uint32_t *expected;		/* the results column */
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

struct options {
	const char *clang, *plugin, *filters, *cases, *apply_tests, *pcap_dir, *work;
	const char **includes, **pcaps;
	size_t n_includes, n_pcaps;
	char **cflags, *cflags_buf; /* the tokens point into cflags_buf */
	size_t n_cflags;
	bool verify_only;
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
	struct bpf_object *obj;
	char *log; /* verifier log of the program being diagnosed */
	size_t logs_printed;
	struct reasons rejected, skipped, other_captures;
	size_t ethernet_captures, packets, runs, agreed, disagreed, expected_mismatches;
	size_t progs_loaded, progs_failed;
};

static void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("difftest: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	printf("difftest: 0 passed, 0 failed\n");
	exit(2);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		fatal("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n, size_t size)
{
	p = reallocarray(p, n ? n : 1, size);
	if (!p)
		fatal("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		fatal("out of memory");
	return d;
}

/* work/base.ext, to free */
static char *work_path(const struct difftest *t, const char *base, const char *ext)
{
	char *path;

	if (asprintf(&path, "%s/%s%s", t->work, base, ext) < 0)
		fatal("out of memory");
	return path;
}

/* ---- reasons ----------------------------------------------------------- */

static void reasons_add(struct reasons *r, const char *text)
{
	r->total++;
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->v[i].text, text) == 0) {
			r->v[i].n++;
			return;
		}
	}
	r->v = xrealloc(r->v, r->n + 1, sizeof(*r->v));
	r->v[r->n++] = (struct reason){xstrdup(text), 1};
}

static int reason_cmp(const void *a, const void *b)
{
	const struct reason *x = a, *y = b;

	return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->text, y->text);
}

static void reasons_print(struct reasons *r)
{
	if (r->n)
		qsort(r->v, r->n, sizeof(*r->v), reason_cmp);
	for (size_t i = 0; i < r->n; i++)
		printf("  %8zu  %s\n", r->v[i].n, r->v[i].text);
}

/* ---- input ------------------------------------------------------------- */

static struct filter *add_filter(struct difftest *t, const char *expr)
{
	t->filters = xrealloc(t->filters, t->n_filters + 1, sizeof(*t->filters));
	struct filter *f = &t->filters[t->n_filters++];
	*f = (struct filter){.expr = xstrdup(expr),
			     .snaplen = PKTRUN_DEFAULT_SNAPLEN,
			     .fd = {-1, -1},
			     .capture = -1};
	return f;
}

/* Read path once; returns its index in t->captures. */
static long add_capture(struct difftest *t, const char *path)
{
	char err[PKTRUN_ERRBUF_SIZE];

	for (size_t i = 0; i < t->n_captures; i++)
		if (strcmp(t->captures[i].path, path) == 0)
			return (long)i;
	t->captures = xrealloc(t->captures, t->n_captures + 1, sizeof(*t->captures));
	if (pktrun_capture_read(&t->captures[t->n_captures], path, err) != 0)
		fatal("%s", err);
	return (long)t->n_captures++;
}

/* Strip a trailing newline; NULL for blank lines and # comments. */
static char *content(char *line)
{
	line[strcspn(line, "\r\n")] = '\0';
	if (line[strspn(line, " \t")] == '\0' || line[0] == '#')
		return NULL;
	return line;
}

static void read_filters(struct difftest *t, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *expr;
	size_t cap = 0;

	if (!f)
		fatal("%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) >= 0)
		if ((expr = content(line)))
			add_filter(t, expr);
	free(line);
	fclose(f);
}

/* A capture of one packet, given in hex; returns its index. */
static long add_hex_capture(struct difftest *t, const char *name, const char *hex)
{
	size_t len = strlen(hex) / 2;
	struct pktrun_packet *pkt = xcalloc(1, sizeof(*pkt));

	if (strlen(hex) % 2 || strspn(hex, "0123456789abcdefABCDEF") != strlen(hex))
		fatal("%s: the packet is not an even number of hex digits", name);
	pkt->data = xcalloc(len, 1);
	pkt->caplen = pkt->wirelen = (uint32_t)len;
	for (size_t i = 0; i < len; i++)
		sscanf(hex + 2 * i, "%2hhx", &pkt->data[i]);
	t->captures = xrealloc(t->captures, t->n_captures + 1, sizeof(*t->captures));
	t->captures[t->n_captures] = (struct pktrun_capture){
		.path = xstrdup(name), .linktype = PKTRUN_DLT_EN10MB, .count = 1, .pkts = pkt};
	return (long)t->n_captures++;
}

/* Columns: row name, expression, packet in hex, why. */
static void read_cases(struct difftest *t, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *col[3], *name;
	size_t cap = 0;

	if (!f)
		fatal("%s: %s", path, strerror(errno));
	for (size_t lineno = 1; getline(&line, &cap, f) >= 0; lineno++) {
		if (!content(line))
			continue;
		char *p = line;
		for (int i = 0; i < 3; i++)
			col[i] = strsep(&p, "\t");
		if (!col[2])
			fatal("%s:%zu: expected name, expression, packet hex", path, lineno);
		struct filter *flt = add_filter(t, col[1]);
		if (asprintf(&name, "%s:%zu", path, lineno) < 0)
			fatal("out of memory");
		flt->name = xstrdup(col[0]);
		flt->capture = add_hex_capture(t, name, col[2]);
		free(name);
	}
	free(line);
	fclose(f);
}

/* "262144,0,262144" */
static void parse_results(struct filter *f, char *results)
{
	for (char *tok = strtok(results, ","); tok; tok = strtok(NULL, ",")) {
		f->expected = xrealloc(f->expected, f->n_expected + 1, sizeof(uint32_t));
		f->expected[f->n_expected++] = (uint32_t)strtoul(tok, NULL, 10);
	}
}

/*
 * Columns: savefile, linktype, snaplen, expr, netmask, results,
 * skip_on_this_host, name. Only "1:EN10MB" rows: the stubs are Ethernet.
 */
static void read_apply_tests(struct difftest *t, const char *path,
			     const char *pcap_dir)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *col[8], file[PATH_MAX];
	size_t cap = 0, other = 0;

	if (!f)
		fatal("%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		if (!content(line) || strncmp(line, "savefile", 8) == 0)
			continue;
		char *p = line;
		for (int i = 0; i < 8; i++)
			col[i] = strsep(&p, "\t");
		if (!col[7])
			fatal("%s: expected 8 tab-separated columns in \"%s\"", path, line);
		if (strcmp(col[1], "1:EN10MB") != 0) {
			other++;
			continue;
		}
		struct filter *flt = add_filter(t, col[3]);
		flt->snaplen = (uint32_t)strtoul(col[2], NULL, 10);
		flt->set_snaplen = true;
		flt->name = xstrdup(col[7]);
		snprintf(file, sizeof(file), "%s/%s", pcap_dir, col[0]);
		flt->capture = add_capture(t, file);
		parse_results(flt, col[5]);
		if (col[4][0]) {
			char why[128];
			snprintf(why, sizeof(why),
				 "apply-tests: needs netmask %s (stubs compile with the netmask unknown)",
				 col[4]);
			flt->state = S_NOT_RUN;
			reasons_add(&t->rejected, why);
		}
	}
	free(line);
	fclose(f);
	printf("difftest: %zu EN10MB rows of %s (%zu rows of other link types not run)\n",
	       t->n_filters, path, other);
}

/* libpcap decides which expressions are filters at all. */
static void compile_references(struct difftest *t)
{
	char err[PKTRUN_ERRBUF_SIZE], why[PKTRUN_ERRBUF_SIZE + 16];

	for (size_t i = 0; i < t->n_filters; i++) {
		struct filter *f = &t->filters[i];
		if (f->state != S_CANDIDATE)
			continue;
		f->ref = pktrun_ref_compile(f->expr, PKTRUN_DLT_EN10MB, f->snaplen, err);
		if (!f->ref) {
			f->state = S_REJECTED_LIBPCAP;
			snprintf(why, sizeof(why), "libpcap: %s", err);
			reasons_add(&t->rejected, why);
		}
	}
}

/* ---- BPF C generation and compilation ---------------------------------- */

/* expr as a C string literal: the corpus has backslashes ("ether proto \arp"). */
static void put_c_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\' || c == '?')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\%03o", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void put_attribute(FILE *out, const struct filter *f)
{
	fputs("__pcap_filter(", out);
	put_c_string(out, f->expr);
	if (f->set_snaplen)
		fprintf(out, ", \"snaplen=%u\"", f->snaplen);
	fputs(");\n", out);
}

static void put_stubs(FILE *out, size_t i, const struct filter *f)
{
	fprintf(out, "static __noinline __u32 f%zu_xdp(struct xdp_md *ctx) ", i);
	put_attribute(out, f);
	fprintf(out, "static __u32 f%zu_pp(void *data, void *data_end) ", i);
	put_attribute(out, f);
	fprintf(out,
		"SEC(\"xdp\") int xdp_f%zu(struct xdp_md *ctx) { return f%zu_xdp(ctx); }\n"
		"SEC(\"tc\") int tc_f%zu(struct __sk_buff *skb) { return f%zu_pp("
		"(void *)(long)skb->data, (void *)(long)skb->data_end); }\n\n",
		i, i, i, i);
}

/* base.bpf.c: the stubs of every filter in state `state`, or of filter
 * `only`. */
static void write_source(const struct difftest *t, const char *base,
			 enum state state, size_t only)
{
	char *path = work_path(t, base, ".bpf.c");
	FILE *out = fopen(path, "w");

	if (!out)
		fatal("%s: %s", path, strerror(errno));
	fputs("/* Generated by difftest. */\n"
	      "#include <linux/bpf.h>\n"
	      "#include <bpf/bpf_helpers.h>\n"
	      "#include <pcap_filter.h>\n\n",
	      out);
	for (size_t i = 0; i < t->n_filters; i++)
		if (only == ALL ? t->filters[i].state == state : i == only)
			put_stubs(out, i, &t->filters[i]);
	fputs("char LICENSE[] SEC(\"license\") = \"Dual BSD/GPL\";\n", out);
	if (fclose(out) != 0)
		fatal("%s: %s", path, strerror(errno));
	free(path);
}

/* Start clang on base.bpf.c -> base.bpf.o, its output in base.err. */
static pid_t spawn_clang(const struct difftest *t, const char *base)
{
	const struct options *o = &t->opt;
	char *src = work_path(t, base, ".bpf.c"), *obj = work_path(t, base, ".bpf.o");
	char *err = work_path(t, base, ".err"), *plugin;
	const char **argv = xcalloc(16 + o->n_cflags + 2 * o->n_includes, sizeof(*argv));
	size_t n = 0;
	posix_spawn_file_actions_t fa;
	pid_t pid;

	if (asprintf(&plugin, "-fplugin=%s", o->plugin) < 0)
		fatal("out of memory");
	argv[n++] = o->clang;
	argv[n++] = "-target";
	argv[n++] = "bpf";
	argv[n++] = "-g";
	for (size_t i = 0; i < o->n_cflags; i++)
		argv[n++] = o->cflags[i];
	argv[n++] = plugin;
	for (size_t i = 0; i < o->n_includes; i++) {
		argv[n++] = "-I";
		argv[n++] = o->includes[i];
	}
	argv[n++] = "-idirafter";
	argv[n++] = DIFFTEST_SYSINC;
	argv[n++] = "-c";
	argv[n++] = src;
	argv[n++] = "-o";
	argv[n++] = obj;
	argv[n] = NULL;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 2, 1);
	int rc = posix_spawnp(&pid, o->clang, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	free(argv);
	free(plugin);
	free(src);
	free(obj);
	free(err);
	if (rc != 0)
		fatal("cannot run %s: %s", o->clang, strerror(rc));
	return pid;
}

static bool exited_ok(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static bool clang_ok(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && exited_ok(status);
}

/* The first error line clang wrote to base.err, without its location. */
static void clang_error(const struct difftest *t, const char *base, char *why,
			size_t len)
{
	char *path = work_path(t, base, ".err"), *line = NULL, *first = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "r");
	while (f && getline(&line, &cap, f) >= 0) {
		line[strcspn(line, "\n")] = '\0';
		char *e = strstr(line, "error: ");
		if (e) {
			free(first);
			first = xstrdup(e + 7);
			break;
		}
		if (!first && line[0])
			first = xstrdup(line);
	}
	snprintf(why, len, "plugin: %s", first ? first : "clang failed without a message");
	free(first);
	free(line);
	free(path);
	if (f)
		fclose(f);
}

static void print_file(const struct difftest *t, const char *name)
{
	char *path = work_path(t, name, ""), buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stderr);
	if (f)
		fclose(f);
	free(path);
}

/* Compile each filter in `state` alone, nproc at a time, to find the ones
 * the plugin rejects; those it accepts become candidates again. */
static void compile_each(struct difftest *t, enum state state)
{
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	size_t next = 0, running = 0;
	char base[32], why[512];

	while (next < t->n_filters || running) {
		if (next < t->n_filters && running < (size_t)(jobs > 0 ? jobs : 1)) {
			struct filter *f = &t->filters[next];
			if (f->state == state) {
				snprintf(base, sizeof(base), "f%zu", next);
				write_source(t, base, state, next);
				f->clang_pid = spawn_clang(t, base);
				running++;
			}
			next++;
			continue;
		}
		int status;
		pid_t pid = wait(&status);
		if (pid < 0)
			fatal("wait: %s", strerror(errno));
		for (size_t i = 0; i < t->n_filters; i++) {
			struct filter *f = &t->filters[i];
			if (f->state != state || f->clang_pid != pid)
				continue;
			f->clang_pid = 0;
			if (!exited_ok(status)) {
				snprintf(base, sizeof(base), "f%zu", i);
				clang_error(t, base, why, sizeof(why));
				f->state = S_REJECTED_PLUGIN;
				reasons_add(&t->rejected, why);
			} else {
				f->state = S_CANDIDATE;
			}
		}
		running--;
	}
}

static size_t count_state(const struct difftest *t, enum state state)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n_filters; i++)
		n += t->filters[i].state == state;
	return n;
}

/* The plugin's translator (libpcapf) tells which filters the plugin will
 * refuse. Those are compiled alone (to confirm it and count clang's own
 * message), so that one refusal does not force a compile of every filter
 * alone; the rest are compiled together. */
static void predict_rejections(struct difftest *t)
{
	char err[PCAPF_ERRBUF_SIZE], option[32];

	for (size_t i = 0; i < t->n_filters; i++) {
		struct filter *f = &t->filters[i];
		PCAPF_OPTS(opts);
		struct pcapf_prog *prog;

		if (f->state != S_CANDIDATE)
			continue;
		snprintf(option, sizeof(option), "snaplen=%u", f->snaplen);
		if (f->set_snaplen && pcapf_opts__parse(&opts, option, err))
			fatal("%s", err);
		prog = pcapf_prog__compile(f->expr, &opts, err);
		if (!prog)
			f->state = S_PREDICTED_REJECT;
		pcapf_prog__free(prog);
	}
	if (count_state(t, S_PREDICTED_REJECT))
		compile_each(t, S_PREDICTED_REJECT);
}

/* One clang run for every candidate; if it fails, one per candidate to
 * count the rejected ones by reason, then one for the rest. */
static void compile_filters(struct difftest *t)
{
	size_t candidates;

	predict_rejections(t);
	candidates = count_state(t, S_CANDIDATE);
	if (!candidates)
		return;
	write_source(t, "filters", S_CANDIDATE, ALL);
	if (!clang_ok(spawn_clang(t, "filters"))) {
		printf("difftest: clang failed on the file of %zu filters; compiling them one by one\n",
		       candidates);
		compile_each(t, S_CANDIDATE);
		if (!count_state(t, S_CANDIDATE))
			return;
		write_source(t, "filters", S_CANDIDATE, ALL);
		if (!clang_ok(spawn_clang(t, "filters"))) {
			print_file(t, "filters.err");
			fatal("every filter in %s/filters.bpf.c compiles alone but not together",
			      t->work);
		}
	}
	for (size_t i = 0; i < t->n_filters; i++)
		if (t->filters[i].state == S_CANDIDATE)
			t->filters[i].state = S_COMPILED;
}

/* ---- loading ----------------------------------------------------------- */

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

/* xdp_fI or tc_fI: filter I, and the hook. */
static bool program_filter(const struct bpf_program *prog, size_t *i,
			   enum pktrun_hook *hook)
{
	const char *name = bpf_program__name(prog);
	int end = 0;

	if (sscanf(name, "xdp_f%zu%n", i, &end) == 1 && !name[end])
		*hook = PKTRUN_XDP;
	else if (sscanf(name, "tc_f%zu%n", i, &end) == 1 && !name[end])
		*hook = PKTRUN_TC;
	else
		return false;
	return true;
}

/* Open filters.bpf.o to load the programs of every S_COMPILED filter, or
 * only program (only, hook) with its verifier log in t->log. */
static struct bpf_object *open_object(struct difftest *t, size_t only,
				      enum pktrun_hook hook)
{
	char *path = work_path(t, "filters", ".bpf.o");
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	size_t i;
	enum pktrun_hook h;

	if (!obj)
		fatal("cannot open %s: %s\n%s", path, strerror(errno), libbpf_msgs);
	free(path);
	bpf_object__for_each_program(prog, obj) {
		bool load = program_filter(prog, &i, &h) && i < t->n_filters &&
			    (only == ALL ? t->filters[i].state == S_COMPILED
					 : i == only && h == hook);
		bpf_program__set_autoload(prog, load);
		if (load && only != ALL) {
			t->log[0] = '\0';
			bpf_program__set_log_buf(prog, t->log, LOG_SIZE);
		}
	}
	return obj;
}

/* The last lines of the verifier log: the error is at the end. */
static void print_verifier_log(const struct difftest *t, size_t i,
			       enum pktrun_hook hook)
{
	const char *log = t->log[0] ? t->log : libbpf_msgs;
	const char *start = log + strlen(log);

	for (int lines = 0; start > log && lines <= VERIFIER_LOG_TAIL; start--)
		lines += start[-1] == '\n';
	printf("LOAD FAILED %s_f%zu: ", pktrun_hook_str(hook), i);
	put_c_string(stdout, t->filters[i].expr);
	printf("\n  verifier log (last %d lines):\n%s\n", VERIFIER_LOG_TAIL, start);
}

/* Load the two programs of filter i one at a time. */
static void diagnose_filter(struct difftest *t, size_t i)
{
	for (enum pktrun_hook hook = PKTRUN_XDP; hook <= PKTRUN_TC; hook++) {
		struct bpf_object *obj = open_object(t, i, hook);
		if (object_load(obj) != 0) {
			t->progs_failed++;
			if (t->logs_printed++ < MAX_VERIFIER_LOGS)
				print_verifier_log(t, i, hook);
			t->filters[i].state = S_LOAD_FAILED;
		}
		bpf_object__close(obj);
	}
}

/* Load every compiled program; if the object does not load, load its
 * programs one at a time to count and show the failures, then load the
 * others together. */
static void load_filters(struct difftest *t)
{
	struct bpf_program *prog;
	size_t i;
	enum pktrun_hook hook;

	if (!count_state(t, S_COMPILED))
		return;
	t->obj = open_object(t, ALL, PKTRUN_XDP);
	if (object_load(t->obj) != 0) {
		bpf_object__close(t->obj);
		printf("difftest: the object does not load; loading its %zu programs one by one\n",
		       2 * count_state(t, S_COMPILED));
		for (i = 0; i < t->n_filters; i++)
			if (t->filters[i].state == S_COMPILED)
				diagnose_filter(t, i);
		t->obj = open_object(t, ALL, PKTRUN_XDP);
		if (count_state(t, S_COMPILED) && object_load(t->obj) != 0)
			fatal("every program loads alone but not together:\n%s", libbpf_msgs);
	}
	bpf_object__for_each_program(prog, t->obj) {
		if (!bpf_program__autoload(prog) || !program_filter(prog, &i, &hook))
			continue;
		t->filters[i].fd[hook] = bpf_program__fd(prog);
		t->filters[i].state = S_LOADED;
		t->progs_loaded++;
	}
}

/* ---- running ----------------------------------------------------------- */

static void put_packet(const struct pktrun_capture *cap, size_t k)
{
	const struct pktrun_packet *pkt = &cap->pkts[k];

	printf("  packet %s:%zu, %u bytes (wire %u):", cap->path, k, pkt->caplen,
	       pkt->wirelen);
	for (uint32_t b = 0; b < pkt->caplen && b < 64; b++)
		printf("%s%02x", b % 16 ? " " : "\n    ", pkt->data[b]);
	putchar('\n');
}

static void report_disagreement(const struct filter *f, size_t i,
				enum pktrun_hook hook,
				const struct pktrun_capture *cap, size_t k,
				uint32_t got, uint32_t want)
{
	if (f->disagreed > MAX_REPORTS_PER_FILTER)
		return;
	printf("DISAGREE %s_f%zu%s%s: ", pktrun_hook_str(hook), i,
	       f->name ? " " : "", f->name ? f->name : "");
	put_c_string(stdout, f->expr);
	putchar('\n');
	put_packet(cap, k);
	printf("  got %u, libpcap %u\n", got, want);
	if (f->disagreed == MAX_REPORTS_PER_FILTER)
		printf("  (further disagreements of this filter are counted, not shown)\n");
}

static void count_skip(struct difftest *t, enum pktrun_hook hook,
		       const struct pktrun_result *r)
{
	char why[256];

	snprintf(why, sizeof(why), "%s: %s%s%s%s", pktrun_hook_str(hook),
		 pktrun_status_str(r->status), r->err ? " (" : "",
		 r->err ? strerror(r->err) : "", r->err ? ")" : "");
	reasons_add(&t->skipped, why);
}

/* Packet k of cap through both programs of filter i. */
static void run_packet(struct difftest *t, size_t i,
		       const struct pktrun_capture *cap, size_t k)
{
	struct filter *f = &t->filters[i];
	const struct pktrun_packet *pkt = &cap->pkts[k];
	uint32_t want = pktrun_ref_verdict(f->ref, pkt);
	struct pktrun_result r;

	for (enum pktrun_hook hook = PKTRUN_XDP; hook <= PKTRUN_TC; hook++) {
		if (pktrun_run(f->fd[hook], hook, pkt, &r) != PKTRUN_OK) {
			count_skip(t, hook, &r);
			continue;
		}
		t->runs++;
		if (r.retval == want) {
			t->agreed++;
		} else {
			t->disagreed++;
			f->disagreed++;
			report_disagreement(f, i, hook, cap, k, r.retval, want);
		}
		if (k < f->n_expected && r.retval != f->expected[k]) {
			t->expected_mismatches++;
			printf("note: apply-test %s, packet %zu, %s: got %u, libpcap %u, "
			       "expected column %u\n",
			       f->name, k, pktrun_hook_str(hook), r.retval, want,
			       f->expected[k]);
		}
	}
}

/* The stubs are Ethernet: only EN10MB captures are run. */
static void count_packets(struct difftest *t)
{
	for (size_t c = 0; c < t->n_captures; c++) {
		const struct pktrun_capture *cap = &t->captures[c];
		if (cap->linktype == PKTRUN_DLT_EN10MB) {
			t->ethernet_captures++;
			t->packets += cap->count;
		} else {
			reasons_add(&t->other_captures, pktrun_linktype_name(cap->linktype));
		}
	}
	if (!t->packets && !t->opt.verify_only)
		fatal("no Ethernet (EN10MB) packets to run");
}

static void run_filters(struct difftest *t)
{
	for (size_t i = 0; i < t->n_filters; i++) {
		const struct filter *f = &t->filters[i];
		for (size_t c = 0; c < t->n_captures && f->state == S_LOADED; c++) {
			const struct pktrun_capture *cap = &t->captures[c];
			if (cap->linktype != PKTRUN_DLT_EN10MB ||
			    (f->capture >= 0 && f->capture != (long)c))
				continue;
			for (size_t k = 0; k < cap->count; k++)
				run_packet(t, i, cap, k);
		}
	}
}

/* ---- report ------------------------------------------------------------ */

static int report(struct difftest *t)
{
	size_t loaded = count_state(t, S_LOADED), load_failed = count_state(t, S_LOAD_FAILED);
	size_t compiled = loaded + load_failed, passed = 0, failed = load_failed;

	for (size_t i = 0; i < t->n_filters; i++) {
		const struct filter *f = &t->filters[i];
		if (f->state == S_LOADED && f->disagreed)
			failed++;
		else if (f->state == S_LOADED)
			passed++;
	}
	printf("\nexpressions  %zu\n", t->n_filters);
	printf("compiled     %zu\n", compiled);
	printf("rejected     %zu (libpcap %zu, plugin %zu, not run %zu)\n",
	       t->rejected.total, count_state(t, S_REJECTED_LIBPCAP),
	       count_state(t, S_REJECTED_PLUGIN), count_state(t, S_NOT_RUN));
	reasons_print(&t->rejected);
	printf("loaded       %zu (programs: %zu loaded, %zu failed to load)\n", loaded,
	       t->progs_loaded, t->progs_failed);
	if (!t->opt.verify_only) {
		printf("packets      %zu in %zu Ethernet captures; %zu captures of other link types not run\n",
		       t->packets, t->ethernet_captures, t->other_captures.total);
		reasons_print(&t->other_captures);
		printf("runs         %zu\n", t->runs);
		printf("agreed       %zu\n", t->agreed);
		printf("disagreed    %zu\n", t->disagreed);
		printf("skipped      %zu\n", t->skipped.total);
		reasons_print(&t->skipped);
		if (t->opt.apply_tests)
			printf("expected-column mismatches %zu (notes: the column was written for libpcap's head)\n",
			       t->expected_mismatches);
	}
	bool none = !compiled && count_state(t, S_REJECTED_PLUGIN) > 0;
	if (none)
		printf("difftest: the plugin compiled none of the filters\n");
	size_t plugin_rejected = count_state(t, S_REJECTED_PLUGIN);
	bool unexpected = t->opt.expect_rejected >= 0 &&
			  plugin_rejected != (size_t)t->opt.expect_rejected;
	if (unexpected) {
		printf("difftest: the plugin rejected %zu filters, expected %ld\n",
		       plugin_rejected, t->opt.expect_rejected);
		failed++;
	}
	printf("difftest: %zu passed, %zu failed\n", passed, failed);
	return failed || none ? 1 : 0;
}

/* ---- setup ------------------------------------------------------------- */

static void usage(FILE *out)
{
	fputs("usage: difftest --clang PATH --plugin PATH [--include DIR]...\n"
	      "                [--cflags \"-O2 -mcpu=v3\"] [--work DIR] [--verify-only]\n"
	      "                [--expect-rejected N]\n"
	      "                (--filters FILE --pcap FILE... | --cases TSV |\n"
	      "                 --apply-tests TSV --pcap-dir DIR)\n",
	      out);
}

static void split_cflags(struct options *o, const char *cflags)
{
	char *save = NULL;

	free(o->cflags_buf);
	o->cflags_buf = xstrdup(cflags);
	o->n_cflags = 0;
	for (char *tok = strtok_r(o->cflags_buf, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		o->cflags = xrealloc(o->cflags, o->n_cflags + 1, sizeof(char *));
		o->cflags[o->n_cflags++] = tok;
	}
}

static void push(const char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

static void parse_args(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"clang", required_argument, NULL, 'c'},
		{"plugin", required_argument, NULL, 'p'},
		{"include", required_argument, NULL, 'I'},
		{"cflags", required_argument, NULL, 'C'},
		{"work", required_argument, NULL, 'w'},
		{"filters", required_argument, NULL, 'f'},
		{"pcap", required_argument, NULL, 'r'},
		{"cases", required_argument, NULL, 's'},
		{"verify-only", no_argument, NULL, 'v'},
		{"apply-tests", required_argument, NULL, 'a'},
		{"pcap-dir", required_argument, NULL, 'd'},
		{"expect-rejected", required_argument, NULL, 'e'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int c;

	split_cflags(o, "-O2");
	o->expect_rejected = -1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->clang = optarg; break;
		case 'p': o->plugin = optarg; break;
		case 'I': push(&o->includes, &o->n_includes, optarg); break;
		case 'C': split_cflags(o, optarg); break;
		case 'w': o->work = optarg; break;
		case 'f': o->filters = optarg; break;
		case 'r': push(&o->pcaps, &o->n_pcaps, optarg); break;
		case 's': o->cases = optarg; break;
		case 'v': o->verify_only = true; break;
		case 'a': o->apply_tests = optarg; break;
		case 'd': o->pcap_dir = optarg; break;
		case 'e': o->expect_rejected = strtol(optarg, NULL, 10); break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); fatal("bad arguments");
		}
	}
	for (; optind < argc; optind++) /* --pcap a.pcap b.pcap ... */
		push(&o->pcaps, &o->n_pcaps, argv[optind]);
	bool need_pcaps = o->filters && !o->verify_only;
	if (!o->clang || !o->plugin ||
	    !!o->filters + !!o->cases + !!o->apply_tests != 1 ||
	    !o->apply_tests != !o->pcap_dir || need_pcaps != (o->n_pcaps > 0)) {
		usage(stderr);
		fatal("bad arguments");
	}
}

static void make_work(struct difftest *t)
{
	if (!t->opt.work) {
		const char *tmp = getenv("TMPDIR");
		snprintf(t->work, sizeof(t->work), "%s/difftest.XXXXXX", tmp ? tmp : "/tmp");
		if (!mkdtemp(t->work))
			fatal("mkdtemp %s: %s", t->work, strerror(errno));
		t->temp_work = true;
		return;
	}
	snprintf(t->work, sizeof(t->work), "%s", t->opt.work);
	if (mkdir(t->work, 0755) != 0 && errno != EEXIST)
		fatal("mkdir %s: %s", t->work, strerror(errno));
}

static void reasons_free(struct reasons *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].text);
	free(r->v);
}

static void free_all(struct difftest *t)
{
	bpf_object__close(t->obj);
	for (size_t i = 0; i < t->n_filters; i++) {
		struct filter *f = &t->filters[i];
		pktrun_ref_free(f->ref);
		free(f->expr);
		free(f->name);
		free(f->expected);
	}
	free(t->filters);
	for (size_t i = 0; i < t->n_captures; i++)
		pktrun_capture_free(&t->captures[i]);
	free(t->captures);
	reasons_free(&t->rejected);
	reasons_free(&t->skipped);
	reasons_free(&t->other_captures);
	free(t->log);
	free(t->opt.includes);
	free(t->opt.pcaps);
	free(t->opt.cflags);
	free(t->opt.cflags_buf);
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Every loaded program holds a file descriptor: two per filter. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int main(int argc, char **argv)
{
	struct difftest t = {0};
	char why[256];

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(&t.opt, argc, argv);
	if (access(t.opt.plugin, R_OK) != 0)
		fatal("plugin %s: %s", t.opt.plugin, strerror(errno));
	if (pktrun_bpf_check(why, sizeof(why)) != 0)
		fatal("BPF cannot run here: %s", why);
	raise_fd_limit();
	libbpf_set_print(libbpf_print);
	t.log = xcalloc(LOG_SIZE, 1);

	if (t.opt.filters)
		read_filters(&t, t.opt.filters);
	else if (t.opt.cases)
		read_cases(&t, t.opt.cases);
	else
		read_apply_tests(&t, t.opt.apply_tests, t.opt.pcap_dir);
	for (size_t i = 0; i < t.opt.n_pcaps; i++)
		add_capture(&t, t.opt.pcaps[i]);
	if (!t.n_filters)
		fatal("no filters to test");
	count_packets(&t);
	make_work(&t);
	printf("difftest: %zu filters, work directory %s\n", t.n_filters, t.work);

	compile_references(&t);
	compile_filters(&t);
	load_filters(&t);
	if (!t.opt.verify_only && count_state(&t, S_LOADED))
		run_filters(&t);
	int rc = report(&t);

	if (t.temp_work && rc == 0)
		nftw(t.work, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free_all(&t);
	return rc;
}
