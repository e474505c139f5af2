/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ebpf.c: the eBPF bytecode back end, for filters chosen at run time.
 *
 * Lowers the analysed program (pcapf.h's lowering contract) to struct
 * bpf_insn, the job the Clang plugin's IR lowering does at build time, for
 * loaders that get the filter on their command line. Like the IR lowering it
 * decides nothing about where checks go: guards, reject points, division
 * guards and initialisation come from analyze.c. What it adds is register
 * allocation, the verifier's forms of each check, and layout.
 *
 * Registers (direct access, the stub convention of the plugin's
 * (void *data, void *data_end) stubs):
 *   r1 data, r2 data_end   never written by the body
 *   r0 A                   the result is in r0 when the body exits
 *   r3 X
 *   r4 scratch             data + N for a length check, large constants
 *   r5 data + X            the pointer an indexed check compared with
 *                          data_end; indexed loads read through it
 *   r10 - 4 * (i + 1)      M[i], 64 bytes of stack at most
 * A and X hold 32-bit values zero-extended to 64 bits, kept so by 32-bit
 * ALU operations; compares are JMP32 from -mcpu=v3 and 64-bit before,
 * where a constant of 2^31 or more is first moved into a register (a 64-bit
 * jump sign-extends its immediate).
 *
 * Why these forms:
 *   - a length check is `r4 = data + N; if r4 > data_end goto reject`, the
 *     form from which the verifier learns that data has N readable bytes;
 *     every absolute load is then `*(data + k)`;
 *   - an indexed check first bounds X (`if X > 0xffff - N goto reject`): the
 *     verifier only tracks packet ranges for offsets up to MAX_PACKET_OFF,
 *     and an offset past it cannot be read in direct access anyway (the
 *     analysis' packet range: a return 0). X itself is never changed;
 *   - r5 is written only by indexed checks, and the analysis guarantees an
 *     indexed check on every path since X was last written before an
 *     indexed load that has none, so r5 is data + X with a verified range
 *     on every path there;
 *   - packet bytes are big-endian: BPF_END to big-endian swaps on
 *     little-endian machines and only truncates on big-endian ones, so the
 *     same code is right for both byte orders.
 *
 * Layout: instructions in cBPF order, unreachable ones left out; a branch
 * falls through to whichever target comes next; every branch to a
 * no-match return, and every failed check, goes to one shared `w0 = 0;
 * exit` at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "internal.h"

_Static_assert(sizeof(struct bpf_insn) == sizeof(struct pcapf_ebpf_insn),
	       "eBPF instruction layout");

enum {
	R_A = BPF_REG_0,
	R_DATA = BPF_REG_1,
	R_DATA_END = BPF_REG_2,
	R_X = BPF_REG_3,
	R_TMP = BPF_REG_4,
	R_XPTR = BPF_REG_5,
	R_CTX = BPF_REG_1, /* whole programs: the context, on entry */
	R_FP = BPF_REG_10,
};

/* Branch targets before layout: a cBPF instruction, or the shared exit. */
#define TARGET_REJECT UINT32_MAX

struct fixup {
	size_t at;	 /* the jump */
	uint32_t target; /* cBPF index or TARGET_REJECT */
};

struct emitter {
	const struct pcapf_prog *prog;
	const struct pcapf_insn *in;
	size_t n;
	bool jmp32;
	struct bpf_insn *out;
	size_t cnt, cap;
	size_t *start; /* by cBPF index: its first eBPF instruction */
	struct fixup *fix;
	size_t nfix, capfix;
	int err;
};

/* Room for one more element in the array *v of *cap, holding n; false
 * (and e->err set) when memory runs out. */
static bool reserve(struct emitter *e, void **v, size_t *cap, size_t n,
		    size_t size)
{
	void *grown;

	if (e->err)
		return false;
	if (n < *cap)
		return true;
	grown = realloc(*v, (*cap ? 2 * *cap : 64) * size);
	if (!grown) {
		e->err = -ENOMEM;
		return false;
	}
	*v = grown;
	*cap = *cap ? 2 * *cap : 64;
	return true;
}

static void emit(struct emitter *e, struct bpf_insn insn)
{
	if (reserve(e, (void **)&e->out, &e->cap, e->cnt, sizeof(*e->out)))
		e->out[e->cnt++] = insn;
}

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src,
			    int16_t off, int32_t imm)
{
	return (struct bpf_insn){
		.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm,
	};
}

static void alu32_imm(struct emitter *e, uint8_t op, uint8_t dst, uint32_t k)
{
	emit(e, insn(BPF_ALU | op | BPF_K, dst, 0, 0, (int32_t)k));
}

static void alu32_reg(struct emitter *e, uint8_t op, uint8_t dst, uint8_t src)
{
	emit(e, insn(BPF_ALU | op | BPF_X, dst, src, 0, 0));
}

static void alu64_imm(struct emitter *e, uint8_t op, uint8_t dst, int32_t k)
{
	emit(e, insn(BPF_ALU64 | op | BPF_K, dst, 0, 0, k));
}

static void alu64_reg(struct emitter *e, uint8_t op, uint8_t dst, uint8_t src)
{
	emit(e, insn(BPF_ALU64 | op | BPF_X, dst, src, 0, 0));
}

static void exit_insn(struct emitter *e)
{
	emit(e, insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

/* A jump whose offset is filled in by resolve(). */
static void jump_to(struct emitter *e, struct bpf_insn j, uint32_t target)
{
	if (!reserve(e, (void **)&e->fix, &e->capfix, e->nfix, sizeof(*e->fix)))
		return;
	e->fix[e->nfix++] = (struct fixup){.at = e->cnt, .target = target};
	emit(e, j);
}

static void jump_reject_if(struct emitter *e, uint8_t op, uint8_t dst,
			   uint8_t src, uint32_t k)
{
	uint8_t code = BPF_JMP | op | (src ? BPF_X : BPF_K);

	jump_to(e, insn(code, dst, src, 0, (int32_t)k), TARGET_REJECT);
}

/* dst = *(size *)(base + off), for any off below 2^32 the verifier can
 * range-check (a load's own offset is 16-bit signed). */
static void load(struct emitter *e, uint8_t dst, uint8_t base, uint32_t off,
		 uint32_t size)
{
	static const uint8_t sizes[5] = {[1] = BPF_B, [2] = BPF_H, [4] = BPF_W};

	if (off > INT16_MAX) {
		alu64_reg(e, BPF_MOV, R_TMP, base);
		alu64_imm(e, BPF_ADD, R_TMP, (int32_t)off);
		base = R_TMP;
		off = 0;
	}
	emit(e, insn(BPF_LDX | BPF_MEM | sizes[size], dst, base, (int16_t)off, 0));
}

/* dst = the size bytes at base + off, big-endian, as a u32. */
static void load_packet(struct emitter *e, uint8_t dst, uint8_t base,
			uint32_t off, uint32_t size)
{
	load(e, dst, base, off, size);
	if (size > 1)
		emit(e, insn(BPF_ALU | BPF_END | BPF_TO_BE, dst, 0, 0,
			     (int32_t)(8 * size)));
}

static int16_t scratch_off(uint32_t m)
{
	return (int16_t)(-4 * (int32_t)(m + 1));
}

/* ---- Checks: steps 1-4 of the lowering contract ---------------------- */

/* len >= n, or return 0. */
static void check_len(struct emitter *e, uint32_t n)
{
	alu64_reg(e, BPF_MOV, R_TMP, R_DATA);
	alu64_imm(e, BPF_ADD, R_TMP, (int32_t)n);
	jump_reject_if(e, BPF_JGT, R_TMP, R_DATA_END, 0);
}

/* X + n <= len, or return 0; leaves data + X in R_XPTR. The analysis
 * made n at most the packet range. */
static void check_ind(struct emitter *e, uint32_t n)
{
	jump_reject_if(e, BPF_JGT, R_X, 0, e->prog->packet_range - n);
	alu64_reg(e, BPF_MOV, R_XPTR, R_DATA);
	alu64_reg(e, BPF_ADD, R_XPTR, R_X);
	alu64_reg(e, BPF_MOV, R_TMP, R_XPTR);
	alu64_imm(e, BPF_ADD, R_TMP, (int32_t)n);
	jump_reject_if(e, BPF_JGT, R_TMP, R_DATA_END, 0);
}

/* False if the instruction is a reject point. */
static bool emit_checks(struct emitter *e, const struct pcapf_insn *in)
{
	if (in->flags & PCAPF_INSN_REJECT) {
		jump_to(e, insn(BPF_JMP | BPF_JA, 0, 0, 0, 0), TARGET_REJECT);
		return false;
	}
	if (in->guard_len)
		check_len(e, in->guard_len);
	if (in->guard_ind)
		check_ind(e, in->guard_ind);
	if (in->flags & PCAPF_INSN_GUARD_DIV)
		jump_reject_if(e, BPF_JEQ, R_X, 0, 0);
	return true;
}

/* ---- Operations ----------------------------------------------------------- */

static void emit_ld(struct emitter *e, const struct pcapf_insn *in, uint8_t dst)
{
	uint32_t size = pcapf_load_size(in->code);

	switch (CBPF_MODE(in->code)) {
	case CBPF_ABS:
		load_packet(e, dst, R_DATA, in->k, size);
		break;
	case CBPF_IND:
		load_packet(e, dst, R_XPTR, in->k, size);
		break;
	case CBPF_MSH: /* X = 4 * (P[k] & 0xf), the IPv4 header length */
		load_packet(e, dst, R_DATA, in->k, 1);
		alu32_imm(e, BPF_AND, dst, 0xf);
		alu32_imm(e, BPF_LSH, dst, 2);
		break;
	case CBPF_LEN: /* the readable length: data_end - data */
		alu64_reg(e, BPF_MOV, dst, R_DATA_END);
		alu64_reg(e, BPF_SUB, dst, R_DATA);
		alu32_reg(e, BPF_MOV, dst, dst);
		break;
	case CBPF_MEM:
		emit(e, insn(BPF_LDX | BPF_MEM | BPF_W, dst, R_FP,
			     scratch_off(in->k), 0));
		break;
	default: /* CBPF_IMM */
		alu32_imm(e, BPF_MOV, dst, in->k);
		break;
	}
}

static const uint8_t alu_ops[16] = {
	[CBPF_ADD >> 4] = BPF_ADD, [CBPF_SUB >> 4] = BPF_SUB,
	[CBPF_MUL >> 4] = BPF_MUL, [CBPF_DIV >> 4] = BPF_DIV,
	[CBPF_OR >> 4] = BPF_OR,   [CBPF_AND >> 4] = BPF_AND,
	[CBPF_LSH >> 4] = BPF_LSH, [CBPF_RSH >> 4] = BPF_RSH,
	[CBPF_MOD >> 4] = BPF_MOD, [CBPF_XOR >> 4] = BPF_XOR,
};

static void emit_alu(struct emitter *e, const struct pcapf_insn *in)
{
	uint8_t op = alu_ops[CBPF_OP(in->code) >> 4];

	if (CBPF_OP(in->code) == CBPF_NEG) {
		emit(e, insn(BPF_ALU | BPF_NEG, R_A, 0, 0, 0));
		return;
	}
	if (CBPF_SRC(in->code) == CBPF_K) { /* shifts below 32, k != 0 */
		alu32_imm(e, op, R_A, in->k);
		return;
	}
	if (op == BPF_LSH || op == BPF_RSH) {
		/* libpcap: a shift by 32 or more gives 0; eBPF masks it. */
		emit(e, insn(BPF_JMP | BPF_JGT | BPF_K, R_X, 0, 2, 31));
		alu32_reg(e, op, R_A, R_X);
		emit(e, insn(BPF_JMP | BPF_JA, 0, 0, 1, 0));
		alu32_imm(e, BPF_MOV, R_A, 0);
		return;
	}
	alu32_reg(e, op, R_A, R_X);
}

static const uint8_t jmp_ops[5] = {
	[CBPF_JEQ >> 4] = BPF_JEQ, [CBPF_JGT >> 4] = BPF_JGT,
	[CBPF_JGE >> 4] = BPF_JGE, [CBPF_JSET >> 4] = BPF_JSET,
};

/* The same test with the branches swapped, where eBPF has it. */
static uint8_t inverse(uint8_t op)
{
	switch (op) {
	case BPF_JEQ: return BPF_JNE;
	case BPF_JGT: return BPF_JLE;
	case BPF_JGE: return BPF_JLT;
	default: return 0; /* BPF_JSET */
	}
}

/* The next instruction the layout emits after i. */
static uint32_t next_emitted(const struct emitter *e, size_t i)
{
	for (size_t j = i + 1; j < e->n; j++)
		if (e->in[j].flags & PCAPF_INSN_REACHABLE)
			return (uint32_t)j;
	return TARGET_REJECT;
}

/* A branch to a no-match return goes to the shared exit instead. */
static uint32_t branch_target(const struct emitter *e, uint32_t t)
{
	const struct pcapf_insn *in = &e->in[t];

	if ((in->flags & PCAPF_INSN_REJECT) ||
	    (in->code == (CBPF_RET | CBPF_K) && in->k == 0))
		return TARGET_REJECT;
	return t;
}

static void emit_jump(struct emitter *e, const struct pcapf_insn *in, size_t i)
{
	uint32_t next = next_emitted(e, i);
	uint32_t jt = branch_target(e, in->jt), jf = branch_target(e, in->jf);
	uint8_t op = jmp_ops[CBPF_OP(in->code) >> 4], src = 0;
	uint8_t cls = e->jmp32 ? BPF_JMP32 : BPF_JMP;
	int32_t imm;

	if (CBPF_OP(in->code) == CBPF_JA || jt == jf) {
		if (jt != next || jt == TARGET_REJECT)
			jump_to(e, insn(BPF_JMP | BPF_JA, 0, 0, 0, 0), jt);
		return;
	}
	if (CBPF_SRC(in->code) == CBPF_X) {
		src = R_X;
	} else if (!e->jmp32 && in->k >= 0x80000000u && op != BPF_JSET) {
		/* A 64-bit jump sign-extends its immediate; A is zero-extended. */
		alu32_imm(e, BPF_MOV, R_TMP, in->k);
		src = R_TMP;
	}
	imm = src ? 0 : (int32_t)in->k;
	if (jt == next && jt != TARGET_REJECT && inverse(op)) {
		jump_to(e, insn(cls | inverse(op) | (src ? BPF_X : BPF_K), R_A,
				src, 0, imm), jf);
		return;
	}
	jump_to(e, insn(cls | op | (src ? BPF_X : BPF_K), R_A, src, 0, imm), jt);
	if (jf != next || jf == TARGET_REJECT)
		jump_to(e, insn(BPF_JMP | BPF_JA, 0, 0, 0, 0), jf);
}

/* Lowers instruction i; returns whether its block goes on. */
static bool emit_insn(struct emitter *e, size_t i)
{
	const struct pcapf_insn *in = &e->in[i];

	if (!emit_checks(e, in))
		return false;
	switch (CBPF_CLASS(in->code)) {
	case CBPF_LD:
		emit_ld(e, in, R_A);
		return true;
	case CBPF_LDX:
		emit_ld(e, in, R_X);
		return true;
	case CBPF_ST:
	case CBPF_STX:
		emit(e, insn(BPF_STX | BPF_MEM | BPF_W, R_FP,
			     CBPF_CLASS(in->code) == CBPF_ST ? R_A : R_X,
			     scratch_off(in->k), 0));
		return true;
	case CBPF_ALU:
		emit_alu(e, in);
		return true;
	case CBPF_JMP:
		emit_jump(e, in, i);
		return false;
	case CBPF_RET:
		if (CBPF_RVAL(in->code) == CBPF_K)
			alu32_imm(e, BPF_MOV, R_A, in->k);
		exit_insn(e);
		return false;
	default: /* CBPF_MISC */
		if (CBPF_MISCOP(in->code) == CBPF_TAX)
			alu32_reg(e, BPF_MOV, R_X, R_A);
		else
			alu32_reg(e, BPF_MOV, R_A, R_X);
		return true;
	}
}

/* Whole programs: data and data_end from the context. */
static void emit_prologue(struct emitter *e, enum pcapf_ebpf_wrap wrap)
{
	int16_t data, data_end;

	switch (wrap) {
	case PCAPF_EBPF_XDP:
		data = offsetof(struct xdp_md, data);
		data_end = offsetof(struct xdp_md, data_end);
		break;
	case PCAPF_EBPF_TC:
		data = offsetof(struct __sk_buff, data);
		data_end = offsetof(struct __sk_buff, data_end);
		break;
	default:
		return;
	}
	emit(e, insn(BPF_LDX | BPF_MEM | BPF_W, R_DATA_END, R_CTX, data_end, 0));
	emit(e, insn(BPF_LDX | BPF_MEM | BPF_W, R_DATA, R_CTX, data, 0));
}

static void emit_entry(struct emitter *e)
{
	uint16_t init = e->prog->scratch_init;

	if (e->prog->init_a)
		alu32_imm(e, BPF_MOV, R_A, 0);
	if (e->prog->init_x)
		alu32_imm(e, BPF_MOV, R_X, 0);
	for (uint32_t m = 0; m < CBPF_MEMWORDS; m++)
		if (init & (1u << m))
			emit(e, insn(BPF_ST | BPF_MEM | BPF_W, R_FP, 0,
				     scratch_off(m), 0));
}

static bool rejects_used(const struct emitter *e)
{
	for (size_t f = 0; f < e->nfix; f++)
		if (e->fix[f].target == TARGET_REJECT)
			return true;
	return false;
}

/* Jump offsets, once every target has its place. */
static int resolve(struct emitter *e, size_t reject, char *errbuf)
{
	for (size_t f = 0; f < e->nfix; f++) {
		const struct fixup *fx = &e->fix[f];
		size_t to = fx->target == TARGET_REJECT ? reject
							: e->start[fx->target];
		long off = (long)to - (long)fx->at - 1;

		if (off < INT16_MIN || off > INT16_MAX) {
			pcapf_err(errbuf, "filter too large: a jump of %ld "
				  "instructions exceeds eBPF's 16-bit offset", off);
			return -E2BIG;
		}
		e->out[fx->at].off = (int16_t)off;
	}
	return 0;
}

/* The eBPF options with defaults filled in; sz as for struct pcapf_opts. */
static int resolve_ebpf_opts(const struct pcapf_ebpf_opts *opts,
			     enum pcapf_ebpf_wrap *wrap, unsigned *cpu,
			     char *errbuf)
{
	const size_t known = PCAPF_OFFSETOFEND(struct pcapf_ebpf_opts, cpu);

	*wrap = PCAPF_EBPF_SUBPROG;
	*cpu = 3;
	if (!opts)
		return 0;
	if (pcapf_opts_valid(opts, opts->sz, known, "pcapf_ebpf_opts", errbuf))
		return -EINVAL;
	if (opts->sz >= PCAPF_OFFSETOFEND(struct pcapf_ebpf_opts, wrap))
		*wrap = opts->wrap;
	if ((unsigned)*wrap > PCAPF_EBPF_TC) {
		pcapf_err(errbuf, "unknown eBPF wrap %d", (int)*wrap);
		return -EINVAL;
	}
	if (opts->sz >= known && opts->cpu)
		*cpu = opts->cpu;
	if (*cpu > 4) {
		pcapf_err(errbuf, "unknown eBPF instruction set v%u: expected "
			  "1..4", *cpu);
		return -EINVAL;
	}
	return 0;
}

int pcapf_prog__emit_ebpf(const struct pcapf_prog *prog,
			  const struct pcapf_ebpf_opts *opts,
			  struct pcapf_ebpf_insn **insns, size_t *cnt,
			  char *errbuf)
{
	struct emitter e = {0};
	enum pcapf_ebpf_wrap wrap;
	unsigned cpu;
	bool open = false; /* the last instruction emitted falls through */
	size_t reject;
	int err;

	if (!prog || !insns || !cnt) {
		pcapf_err(errbuf, "no program or no output");
		return -EINVAL;
	}
	err = resolve_ebpf_opts(opts, &wrap, &cpu, errbuf);
	if (err)
		return err;
	if (prog->access != PCAPF_ACCESS_DIRECT) {
		pcapf_err(errbuf, "the eBPF back end does not lower access=%s yet",
			  pcapf_access_name(prog->access));
		return -EOPNOTSUPP;
	}
	if (prog->packet_range > PCAPF_MAX_PACKET_OFF) {
		pcapf_err(errbuf, "packet_range %u: the verifier tracks packet "
			  "pointers only up to %u bytes", prog->packet_range,
			  PCAPF_MAX_PACKET_OFF);
		return -EINVAL;
	}
	e.prog = prog;
	e.in = prog->insns;
	e.n = prog->cnt;
	e.jmp32 = cpu >= 3;
	e.start = calloc(e.n, sizeof(*e.start));
	if (!e.start) {
		pcapf_err(errbuf, "out of memory");
		return -ENOMEM;
	}
	emit_prologue(&e, wrap);
	emit_entry(&e);
	for (size_t i = 0; i < e.n; i++) {
		if (!(e.in[i].flags & PCAPF_INSN_REACHABLE))
			continue;
		/* Branches to a no-match return go to the shared exit: emitted
		 * here only if the code before falls into it. The verifier
		 * refuses unreachable instructions. */
		if (!open && i > 0 && branch_target(&e, (uint32_t)i) == TARGET_REJECT)
			continue;
		e.start[i] = e.cnt;
		open = emit_insn(&e, i);
	}
	reject = e.cnt;
	if (rejects_used(&e)) {
		alu32_imm(&e, BPF_MOV, R_A, 0);
		exit_insn(&e);
	}
	err = e.err;
	if (!err)
		err = resolve(&e, reject, errbuf);
	else
		pcapf_err(errbuf, "out of memory");
	free(e.start);
	free(e.fix);
	if (err) {
		free(e.out);
		return err;
	}
	*insns = (struct pcapf_ebpf_insn *)e.out;
	*cnt = e.cnt;
	return 0;
}

/* ---- eBPF, as the kernel's verifier log and bpftool print it ---------- */

static const char *const ebpf_alu_ops[16] = {
	[BPF_ADD >> 4] = "+=",	[BPF_SUB >> 4] = "-=", [BPF_MUL >> 4] = "*=",
	[BPF_DIV >> 4] = "/=",	[BPF_OR >> 4] = "|=",  [BPF_AND >> 4] = "&=",
	[BPF_LSH >> 4] = "<<=", [BPF_RSH >> 4] = ">>=", [BPF_MOD >> 4] = "%=",
	[BPF_XOR >> 4] = "^=",	[BPF_MOV >> 4] = "=",  [BPF_ARSH >> 4] = "s>>=",
};

static const char *const ebpf_jmp_ops[16] = {
	[BPF_JEQ >> 4] = "==", [BPF_JGT >> 4] = ">",   [BPF_JGE >> 4] = ">=",
	[BPF_JSET >> 4] = "&", [BPF_JNE >> 4] = "!=",  [BPF_JSGT >> 4] = "s>",
	[BPF_JSGE >> 4] = "s>=", [BPF_JLT >> 4] = "<", [BPF_JLE >> 4] = "<=",
	[BPF_JSLT >> 4] = "s<", [BPF_JSLE >> 4] = "s<=",
};

static const char *ebpf_size(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return "u8";
	case BPF_H: return "u16";
	case BPF_W: return "u32";
	default: return "u64";
	}
}

static void dump_ebpf_insn(FILE *f, const struct pcapf_ebpf_insn *in)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	bool x = BPF_SRC(in->code) == BPF_X;
	char r = cls == BPF_ALU || cls == BPF_JMP32 ? 'w' : 'r';

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (op == BPF_END)
			fprintf(f, "r%d = %s%d r%d", in->dst_reg,
				x ? "be" : "le", in->imm, in->dst_reg);
		else if (op == BPF_NEG)
			fprintf(f, "%c%d = -%c%d", r, in->dst_reg, r, in->dst_reg);
		else if (x)
			fprintf(f, "%c%d %s %c%d", r, in->dst_reg,
				ebpf_alu_ops[op >> 4], r, in->src_reg);
		else
			fprintf(f, "%c%d %s %d", r, in->dst_reg,
				ebpf_alu_ops[op >> 4], in->imm);
		break;
	case BPF_LDX:
		fprintf(f, "r%d = *(%s *)(r%d %+d)", in->dst_reg,
			ebpf_size(in->code), in->src_reg, in->off);
		break;
	case BPF_STX:
		fprintf(f, "*(%s *)(r%d %+d) = r%d", ebpf_size(in->code),
			in->dst_reg, in->off, in->src_reg);
		break;
	case BPF_ST:
		fprintf(f, "*(%s *)(r%d %+d) = %d", ebpf_size(in->code),
			in->dst_reg, in->off, in->imm);
		break;
	case BPF_JMP:
	case BPF_JMP32:
		if (op == BPF_EXIT)
			fprintf(f, "exit");
		else if (op == BPF_JA)
			fprintf(f, "goto pc%+d", in->off);
		else if (x)
			fprintf(f, "if %c%d %s %c%d goto pc%+d", r, in->dst_reg,
				ebpf_jmp_ops[op >> 4], r, in->src_reg, in->off);
		else
			fprintf(f, "if %c%d %s 0x%x goto pc%+d", r, in->dst_reg,
				ebpf_jmp_ops[op >> 4], (uint32_t)in->imm, in->off);
		break;
	default:
		fprintf(f, "(unknown class)");
		break;
	}
}

int pcapf_ebpf__dump(const struct pcapf_ebpf_insn *insns, size_t cnt,
		     void *file)
{
	FILE *f = file;

	if ((!insns && cnt) || !f)
		return -EINVAL;
	for (size_t i = 0; i < cnt; i++) {
		fprintf(f, "%4zu: (%02x) ", i, insns[i].code);
		dump_ebpf_insn(f, &insns[i]);
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}
