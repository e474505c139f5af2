/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * compile.c: filter expression -> classic BPF, with libpcap.
 *
 * Exactly what tcpdump does for a savefile: a dead pcap_t of the chosen
 * link type and snap length, pcap_compile() with the optimiser on and the
 * netmask unknown. Using libpcap itself (not a reimplementation of its
 * grammar) is what makes the generated filters mean what tcpdump means.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "internal.h"

/* The message of libpcap's optimiser for a filter that matches nothing. */
#define REJECTS_ALL "expression rejects all packets"

int pcapf_compile_expr(const char *expr, int linktype, uint32_t snaplen,
		       struct pcapf_cbpf_insn **insns, size_t *cnt,
		       int *rejects_all, char *errbuf)
{
	struct bpf_program bp;
	pcap_t *p;
	int err = 0;

	p = pcap_open_dead(linktype, (int)snaplen);
	if (!p) {
		pcapf_err(errbuf, "pcap_open_dead failed for link type %d",
			  linktype);
		return -ENOMEM;
	}
	*rejects_all = 0;
	if (pcap_compile(p, &bp, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		/* errbuf may be NULL: test libpcap's own buffer. */
		int rejects = strstr(pcap_geterr(p), REJECTS_ALL) != NULL;

		pcapf_err(errbuf, "%s", pcap_geterr(p));
		pcap_close(p);
		if (!rejects)
			return -EINVAL;
		*insns = calloc(1, sizeof(**insns));
		if (!*insns) {
			pcapf_err(errbuf, "out of memory");
			return -ENOMEM;
		}
		(*insns)[0].code = 0x06; /* ret #0 */
		*cnt = 1;
		*rejects_all = 1;
		return 0;
	}
	*cnt = bp.bf_len;
	*insns = malloc(sizeof(**insns) * (bp.bf_len ? bp.bf_len : 1));
	if (!*insns) {
		err = -ENOMEM;
		pcapf_err(errbuf, "out of memory");
	} else {
		_Static_assert(sizeof(struct bpf_insn) ==
				       sizeof(struct pcapf_cbpf_insn),
			       "cBPF instruction layout");
		memcpy(*insns, bp.bf_insns, sizeof(**insns) * bp.bf_len);
	}
	pcap_freecode(&bp);
	pcap_close(p);
	return err;
}
