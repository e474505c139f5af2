/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cbpf_text.c: classic BPF written as numbers, the other input form.
 *
 * Accepts what `tcpdump -ddd` prints (a count line, then one "code jt jf k"
 * line per instruction) and what iptables' xt_bpf --bytecode takes (the
 * same numbers with commas between instructions: "4,40 0 0 12,21 0 1
 * 2054,6 0 0 4096,6 0 0 0"). Hand-written programs use what libpcap never
 * emits (Linux extensions, uninitialised scratch, odd offsets); they go
 * through the same validation and analysis as libpcap's output. Numbers are
 * decimal, as both tools print them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One unsigned decimal number of at most max, ending at a blank, a
 * separator or the end; *s advances past it and blanks. Decimal only:
 * tcpdump -ddd and xt_bpf text never hold hex, and reading "010" as octal
 * (strtoul's base 0) would silently change a program. */
static int read_number(const char **s, uint64_t max, uint64_t *out)
{
	const char *p = *s, *end;
	uint64_t v;
	int err;

	while (is_blank(*p))
		p++;
	err = pcapf_parse_decimal(p, &end, max, &v);
	if (err)
		return err;
	if (*end && !is_blank(*end) && *end != ',' && *end != '\n' &&
	    *end != '\r')
		return -EINVAL;
	while (is_blank(*end))
		end++;
	*s = end;
	*out = v;
	return 0;
}

/* The separator between instructions: a comma or a line break. */
static int read_separator(const char **s)
{
	const char *p = *s;

	if (*p != ',' && *p != '\n' && *p != '\r')
		return -EINVAL;
	while (*p == ',' || *p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')
		p++;
	*s = p;
	return 0;
}

int pcapf_cbpf_parse(const char *text, struct pcapf_cbpf_insn **insns,
		     size_t *cnt, char *errbuf)
{
	const char *p = text;
	uint64_t n, f[4];
	static const uint64_t max[4] = {0xffff, 0xff, 0xff, 0xffffffff};
	static const char *const field[4] = {"code", "jt", "jf", "k"};
	struct pcapf_cbpf_insn *out;

	if (read_number(&p, PCAPF_MAX_INSNS, &n) || n == 0) {
		pcapf_err(errbuf,
			  "classic BPF text must start with the instruction "
			  "count, a decimal number 1..%u", PCAPF_MAX_INSNS);
		return -EINVAL;
	}
	out = calloc(n, sizeof(*out));
	if (!out) {
		pcapf_err(errbuf, "out of memory");
		return -ENOMEM;
	}
	for (uint64_t i = 0; i < n; i++) {
		if (read_separator(&p)) {
			pcapf_err(errbuf,
				  "classic BPF text: expected %llu instructions, "
				  "found %llu",
				  (unsigned long long)n, (unsigned long long)i);
			free(out);
			return -EINVAL;
		}
		for (int j = 0; j < 4; j++) {
			if (read_number(&p, max[j], &f[j])) {
				pcapf_err(errbuf,
					  "classic BPF text: insn %llu: bad %s: "
					  "expected a decimal number 0..%llu",
					  (unsigned long long)i, field[j],
					  (unsigned long long)max[j]);
				free(out);
				return -EINVAL;
			}
		}
		out[i] = (struct pcapf_cbpf_insn){
			.code = (uint16_t)f[0], .jt = (uint8_t)f[1],
			.jf = (uint8_t)f[2], .k = (uint32_t)f[3]};
	}
	while (*p == ',' || *p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')
		p++;
	if (*p) {
		pcapf_err(errbuf,
			  "classic BPF text: unexpected '%.16s' after %llu "
			  "instructions",
			  p, (unsigned long long)n);
		free(out);
		return -EINVAL;
	}
	*insns = out;
	*cnt = n;
	return 0;
}
