/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dump.c: a readable listing of an analysed program.
 *
 * Each instruction is printed as `tcpdump -d` prints it (libpcap's
 * bpf_image(), so the text is the one users know), followed by what the
 * analysis attached to it. The lit tests FileCheck this listing, so its
 * format is part of the tests' contract: change both together.
 */
#include <errno.h>
#include <stdio.h>

#include <pcap/pcap.h>

#include "internal.h"

int pcapf_prog__dump(const struct pcapf_prog *prog, void *file)
{
	FILE *f = file;
	const char *dlt;

	if (!prog || !f)
		return -EINVAL;
	dlt = pcap_datalink_val_to_name(prog->linktype);

	fprintf(f, "; linktype %s snaplen %u access %s", dlt ? dlt : "?",
		prog->snaplen, pcapf_access_name(prog->access));
	if (prog->skb_linear)
		fprintf(f, " skb_linear %u", prog->skb_linear);
	fputc('\n', f);
	if (prog->rejects_all)
		fprintf(f, "; libpcap: expression rejects all packets\n");
	fprintf(f, "; init:%s%s", prog->init_a ? " A" : "",
		prog->init_x ? " X" : "");
	for (int m = 0; m < CBPF_MEMWORDS; m++)
		if (prog->scratch_init & (1u << m))
			fprintf(f, " M[%d]", m);
	fputc('\n', f);
	for (size_t i = 0; i < prog->cnt; i++) {
		const struct pcapf_insn *in = &prog->insns[i];
		struct bpf_insn raw = {
			.code = prog->cbpf[i].code,
			.jt = prog->cbpf[i].jt,
			.jf = prog->cbpf[i].jf,
			.k = prog->cbpf[i].k,
		};

		fprintf(f, "%s", bpf_image(&raw, (int)i));
		if (!(in->flags & PCAPF_INSN_REACHABLE))
			fprintf(f, " ; unreachable");
		else if (in->flags & PCAPF_INSN_REJECT)
			fprintf(f, " ; reject");
		if (in->guard_len)
			fprintf(f, " ; guard len >= %u", in->guard_len);
		if (in->guard_ind)
			fprintf(f, " ; guard x + %u <= len%s", in->guard_ind,
				in->flags & PCAPF_INSN_X_IN_RANGE ? " (x in range)"
								  : "");
		if (in->flags & PCAPF_INSN_GUARD_DIV)
			fprintf(f, " ; guard x != 0");
		if (in->flags & PCAPF_INSN_SKB_HELPER)
			fprintf(f, " ; bpf_skb_load_bytes");
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}
