/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_compile.c: libFuzzer target for filter expressions: libpcap's
 * compiler, then validation and analysis (pcapf_prog__compile).
 *
 * Input: byte 0 and bit 0 of byte 1 choose the link type (a DLT number,
 * given as the linktype option, as a user may), bits 1-5 of byte 1 the
 * access mode and snap length, bit 6 a NULL errbuf (which every entry
 * accepts); the remaining bytes are the expression.
 * Every program accepted must meet the lowering contract (fuzz_check.c);
 * every refusal must say why. Host names are never resolved
 * (fuzz_no_resolve.c): that is libpcap's and the network's business.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"

static const uint32_t snaplens[] = {0, 1, 14, 68, 96, 1500, 65535, PCAPF_DEFAULT_SNAPLEN};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char linktype[16], errbuf[PCAPF_ERRBUF_SIZE], *expr;
	struct pcapf_prog *prog;

	if (size < 2)
		return 0;
	snprintf(linktype, sizeof(linktype), "%u", data[0] | (data[1] & 1u) << 8);
	PCAPF_OPTS(opts, .linktype = linktype,
		   .access = (enum pcapf_access)(PCAPF_ACCESS_DIRECT + (data[1] >> 1 & 3)),
		   .snaplen = snaplens[data[1] >> 3 & 7]);
	expr = malloc(size - 1);
	memcpy(expr, data + 2, size - 2);
	expr[size - 2] = '\0';
	memset(errbuf, 'x', sizeof(errbuf));
	prog = pcapf_prog__compile(expr, &opts, data[1] & 0x40 ? NULL : errbuf);
	if (prog)
		fuzz_check_prog(prog);
	else if (!(data[1] & 0x40))
		fuzz_check_error(errbuf, "pcapf_prog__compile()");
	pcapf_prog__free(prog);
	free(expr);
	return 0;
}
