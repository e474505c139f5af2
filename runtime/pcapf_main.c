/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcapf_main.c: the pcapf command, to see what a filter becomes.
 *
 *   pcapf [-d | -dd | -ddd | --stats | --ebpf [--format=F] [--wrap=W]
 *         [--mcpu=N] [--big-endian]] [-y LINKTYPE] [-s SNAPLEN]
 *         [--access=MODE] [--option=OPTION]... [-o FILE]
 *         [-F FILE | EXPRESSION...]
 *   pcapf --plugin-path | --bpf-cflags [--clang=N|PATH]
 *
 * By default it prints the analysed program (dump.c): libpcap's cBPF with
 * the guards, reject points and initialisation the translation adds. It
 * follows tcpdump's conventions so that what a user knows carries over: the
 * expression may span several arguments (joined with spaces), -d/-dd/-ddd
 * print the cBPF exactly as tcpdump does (libpcap's bpf_dump()), -y and -s
 * set the link type and snap length, -F reads the expression from a file.
 * --ebpf prints what the run-time eBPF back end makes of it (ebpf.c): a
 * listing, a C array, or raw 8-byte instructions for loaders; with
 * --wrap=xdp|tc a whole program returning the filter's u32 result, the
 * form `pcapf --ebpf --format=raw --wrap=xdp -o FILE EXPR` that tests and
 * other tools build on.
 * --plugin-path and --bpf-cflags print how to load the plugin into a given
 * Clang, for Makefiles (pcapf_flags.c).
 * The man page (doc/pcapf.1) documents the same options; a lit test checks
 * that every option of --help is in it.
 *
 * Exit status: 0 success, 1 the filter does not compile or translate (or a
 * file cannot be read or written), 2 usage. Errors: "pcapf: message".
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "pcapf.h"
#include "pcapf_flags.h"

#define EXIT_FILTER 1
#define EXIT_USAGE 2

static const char usage_text[] =
	"usage: pcapf [-d | -dd | -ddd | --stats | --ebpf [--format=FORMAT]\n"
	"             [--wrap=WRAP] [--mcpu=N] [--big-endian]] [-y LINKTYPE]\n"
	"             [-s SNAPLEN] [--access=MODE] [--option=OPTION]... [-o FILE]\n"
	"             [-F FILE | EXPRESSION...]\n"
	"       pcapf --plugin-path | --bpf-cflags [--clang=N|PATH]\n"
	"Compile a tcpdump filter expression with libpcap, as pcapfilter's\n"
	"Clang plugin does, and print the analysed program: the cBPF with the\n"
	"packet guards, reject points and initialisation the translation adds.\n"
	"  -d            print the cBPF as tcpdump -d does (readable)\n"
	"  -dd           ... as tcpdump -dd does (a C array)\n"
	"  -ddd          ... as tcpdump -ddd does (decimal numbers)\n"
	"  --stats       print the analysis counts\n"
	"  --ebpf        print the eBPF the run-time back end emits\n"
	"  --format=FORMAT  with --ebpf: asm (default; as bpftool prints it),\n"
	"                c (an array of struct bpf_insn), raw (8-byte\n"
	"                instructions, little-endian unless --big-endian)\n"
	"  --wrap=WRAP   with --ebpf: subprog (default; r1 data, r2 data_end,\n"
	"                result in r0), xdp or tc (a whole program returning the\n"
	"                filter's u32 result), inline (the subprogram's registers,\n"
	"                no exit: the code goes on past its end, result in r0)\n"
	"  --mcpu=N      with --ebpf: instruction set v1..v4 (default v3)\n"
	"  --big-endian  with --ebpf: code for a big-endian machine (constants\n"
	"                in its byte order; --format=raw records big-endian)\n"
	"  -y LINKTYPE   libpcap link-type name or DLT number (default EN10MB)\n"
	"  -s SNAPLEN    snap length, 0..262144; 0 means 262144 (the default)\n"
	"  --access=MODE packet access: direct, skb, skb_load_bytes, probe\n"
	"  --option=OPTION  a translator option, as in __pcap_filter():\n"
	"                access=MODE, input=cbpf (the expression is classic BPF\n"
	"                as numbers, tcpdump -ddd or xt_bpf style), input=expr,\n"
	"                skb_linear=N, linktype=NAME, snaplen=N,\n"
	"                protochain_depth=N|off (default 100)\n"
	"  -o FILE       write the output to FILE instead of standard output\n"
	"  -F FILE       read the expression from FILE ('#' starts a comment)\n"
	"  --plugin-path print the plugin file to give clang's -fplugin=\n"
	"  --bpf-cflags  print the flags of a BPF compile with the plugin:\n"
	"                target, -O2 -g, the plugin, the include directories\n"
	"  --clang=N|PATH  with --plugin-path, --bpf-cflags: for Clang major N,\n"
	"                or the Clang at PATH (a name is looked up in PATH);\n"
	"                default: the newest Clang the plugin is built for\n"
	"  -h, --help    print this help\n"
	"  --version     print the versions of pcapf and libpcap\n"
	"Exit status: 0 success, 1 the filter does not compile or translate\n"
	"(or there is no plugin for that Clang), 2 usage error.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("pcapf: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'pcapf --help'.\n", stderr);
	return EXIT_USAGE;
}

/* The expression from the arguments, joined with spaces (tcpdump's
 * copy_argv()). */
static char *join_args(char **args, int n)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < n; i++)
		len += strlen(args[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = 0;
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, args[i]);
	}
	return s;
}

/* The expression from a file, '#' to the end of a line blanked out
 * (tcpdump's read_infile()). */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t len = 0, cap = 0, got;

	if (!f) {
		pcapf_cli_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < 4096) {
			char *t = realloc(s, cap = cap * 2 + 4096);

			if (!t) {
				pcapf_cli_error("%s: out of memory", path);
				goto fail;
			}
			s = t;
		}
		got = fread(s + len, 1, cap - len - 1, f);
		len += got;
	} while (got);
	if (ferror(f)) {
		pcapf_cli_error("%s: %s", path, strerror(errno));
		goto fail;
	}
	fclose(f);
	s[len] = 0;
	if (strlen(s) != len) {
		pcapf_cli_error("%s: a NUL byte in the filter file", path);
		free(s);
		return NULL;
	}
	for (size_t i = 0; i < len; i++)
		if (s[i] == '#')
			while (i < len && s[i] != '\n')
				s[i++] = ' ';
	return s;
fail:
	fclose(f);
	free(s);
	return NULL;
}

/* "key=value", malloc'ed: -y and -s become the options they stand for, and
 * opts keeps pointing into the string. */
static char *option_string(const char *key, const char *value)
{
	size_t len = strlen(key) + 1 + strlen(value) + 1;
	char *s = malloc(len);

	if (s)
		snprintf(s, len, "%s=%s", key, value);
	return s;
}

/* A short option that stands for "key=value" (-y, --access): parsed into
 * opts, the string kept in *owned (replacing an earlier one). 0, or the
 * exit status. */
static int set_option(struct pcapf_opts *opts, char **owned, const char *key,
		      const char *value)
{
	char errbuf[PCAPF_ERRBUF_SIZE];

	free(*owned);
	*owned = option_string(key, value);
	if (!*owned) {
		pcapf_cli_error("out of memory");
		return EXIT_FILTER;
	}
	if (pcapf_opts__parse(opts, *owned, errbuf))
		return usage_error("%s", errbuf);
	return 0;
}

/* -s as tcpdump means it: 0 is the default snap length. */
static int set_snaplen(struct pcapf_opts *opts, char **owned, const char *arg,
		       char *errbuf)
{
	if (arg[0] && strspn(arg, "0") == strlen(arg)) {
		opts->snaplen = 0;
		return 0;
	}
	*owned = option_string("snaplen", arg);
	if (!*owned || pcapf_opts__parse(opts, *owned, errbuf)) {
		snprintf(errbuf, PCAPF_ERRBUF_SIZE,
			 "invalid snap length '%s': expected a decimal number "
			 "0..%u", arg, PCAPF_DEFAULT_SNAPLEN);
		return -1;
	}
	return 0;
}

/* The program as tcpdump -d, -dd or -ddd prints it: libpcap's own
 * bpf_dump(), the function tcpdump calls. */
static void print_cbpf(const struct pcapf_prog *prog, int dflag)
{
	size_t cnt;
	const struct pcapf_cbpf_insn *insns = pcapf_prog__cbpf(prog, &cnt);
	/* The layouts match (compile.c asserts it); bpf_dump() only reads. */
	struct bpf_program bp = {
		.bf_len = (u_int)cnt,
		.bf_insns = (struct bpf_insn *)(uintptr_t)insns,
	};

	bpf_dump(&bp, dflag);
}

static void print_stats(FILE *out, const struct pcapf_prog *prog)
{
	struct pcapf_prog_stats s;
	size_t cnt;

	pcapf_prog__insns(prog, &cnt);
	pcapf_prog__stats(prog, &s);
	fprintf(out, "insns %zu reachable %zu loads %zu guards_len %zu "
		"guards_ind %zu guards_div %zu rejects %zu\n",
		cnt, s.reachable, s.loads, s.guards_len, s.guards_ind,
	       s.guards_div, s.rejects);
}

/* How to name the option getopt_long() stopped at: a short one by its
 * letter (it may sit in a cluster such as -dx), a long one as written. */
static const char *option_name(int opt, const char *arg)
{
	static char name[3];

	if (opt <= 0 || opt > 255)
		return arg;
	name[0] = '-';
	name[1] = (char)opt;
	return name;
}

enum {
	OPT_STATS = 256,
	OPT_VERSION,
	OPT_EBPF,
	OPT_FORMAT,
	OPT_WRAP,
	OPT_MCPU,
	OPT_BIG_ENDIAN,
	OPT_ACCESS,
	OPT_OPTION,
	OPT_PLUGIN_PATH,
	OPT_BPF_CFLAGS,
	OPT_CLANG,
};

static const struct option long_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{"stats", no_argument, NULL, OPT_STATS},
	{"ebpf", no_argument, NULL, OPT_EBPF},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"wrap", required_argument, NULL, OPT_WRAP},
	{"mcpu", required_argument, NULL, OPT_MCPU},
	{"big-endian", no_argument, NULL, OPT_BIG_ENDIAN},
	{"access", required_argument, NULL, OPT_ACCESS},
	{"option", required_argument, NULL, OPT_OPTION},
	{"output", required_argument, NULL, 'o'},
	{"plugin-path", no_argument, NULL, OPT_PLUGIN_PATH},
	{"bpf-cflags", no_argument, NULL, OPT_BPF_CFLAGS},
	{"clang", required_argument, NULL, OPT_CLANG},
	{NULL, 0, NULL, 0},
};

enum ebpf_format { FORMAT_ASM, FORMAT_C, FORMAT_RAW };

/* What --ebpf prints, from --format, --wrap, --mcpu and --big-endian. */
struct ebpf_output {
	bool on, big_endian;
	enum ebpf_format format;
	struct pcapf_ebpf_opts opts;
};

/* The index of name in names (n of them), or -1. */
static int lookup(const char *name, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

static int parse_ebpf_arg(struct ebpf_output *eo, int opt, const char *arg)
{
	static const char *const formats[] = {"asm", "c", "raw"};
	static const char *const wraps[] = {"subprog", "xdp", "tc", "inline"};
	static const char *const cpus[] = {"1", "2", "3", "4", "v1", "v2", "v3", "v4"};
	int i;

	switch (opt) {
	case OPT_FORMAT:
		if ((i = lookup(arg, formats, 3)) < 0)
			return usage_error("unknown --format '%s': expected asm, "
					   "c or raw", arg);
		eo->format = (enum ebpf_format)i;
		return 0;
	case OPT_WRAP:
		if ((i = lookup(arg, wraps, 4)) < 0)
			return usage_error("unknown --wrap '%s': expected "
					   "subprog, xdp, tc or inline", arg);
		eo->opts.wrap = (enum pcapf_ebpf_wrap)i;
		return 0;
	default: /* OPT_MCPU */
		if ((i = lookup(arg, cpus, 8)) < 0)
			return usage_error("unknown --mcpu '%s': expected 1..4 "
					   "(or v1..v4)", arg);
		eo->opts.cpu = (unsigned)(i % 4 + 1);
		return 0;
	}
}

/* insns as 8-byte struct bpf_insn of the given byte order. */
static void write_raw(FILE *out, const struct pcapf_ebpf_insn *insns,
		      size_t cnt, bool big_endian)
{
	for (size_t i = 0; i < cnt; i++) {
		const struct pcapf_ebpf_insn *in = &insns[i];
		uint16_t off = (uint16_t)in->off;
		uint32_t imm = (uint32_t)in->imm;
		unsigned char b[8] = {in->code};

		if (big_endian) {
			b[1] = (unsigned char)(in->dst_reg << 4 | in->src_reg);
			b[2] = off >> 8, b[3] = off & 0xff;
			for (int j = 0; j < 4; j++)
				b[4 + j] = (unsigned char)(imm >> (24 - 8 * j));
		} else {
			b[1] = (unsigned char)(in->src_reg << 4 | in->dst_reg);
			b[2] = off & 0xff, b[3] = off >> 8;
			for (int j = 0; j < 4; j++)
				b[4 + j] = (unsigned char)(imm >> (8 * j));
		}
		fwrite(b, 1, sizeof(b), out);
	}
}

static void write_c(FILE *out, const struct pcapf_ebpf_insn *insns, size_t cnt)
{
	fputs("/* struct bpf_insn of <linux/bpf.h> */\n"
	      "static const struct bpf_insn pcap_filter_insns[] = {\n", out);
	for (size_t i = 0; i < cnt; i++)
		fprintf(out,
			"\t{ .code = 0x%02x, .dst_reg = %u, .src_reg = %u, "
			".off = %d, .imm = %d },\n",
			insns[i].code, insns[i].dst_reg, insns[i].src_reg,
			insns[i].off, insns[i].imm);
	fputs("};\n", out);
}

/* --wrap=inline: the subprogram's registers, without its exits: the
 * parameters in r1 (and r2), the result left in r0, the filter's state in
 * r0 and r3-r5 (direct access) or r6-r9 (the modes that call helpers). */
static void set_inline_registers(struct pcapf_ebpf_opts *o,
				 enum pcapf_access access)
{
	static const uint8_t direct[4] = {0, 3, 4, 5}, helpers[4] = {6, 7, 8, 9};

	o->inline_in[0] = 1;
	o->inline_in[1] = 2;
	memcpy(o->inline_work, access == PCAPF_ACCESS_DIRECT ? direct : helpers,
	       sizeof(o->inline_work));
	o->inline_result = 0;
	o->inline_stack = 0;
}

/* The eBPF of prog, as eo asks; 0 or EXIT_FILTER with a message. */
static int print_ebpf(FILE *out, const struct pcapf_prog *prog,
		      const struct ebpf_output *eo)
{
	char errbuf[PCAPF_ERRBUF_SIZE];
	struct pcapf_ebpf_opts opts = eo->opts;
	struct pcapf_ebpf_insn *insns;
	size_t cnt;

	if (opts.wrap == PCAPF_EBPF_INLINE)
		set_inline_registers(&opts, pcapf_prog__access(prog));
	if (pcapf_prog__emit_ebpf(prog, &opts, &insns, &cnt, errbuf)) {
		pcapf_cli_error("%s", errbuf);
		return EXIT_FILTER;
	}
	if (eo->format == FORMAT_RAW)
		write_raw(out, insns, cnt, eo->big_endian);
	else if (eo->format == FORMAT_C)
		write_c(out, insns, cnt);
	else
		pcapf_ebpf__dump(insns, cnt, out);
	free(insns);
	return 0;
}

int main(int argc, char **argv)
{
	char errbuf[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(opts);
	/* Option strings opts points into (-y, -s, --access); --option's
	 * are in argv. */
	char *linktype_opt = NULL, *snaplen_opt = NULL, *access_opt = NULL;
	const char *file = NULL, *output = NULL, *clang = NULL;
	int clang_output = -1; /* enum pcapf_clang_output, or none */
	char *expr = NULL;
	struct pcapf_prog *prog = NULL;
	struct ebpf_output ebpf = {.opts.sz = sizeof(struct pcapf_ebpf_opts)};
	FILE *out = stdout;
	int c, dflag = 0, stats = 0, status = EXIT_FILTER;

	opterr = 0; /* our messages, with "pcapf:" whatever argv[0] is */
	while ((c = getopt_long(argc, argv, ":dhs:y:o:F:", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'd':
			dflag++;
			break;
		case OPT_STATS:
			stats = 1;
			break;
		case 'y':
			status = set_option(&opts, &linktype_opt, "linktype", optarg);
			if (status)
				goto out;
			status = EXIT_FILTER;
			break;
		case 's':
			free(snaplen_opt);
			snaplen_opt = NULL;
			if (set_snaplen(&opts, &snaplen_opt, optarg, errbuf)) {
				status = usage_error("%s", errbuf);
				goto out;
			}
			break;
		case OPT_ACCESS:
			status = set_option(&opts, &access_opt, "access", optarg);
			if (status)
				goto out;
			status = EXIT_FILTER;
			break;
		case OPT_OPTION:
			if (pcapf_opts__parse(&opts, optarg, errbuf)) {
				status = usage_error("%s", errbuf);
				goto out;
			}
			break;
		case OPT_EBPF:
			ebpf.on = true;
			break;
		case OPT_BIG_ENDIAN:
			ebpf.big_endian = true;
			ebpf.opts.byte_order = PCAPF_EBPF_BIG_ENDIAN;
			break;
		case OPT_FORMAT:
		case OPT_WRAP:
		case OPT_MCPU:
			status = parse_ebpf_arg(&ebpf, c, optarg);
			if (status)
				goto out;
			status = EXIT_FILTER;
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_PLUGIN_PATH:
			clang_output = PCAPF_PLUGIN_PATH;
			break;
		case OPT_BPF_CFLAGS:
			clang_output = PCAPF_BPF_CFLAGS;
			break;
		case OPT_CLANG:
			clang = optarg;
			break;
		case 'F':
			file = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			status = 0;
			goto out;
		case OPT_VERSION:
			printf("pcapf version %s\n%s\n", PCAPF_VERSION,
			       pcap_lib_version());
			status = 0;
			goto out;
		case ':':
			status = usage_error("option '%s' needs an argument",
					     option_name(optopt, argv[optind - 1]));
			goto out;
		default:
			status = usage_error("unknown option '%s'",
					     option_name(optopt, argv[optind - 1]));
			goto out;
		}
	}
	if (clang_output >= 0) {
		if (dflag || stats || ebpf.on || file || output || optind < argc)
			status = usage_error("%s", "--plugin-path and --bpf-cflags "
						   "take no expression and no other output");
		else
			status = pcapf_print_clang_flags(
				(enum pcapf_clang_output)clang_output, clang);
		goto out;
	}
	if (clang) {
		status = usage_error("%s", "--clang goes with --plugin-path or "
					   "--bpf-cflags");
		goto out;
	}
	if (!!dflag + stats + ebpf.on > 1) {
		status = usage_error("%s", "-d, --stats and --ebpf are different "
					   "outputs: give one");
		goto out;
	}
	if (file && optind < argc) {
		status = usage_error("%s", "the expression comes from -F FILE "
					   "or from the arguments, not both");
		goto out;
	}
	expr = file ? read_file(file) : join_args(argv + optind, argc - optind);
	if (!expr) {
		if (!file)
			pcapf_cli_error("out of memory");
		goto out;
	}
	prog = pcapf_prog__compile(expr, &opts, errbuf);
	if (!prog) {
		pcapf_cli_error("%s", errbuf);
		goto out;
	}
	/* tcpdump refuses such a filter; the plugin compiles it to
	 * `return 0` with a warning, and so does pcapf. */
	if (pcapf_prog__rejects_all(prog))
		pcapf_cli_error("warning: expression rejects all packets");
	/* -o: standard output becomes FILE (bpf_dump() prints to stdout). */
	if (output && !freopen(output, "w", stdout)) {
		pcapf_cli_error("%s: %s", output, strerror(errno));
		goto out;
	}
	if (ebpf.on) {
		if (print_ebpf(out, prog, &ebpf))
			goto out;
	} else if (dflag) {
		print_cbpf(prog, dflag);
	} else if (stats) {
		print_stats(out, prog);
	} else {
		pcapf_prog__dump(prog, out);
	}
	if (fflush(out) || ferror(out)) {
		pcapf_cli_error("write error: %s", strerror(errno));
		goto out;
	}
	status = 0;
out:
	free(access_opt);
	pcapf_prog__free(prog);
	free(expr);
	free(linktype_opt);
	free(snaplen_opt);
	return status;
}
