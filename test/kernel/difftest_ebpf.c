/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * difftest_ebpf.c: the run-time eBPF back end as difftest's compiler.
 *
 * With --ebpf, difftest compiles no C: every filter goes through libpcapf
 * in this process (pcapf_prog__compile, then pcapf_prog__emit_ebpf) into a
 * whole XDP program and a whole TC program (TC only under skb access),
 * loaded with bpf_prog_load(), so
 * the verifier and the kernel run exactly the instructions a run-time
 * loader would get. Everything after loading (the runs, the comparison with
 * libpcap, the report) is difftest's own, shared with the plugin's runs.
 *
 * With --inline the programs are built around the inline form instead,
 * under another register contract (emit_inline), so the contract of
 * PCAPF_EBPF_INLINE is tested on every verdict too.
 *
 * A filter libpcapf refuses is "rejected by the plugin" in the report (the
 * translator is the same; --expect-rejected counts it), with its message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "difftest.h"

#define EBPF_LOG_SIZE (1u << 20)

/*
 * --inline: the inline form under a register contract unlike the stub
 * convention's, wrapped into a whole program here: the parameters loaded
 * into inline_in, the code, then the result from inline_result returned.
 * Helper modes keep their state in r6-r9 (in another order than the
 * subprogram's); direct access in registers a call would clobber.
 */
static const struct pcapf_ebpf_opts inline_direct = {
	.sz = sizeof(struct pcapf_ebpf_opts), .wrap = PCAPF_EBPF_INLINE,
	.inline_in = {BPF_REG_7, BPF_REG_8},
	.inline_work = {BPF_REG_2, BPF_REG_9, BPF_REG_1, BPF_REG_3},
	.inline_result = BPF_REG_6, .inline_stack = -16,
};
static const struct pcapf_ebpf_opts inline_helpers = {
	.sz = sizeof(struct pcapf_ebpf_opts), .wrap = PCAPF_EBPF_INLINE,
	.inline_in = {BPF_REG_1, BPF_REG_2},
	.inline_work = {BPF_REG_9, BPF_REG_8, BPF_REG_7, BPF_REG_6},
	.inline_result = BPF_REG_5, .inline_stack = -8,
};

static struct bpf_insn ldx_w(uint8_t dst, uint8_t src, int16_t off)
{
	return (struct bpf_insn){.code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = dst,
				 .src_reg = src, .off = off};
}

/* The inline code of prog in a whole program for hook p, malloc'ed. */
static int emit_inline(const struct difftest *t, const struct pcapf_prog *prog,
		       enum prog p, struct bpf_insn **out, size_t *cnt, char *err)
{
	bool skb = t->opt.access == PCAPF_ACCESS_SKB ||
		   t->opt.access == PCAPF_ACCESS_SKB_LOAD_BYTES;
	struct pcapf_ebpf_opts o = t->opt.access == PCAPF_ACCESS_DIRECT ? inline_direct
									 : inline_helpers;
	struct pcapf_ebpf_insn *body;
	struct bpf_insn *v;
	size_t n, k = 0;
	int rc;

	o.cpu = t->opt.ebpf_cpu;
	rc = pcapf_prog__emit_ebpf(prog, &o, &body, &n, err);
	if (rc)
		return rc;
	v = xcalloc(n + 4, sizeof(*v));
	if (!skb) {
		bool xdp = p == PROG_XDP;
		/* data_end first: inline_in[0] may be r1, the context. */
		v[k++] = ldx_w(o.inline_in[1], BPF_REG_1,
			       xdp ? offsetof(struct xdp_md, data_end)
				   : offsetof(struct __sk_buff, data_end));
		v[k++] = ldx_w(o.inline_in[0], BPF_REG_1,
			       xdp ? offsetof(struct xdp_md, data)
				   : offsetof(struct __sk_buff, data));
	}
	memcpy(v + k, body, n * sizeof(*v));
	k += n;
	v[k++] = (struct bpf_insn){.code = BPF_ALU | BPF_MOV | BPF_X,
				   .dst_reg = BPF_REG_0, .src_reg = o.inline_result};
	v[k++] = (struct bpf_insn){.code = BPF_JMP | BPF_EXIT};
	free(body);
	*out = v;
	*cnt = k;
	return 0;
}

/* The program of hook p for f, loaded; -1 (and a reason) if it fails. */
static int load_prog(struct difftest *t, const struct filter *f,
		     const struct pcapf_prog *prog, enum prog p, size_t i)
{
	static const enum bpf_prog_type types[] = {
		[PROG_XDP] = BPF_PROG_TYPE_XDP,
		[PROG_TC] = BPF_PROG_TYPE_SCHED_CLS,
	};
	PCAPF_EBPF_OPTS(eopts, .wrap = p == PROG_XDP ? PCAPF_EBPF_XDP : PCAPF_EBPF_TC,
			.cpu = t->opt.ebpf_cpu);
	LIBBPF_OPTS(bpf_prog_load_opts, lopts);
	struct pcapf_ebpf_insn *insns;
	char err[PCAPF_ERRBUF_SIZE];
	size_t cnt;
	int fd, rc;

	if (t->opt.ebpf_inline)
		rc = emit_inline(t, prog, p, (struct bpf_insn **)&insns, &cnt, err);
	else
		rc = pcapf_prog__emit_ebpf(prog, &eopts, &insns, &cnt, err);
	if (rc) {
		printf("difftest: filter %zu (%s): eBPF back end: %s\n", i, f->expr, err);
		return -1;
	}
	fd = bpf_prog_load(types[p], NULL, "GPL", (const struct bpf_insn *)insns, cnt,
			   &lopts);
	if (fd < 0) {
		lopts.log_buf = t->log;
		lopts.log_size = EBPF_LOG_SIZE;
		lopts.log_level = 1;
		t->log[0] = '\0';
		bpf_prog_load(types[p], NULL, "GPL", (const struct bpf_insn *)insns, cnt,
			      &lopts);
		size_t len = strlen(t->log);
		printf("difftest: filter %zu (%s): %s program of %zu instructions does "
		       "not load: %s\n%s\n", i, f->expr, prog_str(p), cnt, strerror(errno),
		       t->log + (len > 2000 ? len - 2000 : 0));
	}
	free(insns);
	return fd;
}

void ebpf_compile_filters(struct difftest *t)
{
	char err[PCAPF_ERRBUF_SIZE], why[PCAPF_ERRBUF_SIZE + 32];

	for (size_t i = 0; i < t->n_filters; i++) {
		struct filter *f = &t->filters[i];
		PCAPF_OPTS(opts, .access = t->opt.access);

		if (f->state != S_CANDIDATE)
			continue;
		filter_opts(t, f, &opts);
		f->ebpf = pcapf_prog__compile(f->expr, &opts, err);
		if (f->ebpf) {
			f->state = S_COMPILED;
			continue;
		}
		snprintf(why, sizeof(why), "libpcapf: %s", err);
		f->state = S_REJECTED_PLUGIN;
		reasons_add(&t->rejected, why);
	}
}

void ebpf_load_filters(struct difftest *t)
{
	t->log = xcalloc(EBPF_LOG_SIZE, 1);
	for (size_t i = 0; i < t->n_filters; i++) {
		struct filter *f = &t->filters[i];

		if (f->state != S_COMPILED)
			continue;
		f->state = S_LOADED;
		for (enum prog p = PROG_XDP; p <= PROG_TC; p++) {
			f->fd[p] = -1;
			if (!has_prog(t, p))
				continue;
			f->fd[p] = load_prog(t, f, f->ebpf, p, i);
			if (f->fd[p] < 0) {
				f->state = S_LOAD_FAILED;
				t->progs_failed++;
			} else {
				t->progs_loaded++;
			}
		}
	}
}

void ebpf_unload_filters(struct difftest *t)
{
	for (size_t i = 0; i < t->n_filters; i++) {
		struct filter *f = &t->filters[i];

		for (enum prog p = PROG_XDP; p <= PROG_TC; p++)
			if (f->ebpf && f->fd[p] >= 0)
				close(f->fd[p]);
		pcapf_prog__free(f->ebpf);
		f->ebpf = NULL;
	}
}
