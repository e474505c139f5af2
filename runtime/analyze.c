/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * analyze.c: the analyses every back end shares.
 *
 * Input: a validated cBPF program (validate.c), so every branch goes forward
 * and instruction order is a topological order of the control-flow graph:
 * one backward sweep and one forward sweep compute each analysis exactly.
 *
 * 1. Match requirement. A load out of bounds makes libpcap's bpf_filter()
 *    return 0 for the whole filter. So a check "len >= N" may be done
 *    earlier than the load that needs it, at any point from which every path
 *    that could still return non-zero reads at least N bytes anyway: a path
 *    that fails the early check returns 0 either way. need_len[i] is the
 *    largest such N at instruction i (a backward "min over successors, max
 *    over loads on the path" sweep); need_ind[i] is the same for loads
 *    relative to X (LD IND), reset where X is written. cbpfc calls the
 *    checks guards; this is its rule, made exact.
 * 2. Reject points. Where need_len exceeds any length the code can read
 *    (the packet_range option: 2^32 - 1, or the verifier's 65535-byte packet
 *    range), no path can match: the instruction returns 0 instead.
 * 3. Guards. A forward sweep tracks the length already proven on every path
 *    into an instruction; a load not covered by it gets a guard for the
 *    whole requirement at that point, so one check covers the loads that
 *    follow on every path (typically one check per protocol layer).
 * 4. Division guards: DIV/MOD by X returns 0 when X is 0.
 * 5. Initialisation: A, X and M[i] read on some path before being written
 *    are zeroed on entry (libpcap zeroes them; the verifier rejects reads of
 *    uninitialised stack).
 * 6. Reachability and block leaders, after reject points cut paths short.
 * 7. Value ranges. A forward sweep computes the largest value A and X can
 *    hold at each instruction, the maximum over every path in, from what
 *    the instructions guarantee and the verifier tracks too: constants,
 *    byte loads (255), LDX MSH (60), AND with a bounded operand, shifts by
 *    a constant (right: of a bounded value only, as 64-bit code shifts
 *    what the verifier knows nothing of), additions and (small)
 *    multiplications that cannot wrap,
 *    OR and XOR (all bits below the highest set), TAX and TXA. Halfword
 *    and word loads are byte-swapped on little-endian machines, which the
 *    verifier does not follow; scratch memory, lengths, divisions,
 *    subtractions and shifts by X are taken as anything. An indexed check
 *    (guard_ind, or a recheck of step 8) whose X plus bytes cannot pass
 *    the packet range needs no test of X (PCAPF_INSN_X_IN_RANGE): in
 *    `tcp port 80` X is at most 60.
 * 8. Indexed rechecks. The verifier keeps a packet range per pointer it saw
 *    compared with data_end, and a back end that makes data + X afresh in
 *    each basic block has no range for it at the first indexed load of a
 *    block (or since X was written there) that no indexed guard precedes:
 *    the guard that covers it is on every path in, but in another block.
 *    ind_recheck[i] is the check to repeat there, for the bytes past X the
 *    indexed loads read from i until X is written or the block ends. No
 *    jump or return comes between, so it fails only where one of those
 *    loads would.
 * 9. protochain's copies (prog->copied), for the verifier. Every path
 *    through them gives X another range (each extension header adds its
 *    length, an AH sets it), and the verifier keeps the states of ranges
 *    that do not contain each other apart: its work grows with the square
 *    of the bound or faster (1M instructions near 64 copies under skb
 *    access, 128 in direct access). Under skb access their packet loads
 *    get PCAPF_INSN_SKB_HELPER: bpf_skb_load_bytes() alone, no head
 *    attempt whose pointer needs X's range (and no second path per load).
 *    In direct and probe access on BPF (a packet range below 2^32 - 1)
 *    their indexed checks get PCAPF_INSN_X_FORGET: X's range is hidden
 *    and bounded again, the same on every path, so the states prune
 *    (bench/RESULTS.md has the cost).
 * 10. Fields compared as loaded. A halfword or word packet load whose value,
 *    on every path to every instruction that reads it, is only compared for
 *    equality with a constant, bit-tested or masked with a constant (`ldh
 *    [12]; jeq #0x800`, `ld [26]; and #0xff000000; jeq #0xa000000`) can be
 *    read in the packet's byte order, with those constants in that order
 *    instead, as hand C compares with htons(0x800): no swap, and masks and
 *    constants that fit an immediate (pcapf_prog__as_loaded()). A forward
 *    sweep finds, per instruction, the one load defining A on every path in
 *    (a mask keeps it); a load qualifies if everything reading it from
 *    there on has it as its only source.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define NEED_NEVER UINT64_MAX /* no path from here can match */

#define DEF_A PCAPF_DEF_A
#define DEF_X PCAPF_DEF_X

static int is_cond_jump(uint16_t code)
{
	return CBPF_CLASS(code) == CBPF_JMP && CBPF_OP(code) != CBPF_JA;
}

/* Successors of insn i: 0, 1 or 2 absolute indices. */
int pcapf_successors(const struct pcapf_insn *in, size_t i, uint32_t succ[2])
{
	if (CBPF_CLASS(in->code) == CBPF_RET || (in->flags & PCAPF_INSN_REJECT))
		return 0;
	if (CBPF_CLASS(in->code) == CBPF_JMP) {
		succ[0] = in->jt;
		succ[1] = in->jf;
		return is_cond_jump(in->code) ? 2 : 1;
	}
	succ[0] = (uint32_t)i + 1;
	return 1;
}

static int writes_x(uint16_t code)
{
	return CBPF_CLASS(code) == CBPF_LDX ||
	       code == (CBPF_MISC | CBPF_TAX);
}

static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* Bytes past the base a packet load reads up to: k + size. */
static uint64_t load_end(const struct pcapf_insn *in)
{
	return (uint64_t)in->k + pcapf_load_size(in->code);
}

static int is_abs_load(const struct pcapf_insn *in)
{
	return pcapf_is_packet_load(in->code, in->k) &&
	       CBPF_MODE(in->code) != CBPF_IND;
}

static int is_ind_load(const struct pcapf_insn *in)
{
	return pcapf_is_packet_load(in->code, in->k) &&
	       CBPF_MODE(in->code) == CBPF_IND;
}

/* Steps 1 and 2: backward sweep for need_len/need_ind, marking rejects
 * where more than range bytes are needed. */
static void compute_needs(struct pcapf_insn *insns, size_t n, uint32_t range,
			  uint64_t *need_len, uint64_t *need_ind)
{
	for (size_t i = n; i-- > 0;) {
		struct pcapf_insn *in = &insns[i];
		uint32_t succ[2];
		int ns = pcapf_successors(in, i, succ);
		uint64_t nl = NEED_NEVER, ni = NEED_NEVER;

		if (CBPF_CLASS(in->code) == CBPF_RET) {
			int could_match = CBPF_RVAL(in->code) == CBPF_A || in->k;
			nl = ni = could_match ? 0 : NEED_NEVER;
		}
		for (int s = 0; s < ns; s++) {
			nl = min64(nl, need_len[succ[s]]);
			ni = min64(ni, need_ind[succ[s]]);
		}
		if (writes_x(in->code) && ni != NEED_NEVER)
			ni = 0;
		if (is_abs_load(in))
			nl = max64(nl, load_end(in));
		if (is_ind_load(in))
			ni = max64(ni, load_end(in));
		/* The code reads at most range bytes (len is at most 2^32 - 1;
		 * the verifier's packet range is smaller): beyond that no path
		 * matches. */
		if (nl > range || ni > range) {
			nl = ni = NEED_NEVER;
			if (!(CBPF_CLASS(in->code) == CBPF_RET && in->k == 0))
				in->flags |= PCAPF_INSN_REJECT;
		}
		need_len[i] = nl;
		need_ind[i] = ni;
	}
}

/* Step 6: reachability from insn 0; REJECT and RET end a path. */
static void mark_reachable(struct pcapf_insn *insns, size_t n)
{
	insns[0].flags |= PCAPF_INSN_REACHABLE | PCAPF_INSN_LEADER;
	for (size_t i = 0; i < n; i++) {
		struct pcapf_insn *in = &insns[i];
		uint32_t succ[2];
		int ns;

		if (!(in->flags & PCAPF_INSN_REACHABLE))
			continue;
		ns = pcapf_successors(in, i, succ);
		for (int s = 0; s < ns; s++) {
			insns[succ[s]].flags |= PCAPF_INSN_REACHABLE;
			if (CBPF_CLASS(in->code) == CBPF_JMP)
				insns[succ[s]].flags |= PCAPF_INSN_LEADER;
		}
	}
}

/* Step 3 and 4: forward sweep placing guards where loads are not covered. */
static void place_guards(struct pcapf_insn *insns, size_t n,
			 const uint64_t *need_len, const uint64_t *need_ind,
			 uint64_t *known_len, uint64_t *known_ind)
{
	for (size_t i = 0; i < n; i++)
		known_len[i] = known_ind[i] = NEED_NEVER; /* no path seen yet */
	known_len[0] = known_ind[0] = 0;

	for (size_t i = 0; i < n; i++) {
		struct pcapf_insn *in = &insns[i];
		uint64_t kl = known_len[i], ki = known_ind[i];
		uint32_t succ[2];
		int ns;

		if ((in->flags & (PCAPF_INSN_REACHABLE | PCAPF_INSN_REJECT)) !=
		    PCAPF_INSN_REACHABLE)
			continue;
		if (is_abs_load(in) && load_end(in) > kl) {
			in->guard_len = (uint32_t)need_len[i];
			kl = need_len[i];
		}
		if (is_ind_load(in) && load_end(in) > ki) {
			in->guard_ind = (uint32_t)need_ind[i];
			ki = need_ind[i];
		}
		if (CBPF_CLASS(in->code) == CBPF_ALU && CBPF_SRC(in->code) == CBPF_X &&
		    (CBPF_OP(in->code) == CBPF_DIV || CBPF_OP(in->code) == CBPF_MOD))
			in->flags |= PCAPF_INSN_GUARD_DIV;
		if (writes_x(in->code))
			ki = 0;
		ns = pcapf_successors(in, i, succ);
		for (int s = 0; s < ns; s++) {
			known_len[succ[s]] = min64(known_len[succ[s]], kl);
			known_ind[succ[s]] = min64(known_ind[succ[s]], ki);
		}
	}
}

/* Step 7: an upper bound of 32-bit values, UINT32_MAX for "anything". */
static uint32_t bits_below(uint32_t v)
{
	for (unsigned s = 1; s < 32; s <<= 1)
		v |= v >> s;
	return v;
}

static uint32_t sum_max(uint64_t a, uint64_t b)
{
	return a + b > UINT32_MAX ? UINT32_MAX : (uint32_t)(a + b);
}

/* Older verifiers follow a 32-bit product only of 16-bit operands. */
static uint32_t product_max(uint32_t a, uint32_t b)
{
	return a > UINT16_MAX || b > UINT16_MAX ? UINT32_MAX : a * b;
}

/* Step 7: A's largest value after ALU instruction in, from A's and X's
 * before it. */
static uint32_t alu_max(const struct pcapf_insn *in, uint32_t a, uint32_t x)
{
	uint32_t v = CBPF_SRC(in->code) == CBPF_X ? x : in->k;

	switch (CBPF_OP(in->code)) {
	case CBPF_AND:
		return a < v ? a : v;
	case CBPF_OR:
	case CBPF_XOR:
		return bits_below(a | v);
	case CBPF_ADD:
		return sum_max(a, v);
	case CBPF_MUL:
		return product_max(a, v);
	case CBPF_LSH:
		/* By a constant (below 32 by validation); the verifier gives
		 * up on a 32-bit shift that may reach the sign bit. */
		if (CBPF_SRC(in->code) == CBPF_K &&
		    ((uint64_t)a << in->k) < (1u << 31))
			return a << in->k;
		return UINT32_MAX;
	case CBPF_RSH:
		/* Not of "anything": code with 64-bit ALU shifts a value the
		 * verifier may know nothing of, even above bit 31 (after a
		 * byte swap). */
		return CBPF_SRC(in->code) == CBPF_K && a != UINT32_MAX ?
			       a >> in->k : UINT32_MAX;
	default: /* SUB, NEG wrap; DIV, MOD the verifier does not follow */
		return UINT32_MAX;
	}
}

/* Step 7: A's (regs[0]) and X's (regs[1]) largest values after in. */
static void step_max(const struct pcapf_insn *in, uint32_t regs[2])
{
	uint16_t code = in->code;

	switch (CBPF_CLASS(code)) {
	case CBPF_LD:
	case CBPF_LDX: {
		uint32_t *dst = &regs[CBPF_CLASS(code) == CBPF_LDX];

		if (CBPF_MODE(code) == CBPF_IMM)
			*dst = in->k;
		else if (CBPF_MODE(code) == CBPF_MSH)
			*dst = 60;
		else if (pcapf_is_packet_load(code, in->k) &&
			 CBPF_SIZE(code) == CBPF_B)
			*dst = 255;
		else
			*dst = UINT32_MAX;
		break;
	}
	case CBPF_ALU:
		regs[0] = alu_max(in, regs[0], regs[1]);
		break;
	case CBPF_MISC:
		if (CBPF_MISCOP(code) == CBPF_TAX)
			regs[1] = regs[0];
		else
			regs[0] = regs[1];
		break;
	}
}

/* Step 7: forward sweep of A's and X's largest values (the meet of the
 * paths in is the maximum; A and X on entry are 0, or never read before
 * written); marks the indexed checks that X cannot push past the packet
 * range. Needs the rechecks of step 8. */
static void bound_values(struct pcapf_insn *insns, size_t n, uint32_t range,
			 const uint32_t *ind_recheck, uint32_t (*max)[2])
{
	for (size_t i = 0; i < n; i++)
		max[i][0] = max[i][1] = 0; /* no path seen yet */
	for (size_t i = 0; i < n; i++) {
		struct pcapf_insn *in = &insns[i];
		uint32_t regs[2] = { max[i][0], max[i][1] };
		uint32_t check = in->guard_ind ? in->guard_ind : ind_recheck[i];
		uint32_t succ[2];
		int ns;

		if ((in->flags & (PCAPF_INSN_REACHABLE | PCAPF_INSN_REJECT)) !=
		    PCAPF_INSN_REACHABLE)
			continue;
		if (check && (uint64_t)regs[1] + check <= range)
			in->flags |= PCAPF_INSN_X_IN_RANGE;
		step_max(in, regs);
		ns = pcapf_successors(in, i, succ);
		for (int s = 0; s < ns; s++)
			for (int r = 0; r < 2; r++)
				if (max[succ[s]][r] < regs[r])
					max[succ[s]][r] = regs[r];
	}
}

/* Step 8: the bytes past X the indexed loads read from insn i until X is
 * written or the block ends. */
static uint64_t indexed_extent(const struct pcapf_insn *insns, size_t n,
			       size_t i)
{
	uint64_t extent = 0;

	for (size_t j = i; j < n; j++) {
		const struct pcapf_insn *in = &insns[j];

		if (j > i && (in->flags & PCAPF_INSN_LEADER))
			break;
		if (is_ind_load(in))
			extent = max64(extent, load_end(in));
		if (writes_x(in->code) || CBPF_CLASS(in->code) == CBPF_JMP ||
		    CBPF_CLASS(in->code) == CBPF_RET)
			break;
	}
	return extent;
}

/* Step 8: a forward walk of each block, after the guards are placed. */
static void place_rechecks(const struct pcapf_insn *insns, size_t n,
			   uint32_t *ind_recheck)
{
	int checked = 0; /* an indexed check since the block or X began */

	for (size_t i = 0; i < n; i++) {
		const struct pcapf_insn *in = &insns[i];

		if (in->flags & PCAPF_INSN_LEADER)
			checked = 0;
		if ((in->flags & (PCAPF_INSN_REACHABLE | PCAPF_INSN_REJECT)) !=
		    PCAPF_INSN_REACHABLE)
			continue;
		if (in->guard_ind)
			checked = 1;
		if (is_ind_load(in) && !checked) {
			/* At most need_ind[i], so within the packet range:
			 * every load it covers follows i on its one path. */
			ind_recheck[i] = (uint32_t)indexed_extent(insns, n, i);
			checked = 1;
		}
		if (writes_x(in->code))
			checked = 0;
	}
}

void pcapf_def_use(const struct pcapf_insn *in, uint32_t *use, uint32_t *def)
{
	uint16_t code = in->code;
	uint32_t mem = in->k < CBPF_MEMWORDS ? 1u << in->k : 0;

	*use = *def = 0;
	switch (CBPF_CLASS(code)) {
	case CBPF_LD:
		*def = DEF_A;
		if (pcapf_is_ancillary(code, in->k)) {
			const struct pcapf_ext *ext = pcapf_ext_find(in->k);
			unsigned reads = ext ? ext->reads : 0;

			*use = (reads & PCAPF_EXT_READS_A ? DEF_A : 0) |
			       (reads & PCAPF_EXT_READS_X ? DEF_X : 0);
		} else if (CBPF_MODE(code) == CBPF_IND)
			*use = DEF_X;
		else if (CBPF_MODE(code) == CBPF_MEM)
			*use = mem;
		break;
	case CBPF_LDX:
		*def = DEF_X;
		if (CBPF_MODE(code) == CBPF_MEM)
			*use = mem;
		break;
	case CBPF_ST:
		*use = DEF_A;
		*def = mem;
		break;
	case CBPF_STX:
		*use = DEF_X;
		*def = mem;
		break;
	case CBPF_ALU:
		*use = DEF_A;
		if (CBPF_OP(code) != CBPF_NEG && CBPF_SRC(code) == CBPF_X)
			*use |= DEF_X;
		*def = DEF_A;
		break;
	case CBPF_JMP:
		if (is_cond_jump(code))
			*use = DEF_A | (CBPF_SRC(code) == CBPF_X ? DEF_X : 0);
		break;
	case CBPF_RET:
		if (CBPF_RVAL(code) == CBPF_A)
			*use = DEF_A;
		break;
	case CBPF_MISC:
		if (CBPF_MISCOP(code) == CBPF_TAX) {
			*use = DEF_A;
			*def = DEF_X;
		} else {
			*use = DEF_X;
			*def = DEF_A;
		}
		break;
	}
}

/* Step 10. */
#define A_NONE UINT32_MAX	     /* no path seen yet */
#define A_OTHER (UINT32_MAX - 1) /* not one candidate load on every path */

/* A halfword or word packet load: its swap can move to the constants. */
static bool swappable_load(const struct pcapf_insn *in)
{
	return CBPF_CLASS(in->code) == CBPF_LD &&
	       (CBPF_MODE(in->code) == CBPF_ABS || CBPF_MODE(in->code) == CBPF_IND) &&
	       CBPF_SIZE(in->code) != CBPF_B && !pcapf_is_ancillary(in->code, in->k);
}

static bool is_mask(const struct pcapf_insn *in)
{
	return in->code == (CBPF_ALU | CBPF_AND | CBPF_K);
}

/* A use of A that a value in memory order answers as well, given the
 * constant in memory order: jeq #k with k in the field's range, jset #k,
 * and #k (whose result is such a value too). */
static bool answers_as_loaded(const struct pcapf_insn *in, uint32_t size)
{
	if (in->code == (CBPF_JMP | CBPF_JSET | CBPF_K) || is_mask(in))
		return true;
	return in->code == (CBPF_JMP | CBPF_JEQ | CBPF_K) &&
	       (size == 4 || in->k <= 0xffffu);
}

/* Does the value load l gives A reach only uses it answers as loaded, each
 * reached by no other definition of A? A walk of the paths from l to where
 * A is written again (but by a mask); seen[] (stamped with l + 1) marks
 * its nodes. */
static bool only_compared(const struct pcapf_insn *insns, const uint32_t *a_src,
			  uint32_t l, uint32_t *seen, uint32_t *stack)
{
	uint32_t size = pcapf_load_size(insns[l].code), succ[2];
	size_t depth = 0;
	int ns = pcapf_successors(&insns[l], l, succ);

	for (int k = 0; k < ns; k++)
		stack[depth++] = succ[k];
	while (depth) {
		uint32_t j = stack[--depth], use, def;
		const struct pcapf_insn *in = &insns[j];

		if (seen[j] == l + 1)
			continue;
		seen[j] = l + 1;
		if (in->flags & PCAPF_INSN_REJECT)
			continue;
		pcapf_def_use(in, &use, &def);
		if ((use & DEF_A) &&
		    (a_src[j] != l || !answers_as_loaded(in, size)))
			return false;
		if ((def & DEF_A) && !is_mask(in))
			continue;
		ns = pcapf_successors(in, j, succ);
		for (int k = 0; k < ns; k++)
			stack[depth++] = succ[k];
	}
	return true;
}

/* Step 10: as_loaded[i], the size of the load read in memory order that
 * instruction i is, or whose value it reads (0: none). */
static int find_as_loaded(const struct pcapf_insn *insns, size_t n,
			  uint8_t *as_loaded)
{
	uint32_t *a_src = malloc(n * sizeof(*a_src));
	uint32_t *seen = calloc(n, sizeof(*seen));
	uint32_t *stack = malloc(2 * n * sizeof(*stack));
	bool *raw = calloc(n, sizeof(*raw));
	int err = 0;

	if (!a_src || !seen || !stack || !raw) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		a_src[i] = A_NONE;
	a_src[0] = A_OTHER;
	for (size_t i = 0; i < n; i++) {
		const struct pcapf_insn *in = &insns[i];
		uint32_t use, def, out = a_src[i], succ[2];
		int ns;

		if ((in->flags & (PCAPF_INSN_REACHABLE | PCAPF_INSN_REJECT)) !=
		    PCAPF_INSN_REACHABLE)
			continue;
		pcapf_def_use(in, &use, &def);
		if ((def & DEF_A) && !is_mask(in))
			out = swappable_load(in) ? (uint32_t)i : A_OTHER;
		ns = pcapf_successors(in, i, succ);
		for (int k = 0; k < ns; k++) {
			uint32_t *to = &a_src[succ[k]];

			*to = *to == A_NONE || *to == out ? out : A_OTHER;
		}
	}
	for (size_t i = 0; i < n; i++) {
		raw[i] = (insns[i].flags & (PCAPF_INSN_REACHABLE |
					    PCAPF_INSN_REJECT)) ==
				 PCAPF_INSN_REACHABLE &&
			 swappable_load(&insns[i]) &&
			 only_compared(insns, a_src, (uint32_t)i, seen, stack);
		if (raw[i])
			as_loaded[i] = (uint8_t)pcapf_load_size(insns[i].code);
	}
	for (size_t j = 0; j < n; j++) {
		uint32_t use, def;

		if ((insns[j].flags & (PCAPF_INSN_REACHABLE | PCAPF_INSN_REJECT)) !=
		    PCAPF_INSN_REACHABLE || a_src[j] >= A_OTHER || !raw[a_src[j]])
			continue;
		pcapf_def_use(&insns[j], &use, &def);
		if (use & DEF_A)
			as_loaded[j] = as_loaded[a_src[j]];
	}
out:
	free(a_src);
	free(seen);
	free(stack);
	free(raw);
	return err;
}

/* Step 5: forward "definitely written" sweep; reads of anything not written
 * on every path in need it zeroed on entry. */
static uint32_t needs_init(const struct pcapf_insn *insns, size_t n,
			   uint32_t *defined)
{
	uint32_t need = 0;

	for (size_t i = 0; i < n; i++)
		defined[i] = UINT32_MAX; /* meet of no paths */
	defined[0] = 0;
	for (size_t i = 0; i < n; i++) {
		const struct pcapf_insn *in = &insns[i];
		uint32_t use, def, out, succ[2];
		int ns;

		if ((in->flags & (PCAPF_INSN_REACHABLE | PCAPF_INSN_REJECT)) !=
		    PCAPF_INSN_REACHABLE)
			continue;
		pcapf_def_use(in, &use, &def);
		need |= use & ~defined[i];
		out = defined[i] | def;
		ns = pcapf_successors(in, i, succ);
		for (int s = 0; s < ns; s++)
			defined[succ[s]] &= out;
	}
	return need;
}

/* Step 9. */
static void mark_copies(struct pcapf_insn *insns, size_t n,
			const uint8_t *copied, const uint32_t *ind_recheck,
			enum pcapf_access access, uint32_t range)
{
	bool forget = (access == PCAPF_ACCESS_DIRECT ||
		       access == PCAPF_ACCESS_PROBE) && range != UINT32_MAX;

	for (size_t i = 0; i < n; i++) {
		struct pcapf_insn *in = &insns[i];

		if (!copied[i])
			continue;
		if (access == PCAPF_ACCESS_SKB &&
		    pcapf_is_packet_load(in->code, in->k))
			in->flags |= PCAPF_INSN_SKB_HELPER;
		if (forget && (in->guard_ind || ind_recheck[i])) {
			in->flags |= PCAPF_INSN_X_FORGET;
			in->flags &= (uint16_t)~PCAPF_INSN_X_IN_RANGE;
		}
	}
}

int pcapf_analyze(struct pcapf_prog *prog, char *errbuf)
{
	size_t n = prog->cnt;
	struct pcapf_insn *insns = calloc(n, sizeof(*insns));
	uint64_t *need_len = calloc(n, sizeof(uint64_t));
	uint64_t *need_ind = calloc(n, sizeof(uint64_t));
	uint64_t *known_len = calloc(n, sizeof(uint64_t));
	uint64_t *known_ind = calloc(n, sizeof(uint64_t));
	uint32_t *defined = calloc(n, sizeof(uint32_t));
	uint32_t *ind_recheck = calloc(n, sizeof(uint32_t));
	uint32_t (*value_max)[2] = calloc(n, sizeof(*value_max));
	uint8_t *as_loaded = calloc(n, sizeof(uint8_t));
	uint32_t need;
	int err = 0;

	if (!insns || !need_len || !need_ind || !known_len || !known_ind ||
	    !defined || !ind_recheck || !value_max || !as_loaded)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		const struct pcapf_cbpf_insn *c = &prog->cbpf[i];

		insns[i].code = c->code;
		insns[i].k = c->k;
		if (CBPF_CLASS(c->code) == CBPF_JMP) {
			int ja = CBPF_OP(c->code) == CBPF_JA;
			insns[i].jt = (uint32_t)i + 1 + (ja ? c->k : c->jt);
			insns[i].jf = (uint32_t)i + 1 + (ja ? c->k : c->jf);
		}
	}
	compute_needs(insns, n, prog->packet_range, need_len, need_ind);
	mark_reachable(insns, n);
	place_guards(insns, n, need_len, need_ind, known_len, known_ind);
	need = needs_init(insns, n, defined);
	place_rechecks(insns, n, ind_recheck);
	bound_values(insns, n, prog->packet_range, ind_recheck, value_max);
	if (prog->copied)
		mark_copies(insns, n, prog->copied, ind_recheck, prog->access,
			    prog->packet_range);
	if (find_as_loaded(insns, n, as_loaded))
		goto nomem;

	prog->insns = insns;
	prog->ind_recheck = ind_recheck;
	prog->as_loaded = as_loaded;
	prog->scratch_init = (uint16_t)(need & 0xffffu);
	prog->init_a = !!(need & DEF_A);
	prog->init_x = !!(need & DEF_X);
	goto out;
nomem:
	pcapf_err(errbuf, "out of memory");
	free(insns);
	free(ind_recheck);
	free(as_loaded);
	err = -ENOMEM;
out:
	free(need_len);
	free(need_ind);
	free(known_len);
	free(known_ind);
	free(defined);
	free(value_max);
	return err;
}
