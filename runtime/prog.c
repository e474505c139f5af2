/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prog.c: the pcapf_prog object: compile -> validate -> analyse.
 *
 * Both entry points (an expression, or classic BPF given directly) go
 * through the same validation and analysis, so a hand-written program gets
 * exactly the checks libpcap's output gets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Validate and analyse cbpf (taken over, freed on error) with the options
 * resolved by pcapf_resolve_opts() and the rest of opts (may be NULL). */
static struct pcapf_prog *prog_build(struct pcapf_cbpf_insn *cbpf, size_t cnt,
				     int linktype, uint32_t snaplen,
				     enum pcapf_access access,
				     const struct pcapf_opts *opts, char *errbuf)
{
	struct pcapf_prog *prog;
	int err;

	err = pcapf_validate(cbpf, cnt, access, errbuf);
	if (err) {
		free(cbpf);
		errno = -err;
		return NULL;
	}
	prog = calloc(1, sizeof(*prog));
	if (!prog) {
		free(cbpf);
		pcapf_err(errbuf, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	prog->cbpf = cbpf;
	prog->cnt = cnt;
	prog->linktype = linktype;
	prog->snaplen = snaplen;
	prog->access = access;
	prog->skb_linear = opts ? opts->skb_linear : 0;
	prog->packet_range = opts && opts->packet_range ? opts->packet_range
		: access == PCAPF_ACCESS_SKB || access == PCAPF_ACCESS_SKB_LOAD_BYTES
			? UINT32_MAX
			: PCAPF_MAX_PACKET_OFF;
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
	enum pcapf_access access;
	uint32_t snaplen;
	size_t cnt;
	int linktype, err, rejects_all = 0;
	struct pcapf_prog *prog;

	if (!expr) {
		pcapf_err(errbuf, "no filter expression");
		errno = EINVAL;
		return NULL;
	}
	err = pcapf_resolve_opts(opts, &linktype, &snaplen, &access, errbuf);
	if (!err && opts && opts->cbpf)
		err = pcapf_cbpf_parse(expr, &cbpf, &cnt, errbuf);
	else if (!err)
		err = pcapf_compile_expr(expr, linktype, snaplen, &cbpf, &cnt,
					 &rejects_all, errbuf);
	if (err) {
		errno = -err;
		return NULL;
	}
	prog = prog_build(cbpf, cnt, linktype, snaplen, access, opts, errbuf);
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
	enum pcapf_access access;
	uint32_t snaplen;
	int linktype, err;

	err = pcapf_resolve_opts(opts, &linktype, &snaplen, &access, errbuf);
	if (err) {
		errno = -err;
		return NULL;
	}
	if (!insns || !cnt) {
		pcapf_err(errbuf, "empty program");
		errno = EINVAL;
		return NULL;
	}
	cbpf = malloc(sizeof(*cbpf) * cnt);
	if (!cbpf) {
		pcapf_err(errbuf, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	memcpy(cbpf, insns, sizeof(*cbpf) * cnt);
	return prog_build(cbpf, cnt, linktype, snaplen, access, opts, errbuf);
}

void pcapf_prog__free(struct pcapf_prog *prog)
{
	if (!prog)
		return;
	free(prog->cbpf);
	free(prog->insns);
	free(prog);
}

const struct pcapf_insn *pcapf_prog__insns(const struct pcapf_prog *prog,
					   size_t *cnt)
{
	*cnt = prog->cnt;
	return prog->insns;
}

const struct pcapf_cbpf_insn *pcapf_prog__cbpf(const struct pcapf_prog *prog,
					       size_t *cnt)
{
	*cnt = prog->cnt;
	return prog->cbpf;
}

uint16_t pcapf_prog__scratch_init(const struct pcapf_prog *prog)
{
	return prog->scratch_init;
}

bool pcapf_prog__needs_init_a(const struct pcapf_prog *prog)
{
	return prog->init_a;
}

bool pcapf_prog__needs_init_x(const struct pcapf_prog *prog)
{
	return prog->init_x;
}

bool pcapf_prog__rejects_all(const struct pcapf_prog *prog)
{
	return prog->rejects_all;
}

bool pcapf_prog__reads_len(const struct pcapf_prog *prog)
{
	return prog->reads_len;
}

int pcapf_prog__linktype(const struct pcapf_prog *prog)
{
	return prog->linktype;
}

enum pcapf_access pcapf_prog__access(const struct pcapf_prog *prog)
{
	return prog->access;
}

uint32_t pcapf_prog__skb_linear(const struct pcapf_prog *prog)
{
	return prog->skb_linear;
}

uint32_t pcapf_prog__snaplen(const struct pcapf_prog *prog)
{
	return prog->snaplen;
}

uint32_t pcapf_prog__packet_range(const struct pcapf_prog *prog)
{
	return prog->packet_range;
}

void pcapf_prog__stats(const struct pcapf_prog *prog,
		       struct pcapf_prog_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	for (size_t i = 0; i < prog->cnt; i++) {
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
