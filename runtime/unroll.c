/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * unroll.c: libpcap's protochain loop, unrolled into a forward-only program.
 *
 * "protochain N" is the one construct libpcap compiles to a loop: its
 * gen_protochain() walks the IPv4/IPv6 extension-header chain with a
 * backward `ja`. The analyses (analyze.c) and both back ends assume a DAG in
 * topological order, and the kernel's cBPF checker refuses loops, so this
 * stage, run before validation's forward-only rule, copies the loop a
 * bounded number of times and every later stage sees ordinary cBPF.
 *
 * The shape recognised is the one gen_protochain() emits, and nothing else
 * (any other backward jump stays an error naming the instruction):
 *   - a head H, `jeq #k`, comparing A (the next-header value) with N;
 *   - one or more back edges `tax; ld M[m]; ja H`, the last one E ending the
 *     loop (X = offset of the next header, A = its next-header value);
 *   - a single entry: nothing outside [H, E] jumps into (H, E];
 *   - a single exit: every branch inside the loop goes forward within it or
 *     to E + 1 (libpcap's join, `add #0`), and no instruction inside returns.
 *
 * The loop becomes depth + 1 copies of [H, E]: copy c's back edges jump to
 * copy c + 1's head, so depth extension headers are followed exactly as
 * libpcap follows them. In the last copy the back edges become `ret #0`: a
 * chain longer than the bound does not match. libpcap has no bound (and
 * 1.10.3 never stops on some crafted AH chains), so past the bound the
 * answer is unknown; neither "protochain true" nor "false" is safe, as a
 * `not` around the primitive would turn a guess into a match, so the filter
 * answers as libpcap does when a packet ends before the data it needs: 0.
 *
 * The bound is the protochain_depth option, PCAPF_DEFAULT_PROTOCHAIN_DEPTH
 * unless set; depth 0 (PCAPF_PROTOCHAIN_OFF) refuses the loop as before.
 *
 * Copying moves code apart, and cBPF conditional offsets are 8 bits: a
 * branch whose target ends up more than 255 instructions ahead gets a
 * `ja` trampoline right after it (branch relaxation, repeated until no
 * branch is too far, since each trampoline moves later code by one).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* One instruction of the unrolled program, branch targets as node indices
 * (for `ja`, jt is the target), before the offsets are laid out. */
struct unroll_node {
	struct pcapf_cbpf_insn in;
	uint32_t jt, jf;
	uint8_t tramp_t, tramp_f; /* the target is reached via a trampoline */
	uint8_t copied;		  /* part of a copy of a loop */
};

/* One protochain loop: [head, end], end its last back edge. */
struct unroll_loop {
	size_t head, end;
};

#define CBPF_MAX_JOFF 255u
#define NOT_ENTRY SIZE_MAX

static bool is_backward_ja(const struct pcapf_cbpf_insn *in)
{
	return in->code == (CBPF_JMP | CBPF_JA) && in->k >= 0x80000000u;
}

static bool is_cond_jump(const struct pcapf_cbpf_insn *in)
{
	return CBPF_CLASS(in->code) == CBPF_JMP &&
	       CBPF_OP(in->code) != CBPF_JA;
}

/* cBPF adds k to the program counter modulo 2^32: a backward ja at i
 * lands at i + 1 - (2^32 - k). SIZE_MAX when that is before the start. */
static size_t backward_target(const struct pcapf_cbpf_insn *in, size_t i)
{
	uint64_t back = (uint64_t)0x100000000u - in->k;

	return back > i + 1 ? SIZE_MAX : i + 1 - (size_t)back;
}

static int not_protochain(size_t i, size_t head, const char *why,
			  char *errbuf)
{
	pcapf_err(errbuf,
		  "insn %zu: backward jump to insn %zu is not the loop libpcap "
		  "emits for 'protochain' (%s); other loops are not supported",
		  i, head, why);
	return -EOPNOTSUPP;
}

/* The back edge at i must be `tax; ld M[m]; ja head` with a `jeq #k` head,
 * and the loop [head, i] must contain no other loop's back edge. */
static int check_back_edge(const struct pcapf_cbpf_insn *insns, size_t i,
			   size_t head, char *errbuf)
{
	if (head == SIZE_MAX)
		return not_protochain(i, 0, "it jumps before the start",
				      errbuf);
	if (head + 2 >= i ||
	    insns[i - 1].code != (CBPF_LD | CBPF_MEM) ||
	    insns[i - 2].code != (CBPF_MISC | CBPF_TAX))
		return not_protochain(i, head,
				      "not preceded by tax; ld M[]", errbuf);
	if (insns[head].code != (CBPF_JMP | CBPF_JEQ | CBPF_K))
		return not_protochain(i, head, "the head is not jeq #k",
				      errbuf);
	return 0;
}

/* Find the loops (sorted by head, disjoint) and check their shape. */
static int find_loops(const struct pcapf_cbpf_insn *insns, size_t cnt,
		      struct unroll_loop *loops, size_t *nloops, char *errbuf)
{
	size_t n = 0;
	int err;

	for (size_t i = 0; i < cnt; i++) {
		size_t head;

		if (!is_backward_ja(&insns[i]))
			continue;
		head = backward_target(&insns[i], i);
		err = check_back_edge(insns, i, head, errbuf);
		if (err)
			return err;
		if (n && loops[n - 1].head == head) {
			loops[n - 1].end = i;
			continue;
		}
		if (n && head <= loops[n - 1].end)
			return not_protochain(i, head,
					      "it overlaps another loop",
					      errbuf);
		loops[n++] = (struct unroll_loop){ .head = head, .end = i };
	}
	*nloops = n;
	return 0;
}

/* Forward targets of a non-backward instruction at i (0..2). */
static int forward_targets(const struct pcapf_cbpf_insn *in, size_t i,
			   size_t t[2])
{
	if (CBPF_CLASS(in->code) == CBPF_RET)
		return 0;
	if (in->code == (CBPF_JMP | CBPF_JA)) {
		t[0] = i + 1 + in->k;
		return 1;
	}
	if (is_cond_jump(in)) {
		t[0] = i + 1 + in->jt;
		t[1] = i + 1 + in->jf;
		return 2;
	}
	t[0] = i + 1;
	return 1;
}

/* Single entry, single exit (see the header comment). The targets are in
 * range: validation checked every forward branch. */
static int check_loop_edges(const struct pcapf_cbpf_insn *insns, size_t cnt,
			    const struct unroll_loop *loops, size_t nloops,
			    char *errbuf)
{
	size_t l = 0;

	for (size_t i = 0; i < cnt; i++) {
		size_t t[2];
		int nt;

		while (l < nloops && i > loops[l].end)
			l++;
		if (is_backward_ja(&insns[i]))
			continue;
		nt = forward_targets(&insns[i], i, t);
		bool inside = l < nloops && i >= loops[l].head;
		if (inside && !nt)
			return not_protochain(loops[l].end, loops[l].head,
					      "it contains a return", errbuf);
		for (int j = 0; j < nt; j++) {
			/* The first loop at or after the target. */
			size_t m = l;
			while (m < nloops && t[j] > loops[m].end)
				m++;
			if (inside && t[j] > loops[l].end + 1)
				return not_protochain(
					loops[l].end, loops[l].head,
					"it has more than one exit", errbuf);
			if (!inside && m < nloops && t[j] > loops[m].head &&
			    t[j] <= loops[m].end)
				return not_protochain(
					loops[m].end, loops[m].head,
					"it has more than one entry", errbuf);
		}
	}
	return 0;
}

/* Lay the nodes out: pos[i] is node i's instruction index, trampolines
 * counted. Returns the program length. */
static size_t layout(const struct unroll_node *nodes, size_t n, size_t *pos)
{
	size_t at = 0;

	for (size_t i = 0; i < n; i++) {
		pos[i] = at;
		at += 1 + nodes[i].tramp_t + nodes[i].tramp_f;
	}
	return at;
}

/* Give every conditional branch that is too far a trampoline; a trampoline
 * only ever moves code further apart, so this terminates. */
static size_t relax(struct unroll_node *nodes, size_t n, size_t *pos)
{
	bool changed;
	size_t len;

	do {
		changed = false;
		len = layout(nodes, n, pos);
		for (size_t i = 0; i < n; i++) {
			struct unroll_node *nd = &nodes[i];

			if (!is_cond_jump(&nd->in))
				continue;
			if (!nd->tramp_t &&
			    pos[nd->jt] - pos[i] - 1 > CBPF_MAX_JOFF) {
				nd->tramp_t = 1;
				changed = true;
			}
			if (!nd->tramp_f &&
			    pos[nd->jf] - pos[i] - 1 > CBPF_MAX_JOFF) {
				nd->tramp_f = 1;
				changed = true;
			}
		}
	} while (changed);
	return len;
}

static void emit(const struct unroll_node *nodes, size_t n, const size_t *pos,
		 struct pcapf_cbpf_insn *out, uint8_t *copied)
{
	for (size_t i = 0; i < n; i++) {
		const struct unroll_node *nd = &nodes[i];
		struct pcapf_cbpf_insn *o = &out[pos[i]];
		size_t next = pos[i] + 1;

		/* A node's trampolines belong where the node does. */
		memset(&copied[pos[i]], nd->copied,
		       1u + nd->tramp_t + nd->tramp_f);
		*o = nd->in;
		if (nd->in.code == (CBPF_JMP | CBPF_JA)) {
			o->k = (uint32_t)(pos[nd->jt] - next);
			continue;
		}
		if (!is_cond_jump(&nd->in))
			continue;
		if (nd->tramp_t)
			out[next] = (struct pcapf_cbpf_insn){
				.code = CBPF_JMP | CBPF_JA,
				.k = (uint32_t)(pos[nd->jt] - next - 1),
			};
		if (nd->tramp_f)
			out[next + nd->tramp_t] = (struct pcapf_cbpf_insn){
				.code = CBPF_JMP | CBPF_JA,
				.k = (uint32_t)(pos[nd->jf] - next - nd->tramp_t -
						1),
			};
		/* Offsets count from the next instruction, trampolines
		 * included. */
		o->jt = (uint8_t)(nd->tramp_t ? 0 : pos[nd->jt] - next);
		o->jf = (uint8_t)(nd->tramp_f ? nd->tramp_t
					      : pos[nd->jf] - next);
	}
}

/* Node index of each original instruction outside the loop bodies (a
 * loop's head maps to its first copy); NOT_ENTRY inside (head, end]. */
static size_t place(const struct unroll_loop *loops, size_t nloops,
		    size_t cnt, uint32_t copies, size_t *entry)
{
	size_t n = 0, l = 0;

	for (size_t i = 0; i < cnt; i++) {
		if (l < nloops && i == loops[l].head) {
			size_t body = loops[l].end - loops[l].head + 1;

			entry[i] = n;
			for (size_t j = i + 1; j <= loops[l].end; j++)
				entry[j] = NOT_ENTRY;
			n += body * copies;
			i = loops[l++].end;
			continue;
		}
		entry[i] = n++;
	}
	return n;
}

/* Fill nodes[] from the original program. */
static void build(const struct pcapf_cbpf_insn *insns, size_t cnt,
		  const struct unroll_loop *loops, size_t nloops,
		  uint32_t copies, const size_t *entry,
		  struct unroll_node *nodes)
{
	size_t l = 0;

	for (size_t i = 0; i < cnt; i++) {
		if (l < nloops && i == loops[l].head) {
			size_t head = i, end = loops[l].end;
			size_t body = end - head + 1, base = entry[head];

			for (uint32_t c = 0; c < copies; c++) {
				size_t cbase = base + c * body;
				for (size_t j = head; j <= end; j++) {
					struct unroll_node *nd =
						&nodes[cbase + j - head];
					size_t t[2];
					int nt;

					nd->in = insns[j];
					nd->copied = 1;
					if (is_backward_ja(&insns[j])) {
						if (c + 1 == copies)
							nd->in = (struct pcapf_cbpf_insn){
								.code = CBPF_RET | CBPF_K,
							};
						else
							nd->jt = (uint32_t)(cbase + body);
						continue;
					}
					nt = forward_targets(&insns[j], j, t);
					uint32_t tn[2] = { 0, 0 };
					for (int k = 0; k < nt; k++)
						tn[k] = (uint32_t)(t[k] > end
							? entry[t[k]]
							: cbase + t[k] - head);
					nd->jt = tn[0];
					nd->jf = nt == 2 ? tn[1] : 0;
				}
			}
			i = end;
			l++;
			continue;
		}
		struct unroll_node *nd = &nodes[entry[i]];
		size_t t[2];
		int nt = forward_targets(&insns[i], i, t);

		nd->in = insns[i];
		nd->jt = nt ? (uint32_t)entry[t[0]] : 0;
		nd->jf = nt == 2 ? (uint32_t)entry[t[1]] : 0;
	}
}

int pcapf_unroll(struct pcapf_cbpf_insn **insns, size_t *cnt, uint32_t depth,
		 uint8_t **copied, char *errbuf)
{
	struct unroll_loop *loops;
	struct unroll_node *nodes = NULL;
	struct pcapf_cbpf_insn *out = NULL;
	uint8_t *marks = NULL;
	size_t nloops, n, len, *entry = NULL, *pos = NULL;
	uint32_t copies = depth + 1;
	int err;

	*copied = NULL;
	/* Off: the first backward jump is refused, as it always was. */
	for (size_t i = 0; !depth && i < *cnt; i++) {
		if (is_backward_ja(&(*insns)[i])) {
			pcapf_err(errbuf,
				  "insn %zu: backward jump (a loop, as libpcap "
				  "emits for 'protochain') is not supported",
				  i);
			return -EOPNOTSUPP;
		}
	}
	loops = malloc(sizeof(*loops) * *cnt);
	if (!loops)
		goto nomem;
	err = find_loops(*insns, *cnt, loops, &nloops, errbuf);
	if (!err)
		err = check_loop_edges(*insns, *cnt, loops, nloops, errbuf);
	if (err || !nloops) {
		free(loops);
		return err;
	}
	/* Bodies times copies, checked before the allocation can wrap. */
	n = *cnt;
	for (size_t l = 0; l < nloops; l++) {
		size_t body = loops[l].end - loops[l].head + 1;
		n += body * depth;
		if (n > PCAPF_MAX_INSNS) {
			pcapf_err(errbuf,
				  "insn %zu: protochain unrolled %u times "
				  "exceeds %u instructions",
				  loops[l].end, depth, PCAPF_MAX_INSNS);
			free(loops);
			return -E2BIG;
		}
	}
	entry = malloc(sizeof(*entry) * *cnt);
	nodes = calloc(n, sizeof(*nodes));
	pos = malloc(sizeof(*pos) * n);
	if (!entry || !nodes || !pos)
		goto nomem;
	place(loops, nloops, *cnt, copies, entry);
	build(*insns, *cnt, loops, nloops, copies, entry, nodes);
	len = relax(nodes, n, pos);
	if (len > PCAPF_MAX_INSNS) {
		pcapf_err(errbuf, "protochain unrolled %u times exceeds %u "
			  "instructions", depth, PCAPF_MAX_INSNS);
		err = -E2BIG;
		goto out;
	}
	out = malloc(sizeof(*out) * len);
	marks = malloc(len);
	if (!out || !marks) {
		free(out);
		free(marks);
		goto nomem;
	}
	emit(nodes, n, pos, out, marks);
	free(*insns);
	*insns = out;
	*cnt = len;
	*copied = marks;
	err = 0;
	goto out;
nomem:
	pcapf_err(errbuf, "out of memory");
	err = -ENOMEM;
out:
	free(loops);
	free(entry);
	free(nodes);
	free(pos);
	return err;
}
