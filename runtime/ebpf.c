/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ebpf.c: the eBPF bytecode back end, for filters chosen at run time.
 *
 * Lowers the analysed program (pcapf.h's lowering contract) to struct
 * bpf_insn, the job the Clang plugin's IR lowering does at build time, for
 * loaders that get the filter on their command line. Like the IR lowering it
 * decides nothing about where checks go or what a Linux extension means:
 * guards, reject points, division guards, initialisation, the packet range,
 * probe copy sizes, the skb head/helper split and the extension table all
 * come from runtime/ (analyze.c, prog.c, extensions.c). What it adds is
 * register allocation, the verifier's forms of each check, and layout.
 *
 * Registers. The stub's parameters arrive in r1 (and r2), the result leaves
 * in r0, as for the plugin's stubs. Direct access calls no helper, so the
 * filter lives in the caller-saved registers:
 *   r1 data, r2 data_end   never written by the body
 *   r4 A, r3 X, r5 data + X (the pointer an indexed check compared)
 *   r0 scratch, and the result: set before a branch to a return (below)
 * The other modes call helpers, which clobber r0-r5, so what must survive a
 * call is in r6-r9:
 *   skb             r6 the __sk_buff, r7 A, r8 X, r9 data (data_end is
 *                   read again from the context where a head load needs it)
 *   skb_load_bytes  r6 the __sk_buff, r7 A, r8 X
 *   probe           r6 data, r7 A, r8 X, r9 data_end
 * and r1-r5 carry helper arguments and scratch values. Stack, below r10:
 * M[i] at -4 * (i + 1) (64 bytes), then for the helper modes an 8-byte word
 * that bpf_skb_load_bytes() and bpf_probe_read_kernel() fill for a single
 * load, then the probe copies (pcapf_prog__probe_copy()).
 *
 * A and X hold 32-bit values zero-extended to 64 bits, kept so by 32-bit
 * ALU operations and 32-bit loads; compares are JMP32 from -mcpu=v3 and
 * 64-bit before, where a constant of 2^31 or more is first moved into a
 * register (a 64-bit jump sign-extends its immediate).
 *
 * Why these forms:
 *   - a direct length check is `r0 = data + N; if r0 > data_end goto
 *     reject`, the form from which the verifier learns that data has N
 *     readable bytes; every absolute load is then `*(data + k)`;
 *   - an indexed check first bounds X (`if X > range - N goto reject`): the
 *     verifier tracks packet ranges only for offsets up to MAX_PACKET_OFF,
 *     and the analysis made the packet range the most any check needs, so
 *     an X past the bound cannot be read anyway. Where the analysis proved
 *     X small enough (PCAPF_INSN_X_IN_RANGE: X from LDX MSH or a constant,
 *     whose bound the verifier tracks too) there is no such test. X itself
 *     never changes;
 *   - r5 is written only by direct indexed checks, and the analysis puts an
 *     indexed check on every path since X was last written before an
 *     indexed load that has none, so r5 is data + X with a verified range
 *     on every path there;
 *   - skb access tries the linear head for a load that fits
 *     pcapf_prog__skb_direct_bytes() (its own `data + off + size >
 *     data_end` test), else (or where the analysis says so,
 *     PCAPF_INSN_SKB_HELPER) calls bpf_skb_load_bytes(); a failed helper
 *     is no match, as a load past the packet is;
 *   - a halfword or word compared only with constants (jeq #k, jset #k,
 *     and #k: pcapf_prog__as_loaded()) is loaded as it is, and the
 *     constants take the memory order of the machine the code runs on
 *     instead, but in probe access (its copies may be assembled byte by
 *     byte, in big-endian order);
 *   - packet bytes are big-endian: BPF_END to big-endian swaps on
 *     little-endian machines and only truncates on big-endian ones, so the
 *     same code is right for both byte orders; a stack copy read at an
 *     offset its size does not divide is assembled from bytes (the verifier
 *     wants aligned stack access).
 *
 * Layout (lay_out()): instructions in cBPF order, unreachable ones left
 * out, but for equality chains on A, whose tests follow one another as a
 * switch's do; a branch falls through to whichever target comes next;
 * every branch to a no-match return, and every failed check, goes to one
 * shared `w0 = 0` at the end, and every return to the one `exit` after it
 * (or, inline, past the code): the x86-64 JIT emits its epilogue at the
 * first exit and makes every other one a jump back to it, a taken branch
 * more for each packet leaving there. No instruction is unreachable (the
 * verifier refuses those). A conditional branch to a `ret #k` sets the
 * result first and goes straight to the exit (`w0 = k; if w4 == 0x5000
 * goto exit`), as clang's code does, where the result register holds
 * nothing the code still needs (presets()); the return itself is laid out
 * only for the paths that fall or jump into it otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "internal.h"

_Static_assert(sizeof(struct bpf_insn) == sizeof(struct pcapf_ebpf_insn),
	       "eBPF instruction layout");

/* Where each access mode keeps the filter's state. */
struct regs {
	uint8_t a, x;
	uint8_t ctx;	  /* skb modes: the __sk_buff */
	uint8_t data;	  /* direct, skb, probe */
	uint8_t data_end; /* direct, probe */
	uint8_t tmp;	  /* scratch: never live across a helper call */
	uint8_t xptr;	  /* direct: data + X */
};

static const struct regs direct_regs = {
	.a = BPF_REG_4, .x = BPF_REG_3, .data = BPF_REG_1,
	.data_end = BPF_REG_2, .tmp = BPF_REG_0, .xptr = BPF_REG_5,
};
static const struct regs skb_regs = {
	.a = BPF_REG_7, .x = BPF_REG_8, .ctx = BPF_REG_6, .data = BPF_REG_9,
	.tmp = BPF_REG_4,
};
static const struct regs probe_regs = {
	.a = BPF_REG_7, .x = BPF_REG_8, .data = BPF_REG_6,
	.data_end = BPF_REG_9, .tmp = BPF_REG_4,
};

#define R_FP BPF_REG_10

/* Stack below the top (r10, or inline_stack): M[0..15] in 64 bytes, then
 * the single-load word of the helper modes, 8-byte aligned. */
#define WORD_BELOW 72

/* Branch targets before layout: a cBPF instruction, the no-match block, or a
 * label inside one instruction's lowering. */
enum target_kind { TO_INSN, TO_REJECT, TO_LABEL };

struct fixup {
	size_t at; /* the jump */
	enum target_kind kind;
	uint32_t target; /* cBPF index or label */
};

struct emitter {
	const struct pcapf_prog *prog;
	const struct pcapf_insn *in;
	size_t n;
	const struct regs *r;
	struct regs inline_regs; /* PCAPF_EBPF_INLINE: r points here */
	bool inline_body;
	uint8_t result;		/* PCAPF_EBPF_INLINE: inline_result */
	uint32_t end;		/* the exit's label (inline: after the code) */
	uint8_t inline_in[2];	/* PCAPF_EBPF_INLINE: the parameters */
	int16_t top;		/* the top of the stack the code uses */
	int16_t word_off;	/* the single-load word */
	enum pcapf_access access;
	bool jmp32;
	uint32_t range;	     /* pcapf_prog__packet_range() */
	uint32_t skb_direct; /* pcapf_prog__skb_direct_bytes() */
	uint32_t copy, xcopy; /* pcapf_prog__probe_copy() */
	bool big_endian;      /* the byte order the code runs in */
	bool match;	      /* returns 1 on a match, not the value */
	bool skip_swap; /* emitting a load kept in memory order */
	bool reject_falls; /* the last instruction falls into the no-match block */
	/* Layout (lay_out()), by cBPF index: the ways in, whether an equality
	 * chain's head emits it, whether it is laid out yet; and room for
	 * one chain's links. */
	uint32_t *npred;
	bool *absorbed, *placed, *entered;
	uint32_t *links;
	int16_t copy_off, xcopy_off; /* their stack offsets */
	struct bpf_insn *out;
	size_t cnt, cap;
	size_t *start; /* by cBPF index: its first eBPF instruction */
	size_t *labels;
	size_t nlabels, caplabels;
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

static void call(struct emitter *e, uint32_t helper)
{
	emit(e, insn(BPF_JMP | BPF_CALL, 0, 0, 0, (int32_t)helper));
}

/* ---- Jumps ------------------------------------------------------------ */

static uint32_t new_label(struct emitter *e)
{
	if (!reserve(e, (void **)&e->labels, &e->caplabels, e->nlabels,
		     sizeof(*e->labels)))
		return 0;
	e->labels[e->nlabels] = SIZE_MAX;
	return (uint32_t)e->nlabels++;
}

static void place_label(struct emitter *e, uint32_t label)
{
	if (!e->err)
		e->labels[label] = e->cnt;
}

/* A jump whose offset is filled in by resolve(). */
static void jump_to(struct emitter *e, struct bpf_insn j, enum target_kind kind,
		    uint32_t target)
{
	if (!reserve(e, (void **)&e->fix, &e->capfix, e->nfix, sizeof(*e->fix)))
		return;
	e->fix[e->nfix++] = (struct fixup){.at = e->cnt, .kind = kind,
					   .target = target};
	emit(e, j);
}

/* if (dst op src-or-k) goto kind:target, with 64-bit operands. */
static void jump_if(struct emitter *e, uint8_t op, uint8_t dst, uint8_t src,
		    uint32_t k, enum target_kind kind, uint32_t target)
{
	uint8_t code = BPF_JMP | op | (src ? BPF_X : BPF_K);

	jump_to(e, insn(code, dst, src, 0, src ? 0 : (int32_t)k), kind, target);
}

static void jump_reject_if(struct emitter *e, uint8_t op, uint8_t dst,
			   uint8_t src, uint32_t k)
{
	jump_if(e, op, dst, src, k, TO_REJECT, 0);
}

static void goto_label(struct emitter *e, uint32_t label)
{
	jump_to(e, insn(BPF_JMP | BPF_JA, 0, 0, 0, 0), TO_LABEL, label);
}

/* A helper's result in r0: anything but 0 is no match. */
static void reject_unless_r0_zero(struct emitter *e)
{
	jump_reject_if(e, BPF_JNE, BPF_REG_0, 0, 0);
}

/* ---- Loads ------------------------------------------------------------ */

static uint8_t size_code(uint32_t size)
{
	return size == 4 ? BPF_W : size == 2 ? BPF_H : BPF_B;
}

/* dst = *(size *)(base + off), for any off below 2^32 the verifier can
 * range-check (a load's own offset is 16-bit signed); tmp may be used. */
static void load(struct emitter *e, uint8_t dst, uint8_t base, uint32_t off,
		 uint32_t size)
{
	if (off > INT16_MAX) {
		alu64_reg(e, BPF_MOV, e->r->tmp, base);
		alu64_imm(e, BPF_ADD, e->r->tmp, (int32_t)off);
		base = e->r->tmp;
		off = 0;
	}
	emit(e, insn(BPF_LDX | BPF_MEM | size_code(size), dst, base,
		     (int16_t)off, 0));
}

/* dst to big-endian: the packet's byte order, as a u32. */
static void from_big_endian(struct emitter *e, uint8_t dst, uint32_t size)
{
	if (size > 1 && !e->skip_swap)
		emit(e, insn(BPF_ALU | BPF_END | BPF_TO_BE, dst, 0, 0,
			     (int32_t)(8 * size)));
}

/* dst = the size bytes at base + off, big-endian, as a u32. */
static void load_packet(struct emitter *e, uint8_t dst, uint8_t base,
			uint32_t off, uint32_t size)
{
	load(e, dst, base, off, size);
	from_big_endian(e, dst, size);
}

/* dst = the size bytes of the stack at r10 + off, big-endian: one aligned
 * load, or bytes assembled where off is not a multiple of size. */
static void load_stack(struct emitter *e, uint8_t dst, int16_t off,
		       uint32_t size)
{
	if (off % (int)size == 0) {
		emit(e, insn(BPF_LDX | BPF_MEM | size_code(size), dst, R_FP, off, 0));
		from_big_endian(e, dst, size);
		return;
	}
	emit(e, insn(BPF_LDX | BPF_MEM | BPF_B, dst, R_FP, off, 0));
	for (uint32_t i = 1; i < size; i++) {
		emit(e, insn(BPF_LDX | BPF_MEM | BPF_B, e->r->tmp, R_FP,
			     (int16_t)(off + (int16_t)i), 0));
		alu32_imm(e, BPF_LSH, dst, 8);
		alu32_reg(e, BPF_OR, dst, e->r->tmp);
	}
}

static int16_t scratch_off(const struct emitter *e, uint32_t m)
{
	return (int16_t)(e->top - 4 * (int32_t)(m + 1));
}

/* r1 = r10 + off, the helpers' destination buffer. */
static void stack_pointer(struct emitter *e, uint8_t dst, int16_t off)
{
	alu64_reg(e, BPF_MOV, dst, R_FP);
	alu64_imm(e, BPF_ADD, dst, off);
}

/* bpf_skb_load_bytes(skb, off, word, size) with off in w2 already; then
 * dst = the word, big-endian. */
static void skb_load_bytes(struct emitter *e, uint8_t dst, uint32_t size)
{
	alu64_reg(e, BPF_MOV, BPF_REG_1, e->r->ctx);
	stack_pointer(e, BPF_REG_3, e->word_off);
	alu32_imm(e, BPF_MOV, BPF_REG_4, size);
	call(e, BPF_FUNC_skb_load_bytes);
	reject_unless_r0_zero(e);
	load_stack(e, dst, e->word_off, size);
}

/* bpf_probe_read_kernel(r10 + off, size, r3) with the source in r3
 * already; a failure is no match. */
static void probe_read(struct emitter *e, int16_t off, uint32_t size)
{
	stack_pointer(e, BPF_REG_1, off);
	alu32_imm(e, BPF_MOV, BPF_REG_2, size);
	call(e, BPF_FUNC_probe_read_kernel);
	reject_unless_r0_zero(e);
}

/* skb access, a load at offset k (+ X if indexed) of the packet: the head
 * directly if it fits there and the analysis did not ask for the helper
 * (PCAPF_INSN_SKB_HELPER), bpf_skb_load_bytes() otherwise. */
static void skb_load(struct emitter *e, uint8_t dst, uint32_t k, bool indexed,
		     uint32_t size, bool helper_only)
{
	const struct regs *r = e->r;
	uint32_t helper = new_label(e), done = new_label(e);
	uint64_t end = (uint64_t)k + size;

	if (e->access == PCAPF_ACCESS_SKB && end <= e->skb_direct &&
	    !helper_only) {
		/* r2 = data + off; r3 = r2 + size; r3 <= data_end: read r2. */
		alu64_reg(e, BPF_MOV, BPF_REG_2, r->data);
		if (indexed) {
			jump_if(e, BPF_JGT, r->x, 0,
				e->skb_direct - (uint32_t)end, TO_LABEL, helper);
			alu64_reg(e, BPF_ADD, BPF_REG_2, r->x);
		}
		alu64_reg(e, BPF_MOV, BPF_REG_3, BPF_REG_2);
		alu64_imm(e, BPF_ADD, BPF_REG_3, (int32_t)end);
		emit(e, insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_5, r->ctx,
			     offsetof(struct __sk_buff, data_end), 0));
		jump_if(e, BPF_JGT, BPF_REG_3, BPF_REG_5, 0, TO_LABEL, helper);
		load_packet(e, dst, BPF_REG_2, k, size);
		goto_label(e, done);
	}
	place_label(e, helper);
	alu32_imm(e, BPF_MOV, BPF_REG_2, k);
	if (indexed)
		alu32_reg(e, BPF_ADD, BPF_REG_2, r->x);
	skb_load_bytes(e, dst, size);
	place_label(e, done);
}

/* probe access, a load at offset k (+ X if indexed): from the copy the
 * last check made if it lies inside, else a read of its own. */
static void probe_load(struct emitter *e, uint8_t dst, uint32_t k, bool indexed,
		       uint32_t size)
{
	uint32_t copied = indexed ? e->xcopy : e->copy;

	if ((uint64_t)k + size <= copied) {
		load_stack(e, dst, (int16_t)((indexed ? e->xcopy_off : e->copy_off) +
					     (int16_t)k), size);
		return;
	}
	alu64_reg(e, BPF_MOV, BPF_REG_3, e->r->data);
	if (indexed)
		alu64_reg(e, BPF_ADD, BPF_REG_3, e->r->x);
	alu64_imm(e, BPF_ADD, BPF_REG_3, (int32_t)k);
	probe_read(e, e->word_off, size);
	load_stack(e, dst, e->word_off, size);
}

/* dst = the size bytes at packet offset in->k (+ X for LD IND), big-endian. */
static void load_from_packet(struct emitter *e, uint8_t dst,
			     const struct pcapf_insn *in, uint32_t size)
{
	uint32_t k = in->k;
	bool indexed = CBPF_MODE(in->code) == CBPF_IND;

	switch (e->access) {
	case PCAPF_ACCESS_SKB:
	case PCAPF_ACCESS_SKB_LOAD_BYTES:
		skb_load(e, dst, k, indexed, size,
			 in->flags & PCAPF_INSN_SKB_HELPER);
		return;
	case PCAPF_ACCESS_PROBE:
		probe_load(e, dst, k, indexed, size);
		return;
	default:
		load_packet(e, dst, indexed ? e->r->xptr : e->r->data, k, size);
		return;
	}
}

/* dst = len: the readable bytes (data_end - data), or skb->len. */
static void load_len(struct emitter *e, uint8_t dst)
{
	if (e->r->ctx) {
		emit(e, insn(BPF_LDX | BPF_MEM | BPF_W, dst, e->r->ctx,
			     offsetof(struct __sk_buff, len), 0));
		return;
	}
	alu64_reg(e, BPF_MOV, dst, e->r->data_end);
	alu64_reg(e, BPF_SUB, dst, e->r->data);
	alu32_reg(e, BPF_MOV, dst, dst);
}

/* A Linux extension (skb access), as extensions.c says the kernel gives it. */
static void load_extension(struct emitter *e, uint32_t k)
{
	const struct pcapf_ext *ext = pcapf_ext_find(k);
	const struct regs *r = e->r;

	switch (ext->source) {
	case PCAPF_EXT_FIELD:
	case PCAPF_EXT_FIELD_NET16:
		emit(e, insn(BPF_LDX | BPF_MEM | BPF_W, r->a, r->ctx,
			     (int16_t)ext->offset, 0));
		if (ext->source == PCAPF_EXT_FIELD_NET16)
			from_big_endian(e, r->a, 2);
		return;
	case PCAPF_EXT_HELPER:
		call(e, ext->helper);
		alu32_reg(e, BPF_MOV, r->a, BPF_REG_0);
		return;
	default: /* PCAPF_EXT_XOR_X; validation refused the others */
		alu32_reg(e, BPF_XOR, r->a, r->x);
		return;
	}
}

/* ---- Fields compared as loaded --------------------------------------- */

/* 0, or the bytes of the load instruction i is, or whose value it reads,
 * kept in memory order (pcapf_prog__as_loaded()). Not in probe access: its
 * copies may be assembled byte by byte, in big-endian order. */
static uint32_t as_loaded_size(const struct emitter *e, size_t i)
{
	return e->access == PCAPF_ACCESS_PROBE ? 0 :
						 pcapf_prog__as_loaded(e->prog, i);
}

/* k in the memory order of the size bytes a load kept as loaded read
 * (size 0: k as it is). */
static uint32_t as_loaded(const struct emitter *e, uint32_t k, uint32_t size)
{
	if (!size)
		return k;
	if (e->big_endian)
		return size == 2 ? k & 0xffff : k;
	if (size == 2)
		return ((k & 0xff) << 8) | ((k >> 8) & 0xff);
	return __builtin_bswap32(k);
}

/* ---- Checks: steps 1-4 of the lowering contract ---------------------- */

/* len >= n, or return 0; probe access then copies the first bytes. */
static void check_len(struct emitter *e, uint32_t n)
{
	const struct regs *r = e->r;

	if (e->access == PCAPF_ACCESS_DIRECT) {
		alu64_reg(e, BPF_MOV, r->tmp, r->data);
		alu64_imm(e, BPF_ADD, r->tmp, (int32_t)n);
		jump_reject_if(e, BPF_JGT, r->tmp, r->data_end, 0);
		return;
	}
	load_len(e, r->tmp);
	jump_reject_if(e, BPF_JLT, r->tmp, 0, n);
	if (e->access == PCAPF_ACCESS_PROBE && e->copy) {
		alu64_reg(e, BPF_MOV, BPF_REG_3, r->data);
		probe_read(e, e->copy_off, n < e->copy ? n : e->copy);
	}
}

/* X + n <= len, or return 0. Direct access leaves data + X in xptr,
 * probe access copies the first bytes from there. X is bounded first
 * unless the analysis found it cannot exceed the range there, and its
 * range forgotten before where the analysis says so. */
static void check_ind(struct emitter *e, const struct pcapf_insn *in)
{
	const struct regs *r = e->r;
	uint32_t n = in->guard_ind;

	if (in->flags & PCAPF_INSN_X_FORGET) {
		/* X's range hidden from the verifier, X unchanged (the upper
		 * half is zero); the bound below gives it back. */
		emit(e, insn(BPF_ALU | BPF_END | BPF_TO_BE, r->x, 0, 0, 32));
		emit(e, insn(BPF_ALU | BPF_END | BPF_TO_BE, r->x, 0, 0, 32));
	}
	if (e->range != UINT32_MAX && !(in->flags & PCAPF_INSN_X_IN_RANGE))
		jump_reject_if(e, BPF_JGT, r->x, 0, e->range - n);
	if (e->access == PCAPF_ACCESS_DIRECT) {
		alu64_reg(e, BPF_MOV, r->xptr, r->data);
		alu64_reg(e, BPF_ADD, r->xptr, r->x);
		alu64_reg(e, BPF_MOV, r->tmp, r->xptr);
		alu64_imm(e, BPF_ADD, r->tmp, (int32_t)n);
		jump_reject_if(e, BPF_JGT, r->tmp, r->data_end, 0);
		return;
	}
	/* (u64)X + n > len: X and len are zero-extended, so no wrap. */
	load_len(e, BPF_REG_5);
	alu64_reg(e, BPF_MOV, r->tmp, r->x);
	alu64_imm(e, BPF_ADD, r->tmp, (int32_t)n);
	jump_reject_if(e, BPF_JGT, r->tmp, BPF_REG_5, 0);
	if (e->access == PCAPF_ACCESS_PROBE && e->xcopy) {
		alu64_reg(e, BPF_MOV, BPF_REG_3, r->data);
		alu64_reg(e, BPF_ADD, BPF_REG_3, r->x);
		probe_read(e, e->xcopy_off, n < e->xcopy ? n : e->xcopy);
	}
}

/* False if the instruction is a reject point. */
static bool emit_checks(struct emitter *e, const struct pcapf_insn *in)
{
	if (in->flags & PCAPF_INSN_REJECT) {
		jump_to(e, insn(BPF_JMP | BPF_JA, 0, 0, 0, 0), TO_REJECT, 0);
		return false;
	}
	if (in->guard_len)
		check_len(e, in->guard_len);
	if (in->guard_ind)
		check_ind(e, in);
	if (in->flags & PCAPF_INSN_GUARD_DIV)
		jump_reject_if(e, BPF_JEQ, e->r->x, 0, 0);
	return true;
}

/* ---- Operations ----------------------------------------------------------- */

static void emit_ld(struct emitter *e, const struct pcapf_insn *in, uint8_t dst)
{
	uint32_t size = pcapf_load_size(in->code);

	switch (CBPF_MODE(in->code)) {
	case CBPF_ABS:
		if (pcapf_is_ancillary(in->code, in->k))
			load_extension(e, in->k);
		else
			load_from_packet(e, dst, in, size);
		break;
	case CBPF_IND:
		load_from_packet(e, dst, in, size);
		break;
	case CBPF_MSH: /* X = 4 * (P[k] & 0xf), the IPv4 header length */
		load_from_packet(e, dst, in, 1);
		alu32_imm(e, BPF_AND, dst, 0xf);
		alu32_imm(e, BPF_LSH, dst, 2);
		break;
	case CBPF_LEN:
		load_len(e, dst);
		break;
	case CBPF_MEM:
		emit(e, insn(BPF_LDX | BPF_MEM | BPF_W, dst, R_FP,
			     scratch_off(e, in->k), 0));
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

static void emit_alu(struct emitter *e, size_t i)
{
	const struct pcapf_insn *in = &e->in[i];
	uint8_t op = alu_ops[CBPF_OP(in->code) >> 4], a = e->r->a, x = e->r->x;

	if (CBPF_OP(in->code) == CBPF_NEG) {
		emit(e, insn(BPF_ALU | BPF_NEG, a, 0, 0, 0));
		return;
	}
	if (CBPF_SRC(in->code) == CBPF_K) { /* shifts below 32, k != 0 */
		alu32_imm(e, op, a,
			  as_loaded(e, in->k, as_loaded_size(e, i)));
		return;
	}
	if (op == BPF_LSH || op == BPF_RSH) {
		/* libpcap: a shift by 32 or more gives 0; eBPF masks it. */
		emit(e, insn(BPF_JMP | BPF_JGT | BPF_K, x, 0, 2, 31));
		alu32_reg(e, op, a, x);
		emit(e, insn(BPF_JMP | BPF_JA, 0, 0, 1, 0));
		alu32_imm(e, BPF_MOV, a, 0);
		return;
	}
	alu32_reg(e, op, a, x);
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

/* A branch to a no-match return goes to the shared no-match block instead. */
static bool goes_to_reject(const struct emitter *e, uint32_t t)
{
	const struct pcapf_insn *in = &e->in[t];

	return (in->flags & PCAPF_INSN_REJECT) ||
	       (in->code == (CBPF_RET | CBPF_K) && in->k == 0);
}

/* What ret #k returns: k, or with the match option 1 if k is not 0. */
static uint32_t return_value(const struct emitter *e, const struct pcapf_insn *in)
{
	return e->match ? in->k != 0 : in->k;
}

/* The register the result is left in. */
static uint8_t result_reg(const struct emitter *e)
{
	return e->inline_body ? e->result : BPF_REG_0;
}

/* Is t a return of a constant that is not a no-match? */
static bool returns_k(const struct emitter *e, uint32_t t)
{
	return e->in[t].code == (CBPF_RET | CBPF_K) && !goes_to_reject(e, t);
}

/* The constant jump i compares A with: in memory order where A is a load
 * kept as loaded (as_loaded_size()). */
static uint32_t jump_k(const struct emitter *e, uint32_t i)
{
	return as_loaded(e, e->in[i].k, as_loaded_size(e, i));
}

/* Is constant k of jump in moved into the scratch register first? A 64-bit
 * jump (no JMP32) sign-extends its immediate; A is zero-extended. */
static bool needs_tmp(const struct emitter *e, const struct pcapf_insn *in,
		      uint32_t k)
{
	return !e->jmp32 && k >= 0x80000000u && CBPF_OP(in->code) != CBPF_JSET;
}

/* Does conditional jump i (in jump_on_a()) set the result to t's value and
 * branch to the exit, instead of to t? Where the result register is none
 * the filter's state lives in, and not the scratch register the jump
 * itself compares with (a constant of 2^31 or more without JMP32). */
static bool presets(const struct emitter *e, uint32_t i, uint32_t t)
{
	const struct regs *r = e->r;
	const struct pcapf_insn *in = &e->in[i];
	uint8_t res = result_reg(e);
	bool tmp_operand = CBPF_SRC(in->code) == CBPF_K &&
			   needs_tmp(e, in, jump_k(e, i));

	if (!returns_k(e, t))
		return false;
	if (res == r->a || res == r->x || res == r->data ||
	    (r->data_end && res == r->data_end) || (r->xptr && res == r->xptr) ||
	    (r->ctx && res == r->ctx))
		return false;
	return !(tmp_operand && res == r->tmp);
}

/* Does the code fall into t after an instruction whose layout successor
 * is next? The shared no-match block follows the last one (next == n). */
static bool comes_next(const struct emitter *e, uint32_t t, uint32_t next)
{
	return goes_to_reject(e, t) ? next == e->n : t == next;
}

/* goto cBPF instruction t (or the no-match block), unless it comes next. */
static void branch(struct emitter *e, struct bpf_insn j, uint32_t t,
		   uint32_t next)
{
	if (BPF_OP(j.code) == BPF_JA && comes_next(e, t, next)) {
		e->reject_falls |= goes_to_reject(e, t);
		return;
	}
	if (goes_to_reject(e, t))
		jump_to(e, j, TO_REJECT, 0);
	else
		jump_to(e, j, TO_INSN, t);
}

/* ---- Layout ---------------------------------------------------------- */

static bool is_jeq_k(const struct pcapf_insn *in)
{
	return in->code == (CBPF_JMP | CBPF_JEQ | CBPF_K) && in->jt != in->jf;
}

/*
 * The equality chain headed by i: i a jeq #k whose true branch is laid
 * out, each further link the false branch of the one before, a jeq #k of
 * the same A with no other way in (so no other code needs it) and a k of
 * its own (so the tests may go in any order). Fills links[] (i first) and
 * returns their number, or 0 below two links.
 */
static size_t equality_chain(const struct emitter *e, uint32_t i,
			     uint32_t *links)
{
	size_t cnt = 0;

	if (!is_jeq_k(&e->in[i]) || goes_to_reject(e, e->in[i].jt))
		return 0;
	links[cnt++] = i;
	for (;;) {
		uint32_t f = e->in[links[cnt - 1]].jf;
		const struct pcapf_insn *l = &e->in[f];
		bool seen = false;

		if (!is_jeq_k(l) || (l->flags & PCAPF_INSN_REJECT) ||
		    e->npred[f] != 1)
			break;
		for (size_t j = 0; j < cnt; j++)
			seen |= e->in[links[j]].k == l->k;
		if (seen)
			break;
		links[cnt++] = f;
	}
	return cnt >= 2 ? cnt : 0;
}

/* Is t laid out at all? Branches to a no-match return go to the shared
 * no-match block instead, an equality chain's links are its head's, a
 * return only branches that preset its value reach is not needed; the
 * first instruction is always there. */
static bool laid_out(const struct emitter *e, uint32_t t)
{
	return (e->in[t].flags & PCAPF_INSN_REACHABLE) && !e->absorbed[t] &&
	       (t == 0 || !goes_to_reject(e, t)) &&
	       (t == 0 || !returns_k(e, t) || e->entered[t]);
}

/* Which targets of jump i its code enters other than by a preset (a
 * fall-through, a goto, a branch to a return that is not preset), as
 * emit_jump() and emit_chain() lower it: those need their own code. */
static void mark_entered(struct emitter *e, uint32_t i)
{
	const struct pcapf_insn *in = &e->in[i];
	uint32_t succ[2];
	int ns = pcapf_successors(in, i, succ);
	size_t links;

	if (ns == 1 || in->jt == in->jf) {
		for (int k = 0; k < ns; k++)
			e->entered[succ[k]] = true;
		return;
	}
	links = equality_chain(e, i, e->links);
	if (links) {
		for (size_t j = 0; j < links; j++)
			if (!presets(e, e->links[j], e->in[e->links[j]].jt))
				e->entered[e->in[e->links[j]].jt] = true;
		e->entered[e->in[e->links[links - 1]].jf] = true;
		return;
	}
	if (presets(e, i, in->jt)) {
		e->entered[in->jf] = true;
	} else if (presets(e, i, in->jf) &&
		   inverse(jmp_ops[CBPF_OP(in->code) >> 4])) {
		e->entered[in->jt] = true;
	} else {
		e->entered[in->jt] = true;
		e->entered[in->jf] = true;
	}
}

/* The successors of i to lay out right after it, in order of preference:
 * an equality chain's first target (see emit_chain()), else the cBPF
 * successor, else the other target. */
static int preferred_successors(struct emitter *e, uint32_t i, uint32_t succ[2])
{
	const struct pcapf_insn *in = &e->in[i];
	size_t links;

	if (CBPF_CLASS(in->code) == CBPF_RET || (in->flags & PCAPF_INSN_REJECT))
		return 0;
	if (CBPF_CLASS(in->code) != CBPF_JMP) {
		succ[0] = i + 1;
		return 1;
	}
	if (CBPF_OP(in->code) == CBPF_JA) {
		succ[0] = in->jt;
		return 1;
	}
	links = equality_chain(e, i, e->links);
	if (links) {
		/* A case's target, the head's first, else the default. */
		succ[0] = in->jt;
		for (size_t j = 0; j < links; j++) {
			uint32_t t = e->in[e->links[j]].jt;

			if (laid_out(e, t) && !e->placed[t]) {
				succ[0] = t;
				break;
			}
		}
		succ[1] = e->in[e->links[links - 1]].jf;
		return 2;
	}
	succ[0] = in->jt == i + 1 ? in->jt : in->jf;
	succ[1] = succ[0] == in->jt ? in->jf : in->jt;
	return 2;
}

/*
 * The order instructions are emitted in: chains of fall-throughs, each
 * instruction followed by its preferred successor while that is still to
 * be placed, a new chain starting at the first instruction (in cBPF order)
 * not yet placed. Without equality chains this is cBPF order. Jumps may go
 * backwards: cBPF has no loops, so the verifier still sees none. Returns
 * the number placed; order[] holds them.
 */
static size_t lay_out(struct emitter *e, uint32_t *order)
{
	size_t cnt = 0;

	for (uint32_t i = 0; i < e->n; i++) {
		uint32_t succ[2];
		int ns;

		if ((e->in[i].flags & (PCAPF_INSN_REACHABLE | PCAPF_INSN_REJECT)) !=
		    PCAPF_INSN_REACHABLE)
			continue;
		ns = pcapf_successors(&e->in[i], i, succ);
		for (int k = 0; k < ns; k++)
			e->npred[succ[k]]++;
	}
	for (uint32_t i = 0; i < e->n; i++) {
		size_t links = (e->in[i].flags & PCAPF_INSN_REACHABLE) &&
					       !e->absorbed[i]
				       ? equality_chain(e, i, e->links)
				       : 0;

		for (size_t j = 1; j < links; j++)
			e->absorbed[e->links[j]] = true;
	}
	for (uint32_t i = 0; i < e->n; i++)
		if ((e->in[i].flags & (PCAPF_INSN_REACHABLE | PCAPF_INSN_REJECT)) ==
		    PCAPF_INSN_REACHABLE && !e->absorbed[i])
			mark_entered(e, i);
	for (uint32_t first = 0; first < e->n; first++) {
		uint32_t i = first;

		while (i < e->n && laid_out(e, i) && !e->placed[i]) {
			uint32_t succ[2];
			int ns = preferred_successors(e, i, succ);

			e->placed[i] = true;
			order[cnt++] = i;
			i = (uint32_t)e->n;
			for (int k = 0; k < ns; k++)
				if (laid_out(e, succ[k]) && !e->placed[succ[k]]) {
					i = succ[k];
					break;
				}
		}
	}
	return cnt;
}

/* ---- Jumps and returns ----------------------------------------------- */

/* if (A op the operand of jump i) goto t (op an eBPF jump, i's or its
 * inverse), which the layout follows with next; with the result set and
 * to the exit instead where may_preset and presets() say so. */
static void jump_on_a(struct emitter *e, uint32_t i, uint8_t op, uint32_t t,
		      uint32_t next, bool may_preset)
{
	const struct pcapf_insn *in = &e->in[i];
	uint8_t cls = e->jmp32 ? BPF_JMP32 : BPF_JMP, src = 0;
	uint32_t k = jump_k(e, i);
	bool reg = false; /* src, not k (src may be r0) */
	struct bpf_insn j;

	if (CBPF_SRC(in->code) == CBPF_X) {
		src = e->r->x;
		reg = true;
	} else if (needs_tmp(e, in, k)) {
		alu32_imm(e, BPF_MOV, e->r->tmp, k);
		src = e->r->tmp;
		reg = true;
	}
	j = insn(cls | op | (reg ? BPF_X : BPF_K), e->r->a, src, 0,
		 reg ? 0 : (int32_t)k);
	if (may_preset && presets(e, i, t)) {
		alu32_imm(e, BPF_MOV, result_reg(e), return_value(e, &e->in[t]));
		jump_to(e, j, TO_LABEL, e->end);
		return;
	}
	branch(e, j, t, next);
}

/*
 * An equality chain (equality_chain()) as a switch: a test of each link but
 * one, later links first, each a branch to its target, then the one link
 * whose target comes next (the head's where it does, IPv4 in `ip or ip6 or
 * arp`), negated, a branch to the default. A packet of none of the cases
 * takes one branch: `if A == 0x86dd goto v6; if A != 0x800 goto reject;
 * v4: ...`.
 */
static void emit_chain(struct emitter *e, const uint32_t *links, size_t cnt,
		       uint32_t next)
{
	uint32_t dflt = e->in[links[cnt - 1]].jf;
	struct bpf_insn ja = insn(BPF_JMP | BPF_JA, 0, 0, 0, 0);
	size_t falls = cnt;

	for (size_t j = 0; j < cnt && falls == cnt; j++)
		if (comes_next(e, e->in[links[j]].jt, next))
			falls = j;
	if (comes_next(e, dflt, next))
		falls = cnt;
	for (size_t j = cnt; j-- > 0;)
		if (j != falls)
			jump_on_a(e, links[j], BPF_JEQ, e->in[links[j]].jt, next,
				  true);
	if (falls == cnt) {
		branch(e, ja, dflt, next);
		return;
	}
	/* Not preset: which link is last depends on the layout, and the
	 * default's code is laid out (mark_entered()). */
	jump_on_a(e, links[falls], BPF_JNE, dflt, next, false);
	branch(e, ja, e->in[links[falls]].jt, next);
}

static void emit_jump(struct emitter *e, const struct pcapf_insn *in, size_t i,
		      uint32_t next)
{
	uint8_t op = jmp_ops[CBPF_OP(in->code) >> 4];
	struct bpf_insn ja = insn(BPF_JMP | BPF_JA, 0, 0, 0, 0);
	size_t links;

	if (CBPF_OP(in->code) == CBPF_JA ||
	    (in->jt == in->jf) ||
	    (goes_to_reject(e, in->jt) && goes_to_reject(e, in->jf))) {
		branch(e, ja, in->jt, next);
		return;
	}
	links = equality_chain(e, (uint32_t)i, e->links);
	if (links) {
		emit_chain(e, e->links, links, next);
		return;
	}
	/* A branch to a return that presets it first (mark_entered()). */
	if (presets(e, (uint32_t)i, in->jt)) {
		jump_on_a(e, (uint32_t)i, op, in->jt, next, true);
		branch(e, ja, in->jf, next);
		return;
	}
	if (presets(e, (uint32_t)i, in->jf) && inverse(op)) {
		jump_on_a(e, (uint32_t)i, inverse(op), in->jf, next, true);
		branch(e, ja, in->jt, next);
		return;
	}
	if (comes_next(e, in->jt, next) && !comes_next(e, in->jf, next) &&
	    inverse(op)) {
		jump_on_a(e, (uint32_t)i, inverse(op), in->jf, next, false);
		branch(e, ja, in->jt, next);
		return;
	}
	jump_on_a(e, (uint32_t)i, op, in->jt, next, false);
	branch(e, ja, in->jf, next);
}

/* The body's end with A (or k) as the result, or with the match option
 * 1 if it is not 0: a jump to the one exit (inline, past the code) with it
 * in r0 (inline, the result register). */
static void emit_return(struct emitter *e, const struct pcapf_insn *in)
{
	uint8_t result = result_reg(e);

	if (CBPF_RVAL(in->code) == CBPF_K)
		alu32_imm(e, BPF_MOV, result, return_value(e, in));
	else if (e->r->a != result)
		alu32_reg(e, BPF_MOV, result, e->r->a);
	/* A is zero-extended, so a 64-bit compare is right without JMP32. */
	if (e->match && CBPF_RVAL(in->code) != CBPF_K) {
		emit(e, insn(BPF_JMP | BPF_JEQ | BPF_K, result, 0, 1, 0));
		alu32_imm(e, BPF_MOV, result, 1);
	}
	goto_label(e, e->end);
}

/* Lowers instruction i, which the layout follows with next; returns
 * whether its block goes on (to i + 1). */
static bool emit_insn(struct emitter *e, size_t i, uint32_t next)
{
	const struct pcapf_insn *in = &e->in[i];

	if (!emit_checks(e, in))
		return false;
	switch (CBPF_CLASS(in->code)) {
	case CBPF_LD:
		e->skip_swap = as_loaded_size(e, i) != 0;
		emit_ld(e, in, e->r->a);
		e->skip_swap = false;
		return true;
	case CBPF_LDX:
		emit_ld(e, in, e->r->x);
		return true;
	case CBPF_ST:
	case CBPF_STX:
		emit(e, insn(BPF_STX | BPF_MEM | BPF_W, R_FP,
			     CBPF_CLASS(in->code) == CBPF_ST ? e->r->a : e->r->x,
			     scratch_off(e, in->k), 0));
		return true;
	case CBPF_ALU:
		emit_alu(e, i);
		return true;
	case CBPF_JMP:
		emit_jump(e, in, i, next);
		return false;
	case CBPF_RET:
		emit_return(e, in);
		return false;
	default: /* CBPF_MISC */
		if (CBPF_MISCOP(in->code) == CBPF_TAX)
			alu32_reg(e, BPF_MOV, e->r->x, e->r->a);
		else
			alu32_reg(e, BPF_MOV, e->r->a, e->r->x);
		return true;
	}
}

/* ---- Entry ---------------------------------------------------------------- */

/* The wrap's context in r1 to the stub's parameters: whole programs load
 * data and data_end (or keep the __sk_buff) as a caller of the stub would;
 * then each mode moves them where its registers are (direct access reads
 * them where they are). */
static void emit_prologue(struct emitter *e, enum pcapf_ebpf_wrap wrap)
{
	const struct regs *r = e->r;
	bool skb = e->access == PCAPF_ACCESS_SKB ||
		   e->access == PCAPF_ACCESS_SKB_LOAD_BYTES;
	uint8_t in0 = BPF_REG_1, in1 = BPF_REG_2;

	if (e->inline_body) {
		in0 = e->inline_in[0];
		in1 = e->inline_in[1];
	} else if (!skb && wrap != PCAPF_EBPF_SUBPROG) {
		bool xdp = wrap == PCAPF_EBPF_XDP;

		emit(e, insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_2, BPF_REG_1,
			     xdp ? offsetof(struct xdp_md, data_end)
				 : offsetof(struct __sk_buff, data_end), 0));
		emit(e, insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_1, BPF_REG_1,
			     xdp ? offsetof(struct xdp_md, data)
				 : offsetof(struct __sk_buff, data), 0));
	}
	if (skb) {
		alu64_reg(e, BPF_MOV, r->ctx, in0);
		if (e->access == PCAPF_ACCESS_SKB && e->skb_direct)
			emit(e, insn(BPF_LDX | BPF_MEM | BPF_W, r->data, r->ctx,
				     offsetof(struct __sk_buff, data), 0));
	} else if (e->access == PCAPF_ACCESS_PROBE) {
		alu64_reg(e, BPF_MOV, r->data, in0);
		alu64_reg(e, BPF_MOV, r->data_end, in1);
	}
}

static void emit_entry(struct emitter *e)
{
	uint16_t init = e->prog->scratch_init;

	if (e->prog->init_a)
		alu32_imm(e, BPF_MOV, e->r->a, 0);
	if (e->prog->init_x)
		alu32_imm(e, BPF_MOV, e->r->x, 0);
	for (uint32_t m = 0; m < CBPF_MEMWORDS; m++)
		if (init & (1u << m))
			emit(e, insn(BPF_ST | BPF_MEM | BPF_W, R_FP, 0,
				     scratch_off(e, m), 0));
}

static bool rejects_used(const struct emitter *e)
{
	for (size_t f = 0; f < e->nfix; f++)
		if (e->fix[f].kind == TO_REJECT)
			return true;
	return false;
}

/* Jump offsets, once every target has its place. */
static int resolve(struct emitter *e, size_t reject, char *errbuf)
{
	for (size_t f = 0; f < e->nfix; f++) {
		const struct fixup *fx = &e->fix[f];
		size_t to = fx->kind == TO_REJECT ? reject
			    : fx->kind == TO_LABEL ? e->labels[fx->target]
						   : e->start[fx->target];
		long off = (long)to - (long)fx->at - 1;

		if (fx->kind == TO_INSN && !e->placed[fx->target]) {
			pcapf_err(errbuf, "internal error: a jump to cBPF "
				  "instruction %u, which has no code", fx->target);
			return -EFAULT;
		}

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
			     struct pcapf_ebpf_opts *set, char *errbuf)
{
	const size_t known = PCAPF_OFFSETOFEND(struct pcapf_ebpf_opts,
					       PCAPF_EBPF_OPTS_LAST_FIELD);
	const size_t inline_known =
		PCAPF_OFFSETOFEND(struct pcapf_ebpf_opts, inline_stack);

	memset(set, 0, sizeof(*set));
	set->sz = sizeof(*set);
	set->cpu = 3;
	if (!opts)
		return 0;
	if (pcapf_opts_valid(opts, opts->sz, known, "pcapf_ebpf_opts", errbuf))
		return -EINVAL;
	/* Fields past an older caller's sz stay at their defaults. */
	memcpy(set, opts, opts->sz < known ? opts->sz : known);
	set->sz = sizeof(*set);
	if (!set->cpu)
		set->cpu = 3;
	if ((unsigned)set->wrap > PCAPF_EBPF_INLINE) {
		pcapf_err(errbuf, "unknown eBPF wrap %d", (int)set->wrap);
		return -EINVAL;
	}
	if (set->cpu > 4) {
		pcapf_err(errbuf, "unknown eBPF instruction set v%u: expected "
			  "1..4", set->cpu);
		return -EINVAL;
	}
	if (set->byte_order > PCAPF_EBPF_BIG_ENDIAN) {
		pcapf_err(errbuf, "unknown byte order %u", set->byte_order);
		return -EINVAL;
	}
	if (set->wrap == PCAPF_EBPF_INLINE && opts->sz < inline_known) {
		pcapf_err(errbuf, "PCAPF_EBPF_INLINE needs the inline_* fields "
			  "of struct pcapf_ebpf_opts");
		return -EINVAL;
	}
	return 0;
}

/* PCAPF_EBPF_INLINE: the caller's registers as the mode's register map. */
static int inline_registers(struct emitter *e, const struct pcapf_ebpf_opts *o,
			    char *errbuf)
{
	const uint8_t *w = o->inline_work;
	bool helpers = e->access != PCAPF_ACCESS_DIRECT;
	unsigned used = 0;

	for (int i = 0; i < 6; i++) {
		uint8_t reg = i < 2 ? o->inline_in[i] : w[i - 2];

		if (reg > BPF_REG_9 || (used & (1u << reg))) {
			pcapf_err(errbuf, "inline registers: r%u is %s", reg,
				  reg > BPF_REG_9 ? "not a register the code "
						    "may use"
						  : "given twice");
			return -EINVAL;
		}
		/* skb access has one parameter; data_end is read again. */
		if (!(i == 1 && (e->access == PCAPF_ACCESS_SKB ||
				 e->access == PCAPF_ACCESS_SKB_LOAD_BYTES)))
			used |= 1u << reg;
		if (i >= 2 && helpers && reg < BPF_REG_6) {
			pcapf_err(errbuf, "inline registers: access=%s calls "
				  "helpers, which clobber r0-r5: its working "
				  "registers must be r6-r9, not r%u",
				  pcapf_access_name(e->access), reg);
			return -EINVAL;
		}
	}
	if (o->inline_result > BPF_REG_9 || o->inline_stack > 0 ||
	    o->inline_stack % 8) {
		pcapf_err(errbuf, "inline result r%u or stack top %d: expected "
			  "r0-r9 and a multiple of 8 at or below 0",
			  o->inline_result, o->inline_stack);
		return -EINVAL;
	}
	if (helpers)
		e->inline_regs = (struct regs){
			.ctx = w[0], .data = e->access == PCAPF_ACCESS_PROBE ? w[0] : w[3],
			.a = w[1], .x = w[2], .data_end = w[3], .tmp = BPF_REG_4,
		};
	else
		e->inline_regs = (struct regs){
			.data = o->inline_in[0], .data_end = o->inline_in[1],
			.a = w[0], .x = w[1], .tmp = w[2], .xptr = w[3],
		};
	if (e->access == PCAPF_ACCESS_SKB_LOAD_BYTES || e->access == PCAPF_ACCESS_SKB)
		e->inline_regs.data_end = 0;
	if (e->access == PCAPF_ACCESS_PROBE)
		e->inline_regs.ctx = 0;
	memcpy(e->inline_in, o->inline_in, sizeof(e->inline_in));
	e->result = o->inline_result;
	e->top = o->inline_stack;
	e->inline_body = true;
	e->r = &e->inline_regs;
	return 0;
}

/* What the access mode needs of the program and the wrap. */
static int setup(struct emitter *e, const struct pcapf_prog *prog,
		 const struct pcapf_ebpf_opts *o, char *errbuf)
{
	e->prog = prog;
	e->in = prog->insns;
	e->n = prog->cnt;
	e->access = prog->access;
	e->range = prog->packet_range;
	e->jmp32 = o->cpu >= 3;
	e->big_endian = o->byte_order ? o->byte_order == PCAPF_EBPF_BIG_ENDIAN
				      : __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
	e->match = o->match;
	e->skb_direct = pcapf_prog__skb_direct_bytes(prog);
	pcapf_prog__probe_copy(prog, &e->copy, &e->xcopy);
	switch (e->access) {
	case PCAPF_ACCESS_SKB:
	case PCAPF_ACCESS_SKB_LOAD_BYTES:
		e->r = &skb_regs;
		if (o->wrap == PCAPF_EBPF_XDP) {
			pcapf_err(errbuf, "access=%s reads a struct __sk_buff, "
				  "which an XDP program does not have",
				  pcapf_access_name(e->access));
			return -EINVAL;
		}
		break;
	case PCAPF_ACCESS_PROBE:
		e->r = &probe_regs;
		break;
	default:
		e->r = &direct_regs;
		break;
	}
	if (o->wrap == PCAPF_EBPF_INLINE && inline_registers(e, o, errbuf))
		return -EINVAL;
	e->word_off = (int16_t)(e->top - WORD_BELOW);
	e->copy_off = (int16_t)(e->word_off - (int)((e->copy + 7) & ~7u));
	e->xcopy_off = (int16_t)(e->copy_off - (int)((e->xcopy + 7) & ~7u));
	if ((e->access == PCAPF_ACCESS_DIRECT || e->access == PCAPF_ACCESS_PROBE) &&
	    prog->packet_range > PCAPF_MAX_PACKET_OFF) {
		pcapf_err(errbuf, "packet_range %u: the verifier tracks packet "
			  "pointers only up to %u bytes", prog->packet_range,
			  PCAPF_MAX_PACKET_OFF);
		return -EINVAL;
	}
	return 0;
}

/* The per-instruction arrays of the emission and its layout (order[] is
 * lay_out()'s). */
static void free_layout(struct emitter *e, uint32_t *order)
{
	free(e->start);
	free(order);
	free(e->placed);
	free(e->npred);
	free(e->absorbed);
	free(e->entered);
	free(e->links);
}

int pcapf_prog__emit_ebpf(const struct pcapf_prog *prog,
			  const struct pcapf_ebpf_opts *opts,
			  struct pcapf_ebpf_insn **insns, size_t *cnt,
			  char *errbuf)
{
	struct emitter e = {0};
	struct pcapf_ebpf_opts set;
	uint32_t *order = NULL;
	size_t reject, norder;
	int err;

	if (!prog || !insns || !cnt) {
		pcapf_err(errbuf, "no program or no output");
		return -EINVAL;
	}
	err = resolve_ebpf_opts(opts, &set, errbuf);
	if (!err)
		err = setup(&e, prog, &set, errbuf);
	if (err)
		return err;
	e.start = calloc(e.n, sizeof(*e.start));
	order = malloc(e.n * sizeof(*order));
	e.placed = calloc(e.n, sizeof(*e.placed));
	e.npred = calloc(e.n, sizeof(*e.npred));
	e.absorbed = calloc(e.n, sizeof(*e.absorbed));
	e.entered = calloc(e.n, sizeof(*e.entered));
	e.links = malloc(e.n * sizeof(*e.links));
	if (!e.start || !order || !e.placed || !e.npred || !e.absorbed || !e.entered ||
	    !e.links) {
		free_layout(&e, order);
		pcapf_err(errbuf, "out of memory");
		return -ENOMEM;
	}
	e.end = new_label(&e);
	emit_prologue(&e, set.wrap);
	emit_entry(&e);
	norder = lay_out(&e, order);
	for (size_t p = 0; p < norder; p++) {
		uint32_t i = order[p];
		uint32_t next = p + 1 < norder ? order[p + 1] : (uint32_t)e.n;

		e.start[i] = e.cnt;
		if (emit_insn(&e, i, next))
			branch(&e, insn(BPF_JMP | BPF_JA, 0, 0, 0, 0), i + 1, next);
	}
	reject = e.cnt;
	if (rejects_used(&e) || e.reject_falls) {
		alu32_imm(&e, BPF_MOV, result_reg(&e), 0);
	} else if (e.nfix && e.fix[e.nfix - 1].at == e.cnt - 1 &&
		   e.fix[e.nfix - 1].kind == TO_LABEL &&
		   e.fix[e.nfix - 1].target == e.end) {
		/* The last return falls into the exit. */
		e.cnt--;
		e.nfix--;
	}
	/* One exit, the JIT's epilogue: a second exit would be a jump to the
	 * first (the x86-64 JIT's), taken by every packet that leaves there. */
	place_label(&e, e.end);
	if (!e.inline_body)
		emit(&e, insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	err = e.err;
	if (!err)
		err = resolve(&e, reject, errbuf);
	else
		pcapf_err(errbuf, "out of memory");
	free_layout(&e, order);
	free(e.fix);
	free(e.labels);
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
		else if (op == BPF_CALL)
			fprintf(f, "call %s#%d",
				in->src_reg == BPF_PSEUDO_CALL ? "pc" : "helper",
				in->imm);
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
