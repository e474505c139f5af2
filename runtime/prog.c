/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prog.c: the pcapf_prog object: compile -> validate -> unroll -> analyse.
 *
 * Both entry points (an expression, or classic BPF given directly) go
 * through the same validation and analysis, so a hand-written program gets
 * exactly the checks libpcap's output gets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Validate, unroll protochain in and analyse cbpf (taken over, freed on
 * error) with the resolved options. */
static struct pcapf_prog *prog_build(struct pcapf_cbpf_insn *cbpf, size_t cnt,
				     const struct pcapf_settings *set,
				     char *errbuf)
{
	struct pcapf_prog *prog;
	uint8_t *copied = NULL;
	int err;

	err = pcapf_validate(cbpf, cnt, set->access, errbuf);
	if (!err)
		err = pcapf_unroll(&cbpf, &cnt, set->protochain_depth, &copied,
				   errbuf);
	if (err) {
		free(cbpf);
		errno = -err;
		return NULL;
	}
	prog = calloc(1, sizeof(*prog));
	if (!prog) {
		free(cbpf);
		free(copied);
		pcapf_err(errbuf, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	prog->cbpf = cbpf;
	prog->cnt = cnt;
	prog->copied = copied;
	prog->linktype = set->linktype;
	prog->snaplen = set->snaplen;
	prog->access = set->access;
	prog->skb_linear = set->skb_linear;
	prog->packet_range = set->packet_range;
	err = pcapf_analyze(prog, errbuf);
	if (err) {
		pcapf_prog__free(prog);
		errno = -err;
		return NULL;
	}
	return prog;
}

struct pcapf_prog *pcapf_prog__compile(const char *expr,
				       const struct pcapf_opts *opts,
				       char *errbuf)
{
	struct pcapf_cbpf_insn *cbpf;
	struct pcapf_settings set;
	size_t cnt;
	int err, rejects_all = 0;
	struct pcapf_prog *prog;

	if (!expr) {
		pcapf_err(errbuf, "no filter expression");
		errno = EINVAL;
		return NULL;
	}
	err = pcapf_resolve_opts(opts, &set, errbuf);
	if (!err && set.cbpf)
		err = pcapf_cbpf_parse(expr, &cbpf, &cnt, errbuf);
	else if (!err)
		err = pcapf_compile_expr(expr, set.linktype, set.snaplen, &cbpf,
					 &cnt, &rejects_all, errbuf);
	if (err) {
		errno = -err;
		return NULL;
	}
	prog = prog_build(cbpf, cnt, &set, errbuf);
	if (prog)
		prog->rejects_all = (uint8_t)rejects_all;
	return prog;
}

struct pcapf_prog *pcapf_prog__from_cbpf(const struct pcapf_cbpf_insn *insns,
					 size_t cnt,
					 const struct pcapf_opts *opts,
					 char *errbuf)
{
	struct pcapf_cbpf_insn *cbpf;
	struct pcapf_settings set;
	int err;

	err = pcapf_resolve_opts(opts, &set, errbuf);
	if (err) {
		errno = -err;
		return NULL;
	}
	if (!insns || !cnt) {
		pcapf_err(errbuf, "empty program");
		errno = EINVAL;
		return NULL;
	}
	/* Before the copy: cnt * size could wrap. */
	if (cnt > PCAPF_MAX_INSNS) {
		pcapf_err(errbuf, "program of %zu instructions exceeds %u", cnt,
			  PCAPF_MAX_INSNS);
		errno = E2BIG;
		return NULL;
	}
	cbpf = malloc(sizeof(*cbpf) * cnt);
	if (!cbpf) {
		pcapf_err(errbuf, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	memcpy(cbpf, insns, sizeof(*cbpf) * cnt);
	return prog_build(cbpf, cnt, &set, errbuf);
}

void pcapf_prog__free(struct pcapf_prog *prog)
{
	if (!prog)
		return;
	free(prog->cbpf);
	free(prog->copied);
	free(prog->insns);
	free(prog->ind_recheck);
	free(prog->as_loaded);
	free(prog);
}

/* The accessors take NULL for a program (a caller that did not check
 * pcapf_prog__compile()'s result): no program has nothing, and a pointer
 * result sets errno. */
const struct pcapf_insn *pcapf_prog__insns(const struct pcapf_prog *prog,
					   size_t *cnt)
{
	if (cnt)
		*cnt = prog ? prog->cnt : 0;
	if (!prog)
		errno = EINVAL;
	return prog ? prog->insns : NULL;
}

const struct pcapf_cbpf_insn *pcapf_prog__cbpf(const struct pcapf_prog *prog,
					       size_t *cnt)
{
	if (cnt)
		*cnt = prog ? prog->cnt : 0;
	if (!prog)
		errno = EINVAL;
	return prog ? prog->cbpf : NULL;
}

uint16_t pcapf_prog__scratch_init(const struct pcapf_prog *prog)
{
	return prog ? prog->scratch_init : 0;
}

bool pcapf_prog__needs_init_a(const struct pcapf_prog *prog)
{
	return prog && prog->init_a;
}

bool pcapf_prog__needs_init_x(const struct pcapf_prog *prog)
{
	return prog && prog->init_x;
}

bool pcapf_prog__rejects_all(const struct pcapf_prog *prog)
{
	return prog && prog->rejects_all;
}

bool pcapf_prog__keeps_checked_pointers(const struct pcapf_prog *prog)
{
	return prog && prog->copied;
}

int pcapf_prog__linktype(const struct pcapf_prog *prog)
{
	return prog ? prog->linktype : -EINVAL;
}

enum pcapf_access pcapf_prog__access(const struct pcapf_prog *prog)
{
	return prog ? prog->access : PCAPF_ACCESS_DEFAULT;
}

uint32_t pcapf_prog__skb_linear(const struct pcapf_prog *prog)
{
	return prog ? prog->skb_linear : 0;
}

uint32_t pcapf_prog__snaplen(const struct pcapf_prog *prog)
{
	return prog ? prog->snaplen : 0;
}

void pcapf_prog__probe_copy(const struct pcapf_prog *prog, uint32_t *abs_bytes,
			    uint32_t *ind_bytes)
{
	uint32_t abs = 0, ind = 0;

	for (size_t i = 0; prog && prog->access == PCAPF_ACCESS_PROBE &&
			   i < prog->cnt; i++) {
		const struct pcapf_insn *in = &prog->insns[i];

		if (!(in->flags & PCAPF_INSN_REACHABLE))
			continue;
		abs = in->guard_len > abs ? in->guard_len : abs;
		ind = in->guard_ind > ind ? in->guard_ind : ind;
	}
	if (abs_bytes)
		*abs_bytes = abs < PCAPF_PROBE_COPY_MAX ? abs : PCAPF_PROBE_COPY_MAX;
	if (ind_bytes)
		*ind_bytes = ind < PCAPF_PROBE_IND_COPY_MAX ? ind
							    : PCAPF_PROBE_IND_COPY_MAX;
}

uint32_t pcapf_prog__skb_direct_bytes(const struct pcapf_prog *prog)
{
	if (!prog || prog->access != PCAPF_ACCESS_SKB)
		return 0;
	if (prog->skb_linear && prog->skb_linear < PCAPF_MAX_PACKET_OFF)
		return prog->skb_linear;
	return PCAPF_MAX_PACKET_OFF;
}

uint32_t pcapf_prog__ind_recheck(const struct pcapf_prog *prog, size_t i)
{
	return prog && i < prog->cnt ? prog->ind_recheck[i] : 0;
}

uint32_t pcapf_prog__as_loaded(const struct pcapf_prog *prog, size_t i)
{
	return prog && i < prog->cnt ? prog->as_loaded[i] : 0;
}

uint32_t pcapf_prog__packet_range(const struct pcapf_prog *prog)
{
	return prog ? prog->packet_range : 0;
}

void pcapf_prog__stats(const struct pcapf_prog *prog,
		       struct pcapf_prog_stats *stats)
{
	if (!stats)
		return;
	memset(stats, 0, sizeof(*stats));
	for (size_t i = 0; prog && i < prog->cnt; i++) {
		const struct pcapf_insn *in = &prog->insns[i];

		if (!(in->flags & PCAPF_INSN_REACHABLE))
			continue;
		stats->reachable++;
		if (in->flags & PCAPF_INSN_REJECT) {
			stats->rejects++;
			continue;
		}
		stats->loads += pcapf_is_packet_load(in->code, in->k) ? 1 : 0;
		stats->guards_len += in->guard_len ? 1 : 0;
		stats->guards_ind += in->guard_ind ? 1 : 0;
		stats->guards_div += (in->flags & PCAPF_INSN_GUARD_DIV) ? 1 : 0;
	}
}
