/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_check.c: the lowering contract of include/pcapf.h, checked.
 *
 * Every fact is derived again from the cBPF the program was built from,
 * independently of analyze.c, and compared with what the analysis says:
 *   - the input is one libpcap's bpf_validate() accepts, every jump goes
 *     forward, constant shifts are below 32, Linux extensions only with skb
 *     access; the analysed instructions are the input's, with absolute
 *     jump targets;
 *   - REACHABLE is exactly reachability from insn 0 (paths end at RET and
 *     REJECT); every jump target and insn 0 are LEADERs; no reachable
 *     instruction falls off the end;
 *   - coverage: on every path to a packet load the guards passed prove the
 *     bytes it reads (len for absolute loads, X + len for indexed ones);
 *   - soundness: a guard never demands more than every matching path from
 *     it reads anyway, and a REJECT point is one from which no packet can
 *     match: both change no result of libpcap's;
 *   - GUARD_DIV exactly on DIV/MOD by X;
 *   - initialisation: every read of A, X or M[i] that some path reaches
 *     before a write is covered by the entry zeroing;
 *   - fields compared as loaded: a value read without its byte swap
 *     reaches only uses that answer the same on it (jeq #k within the
 *     field, jset #k, and #k), each of which A reaches from such loads
 *     alone, of one size.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/bpf.h>

#include "fuzz_check.h"
#include "internal.h"

/* A requirement no packet meets: len is below 2^32. */
#define UNMEETABLE (1ull << 32)

/* SKF_AD_ALU_XOR_X: A ^= X (<linux/filter.h>, which clashes with
 * <pcap/bpf.h>). */
#define AD_ALU_XOR_X 40

#define REG_A (1u << CBPF_MEMWORDS)
#define REG_X (1u << (CBPF_MEMWORDS + 1))

void fuzz_print_cbpf(const struct pcapf_cbpf_insn *insns, size_t cnt)
{
	fprintf(stderr, "%zu\n", cnt);
	for (size_t i = 0; i < cnt; i++)
		fprintf(stderr, "%u %u %u %u\n", insns[i].code, insns[i].jt,
			insns[i].jf, insns[i].k);
}

void fuzz_fail(const struct pcapf_prog *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\n==== pcapfilter fuzz: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	if (prog) {
		size_t cnt;
		const struct pcapf_cbpf_insn *cbpf = pcapf_prog__cbpf(prog, &cnt);

		fprintf(stderr, "---- the program (tcpdump -ddd), access=%s:\n",
			pcapf_access_name(pcapf_prog__access(prog)));
		fuzz_print_cbpf(cbpf, cnt);
		fprintf(stderr, "---- as analysed:\n");
		pcapf_prog__dump(prog, stderr);
	}
	abort();
}

void fuzz_check_error(const char *errbuf, const char *call)
{
	size_t len = strnlen(errbuf, PCAPF_ERRBUF_SIZE);

	if (len == 0 || len == PCAPF_ERRBUF_SIZE)
		fuzz_fail(NULL, "%s failed with %s", call,
			  len ? "an unterminated message" : "no message");
}

static int is_jump(uint16_t code)
{
	return CBPF_CLASS(code) == CBPF_JMP;
}

static int is_ja(uint16_t code)
{
	return code == (CBPF_JMP | CBPF_JA);
}

static int is_abs_packet_load(const struct pcapf_insn *in)
{
	return pcapf_is_packet_load(in->code, in->k) &&
	       CBPF_MODE(in->code) != CBPF_IND;
}

static int is_ind_load(const struct pcapf_insn *in)
{
	return CBPF_CLASS(in->code) == CBPF_LD && CBPF_MODE(in->code) == CBPF_IND;
}

static int is_div_by_x(uint16_t code)
{
	return CBPF_CLASS(code) == CBPF_ALU && CBPF_SRC(code) == CBPF_X &&
	       (CBPF_OP(code) == CBPF_DIV || CBPF_OP(code) == CBPF_MOD);
}

/* The registers and scratch words insn in reads (REG_*, bit i for M[i]). */
static uint32_t reads(const struct pcapf_insn *in)
{
	uint16_t code = in->code;
	uint32_t mem = 1u << (in->k & 15);

	switch (CBPF_CLASS(code)) {
	case CBPF_LD:
		if (pcapf_is_ancillary(code, in->k))
			return in->k - CBPF_SKF_AD_OFF == AD_ALU_XOR_X
				       ? REG_A | REG_X : 0;
		if (CBPF_MODE(code) == CBPF_IND)
			return REG_X;
		return CBPF_MODE(code) == CBPF_MEM ? mem : 0;
	case CBPF_LDX:
		return CBPF_MODE(code) == CBPF_MEM ? mem : 0;
	case CBPF_ST:
	case CBPF_MISC:
		if (CBPF_CLASS(code) == CBPF_MISC && CBPF_MISCOP(code) == CBPF_TXA)
			return REG_X;
		return REG_A;
	case CBPF_STX:
		return REG_X;
	case CBPF_ALU:
		if (CBPF_OP(code) == CBPF_NEG || CBPF_SRC(code) == CBPF_K)
			return REG_A;
		return REG_A | REG_X;
	case CBPF_JMP:
		if (is_ja(code))
			return 0;
		return CBPF_SRC(code) == CBPF_X ? REG_A | REG_X : REG_A;
	default: /* RET */
		return CBPF_RVAL(code) == CBPF_A ? REG_A : 0;
	}
}

/* What insn in writes, in the same bits. */
static uint32_t writes(const struct pcapf_insn *in)
{
	switch (CBPF_CLASS(in->code)) {
	case CBPF_LD:
		return REG_A;
	case CBPF_LDX:
		return REG_X;
	case CBPF_ST:
	case CBPF_STX:
		return 1u << (in->k & 15);
	case CBPF_ALU:
		return REG_A;
	case CBPF_MISC:
		return CBPF_MISCOP(in->code) == CBPF_TAX ? REG_X : REG_A;
	default:
		return 0;
	}
}

static int successors_of(const struct pcapf_insn *in, size_t i, size_t succ[2])
{
	if (CBPF_CLASS(in->code) == CBPF_RET || (in->flags & PCAPF_INSN_REJECT))
		return 0;
	if (!is_jump(in->code)) {
		succ[0] = i + 1;
		return 1;
	}
	succ[0] = in->jt;
	succ[1] = in->jf;
	return is_ja(in->code) ? 1 : 2;
}

/* The input itself, the instructions' copy of it and the CFG's shape. */
static void check_structure(const struct pcapf_prog *prog,
			    const struct pcapf_insn *insns, size_t cnt)
{
	size_t ccnt;
	const struct pcapf_cbpf_insn *cbpf = pcapf_prog__cbpf(prog, &ccnt);
	int skb = pcapf_prog__access(prog) == PCAPF_ACCESS_SKB ||
		  pcapf_prog__access(prog) == PCAPF_ACCESS_SKB_LOAD_BYTES;

	if (cnt == 0 || ccnt != cnt)
		fuzz_fail(prog, "%zu analysed instructions for %zu cBPF", cnt, ccnt);
	_Static_assert(sizeof(struct bpf_insn) == sizeof(*cbpf), "layout");
	if (!bpf_validate((const struct bpf_insn *)cbpf, (int)cnt))
		fuzz_fail(prog, "accepted a program libpcap's bpf_validate() refuses");
	if (!(insns[0].flags & PCAPF_INSN_REACHABLE) ||
	    !(insns[0].flags & PCAPF_INSN_LEADER))
		fuzz_fail(prog, "insn 0 is not a reachable leader");
	for (size_t i = 0; i < cnt; i++) {
		const struct pcapf_insn *in = &insns[i];
		uint32_t rel_t = is_ja(in->code) ? cbpf[i].k : cbpf[i].jt;
		uint32_t rel_f = is_ja(in->code) ? cbpf[i].k : cbpf[i].jf;

		if (in->code != cbpf[i].code || in->k != cbpf[i].k)
			fuzz_fail(prog, "insn %zu differs from its cBPF", i);
		if (in->flags & ~(PCAPF_INSN_REACHABLE | PCAPF_INSN_LEADER |
				  PCAPF_INSN_REJECT | PCAPF_INSN_GUARD_DIV |
				  PCAPF_INSN_X_IN_RANGE | PCAPF_INSN_SKB_HELPER |
				  PCAPF_INSN_X_FORGET))
			fuzz_fail(prog, "insn %zu: unknown flags 0x%x", i, in->flags);
		/* protochain's copies: the helper only under skb access, X's
		 * range hidden only outside it, never where X needs no bound. */
		if ((in->flags & PCAPF_INSN_SKB_HELPER) && !skb)
			fuzz_fail(prog, "insn %zu: SKB_HELPER outside skb access", i);
		if ((in->flags & PCAPF_INSN_X_FORGET) &&
		    (skb || (in->flags & PCAPF_INSN_X_IN_RANGE)))
			fuzz_fail(prog, "insn %zu: X_FORGET under skb access or "
				  "with X_IN_RANGE", i);
		if (CBPF_CLASS(in->code) == CBPF_ALU && CBPF_SRC(in->code) == CBPF_K &&
		    (CBPF_OP(in->code) == CBPF_LSH || CBPF_OP(in->code) == CBPF_RSH) &&
		    in->k >= 32)
			fuzz_fail(prog, "insn %zu: constant shift by %u", i, in->k);
		if (pcapf_is_ancillary(in->code, in->k) && !skb)
			fuzz_fail(prog, "insn %zu: Linux extension without skb access", i);
		if (is_jump(in->code) &&
		    (rel_t >= cnt - i - 1 || rel_f >= cnt - i - 1 ||
		     in->jt != i + 1 + rel_t || in->jf != i + 1 + rel_f))
			fuzz_fail(prog, "insn %zu: jump targets %u/%u", i, in->jt, in->jf);
		if (!(in->flags & PCAPF_INSN_REACHABLE))
			continue;
		if (!!(in->flags & PCAPF_INSN_GUARD_DIV) != is_div_by_x(in->code) &&
		    !(in->flags & PCAPF_INSN_REJECT))
			fuzz_fail(prog, "insn %zu: GUARD_DIV on the wrong insn", i);
		if (in->flags & PCAPF_INSN_REJECT)
			continue;
		if (is_jump(in->code) &&
		    (!(insns[in->jt].flags & PCAPF_INSN_LEADER) ||
		     !(insns[in->jf].flags & PCAPF_INSN_LEADER)))
			fuzz_fail(prog, "insn %zu: jump target not a leader", i);
		if (!is_jump(in->code) && CBPF_CLASS(in->code) != CBPF_RET &&
		    i + 1 >= cnt)
			fuzz_fail(prog, "insn %zu falls off the end", i);
	}
}

/* REACHABLE is exactly what a walk from insn 0 reaches. */
static void check_reachability(const struct pcapf_prog *prog,
			       const struct pcapf_insn *insns, size_t cnt)
{
	unsigned char *reached = calloc(cnt, 1);
	size_t succ[2];

	reached[0] = 1;
	for (size_t i = 0; i < cnt; i++) {
		if (!reached[i])
			continue;
		for (int s = successors_of(&insns[i], i, succ); s-- > 0;)
			reached[succ[s]] = 1;
	}
	for (size_t i = 0; i < cnt; i++)
		if (!!(insns[i].flags & PCAPF_INSN_REACHABLE) != reached[i]) {
			free(reached);
			fuzz_fail(prog, "insn %zu: REACHABLE is wrong", i);
		}
	free(reached);
}

/* Bytes every path from each insn reads before it can return non-zero
 * (UNMEETABLE: no packet matches from there, because a requirement exceeds
 * range, the most bytes the program can read: the packet_range option),
 * from the cBPF alone, ignoring the analysis' REJECT points: len for
 * absolute loads, past X for indexed ones (reset where X is written). */
static void matching_reads(const struct pcapf_insn *insns, size_t cnt,
			   uint64_t range, uint64_t *len, uint64_t *ind)
{
	for (size_t i = cnt; i-- > 0;) {
		const struct pcapf_insn *in = &insns[i];
		uint64_t l = UNMEETABLE, x = UNMEETABLE;

		if (CBPF_CLASS(in->code) == CBPF_RET) {
			if (CBPF_RVAL(in->code) == CBPF_A || in->k)
				l = x = 0;
		} else if (!is_jump(in->code)) {
			l = len[i + 1];
			x = ind[i + 1];
		} else {
			l = len[in->jt] < len[in->jf] ? len[in->jt] : len[in->jf];
			x = ind[in->jt] < ind[in->jf] ? ind[in->jt] : ind[in->jf];
		}
		if (writes(in) & REG_X && x < UNMEETABLE)
			x = 0;
		if (is_abs_packet_load(in) && l < in->k + (uint64_t)pcapf_load_size(in->code))
			l = in->k + (uint64_t)pcapf_load_size(in->code);
		if (is_ind_load(in) && x < in->k + (uint64_t)pcapf_load_size(in->code))
			x = in->k + (uint64_t)pcapf_load_size(in->code);
		/* One requirement no packet meets means no match at all. */
		if (l > range || x > range)
			l = x = UNMEETABLE;
		len[i] = l;
		ind[i] = x;
	}
}

/* Coverage and soundness of the guards and REJECT points. */
static void check_guards(const struct pcapf_prog *prog,
			 const struct pcapf_insn *insns, size_t cnt)
{
	uint64_t *need_len = calloc(cnt, sizeof(uint64_t));
	uint64_t *need_ind = calloc(cnt, sizeof(uint64_t));
	/* The least proven on any path into insn i, UINT64_MAX: no path yet. */
	uint64_t *proven_len = malloc(cnt * sizeof(uint64_t));
	uint64_t *proven_ind = malloc(cnt * sizeof(uint64_t));
	const char *problem = NULL;
	size_t at = 0, succ[2];

	matching_reads(insns, cnt, pcapf_prog__packet_range(prog), need_len,
		       need_ind);
	for (size_t i = 0; i < cnt; i++)
		proven_len[i] = proven_ind[i] = UINT64_MAX;
	proven_len[0] = proven_ind[0] = 0;
	for (size_t i = 0; i < cnt && !problem; i++) {
		const struct pcapf_insn *in = &insns[i];
		uint64_t end = in->k + (uint64_t)pcapf_load_size(in->code);
		uint64_t pl = proven_len[i], pi = proven_ind[i];

		at = i;
		if (!(in->flags & PCAPF_INSN_REACHABLE))
			continue;
		if (in->flags & PCAPF_INSN_REJECT) {
			if (need_len[i] < UNMEETABLE)
				problem = "a REJECT point from which a packet can match";
			continue;
		}
		if (in->guard_len > need_len[i] || in->guard_ind > need_ind[i])
			problem = "a guard that refuses packets libpcap could match";
		if (in->guard_len > pl)
			pl = in->guard_len;
		if (in->guard_ind > pi)
			pi = in->guard_ind;
		if (is_abs_packet_load(in) && end > pl)
			problem = "a packet load not covered by a guard on some path";
		if (is_ind_load(in) && end > pi)
			problem = "an indexed load not covered by a guard on some path";
		if (writes(in) & REG_X)
			pi = 0;
		for (int s = successors_of(in, i, succ); s-- > 0;) {
			if (proven_len[succ[s]] > pl)
				proven_len[succ[s]] = pl;
			if (proven_ind[succ[s]] > pi)
				proven_ind[succ[s]] = pi;
		}
	}
	free(need_len);
	free(need_ind);
	free(proven_len);
	free(proven_ind);
	if (problem)
		fuzz_fail(prog, "insn %zu: %s", at, problem);
}

/* Reads of what some path has not written are zeroed on entry. */
static void check_initialisation(const struct pcapf_prog *prog,
				 const struct pcapf_insn *insns, size_t cnt)
{
	uint32_t init = pcapf_prog__scratch_init(prog) |
			(pcapf_prog__needs_init_a(prog) ? REG_A : 0) |
			(pcapf_prog__needs_init_x(prog) ? REG_X : 0);
	/* Bits that may still hold garbage on entry to insn i, on some path. */
	uint32_t *unset = calloc(cnt, sizeof(uint32_t));
	size_t succ[2];

	unset[0] = (REG_X << 1) - 1;
	for (size_t i = 0; i < cnt; i++) {
		const struct pcapf_insn *in = &insns[i];
		uint32_t garbage;

		if ((in->flags & (PCAPF_INSN_REACHABLE | PCAPF_INSN_REJECT)) !=
		    PCAPF_INSN_REACHABLE)
			continue;
		garbage = reads(in) & unset[i] & ~init;
		if (garbage) {
			free(unset);
			fuzz_fail(prog, "insn %zu reads %s uninitialised", i,
				  garbage & REG_A ? "A" : garbage & REG_X ? "X"
								: "scratch");
		}
		for (int s = successors_of(in, i, succ); s-- > 0;)
			unset[succ[s]] |= unset[i] & ~writes(in);
	}
	free(unset);
}

/* What A holds on entry to an instruction, for check_as_loaded(): no path
 * seen yet, something else on some path, or (2, 4) on every path the value
 * of a load of that many bytes kept as loaded, perhaps masked. */
enum { A_UNSEEN = 0, A_OTHER = 1 };

static int is_use_as_loaded(const struct pcapf_insn *in, uint32_t size)
{
	if (in->code == (CBPF_JMP | CBPF_JEQ | CBPF_K))
		return size == 4 || in->k <= 0xffffu;
	return in->code == (CBPF_JMP | CBPF_JSET | CBPF_K) ||
	       in->code == (CBPF_ALU | CBPF_AND | CBPF_K);
}

static int is_load_as_loaded(const struct pcapf_insn *in, uint32_t size)
{
	return pcapf_is_packet_load(in->code, in->k) &&
	       (CBPF_SIZE(in->code) == CBPF_H || CBPF_SIZE(in->code) == CBPF_W) &&
	       pcapf_load_size(in->code) == size;
}

/* pcapf_prog__as_loaded(): a forward sweep of what A holds (jumps go
 * forward, so index order visits every predecessor first). */
static void check_as_loaded(const struct pcapf_prog *prog,
			    const struct pcapf_insn *insns, size_t cnt)
{
	uint8_t *a = calloc(cnt, 1);
	size_t succ[2];

	a[0] = A_OTHER;
	for (size_t i = 0; i < cnt; i++) {
		const struct pcapf_insn *in = &insns[i];
		uint32_t size = pcapf_prog__as_loaded(prog, i);
		uint8_t out = a[i];
		const char *why = NULL;

		if ((in->flags & (PCAPF_INSN_REACHABLE | PCAPF_INSN_REJECT)) !=
		    PCAPF_INSN_REACHABLE)
			continue;
		if (size && !is_load_as_loaded(in, size) &&
		    !(is_use_as_loaded(in, size) && a[i] == size))
			why = "is marked but is neither such a load nor its use";
		else if ((reads(in) & REG_A) && a[i] > A_OTHER && size != a[i])
			why = "reads a value kept as loaded but is not marked so";
		if (why) {
			free(a);
			fuzz_fail(prog, "insn %zu (as loaded %u): %s", i, size, why);
		}
		if (writes(in) & REG_A)
			out = size && (is_load_as_loaded(in, size) ||
				       CBPF_CLASS(in->code) == CBPF_ALU) ?
				      (uint8_t)size : A_OTHER;
		for (int k = successors_of(in, i, succ); k-- > 0;) {
			uint8_t *to = &a[succ[k]];

			*to = *to == A_UNSEEN || *to == out ? out : A_OTHER;
		}
	}
	free(a);
}

/* The counts pcapf_prog__stats() gives agree with the flags. */
static void check_stats(const struct pcapf_prog *prog,
			const struct pcapf_insn *insns, size_t cnt)
{
	struct pcapf_prog_stats s;
	size_t reachable = 0, guards = 0;

	pcapf_prog__stats(prog, &s);
	for (size_t i = 0; i < cnt; i++) {
		if (!(insns[i].flags & PCAPF_INSN_REACHABLE))
			continue;
		reachable++;
		if (!(insns[i].flags & PCAPF_INSN_REJECT))
			guards += !!insns[i].guard_len + !!insns[i].guard_ind;
	}
	if (s.reachable != reachable || s.guards_len + s.guards_ind != guards)
		fuzz_fail(prog, "pcapf_prog__stats() disagrees with the flags");
}

/* PCAPF_INSN_X_IN_RANGE is sound: X + the indexed check's bytes fits the
 * packet range on every path, X's largest value recomputed here from the
 * cBPF, path by path (a depth-first walk, as the paths of a small program
 * are few enough), with the bounds the contract allows: constants, bytes,
 * MSH, masks, constant shifts (right: of a bounded value), sums and
 * 16-bit products that cannot wrap,
 * OR/XOR up to the highest bit, TAX/TXA; everything else anything. */
struct fuzz_regs {
	uint64_t a, x;
};

static uint64_t saturate(uint64_t v, uint64_t limit)
{
	return v > limit ? UINT32_MAX : v;
}

static uint64_t alu_largest(uint16_t code, uint32_t k, struct fuzz_regs r)
{
	uint64_t v = CBPF_SRC(code) == CBPF_X ? r.x : k, ones = 0;

	switch (CBPF_OP(code)) {
	case CBPF_AND:
		return r.a < v ? r.a : v;
	case CBPF_OR:
	case CBPF_XOR:
		while (ones < (r.a | v))
			ones = ones << 1 | 1;
		return ones;
	case CBPF_ADD:
		return saturate(r.a + v, UINT32_MAX);
	case CBPF_MUL:
		return r.a <= 0xffff && v <= 0xffff ? r.a * v : UINT32_MAX;
	case CBPF_LSH:
		return CBPF_SRC(code) == CBPF_K ?
			       saturate(r.a << k, 0x7fffffff) : UINT32_MAX;
	case CBPF_RSH:
		return CBPF_SRC(code) == CBPF_K && r.a < UINT32_MAX ?
			       r.a >> k : UINT32_MAX;
	}
	return UINT32_MAX;
}

static struct fuzz_regs regs_after(const struct pcapf_insn *in,
				   struct fuzz_regs r)
{
	uint64_t loaded = UINT32_MAX;

	if (CBPF_MODE(in->code) == CBPF_IMM)
		loaded = in->k;
	else if (in->code == (CBPF_LDX | CBPF_MSH | CBPF_B))
		loaded = 60;
	else if (CBPF_SIZE(in->code) == CBPF_B &&
		 (CBPF_MODE(in->code) == CBPF_ABS ||
		  CBPF_MODE(in->code) == CBPF_IND) &&
		 !pcapf_is_ancillary(in->code, in->k))
		loaded = 255;
	switch (CBPF_CLASS(in->code)) {
	case CBPF_LD:
		r.a = loaded;
		break;
	case CBPF_LDX:
		r.x = loaded;
		break;
	case CBPF_ALU:
		r.a = alu_largest(in->code, in->k, r);
		break;
	case CBPF_MISC:
		if (in->code == (CBPF_MISC | CBPF_TAX))
			r.x = r.a;
		else
			r.a = r.x;
		break;
	}
	return r;
}

/* The largest X at insn at over the paths from i, 0 if none gets there;
 * UINT64_MAX if the walk ran out of budget (too many paths to check). */
static uint64_t largest_x(const struct pcapf_insn *insns, size_t cnt, size_t at,
			  size_t i, struct fuzz_regs r, unsigned *budget)
{
	uint64_t most = 0;

	while (i < cnt) {
		const struct pcapf_insn *in = &insns[i];

		if (!*budget)
			return UINT64_MAX;
		--*budget;
		if (i == at)
			return r.x > most ? r.x : most;
		if (CBPF_CLASS(in->code) == CBPF_RET || (in->flags & PCAPF_INSN_REJECT))
			return most;
		r = regs_after(in, r);
		if (is_jump(in->code) && !is_ja(in->code)) {
			uint64_t t = largest_x(insns, cnt, at, in->jt, r, budget);

			if (t == UINT64_MAX)
				return t;
			most = t > most ? t : most;
			i = in->jf;
		} else {
			i = is_ja(in->code) ? in->jt : i + 1;
		}
	}
	return most;
}

static void check_x_range(const struct pcapf_prog *prog,
			  const struct pcapf_insn *insns, size_t cnt)
{
	uint64_t range = pcapf_prog__packet_range(prog);

	for (size_t i = 0; i < cnt; i++) {
		const struct pcapf_insn *in = &insns[i];
		uint32_t check = in->guard_ind ? in->guard_ind :
					       pcapf_prog__ind_recheck(prog, i);
		/* A and X on entry: 0 when read before written. */
		struct fuzz_regs entry = { 0, 0 };
		unsigned budget = 1u << 16;
		uint64_t x;

		if (!(in->flags & PCAPF_INSN_X_IN_RANGE))
			continue;
		if (!check)
			fuzz_fail(prog, "insn %zu: X_IN_RANGE without an indexed "
				  "check", i);
		x = largest_x(insns, cnt, i, 0, entry, &budget);
		if (x != UINT64_MAX && x + check > range)
			fuzz_fail(prog, "insn %zu: X_IN_RANGE where X may exceed "
				  "the packet range", i);
	}
}

void fuzz_check_prog(const struct pcapf_prog *prog)
{
	static FILE *devnull;
	size_t cnt;
	const struct pcapf_insn *insns = pcapf_prog__insns(prog, &cnt);
	enum pcapf_access access = pcapf_prog__access(prog);
	uint32_t snaplen = pcapf_prog__snaplen(prog);

	if (access == PCAPF_ACCESS_DEFAULT || access > PCAPF_ACCESS_PROBE)
		fuzz_fail(prog, "access mode %d", (int)access);
	if (snaplen == 0 || snaplen > PCAPF_DEFAULT_SNAPLEN)
		fuzz_fail(prog, "snap length %u", snaplen);
	if (pcapf_prog__skb_linear(prog) && access != PCAPF_ACCESS_SKB)
		fuzz_fail(prog, "skb_linear without skb access");
	if (pcapf_prog__rejects_all(prog) &&
	    (cnt != 1 || insns[0].code != (CBPF_RET | CBPF_K) || insns[0].k))
		fuzz_fail(prog, "rejects_all, but not `ret #0`");
	check_structure(prog, insns, cnt);
	check_reachability(prog, insns, cnt);
	check_guards(prog, insns, cnt);
	check_x_range(prog, insns, cnt);
	check_initialisation(prog, insns, cnt);
	check_as_loaded(prog, insns, cnt);
	check_stats(prog, insns, cnt);
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (pcapf_prog__dump(prog, devnull))
		fuzz_fail(prog, "pcapf_prog__dump() failed");
}
