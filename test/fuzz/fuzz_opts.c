/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_opts.c: libFuzzer target for the option strings of the attribute
 * and the CLI (pcapf_opts__parse, runtime/options.c).
 *
 * The input is several option strings, one a line, applied in order to one
 * options struct, as the attribute applies its arguments. Each accepted
 * option must set what it names and nothing else; each refused one must
 * say why. The options then compile a fixed filter (an expression, or
 * classic BPF with input=cbpf): the program must carry the link type, snap
 * length and access mode asked for, and meet the lowering contract.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "fuzz_check.h"

#define MAX_OPTIONS 8

/* The filters compiled, chosen by the number of options. */
static const char *const expressions[] = {
	"ip and tcp port 80",
	"vlan and udp",
	"ip[2:2] > 576 or ip6",
	"inbound",
	"ifindex 1",
};
static const char *const cbpf_texts[] = {
	"4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0",
	"3\n48 0 0 4294963200\n21 0 1 6\n6 0 0 65535\n6 0 0 0",
	"2,177 0 0 14,6 0 0 1",
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* What a successful pcapf_opts__parse(option) must have done to opts. */
static void check_option(const char *option, const struct pcapf_opts *before,
			 const struct pcapf_opts *after)
{
	const char *val = strchr(option, '=');
	struct pcapf_opts expect = *before;

	if (!val)
		fuzz_fail(NULL, "accepted option '%s' without a value", option);
	val++;
	if (!strncmp(option, "linktype=", 9))
		expect.linktype = val;
	else if (!strncmp(option, "snaplen=", 8))
		expect.snaplen = after->snaplen;
	else if (!strncmp(option, "access=", 7))
		expect.access = after->access;
	else if (!strncmp(option, "skb_linear=", 11))
		expect.skb_linear = after->skb_linear;
	else if (!strncmp(option, "protochain_depth=", 17))
		expect.protochain_depth = after->protochain_depth;
	else if (!strcmp(option, "input=cbpf") || !strcmp(option, "input=expr"))
		expect.cbpf = !strcmp(val, "cbpf");
	else
		fuzz_fail(NULL, "accepted unknown option '%s'", option);
	if (memcmp(&expect, after, sizeof(expect)))
		fuzz_fail(NULL, "option '%s' changed another field", option);
	if (after->snaplen > PCAPF_DEFAULT_SNAPLEN || after->skb_linear > 0xffff ||
	    (!strncmp(option, "snaplen=", 8) && !after->snaplen) ||
	    (!strncmp(option, "skb_linear=", 11) && !after->skb_linear) ||
	    (!strncmp(option, "protochain_depth=", 17) &&
	     (!after->protochain_depth ||
	      (after->protochain_depth > PCAPF_MAX_PROTOCHAIN_DEPTH &&
	       after->protochain_depth != PCAPF_PROTOCHAIN_OFF))))
		fuzz_fail(NULL, "option '%s' set a value out of range", option);
	if ((!strncmp(option, "snaplen=", 8) || !strncmp(option, "skb_linear=", 11)) &&
	    strspn(val, "0123456789") == strlen(val) &&
	    strtoull(val, NULL, 10) !=
		    (option[1] == 'n' ? after->snaplen : after->skb_linear))
		fuzz_fail(NULL, "option '%s' read the digits as other than decimal",
			  option);
	if (!strncmp(option, "access=", 7) &&
	    strcmp(pcapf_access_name(after->access), val))
		fuzz_fail(NULL, "option '%s' set access=%s", option,
			  pcapf_access_name(after->access));
}

/* The program carries what the options asked for. */
static void check_program(const struct pcapf_prog *prog,
			  const struct pcapf_opts *opts)
{
	enum pcapf_access access = opts->access ? opts->access : PCAPF_ACCESS_DIRECT;
	uint32_t snaplen = opts->snaplen ? opts->snaplen : PCAPF_DEFAULT_SNAPLEN;
	int linktype = DLT_EN10MB;

	if (opts->linktype) {
		linktype = pcap_datalink_name_to_val(opts->linktype);
		if (linktype < 0) /* a DLT number, in decimal */
			linktype = (int)strtol(opts->linktype, NULL, 10);
	}
	fuzz_check_prog(prog);
	if (pcapf_prog__access(prog) != access || pcapf_prog__snaplen(prog) != snaplen ||
	    pcapf_prog__linktype(prog) != linktype ||
	    pcapf_prog__skb_linear(prog) != opts->skb_linear)
		fuzz_fail(prog, "the program does not carry its options");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *options[MAX_OPTIONS], errbuf[PCAPF_ERRBUF_SIZE];
	size_t n = 0;
	PCAPF_OPTS(opts);
	struct pcapf_prog *prog;
	const char *filter;

	memcpy(text, data, size);
	text[size] = '\0';
	for (char *line = text; line && n < MAX_OPTIONS; n++) {
		options[n] = line;
		line = strchr(line, '\n');
		if (line)
			*line++ = '\0';
	}
	for (size_t i = 0; i < n; i++) {
		struct pcapf_opts before = opts;

		memset(errbuf, 'x', sizeof(errbuf));
		if (!pcapf_opts__parse(&opts, options[i], errbuf)) {
			check_option(options[i], &before, &opts);
			continue;
		}
		fuzz_check_error(errbuf, "pcapf_opts__parse()");
		if (memcmp(&before, &opts, sizeof(opts)))
			fuzz_fail(NULL, "refused option '%s' changed the options",
				  options[i]);
	}
	filter = opts.cbpf ? cbpf_texts[n % COUNT(cbpf_texts)]
			   : expressions[n % COUNT(expressions)];
	memset(errbuf, 'x', sizeof(errbuf));
	prog = pcapf_prog__compile(filter, &opts, errbuf);
	if (prog)
		check_program(prog, &opts);
	else
		fuzz_check_error(errbuf, "pcapf_prog__compile()");
	pcapf_prog__free(prog);
	free(text);
	return 0;
}
