/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * difftest: the differential test of pcapfilter against libpcap.
 *
 * What it measures. A pcapfilter stub must return exactly the 32-bit value
 * libpcap's interpreter (pcap_offline_filter) returns for the same packet
 * bytes: the snap length on a match, 0 otherwise. difftest checks that
 * claim end to end, through everything a user's build goes through: the
 * Clang plugin, the back end at the chosen -O and -mcpu, and for kernel
 * runs libbpf, the kernel verifier and the kernel's JIT or interpreter.
 *
 * Why in the kernel. The translation's hard cases (out-of-bounds loads,
 * division by zero, 32-bit compares, shifts, scratch memory; see
 * docs/semantics.md) are exactly where eBPF and libpcap differ, so only a
 * run of the real program on real bytes shows the translation is right.
 * The kernel will not run every packet (under 14 bytes, over a page, an
 * skb whose IP header is cut short); --host runs the same stubs compiled
 * for the host, in-process, on every packet.
 *
 * How. For every expression it generates the stubs (C files of 64
 * filters, compiled with the plugin: difftest_compile.c), loads them and
 * runs every packet of the captures of the filter's link type through
 * each, comparing every return value with libpcap's verdict for the same
 * bytes, compiled for the same link type and snap length (difftest_run.c).
 * Expressions libpcap rejects, the plugin rejects or the verifier rejects
 * are counted by reason; a few of them do not sink the run. Packets the
 * kernel will not run are counted as skipped, by reason. Counts are also
 * given per link type.
 *
 * Input, one of:
 *   --filters FILE --pcap FILE...   every filter (one expression a line,
 *                                   # comments) on every packet of the
 *                                   captures of its link type: EN10MB, or
 *                                   --linktype NAME (libpcap's name); the
 *                                   stubs then say "linktype=NAME"
 *   --cases TSV                     one Ethernet packet per filter: rows of
 *                                   name, expression, packet in hex, why
 *                                   (semantics-cases.tsv)
 *   --apply-tests TSV --pcap-dir D  libpcap's own apply tests, every link
 *                                   type, the row's "linktype=NAME" and
 *                                   "snaplen=N" in the stub, compared with
 *                                   live libpcap (the verdict) and with the
 *                                   expected-results column (written for
 *                                   libpcap's head, so a mismatch there is
 *                                   a note, not a failure)
 * Where the filters run:
 *   (default)        the kernel: XDP and TC programs, BPF_PROG_TEST_RUN
 *   --access MODE    the kernel, stubs with "access=MODE": probe (XDP and
 *                    TC programs, (data, data_end) stubs), skb or
 *                    skb_load_bytes (TC programs, (struct __sk_buff *)
 *                    stubs). With skb access the Linux ancillary loads
 *                    (inbound, outbound, ifindex) read skb metadata, which
 *                    libpcap offline reads as 0: such filters are loaded but
 *                    not compared ("kernel meaning", checked elsewhere)
 *   --host           in-process, the stubs compiled for the host as a
 *                    shared library; every packet, any length
 * Which compiler:
 *   (default)        clang with the plugin (--clang, --plugin)
 *   --ebpf [--mcpu N] libpcapf's run-time eBPF back end, in-process, with
 *                    instruction set vN (default 3): whole XDP and TC
 *                    programs, loaded with bpf_prog_load (difftest_ebpf.c);
 *                    --inline builds them around its inline form
 *   --host --target TRIPLE --runner CMD
 *                    on another machine: the stubs compiled for host triple
 *                    TRIPLE (e.g. s390x-linux-gnu, a big-endian one) and
 *                    linked statically with crossrun.c, run once by CMD
 *                    (e.g. "qemu-s390x") on every packet, any length. The
 *                    plugin and libpcap's reference run here; only the
 *                    generated code runs there
 * --option OPT adds a stub option to every stub, e.g. "skb_linear=14" (skb
 * access reads 14 head bytes directly, bpf_skb_load_bytes() beyond).
 * --expect-past-bound N: where libpcap's verdict differs from that of
 * libpcap's interpreter on libpcapf's cBPF (protochain unrolled to the
 * stubs' bound, e.g. --option protochain_depth=8), or libpcap did not
 * stop, the packet is past the bound: the bounded program must return 0
 * there, every program is compared with it, and there must be exactly N
 * such (filter, packet) pairs, so that a disagreement within the bound
 * cannot pass for one past it.
 * --verify-only stops after loading: the verifier matrix, run at -O1..-O3
 * and -mcpu=v1..v4 through --cflags. clang runs as: CLANG -target bpf -g
 * CFLAGS (default -O2) -fplugin=PLUGIN -I DIR... -idirafter <multiarch
 * include dir> -c, or for --host CLANG -g CFLAGS -fPIC -shared -fplugin=...
 * (with --target, CLANG --target=TRIPLE -g CFLAGS -fplugin=... -c)
 *
 * Details. Packets are named file:index, numbered from 0. libpcap's verdict
 * is taken with the packet length set to the captured length (pktrun.c
 * says why). Work files (the generated C, objects, clang's messages) go to
 * --work DIR and stay there; without it, to a temporary directory removed
 * when the run passes.
 *
 * Exit status: 0 when every loaded filter agreed on every run; 1 on any
 * disagreement (on the host, a read past the end of the packet is one),
 * load failure, a plugin rejection count other than --expect-rejected, or
 * when the plugin compiled nothing; 2 when
 * the test cannot run at all (bad arguments, unreadable files, no clang,
 * or, for kernel runs, BPF unavailable, e.g. not root). The last line is
 * always "difftest: N passed, M failed": N filters loaded and agreed on
 * every run, M filters failed to load or disagreed; rejected filters, and
 * filters of kernel meaning, are neither.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "difftest.h"

void fatal(const char *fmt, ...)
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

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		fatal("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n, size_t size)
{
	p = reallocarray(p, n ? n : 1, size);
	if (!p)
		fatal("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		fatal("out of memory");
	return d;
}

/* work/base.ext, to free */
char *work_path(const struct difftest *t, const char *base, const char *ext)
{
	char *path;

	if (asprintf(&path, "%s/%s%s", t->work, base, ext) < 0)
		fatal("out of memory");
	return path;
}

/* expr as a C string literal: the corpus has backslashes ("ether proto \arp"). */
void put_c_string(FILE *out, const char *s)
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

const char *prog_str(enum prog prog)
{
	return prog == PROG_HOST ? "host" : pktrun_hook_str((enum pktrun_hook)prog);
}

size_t count_state(const struct difftest *t, enum state state)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n_filters; i++)
		n += t->filters[i].state == state;
	return n;
}

/* The counts of linktype, added on first use. */
struct lt_counts *lt_counts(struct difftest *t, int linktype)
{
	for (size_t i = 0; i < t->n_lts; i++)
		if (t->lts[i].linktype == linktype)
			return &t->lts[i];
	t->lts = xrealloc(t->lts, t->n_lts + 1, sizeof(*t->lts));
	t->lts[t->n_lts] = (struct lt_counts){.linktype = linktype};
	return &t->lts[t->n_lts++];
}

bool has_lt(const struct difftest *t, int linktype)
{
	for (size_t i = 0; i < t->n_lts; i++)
		if (t->lts[i].linktype == linktype)
			return true;
	return false;
}

bool chunk_has(const struct difftest *t, size_t chunk, enum state state)
{
	for (size_t i = 0; i < t->n_filters; i++)
		if (t->filters[i].state == state && t->filters[i].chunk == chunk)
			return true;
	return false;
}

/* The options a stub would carry (link type, snap length, access,
 * --option), as libpcapf options. */
void filter_opts(const struct difftest *t, const struct filter *f,
			struct pcapf_opts *opts)
{
	char err[PCAPF_ERRBUF_SIZE], linktype[64], snaplen[32];

	snprintf(linktype, sizeof(linktype), "linktype=%s",
		 pktrun_linktype_name(f->linktype));
	snprintf(snaplen, sizeof(snaplen), "snaplen=%u", f->snaplen);
	if ((f->set_linktype && pcapf_opts__parse(opts, linktype, err)) ||
	    (f->set_snaplen && pcapf_opts__parse(opts, snaplen, err)))
		fatal("%s", err);
	for (size_t i = 0; i < t->opt.n_options; i++)
		if (pcapf_opts__parse(opts, t->opt.options[i], err))
			fatal("--option %s: %s", t->opt.options[i], err);
	/* opts->linktype points into linktype[]: keep the name. */
	if (f->set_linktype)
		opts->linktype = pktrun_linktype_name(f->linktype);
}

/* ---- reasons ----------------------------------------------------------- */

void reasons_add(struct reasons *r, const char *text)
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

static void reasons_free(struct reasons *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].text);
	free(r->v);
}

/* ---- input ------------------------------------------------------------- */

static struct filter *add_filter(struct difftest *t, const char *expr, int linktype)
{
	t->filters = xrealloc(t->filters, t->n_filters + 1, sizeof(*t->filters));
	struct filter *f = &t->filters[t->n_filters++];
	*f = (struct filter){.expr = xstrdup(expr),
			     .linktype = linktype,
			     .snaplen = PKTRUN_DEFAULT_SNAPLEN,
			     .fd = {-1, -1},
			     .capture = -1};
	lt_counts(t, linktype)->filters++;
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

static int linktype_val(const char *name)
{
	int dlt = pktrun_linktype_val(name);

	if (dlt < 0)
		fatal("libpcap knows no link type \"%s\"", name);
	return dlt;
}

static void read_filters(struct difftest *t, const char *path, const char *linktype)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *expr;
	size_t cap = 0;
	int dlt = linktype ? linktype_val(linktype) : PKTRUN_DLT_EN10MB;

	if (!f)
		fatal("%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) >= 0)
		if ((expr = content(line)))
			add_filter(t, expr, dlt)->set_linktype = linktype != NULL;
	free(line);
	fclose(f);
}

/* A capture of one Ethernet packet, given in hex; returns its index. */
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
		struct filter *flt = add_filter(t, col[1], PKTRUN_DLT_EN10MB);
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

/* "129:ARCNET_LINUX": the DLT, checked against libpcap's name for it. */
static int parse_linktype(const char *col, const char *row)
{
	const char *name = strchr(col, ':');
	int dlt = (int)strtol(col, NULL, 10);

	if (!name || linktype_val(name + 1) != dlt)
		fatal("apply-test %s: link type \"%s\" is not libpcap's DLT:NAME", row, col);
	return dlt;
}

/* One row: savefile, linktype, snaplen, expr, netmask, results,
 * skip_on_this_host, name. */
static void add_apply_test(struct difftest *t, char **col, const char *pcap_dir)
{
	char file[PATH_MAX];
	struct filter *flt = add_filter(t, col[3], parse_linktype(col[1], col[7]));

	flt->set_linktype = true;
	flt->snaplen = (uint32_t)strtoul(col[2], NULL, 10);
	flt->set_snaplen = true;
	flt->name = xstrdup(col[7]);
	snprintf(file, sizeof(file), "%s/%s", pcap_dir, col[0]);
	flt->capture = add_capture(t, file);
	if (t->captures[flt->capture].linktype != flt->linktype)
		fatal("apply-test %s: %s is not of link type %s", col[7], file, col[1]);
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

static void read_apply_tests(struct difftest *t, const char *path,
			     const char *pcap_dir)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *col[8];
	size_t cap = 0;

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
		add_apply_test(t, col, pcap_dir);
	}
	free(line);
	fclose(f);
	printf("difftest: %zu rows of %s, %zu link types\n", t->n_filters, path, t->n_lts);
}

/* Count the packets of the captures of the filters' link types; the
 * others are not run. */
static void count_packets(struct difftest *t)
{
	for (size_t c = 0; c < t->n_captures; c++) {
		const struct pktrun_capture *cap = &t->captures[c];
		if (has_lt(t, cap->linktype)) {
			struct lt_counts *lt = lt_counts(t, cap->linktype);
			lt->captures++;
			lt->packets += cap->count;
			t->packets += cap->count;
		} else {
			reasons_add(&t->other_captures, pktrun_linktype_name(cap->linktype));
		}
	}
	if (!t->packets && !t->opt.verify_only)
		fatal("no packets of the filters' link type to run");
}

/* --expect-past-bound: libpcapf's cBPF of f (protochain unrolled to the
 * stubs' bound) as a second reference; NULL where libpcapf refuses f (it is
 * then never loaded). Under --ebpf, f->ebpf is that program already. */
static struct pktrun_ref *bounded_reference(const struct difftest *t,
					    const struct filter *f)
{
	char err[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(opts, .access = t->opt.access);
	const struct pcapf_cbpf_insn *insns;
	struct pktrun_ref *ref;
	struct pcapf_prog *prog = f->ebpf;
	size_t n;

	if (!prog) {
		filter_opts(t, f, &opts);
		prog = pcapf_prog__compile(f->expr, &opts, err);
		if (!prog)
			return NULL;
	}
	insns = pcapf_prog__cbpf(prog, &n);
	ref = pktrun_ref_from_insns(insns, n);
	if (prog != f->ebpf)
		pcapf_prog__free(prog);
	return ref;
}

/* The bounded references of the filters libpcap compiled, once the back
 * end has compiled them. */
static void compile_bounded_references(struct difftest *t)
{
	if (t->opt.expect_past_bound < 0)
		return;
	for (size_t i = 0; i < t->n_filters; i++) {
		struct filter *f = &t->filters[i];

		if (f->ref)
			f->bounded = bounded_reference(t, f);
	}
}

/* libpcap decides which expressions are filters at all. With skb access,
 * those that read Linux metadata mean something else in the kernel. */
static void compile_references(struct difftest *t)
{
	char err[PKTRUN_ERRBUF_SIZE], why[PKTRUN_ERRBUF_SIZE + 16];
	bool skb = t->opt.access == PCAPF_ACCESS_SKB ||
		   t->opt.access == PCAPF_ACCESS_SKB_LOAD_BYTES;

	for (size_t i = 0; i < t->n_filters; i++) {
		struct filter *f = &t->filters[i];
		if (f->state != S_CANDIDATE)
			continue;
		f->ref = pktrun_ref_compile(f->expr, f->linktype, f->snaplen, err);
		if (!f->ref) {
			f->state = S_REJECTED_LIBPCAP;
			snprintf(why, sizeof(why), "libpcap: %s", err);
			reasons_add(&t->rejected, why);
		}
		f->kernel_meaning = skb && f->ref && pktrun_ref_reads_ancillary(f->ref);
	}
}

/* ---- report ------------------------------------------------------------ */

static size_t count_kernel_meaning(const struct difftest *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n_filters; i++)
		n += t->filters[i].state == S_LOADED && t->filters[i].kernel_meaning;
	return n;
}

static void report_link_types(struct difftest *t)
{
	for (size_t i = 0; i < t->n_filters; i++)
		lt_counts(t, t->filters[i].linktype)->loaded +=
			t->filters[i].state == S_LOADED;
	printf("per link type:\n  %-18s %7s %7s %8s %8s %9s %9s %9s %8s\n", "link type",
	       "filters", "loaded", "captures", "packets", "runs", "agreed", "disagreed",
	       "skipped");
	for (size_t i = 0; i < t->n_lts; i++) {
		const struct lt_counts *lt = &t->lts[i];
		printf("  %-18s %7zu %7zu %8zu %8zu %9zu %9zu %9zu %8zu\n",
		       pktrun_linktype_name(lt->linktype), lt->filters, lt->loaded,
		       lt->captures, lt->packets, lt->runs, lt->agreed, lt->disagreed,
		       lt->skipped);
	}
}

static void report_runs(struct difftest *t)
{
	printf("packets      %zu in %zu captures; %zu captures of other link types not run\n",
	       t->packets, t->n_captures - t->other_captures.total, t->other_captures.total);
	reasons_print(&t->other_captures);
	printf("runs         %zu (%s%s)\n", t->runs,
	       t->opt.target ? "built for " : t->opt.host ? "in-process" : "BPF_PROG_TEST_RUN",
	       t->opt.target ? t->opt.target : "");
	printf("agreed       %zu\n", t->agreed);
	printf("disagreed    %zu\n", t->disagreed);
	if (t->faults)
		printf("  %8zu  host: read past the end of the packet (a fault)\n", t->faults);
	printf("skipped      %zu\n", t->skipped.total);
	reasons_print(&t->skipped);
	printf("reference did not stop %zu (libpcap past %d ms of CPU on a packet)\n",
	       t->ref_unstopped, PKTRUN_REF_CPU_MS);
	if (t->opt.expect_past_bound >= 0)
		printf("past the bound %zu (libpcap went on or did not stop; compared with "
		       "the bounded program), of which it did not return 0: %zu\n",
		       t->past_bound, t->past_bound_nonzero);
	if (t->opt.apply_tests)
		printf("expected-column mismatches %zu (notes: the column was written for libpcap's head)\n",
		       t->expected_mismatches);
	report_link_types(t);
}

static int report(struct difftest *t)
{
	size_t loaded = count_state(t, S_LOADED), load_failed = count_state(t, S_LOAD_FAILED);
	size_t compiled = loaded + load_failed, passed = 0, failed = load_failed;
	size_t plugin_rejected = count_state(t, S_REJECTED_PLUGIN);
	size_t kernel_meaning = count_kernel_meaning(t);

	for (size_t i = 0; i < t->n_filters; i++) {
		const struct filter *f = &t->filters[i];
		if (f->state == S_LOADED && f->disagreed)
			failed++;
		else if (f->state == S_LOADED && !f->kernel_meaning)
			passed++;
	}
	printf("\nexpressions  %zu\n", t->n_filters);
	printf("compiled     %zu\n", compiled);
	printf("rejected     %zu (libpcap %zu, plugin %zu, not run %zu)\n",
	       t->rejected.total, count_state(t, S_REJECTED_LIBPCAP), plugin_rejected,
	       count_state(t, S_NOT_RUN));
	reasons_print(&t->rejected);
	printf("loaded       %zu (programs: %zu loaded, %zu failed to load)\n", loaded,
	       t->progs_loaded, t->progs_failed);
	if (kernel_meaning)
		printf("kernel meaning %zu (Linux metadata loads under skb access: loaded, "
		       "not compared with libpcap, checked separately)\n",
		       kernel_meaning);
	if (!t->opt.verify_only)
		report_runs(t);
	bool none = !compiled && plugin_rejected > 0;
	if (none)
		printf("difftest: the plugin compiled none of the filters\n");
	if (t->opt.expect_rejected >= 0 && plugin_rejected != (size_t)t->opt.expect_rejected) {
		printf("difftest: the plugin rejected %zu filters, expected %ld\n",
		       plugin_rejected, t->opt.expect_rejected);
		failed++;
	}
	if (t->opt.expect_past_bound >= 0 && !t->opt.verify_only &&
	    (t->past_bound != (size_t)t->opt.expect_past_bound ||
	     t->past_bound_nonzero)) {
		printf("difftest: %zu past the bound, expected %ld, each "
		       "returning 0\n", t->past_bound, t->opt.expect_past_bound);
		failed++;
	}
	printf("difftest: %zu passed, %zu failed\n", passed, failed);
	return failed || none ? 1 : 0;
}

/* ---- setup ------------------------------------------------------------- */

static void usage(FILE *out)
{
	fputs("usage: difftest (--clang PATH --plugin PATH [--include DIR]... | --ebpf [--mcpu N] [--inline])\n"
	      "                [--cflags \"-O2 -mcpu=v3\"] [--work DIR] [--verify-only]\n"
	      "                [--expect-rejected N] [--option OPT]... [--expect-past-bound N]\n"
	      "                [--host [--target TRIPLE --runner CMD] | --access MODE]\n"
	      "                (--filters FILE [--linktype NAME] --pcap FILE... |\n"
	      "                 --cases TSV | --apply-tests TSV --pcap-dir DIR)\n",
	      out);
}

static void split_words(struct words *w, const char *line)
{
	char *save = NULL;

	free(w->buf);
	w->buf = xstrdup(line);
	w->n = 0;
	for (char *tok = strtok_r(w->buf, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		w->v = xrealloc(w->v, w->n + 1, sizeof(char *));
		w->v[w->n++] = tok;
	}
}

static void free_words(struct words *w)
{
	free(w->v);
	free(w->buf);
}

static void push(const char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

/* "probe": libpcapf's own parser of "access=probe". */
static enum pcapf_access parse_access(const char *mode)
{
	char option[64], err[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(opts);

	snprintf(option, sizeof(option), "access=%s", mode);
	if (pcapf_opts__parse(&opts, option, err) != 0)
		fatal("--access %s: %s", mode, err);
	return opts.access;
}

/* --mcpu N, the eBPF back end's instruction set: 1..4. */
static unsigned parse_cpu(const char *s)
{
	if (s[0] < '1' || s[0] > '4' || s[1])
		fatal("--mcpu %s: expected 1, 2, 3 or 4", s);
	return (unsigned)(s[0] - '0');
}

static bool args_ok(const struct options *o)
{
	bool need_pcaps = o->filters && !o->verify_only;

	return (o->ebpf ? !o->host && !o->clang && !o->plugin : o->clang && o->plugin) &&
	       (o->ebpf || (!o->ebpf_cpu && !o->ebpf_inline)) && !!o->filters + !!o->cases + !!o->apply_tests == 1 &&
	       !o->apply_tests == !o->pcap_dir && need_pcaps == (o->n_pcaps > 0) &&
	       (!o->linktype || o->filters) &&
	       (!o->host || (o->access == PCAPF_ACCESS_DIRECT && !o->verify_only)) &&
	       (!o->target || o->host) && !o->target == !o->runner.n;
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
		{"linktype", required_argument, NULL, 'l'},
		{"pcap", required_argument, NULL, 'r'},
		{"cases", required_argument, NULL, 's'},
		{"verify-only", no_argument, NULL, 'v'},
		{"apply-tests", required_argument, NULL, 'a'},
		{"pcap-dir", required_argument, NULL, 'd'},
		{"expect-rejected", required_argument, NULL, 'e'},
		{"host", no_argument, NULL, 'H'},
		{"access", required_argument, NULL, 'A'},
		{"option", required_argument, NULL, 'o'},
		{"ebpf", no_argument, NULL, 'E'},
		{"mcpu", required_argument, NULL, 'M'},
		{"inline", no_argument, NULL, 'N'},
		{"target", required_argument, NULL, 't'},
		{"runner", required_argument, NULL, 'R'},
		{"expect-past-bound", required_argument, NULL, 'B'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int c;

	split_words(&o->cflags, "-O2");
	o->expect_rejected = -1;
	o->expect_past_bound = -1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->clang = optarg; break;
		case 'p': o->plugin = optarg; break;
		case 'I': push(&o->includes, &o->n_includes, optarg); break;
		case 'C': split_words(&o->cflags, optarg); break;
		case 't': o->target = optarg; break;
		case 'R': split_words(&o->runner, optarg); break;
		case 'w': o->work = optarg; break;
		case 'f': o->filters = optarg; break;
		case 'l': o->linktype = optarg; break;
		case 'r': push(&o->pcaps, &o->n_pcaps, optarg); break;
		case 's': o->cases = optarg; break;
		case 'v': o->verify_only = true; break;
		case 'a': o->apply_tests = optarg; break;
		case 'd': o->pcap_dir = optarg; break;
		case 'e': o->expect_rejected = strtol(optarg, NULL, 10); break;
		case 'H': o->host = true; break;
		case 'A': o->access = parse_access(optarg); break;
		case 'o': push(&o->options, &o->n_options, optarg); break;
		case 'E': o->ebpf = true; break;
		case 'M': o->ebpf_cpu = parse_cpu(optarg); break;
		case 'N': o->ebpf_inline = true; break;
		case 'B': o->expect_past_bound = strtol(optarg, NULL, 10); break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); fatal("bad arguments");
		}
	}
	for (; optind < argc; optind++) /* --pcap a.pcap b.pcap ... */
		push(&o->pcaps, &o->n_pcaps, argv[optind]);
	if (!args_ok(o)) {
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

static void free_all(struct difftest *t)
{
	unload_filters(t);
	ebpf_unload_filters(t);
	for (size_t i = 0; i < t->n_filters; i++) {
		struct filter *f = &t->filters[i];
		pktrun_ref_free(f->ref);
		pktrun_ref_free(f->bounded);
		free(f->expr);
		free(f->name);
		free(f->expected);
		free(f->cross);
	}
	free(t->filters);
	for (size_t i = 0; i < t->n_captures; i++)
		pktrun_capture_free(&t->captures[i]);
	free(t->captures);
	free(t->lts);
	reasons_free(&t->rejected);
	reasons_free(&t->skipped);
	reasons_free(&t->other_captures);
	free(t->opt.includes);
	free(t->opt.pcaps);
	free(t->opt.options);
	free_words(&t->opt.cflags);
	free_words(&t->opt.runner);
	free(t->cross_first);
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

static void read_input(struct difftest *t)
{
	if (t->opt.filters)
		read_filters(t, t->opt.filters, t->opt.linktype);
	else if (t->opt.cases)
		read_cases(t, t->opt.cases);
	else
		read_apply_tests(t, t->opt.apply_tests, t->opt.pcap_dir);
	for (size_t i = 0; i < t->opt.n_pcaps; i++)
		add_capture(t, t->opt.pcaps[i]);
	if (!t->n_filters)
		fatal("no filters to test");
	count_packets(t);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct difftest t = {0};
	char why[256];

	setvbuf(stdout, NULL, _IOLBF, 0);
	t.opt.access = PCAPF_ACCESS_DIRECT;
	parse_args(&t.opt, argc, argv);
	if (!t.opt.ebpf && access(t.opt.plugin, R_OK) != 0)
		fatal("plugin %s: %s", t.opt.plugin, strerror(errno));
	if (!t.opt.host && pktrun_bpf_check(why, sizeof(why)) != 0)
		fatal("BPF cannot run here: %s", why);
	raise_fd_limit();
	read_input(&t);
	make_work(&t);
	printf("difftest: %zu filters, %s, %s, access=%s, work directory %s\n", t.n_filters,
	       t.opt.target ? t.opt.target : t.opt.host ? "host" : "kernel",
	       t.opt.ebpf ? "eBPF back end" : "plugin",
	       pcapf_access_name(t.opt.access), t.work);

	double start = seconds();
	compile_references(&t);
	if (t.opt.ebpf)
		ebpf_compile_filters(&t);
	else
		compile_filters(&t);
	compile_bounded_references(&t);
	double compiled = seconds();
	if (t.opt.ebpf)
		ebpf_load_filters(&t);
	else
		load_filters(&t);
	double loaded = seconds();
	if (!t.opt.verify_only && count_state(&t, S_LOADED))
		run_filters(&t);
	printf("difftest: compiled in %.1f s, loaded in %.1f s, ran in %.1f s\n",
	       compiled - start, loaded - compiled, seconds() - loaded);
	int rc = report(&t);

	if (t.temp_work && rc == 0)
		nftw(t.work, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free_all(&t);
	return rc;
}
