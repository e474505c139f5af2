/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * difftest, compiling: the stubs of the candidate filters in generated C
 * files of CHUNK filters each (chunkN.bpf.c), compiled by clang with the
 * plugin, as a user's build would, nproc at a time. A file, for filter i,
 * by target and access mode:
 *
 *   kernel, access=direct (the default):
 *     static __noinline __u32 fi_xdp(struct xdp_md *ctx) __pcap_filter(...);
 *     static __u32 fi_pp(void *data, void *data_end) __pcap_filter(...);
 *     SEC("xdp") int xdp_fi(...)  calls fi_xdp   (a BPF-to-BPF call)
 *     SEC("tc")  int tc_fi(...)   calls fi_pp    (inlined into the program)
 *   kernel, access=probe: the same two programs; both stubs take
 *     (data, data_end), fi_xdp is __noinline, fi_pp is inlined
 *   kernel, access=skb or skb_load_bytes (skb program types only):
 *     static __u32 fi_skb(struct __sk_buff *skb) __pcap_filter(...);
 *     SEC("tc")  int tc_fi(...)   calls fi_skb
 *   host (--host, access=direct), a shared library (chunkN.so), or for
 *   --target an object of that machine (chunkN.o):
 *     static __u32 fi(void *data, void *data_end) __pcap_filter(...);
 *     __u32 call_fi(const unsigned char *p, unsigned long n);
 *
 * Each attribute carries the filter's options: "linktype=NAME" and
 * "snaplen=N" when the input sets them, "access=MODE" unless direct, then
 * each --option (e.g. "skb_linear=14").
 *
 * Rejections. Filters libpcapf (the plugin's translator) refuses are
 * compiled alone (fI.bpf.c), to confirm clang fails and to count its
 * message. If clang fails on a chunk all the same, its filters are compiled
 * alone to find the ones the plugin rejects, and the chunk again without
 * them. Chunks keep that search, and the loader's (difftest_run.c), to a
 * few dozen filters, and libbpf opens a small object fast.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "difftest.h"

/* Where <asm/types.h> lives for -target bpf (Debian multiarch). */
#ifndef DIFFTEST_SYSINC
#define DIFFTEST_SYSINC "/usr/include/x86_64-linux-gnu"
#endif

#define CHUNK 64 /* filters a generated file holds */

/* work/BASE.SRC is compiled to work/BASE.OUT, clang's messages in BASE.err */
static const char *src_ext(const struct difftest *t)
{
	return t->opt.host ? ".host.c" : ".bpf.c";
}

static const char *out_ext(const struct difftest *t)
{
	return t->opt.target ? ".o" : t->opt.host ? ".so" : ".bpf.o";
}

/* ---- the generated file ------------------------------------------------ */

static void put_attribute(FILE *out, const struct difftest *t, const struct filter *f)
{
	fputs("__pcap_filter(", out);
	put_c_string(out, f->expr);
	if (f->set_linktype)
		fprintf(out, ", \"linktype=%s\"", pktrun_linktype_name(f->linktype));
	if (f->set_snaplen)
		fprintf(out, ", \"snaplen=%u\"", f->snaplen);
	if (t->opt.access != PCAPF_ACCESS_DIRECT)
		fprintf(out, ", \"access=%s\"", pcapf_access_name(t->opt.access));
	for (size_t i = 0; i < t->opt.n_options; i++) {
		fputs(", ", out);
		put_c_string(out, t->opt.options[i]);
	}
	fputs(");\n", out);
}

#define XDP_DATA "(void *)(long)ctx->data, (void *)(long)ctx->data_end"
#define SKB_DATA "(void *)(long)skb->data, (void *)(long)skb->data_end"

static void put_kernel_stubs(FILE *out, const struct difftest *t, size_t i,
			     const struct filter *f)
{
	switch (t->opt.access) {
	case PCAPF_ACCESS_DEFAULT: /* main() sets direct */
	case PCAPF_ACCESS_DIRECT:
	case PCAPF_ACCESS_PROBE:
		if (t->opt.access == PCAPF_ACCESS_DIRECT)
			fprintf(out, "static __noinline __u32 f%zu_xdp(struct xdp_md *ctx) ", i);
		else
			fprintf(out, "static __noinline __u32 f%zu_xdp(void *data, void *data_end) ", i);
		put_attribute(out, t, f);
		fprintf(out, "static __u32 f%zu_pp(void *data, void *data_end) ", i);
		put_attribute(out, t, f);
		fprintf(out, "SEC(\"xdp\") int xdp_f%zu(struct xdp_md *ctx) { return f%zu_xdp(%s); }\n",
			i, i, t->opt.access == PCAPF_ACCESS_DIRECT ? "ctx" : XDP_DATA);
		fprintf(out, "SEC(\"tc\") int tc_f%zu(struct __sk_buff *skb) { return f%zu_pp(%s); }\n\n",
			i, i, SKB_DATA);
		break;
	case PCAPF_ACCESS_SKB:
	case PCAPF_ACCESS_SKB_LOAD_BYTES:
		fprintf(out, "static __u32 f%zu_skb(struct __sk_buff *skb) ", i);
		put_attribute(out, t, f);
		fprintf(out, "SEC(\"tc\") int tc_f%zu(struct __sk_buff *skb) { return f%zu_skb(skb); }\n\n",
			i, i);
		break;
	}
}

static void put_host_stub(FILE *out, const struct difftest *t, size_t i,
			  const struct filter *f)
{
	fprintf(out, "static __u32 f%zu(void *data, void *data_end) ", i);
	put_attribute(out, t, f);
	fprintf(out,
		"__u32 call_f%zu(const unsigned char *p, unsigned long n) "
		"{ return f%zu((void *)p, (void *)(p + n)); }\n\n",
		i, i);
}

/* BASE.SRC: the stubs of the candidates of chunk `chunk`, or of filter
 * `only` alone. */
static void write_source(const struct difftest *t, const char *base, size_t chunk,
			 size_t only)
{
	char *path = work_path(t, base, src_ext(t));
	FILE *out = fopen(path, "w");

	if (!out)
		fatal("%s: %s", path, strerror(errno));
	if (t->opt.host)
		fputs("/* Generated by difftest: the filters for the host. */\n"
		      "typedef unsigned int __u32;\n"
		      "#include <pcap_filter.h>\n\n",
		      out);
	else
		fputs("/* Generated by difftest. */\n"
		      "#include <linux/bpf.h>\n"
		      "#include <bpf/bpf_helpers.h>\n"
		      "#include <pcap_filter.h>\n\n",
		      out);
	for (size_t i = 0; i < t->n_filters; i++) {
		const struct filter *f = &t->filters[i];
		if (only == ALL ? f->state != S_CANDIDATE || f->chunk != chunk : i != only)
			continue;
		if (t->opt.host)
			put_host_stub(out, t, i, f);
		else
			put_kernel_stubs(out, t, i, f);
	}
	if (!t->opt.host)
		fputs("char LICENSE[] SEC(\"license\") = \"Dual BSD/GPL\";\n", out);
	if (fclose(out) != 0)
		fatal("%s: %s", path, strerror(errno));
	free(path);
}

/* ---- clang ------------------------------------------------------------- */

pid_t spawn_command(const char *const *argv, const char *err_path)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 2, 1);
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		fatal("cannot run %s: %s", argv[0], strerror(rc));
	return pid;
}

static bool exited_ok(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool wait_command(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0)
		fatal("waitpid: %s", strerror(errno));
	return exited_ok(status);
}

/* Start clang on BASE.SRC -> BASE.OUT, its output in BASE.err:
 *   kernel: CLANG -target bpf -g CFLAGS -fplugin=P -I... -idirafter SYSINC -c
 *   host:   CLANG -g CFLAGS -fPIC -shared -fplugin=P -I...
 *   cross:  CLANG --target=TRIPLE -g CFLAGS -fplugin=P -I... -c      */
static pid_t spawn_clang(const struct difftest *t, const char *base)
{
	const struct options *o = &t->opt;
	char *src = work_path(t, base, src_ext(t)), *obj = work_path(t, base, out_ext(t));
	char *err = work_path(t, base, ".err"), *plugin, *target = NULL;
	const char **argv = xcalloc(16 + o->cflags.n + 2 * o->n_includes, sizeof(*argv));
	size_t n = 0;

	if (asprintf(&plugin, "-fplugin=%s", o->plugin) < 0 ||
	    (o->target && asprintf(&target, "--target=%s", o->target) < 0))
		fatal("out of memory");
	argv[n++] = o->clang;
	if (!o->host) {
		argv[n++] = "-target";
		argv[n++] = "bpf";
	} else if (o->target) {
		argv[n++] = target;
	}
	argv[n++] = "-g";
	for (size_t i = 0; i < o->cflags.n; i++)
		argv[n++] = o->cflags.v[i];
	if (o->host && !o->target) {
		argv[n++] = "-fPIC";
		argv[n++] = "-shared";
	}
	argv[n++] = plugin;
	for (size_t i = 0; i < o->n_includes; i++) {
		argv[n++] = "-I";
		argv[n++] = o->includes[i];
	}
	if (!o->host) {
		argv[n++] = "-idirafter";
		argv[n++] = DIFFTEST_SYSINC;
	}
	if (!o->host || o->target)
		argv[n++] = "-c";
	argv[n++] = src;
	argv[n++] = "-o";
	argv[n++] = obj;
	argv[n] = NULL;

	pid_t pid = spawn_command(argv, err);
	free(argv);
	free(plugin);
	free(target);
	free(src);
	free(obj);
	free(err);
	return pid;
}

/* The first error line clang wrote to BASE.err, without its location. */
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

void cat_file(const char *path, FILE *out)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, out);
	if (f)
		fclose(f);
}

/* Clang's messages for chunk c, and the end. */
_Noreturn static void alone_but_not_together(const struct difftest *t, size_t c)
{
	char base[32];

	snprintf(base, sizeof(base), "chunk%zu", c);
	char *path = work_path(t, base, ".err");
	cat_file(path, stderr);
	free(path);
	path = work_path(t, base, src_ext(t));
	fatal("every filter in %s compiles alone but not together", path);
}

/* One clang run: work/BASE.SRC to BASE.OUT. */
struct job {
	char base[32];
	pid_t pid;
	bool ok;
};

/* Run every job, nproc clang processes at a time. */
static void run_jobs(struct difftest *t, struct job *jobs, size_t n)
{
	long nproc = sysconf(_SC_NPROCESSORS_ONLN);
	size_t next = 0, running = 0, max = nproc > 0 ? (size_t)nproc : 1;
	int status;

	while (next < n || running) {
		if (next < n && running < max) {
			jobs[next].pid = spawn_clang(t, jobs[next].base);
			next++, running++;
			continue;
		}
		pid_t pid = wait(&status);
		if (pid < 0)
			fatal("wait: %s", strerror(errno));
		for (size_t j = 0; j < next; j++) {
			if (jobs[j].pid == pid) {
				jobs[j].pid = 0;
				jobs[j].ok = exited_ok(status);
			}
		}
		running--;
	}
}

/* Compile each filter in `state` alone: the plugin rejects it, or it is a
 * candidate again. */
static void compile_alone(struct difftest *t, enum state state)
{
	struct job *jobs = xcalloc(count_state(t, state), sizeof(*jobs));
	size_t *index = xcalloc(count_state(t, state), sizeof(*index)), n = 0;
	char why[512];

	for (size_t i = 0; i < t->n_filters; i++) {
		if (t->filters[i].state != state)
			continue;
		snprintf(jobs[n].base, sizeof(jobs[n].base), "f%zu", i);
		write_source(t, jobs[n].base, 0, i);
		index[n++] = i;
	}
	run_jobs(t, jobs, n);
	for (size_t j = 0; j < n; j++) {
		struct filter *f = &t->filters[index[j]];
		if (jobs[j].ok) {
			f->state = S_CANDIDATE;
			continue;
		}
		clang_error(t, jobs[j].base, why, sizeof(why));
		f->state = S_REJECTED_PLUGIN;
		reasons_add(&t->rejected, why);
	}
	free(jobs);
	free(index);
}

/* Compile the chunks in `which` (all if NULL); returns how many failed,
 * marked in failed[]. */
static size_t compile_chunks(struct difftest *t, const bool *which, bool *failed)
{
	struct job *jobs = xcalloc(t->n_chunks, sizeof(*jobs));
	size_t *chunk = xcalloc(t->n_chunks, sizeof(*chunk)), n = 0, n_failed = 0;

	for (size_t c = 0; c < t->n_chunks; c++) {
		if ((which && !which[c]) || !chunk_has(t, c, S_CANDIDATE))
			continue;
		snprintf(jobs[n].base, sizeof(jobs[n].base), "chunk%zu", c);
		write_source(t, jobs[n].base, c, ALL);
		chunk[n++] = c;
	}
	run_jobs(t, jobs, n);
	for (size_t j = 0; j < n; j++) {
		failed[chunk[j]] = !jobs[j].ok;
		n_failed += !jobs[j].ok;
	}
	free(jobs);
	free(chunk);
	return n_failed;
}

/* CHUNK candidates to a chunk, in order. */
static void assign_chunks(struct difftest *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n_filters; i++)
		if (t->filters[i].state == S_CANDIDATE)
			t->filters[i].chunk = n++ / CHUNK;
	t->n_chunks = (n + CHUNK - 1) / CHUNK;
}

/* libpcapf, with the options the stub will carry: does it translate? */
static bool translates(const struct difftest *t, const struct filter *f)
{
	char err[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(opts, .access = t->opt.access);

	filter_opts(t, f, &opts);
	struct pcapf_prog *prog = pcapf_prog__compile(f->expr, &opts, err);
	bool ok = prog != NULL;

	pcapf_prog__free(prog);
	return ok;
}

/* The plugin's translator (libpcapf) tells which filters the plugin will
 * refuse. Those are compiled alone (to confirm it and count clang's own
 * message), so that one refusal does not force a compile of every filter
 * of its chunk alone. */
static void predict_rejections(struct difftest *t)
{
	for (size_t i = 0; i < t->n_filters; i++) {
		struct filter *f = &t->filters[i];
		if (f->state == S_CANDIDATE && !translates(t, f))
			f->state = S_PREDICTED_REJECT;
	}
	if (count_state(t, S_PREDICTED_REJECT))
		compile_alone(t, S_PREDICTED_REJECT);
}

void compile_filters(struct difftest *t)
{
	predict_rejections(t);
	assign_chunks(t);
	bool *failed = xcalloc(t->n_chunks, sizeof(bool));
	size_t n_failed = compile_chunks(t, NULL, failed);

	if (n_failed) {
		printf("difftest: clang failed on %zu of %zu chunks; compiling their filters one by one\n",
		       n_failed, t->n_chunks);
		for (size_t i = 0; i < t->n_filters; i++)
			if (t->filters[i].state == S_CANDIDATE && failed[t->filters[i].chunk])
				t->filters[i].state = S_SUSPECT;
		compile_alone(t, S_SUSPECT);
		bool *again = xcalloc(t->n_chunks, sizeof(bool));
		compile_chunks(t, failed, again);
		for (size_t c = 0; c < t->n_chunks; c++)
			if (again[c])
				alone_but_not_together(t, c);
		free(again);
	}
	free(failed);
	for (size_t i = 0; i < t->n_filters; i++)
		if (t->filters[i].state == S_CANDIDATE)
			t->filters[i].state = S_COMPILED;
}
