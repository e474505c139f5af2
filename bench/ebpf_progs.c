/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The run-time eBPF back end's programs for the benchmark (ebpf_progs.h):
 * libpcapf's output for a filter, and the XDP programs around it that
 * match bench_progs.h's, assembled instruction by instruction.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include <pcapf.h>

#include "bench.h"
#include "ebpf_progs.h"

#define LOG_SIZE (1u << 20)

/* The XDP program's own instructions before the filter: the two context
 * loads (data_end, then data, as ebpf.c and clang order them). */
#define XDP_PROLOGUE 2

/* A program being assembled. */
struct asm_buf {
	struct bpf_insn *insns;
	size_t cnt, cap;
};

static void fail(const char *what, const char *why)
{
	fprintf(stderr, "pcapf-bench: %s: %s\n", what, why);
	exit(2);
}

static void put(struct asm_buf *b, struct bpf_insn in)
{
	if (b->cnt == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		b->insns = realloc(b->insns, b->cap * sizeof(*b->insns));
		if (!b->insns)
			abort();
	}
	b->insns[b->cnt++] = in;
}

static struct bpf_insn mov64_reg(int dst, int src)
{
	return (struct bpf_insn){.code = BPF_ALU64 | BPF_MOV | BPF_X,
				 .dst_reg = dst, .src_reg = src};
}

/* dst = *(u32 *)(ctx + off): a struct xdp_md field */
static struct bpf_insn ctx_load(int dst, int ctx, short off)
{
	return (struct bpf_insn){.code = BPF_LDX | BPF_MEM | BPF_W,
				 .dst_reg = dst, .src_reg = ctx, .off = off};
}

static struct bpf_insn exit_insn(void)
{
	return (struct bpf_insn){.code = BPF_JMP | BPF_EXIT};
}

static bool is_exit(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_EXIT);
}

/* A BPF-to-BPF call from instruction `at` to instruction `to`. */
static struct bpf_insn call_insn(size_t at, size_t to)
{
	return (struct bpf_insn){.code = BPF_JMP | BPF_CALL,
				 .src_reg = BPF_PSEUDO_CALL,
				 .imm = (int)(to - at - 1)};
}

/* r1 = ctx->data, r2 = ctx->data_end, for a program that calls the filter
 * once; the loops keep them in r6 and r7, the sum in r8. */
static void put_prologue(struct asm_buf *b, int data, int data_end)
{
	put(b, ctx_load(data_end, BPF_REG_1, offsetof(struct xdp_md, data_end)));
	put(b, ctx_load(data, BPF_REG_1, offsetof(struct xdp_md, data)));
}

static void put_loop_head(struct asm_buf *b)
{
	put_prologue(b, BPF_REG_6, BPF_REG_7);
	put(b, (struct bpf_insn){.code = BPF_ALU64 | BPF_MOV | BPF_K,
				 .dst_reg = BPF_REG_8});
}

/* One filter run's arguments, as the C loops pass them. */
static void put_args(struct asm_buf *b)
{
	put(b, mov64_reg(BPF_REG_1, BPF_REG_6));
	put(b, mov64_reg(BPF_REG_2, BPF_REG_7));
}

/* sum += r0, after one filter run; and the loop's end: return the sum. */
static void put_accumulate(struct asm_buf *b)
{
	put(b, (struct bpf_insn){.code = BPF_ALU64 | BPF_ADD | BPF_X,
				 .dst_reg = BPF_REG_8, .src_reg = BPF_REG_0});
}

static void put_loop_tail(struct asm_buf *b)
{
	put(b, mov64_reg(BPF_REG_0, BPF_REG_8));
	put(b, exit_insn());
}

/* The subprogram body at the end of b, for the calls before it. */
static size_t put_subprog(struct asm_buf *b, const struct bpf_insn *body, size_t n)
{
	size_t start = b->cnt;

	for (size_t i = 0; i < n; i++)
		put(b, body[i]);
	return start;
}

/* The body inlined: its final exit dropped (the code falls through) and
 * every other exit a jump to just past the copy. Jumps inside the body
 * keep their offsets: the copy's instructions keep their distances. */
static void put_inline(struct asm_buf *b, const struct bpf_insn *body, size_t n)
{
	size_t len = n && is_exit(&body[n - 1]) ? n - 1 : n;

	for (size_t i = 0; i < len; i++) {
		struct bpf_insn in = body[i];

		if (is_exit(&in))
			in = (struct bpf_insn){.code = BPF_JMP | BPF_JA,
					       .off = (short)(len - i - 1)};
		put(b, in);
	}
}

static int load(const struct asm_buf *b, const char *what, const char *expr)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts);
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, NULL, "GPL", b->insns, b->cnt, &opts);
	char *log;

	if (fd >= 0)
		return fd;
	log = calloc(LOG_SIZE, 1);
	if (!log)
		abort();
	opts.log_buf = log;
	opts.log_size = LOG_SIZE;
	opts.log_level = 1;
	bpf_prog_load(BPF_PROG_TYPE_XDP, NULL, "GPL", b->insns, b->cnt, &opts);
	size_t len = strlen(log);
	fprintf(stderr, "pcapf-bench: eBPF back end, %s of \"%s\" (%zu "
		"instructions) does not load: %s\n%s\n", what, expr ? expr : "empty",
		b->cnt, strerror(errno), log + (len > 3000 ? len - 3000 : 0));
	exit(2);
}

/* libpcapf's output for expr in form wrap; *cnt instructions. */
static struct bpf_insn *emit(const char *expr, enum pcapf_ebpf_wrap wrap,
			     size_t *cnt)
{
	PCAPF_EBPF_OPTS(eopts, .wrap = wrap);
	char err[PCAPF_ERRBUF_SIZE];
	struct pcapf_prog *prog = pcapf_prog__compile(expr, NULL, err);
	struct pcapf_ebpf_insn *insns;

	if (!prog)
		fail(expr, err);
	if (pcapf_prog__emit_ebpf(prog, &eopts, &insns, cnt, err) != 0)
		fail(expr, err);
	pcapf_prog__free(prog);
	return (struct bpf_insn *)insns;
}

void ebpf_progs_load(struct ebpf_progs *p, const char *expr)
{
	static const struct bpf_insn empty_body[] = {
		{.code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	struct asm_buf check = {0}, loop = {0}, iloop = {0};
	struct bpf_insn *body = (struct bpf_insn *)empty_body;
	size_t n = sizeof(empty_body) / sizeof(empty_body[0]), call_at[BENCH_CALLS], sub;

	*p = (struct ebpf_progs){.check_fd = -1, .whole_fd = -1};
	if (expr) {
		struct asm_buf whole = {0};

		body = emit(expr, PCAPF_EBPF_SUBPROG, &n);
		whole.insns = emit(expr, PCAPF_EBPF_XDP, &whole.cnt);
		p->whole_insns = whole.cnt;
		p->whole_is_body = whole.cnt == XDP_PROLOGUE + n &&
				   !memcmp(whole.insns + XDP_PROLOGUE, body,
					   n * sizeof(*body));
		p->whole_fd = load(&whole, "the XDP program", expr);
		free(whole.insns);

		put_prologue(&check, BPF_REG_1, BPF_REG_2);
		put(&check, call_insn(check.cnt, check.cnt + 2));
		put(&check, exit_insn());
		put_subprog(&check, body, n);
		p->check_fd = load(&check, "the check program", expr);
	}
	p->body_insns = n;

	put_loop_head(&loop);
	for (int i = 0; i < BENCH_CALLS; i++) {
		put_args(&loop);
		call_at[i] = loop.cnt;
		put(&loop, (struct bpf_insn){0}); /* the call, once sub is known */
		put_accumulate(&loop);
	}
	put_loop_tail(&loop);
	sub = put_subprog(&loop, body, n);
	for (int i = 0; i < BENCH_CALLS; i++)
		loop.insns[call_at[i]] = call_insn(call_at[i], sub);
	p->loop_fd = load(&loop, "the call loop", expr);

	put_loop_head(&iloop);
	for (int i = 0; i < BENCH_CALLS; i++) {
		put_args(&iloop);
		put_inline(&iloop, body, n);
		put_accumulate(&iloop);
	}
	put_loop_tail(&iloop);
	p->iloop_fd = load(&iloop, "the inline loop", expr);

	free(check.insns);
	free(loop.insns);
	free(iloop.insns);
	if (expr)
		free(body);
}

void ebpf_progs_close(struct ebpf_progs *p)
{
	int *fds[] = {&p->check_fd, &p->whole_fd, &p->loop_fd, &p->iloop_fd};

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}
