/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_cbpf_text.c: libFuzzer target for classic BPF written as numbers
 * (runtime/cbpf_text.c), the input form users write by hand.
 *
 * The input is the text. The parser must accept it or say why; what it
 * accepts must read back the same from both spellings it documents
 * (tcpdump -ddd lines, xt_bpf commas). The program then goes through
 * pcapf_prog__compile(input=cbpf) in every access mode: accepted programs
 * must meet the lowering contract (fuzz_check.c), and the text and the
 * instructions given directly (pcapf_prog__from_cbpf) must be judged alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "internal.h"

/* The instructions written back in one of the two spellings. */
static char *write_text(const struct pcapf_cbpf_insn *insns, size_t cnt,
			int commas)
{
	size_t size = 32 + cnt * 40, used;
	char *text = malloc(size);

	used = (size_t)snprintf(text, size, "%zu", cnt);
	for (size_t i = 0; i < cnt; i++)
		used += (size_t)snprintf(text + used, size - used, "%s%u %u %u %u",
					 commas ? "," : "\n", insns[i].code,
					 insns[i].jt, insns[i].jf, insns[i].k);
	return text;
}

static void check_round_trip(const struct pcapf_cbpf_insn *insns, size_t cnt)
{
	for (int commas = 0; commas < 2; commas++) {
		char *text = write_text(insns, cnt, commas), errbuf[PCAPF_ERRBUF_SIZE];
		struct pcapf_cbpf_insn *again;
		size_t again_cnt;

		if (pcapf_cbpf_parse(text, &again, &again_cnt, errbuf))
			fuzz_fail(NULL, "the parser refuses what it read, written "
				  "back:\n%s\n%s", text, errbuf);
		if (again_cnt != cnt || memcmp(again, insns, cnt * sizeof(*insns)))
			fuzz_fail(NULL, "written back and read again, the program "
				  "differs:\n%s", text);
		free(again);
		free(text);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), errbuf[PCAPF_ERRBUF_SIZE];
	struct pcapf_cbpf_insn *insns = NULL;
	size_t cnt = 0;
	int parsed;

	memcpy(text, data, size);
	text[size] = '\0';
	memset(errbuf, 'x', sizeof(errbuf));
	parsed = !pcapf_cbpf_parse(text, &insns, &cnt, errbuf);
	if (parsed)
		check_round_trip(insns, cnt);
	else
		fuzz_check_error(errbuf, "pcapf_cbpf_parse()");

	for (int access = PCAPF_ACCESS_DIRECT; access <= PCAPF_ACCESS_PROBE; access++) {
		PCAPF_OPTS(opts, .cbpf = true, .access = (enum pcapf_access)access);
		struct pcapf_prog *from_text, *direct = NULL;

		memset(errbuf, 'x', sizeof(errbuf));
		from_text = pcapf_prog__compile(text, &opts, errbuf);
		if (from_text)
			fuzz_check_prog(from_text);
		else
			fuzz_check_error(errbuf, "pcapf_prog__compile(input=cbpf)");
		if (parsed) {
			opts.cbpf = false;
			direct = pcapf_prog__from_cbpf(insns, cnt, &opts, errbuf);
		}
		if (parsed && !direct != !from_text)
			fuzz_fail(from_text ? from_text : direct,
				  "access=%s: the text is %s, the same instructions "
				  "given directly %s", pcapf_access_name(opts.access),
				  from_text ? "accepted" : "refused",
				  direct ? "accepted" : "refused");
		pcapf_prog__free(direct);
		pcapf_prog__free(from_text);
	}
	free(insns);
	free(text);
	return 0;
}
