/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcapf_main.c: the pcapf command, to see what a filter becomes.
 *
 *   pcapf [-d | -dd | -ddd | --stats] [-y LINKTYPE] [-s SNAPLEN]
 *         [-o OPTION]... [-F FILE | EXPRESSION...]
 *
 * By default it prints the analysed program (dump.c): libpcap's cBPF with
 * the guards, reject points and initialisation the translation adds. It
 * follows tcpdump's conventions so that what a user knows carries over: the
 * expression may span several arguments (joined with spaces), -d/-dd/-ddd
 * print the cBPF exactly as tcpdump does (libpcap's bpf_dump()), -y and -s
 * set the link type and snap length, -F reads the expression from a file.
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

#define EXIT_FILTER 1
#define EXIT_USAGE 2

static const char usage_text[] =
	"usage: pcapf [-d | -dd | -ddd | --stats] [-y LINKTYPE] [-s SNAPLEN]\n"
	"             [-o OPTION]... [-F FILE | EXPRESSION...]\n"
	"Compile a tcpdump filter expression with libpcap, as pcapfilter's\n"
	"Clang plugin does, and print the analysed program: the cBPF with the\n"
	"packet guards, reject points and initialisation the translation adds.\n"
	"  -d            print the cBPF as tcpdump -d does (readable)\n"
	"  -dd           ... as tcpdump -dd does (a C array)\n"
	"  -ddd          ... as tcpdump -ddd does (decimal numbers)\n"
	"  --stats       print the analysis counts\n"
	"  -y LINKTYPE   libpcap link-type name or DLT number (default EN10MB)\n"
	"  -s SNAPLEN    snap length, 0..262144; 0 means 262144 (the default)\n"
	"  -o OPTION     a translator option, as in __pcap_filter():\n"
	"                access=direct|skb|skb_load_bytes|probe,\n"
	"                input=cbpf (the expression is classic BPF as numbers,\n"
	"                tcpdump -ddd or xt_bpf style), input=expr,\n"
	"                skb_linear=N, linktype=NAME, snaplen=N\n"
	"  -F FILE       read the expression from FILE ('#' starts a comment)\n"
	"  -h, --help    print this help\n"
	"  --version     print the versions of pcapf and libpcap\n"
	"Exit status: 0 success, 1 the filter does not compile or translate,\n"
	"2 usage error.\n";

static void print_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void print_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pcapf: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

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
		print_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < 4096) {
			char *t = realloc(s, cap = cap * 2 + 4096);

			if (!t) {
				print_error("%s: out of memory", path);
				goto fail;
			}
			s = t;
		}
		got = fread(s + len, 1, cap - len - 1, f);
		len += got;
	} while (got);
	if (ferror(f)) {
		print_error("%s: %s", path, strerror(errno));
		goto fail;
	}
	fclose(f);
	s[len] = 0;
	if (strlen(s) != len) {
		print_error("%s: a NUL byte in the filter file", path);
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

static void print_stats(const struct pcapf_prog *prog)
{
	struct pcapf_prog_stats s;
	size_t cnt;

	pcapf_prog__insns(prog, &cnt);
	pcapf_prog__stats(prog, &s);
	printf("insns %zu reachable %zu loads %zu guards_len %zu "
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

enum { OPT_STATS = 256, OPT_VERSION };

static const struct option long_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{"stats", no_argument, NULL, OPT_STATS},
	{NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
	char errbuf[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(opts);
	/* Option strings opts points into (-y, -s); -o's are in argv. */
	char *linktype_opt = NULL, *snaplen_opt = NULL;
	const char *file = NULL;
	char *expr = NULL;
	struct pcapf_prog *prog = NULL;
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
			free(linktype_opt);
			linktype_opt = option_string("linktype", optarg);
			if (!linktype_opt) {
				print_error("out of memory");
				goto out;
			}
			if (pcapf_opts__parse(&opts, linktype_opt, errbuf)) {
				status = usage_error("%s", errbuf);
				goto out;
			}
			break;
		case 's':
			free(snaplen_opt);
			snaplen_opt = NULL;
			if (set_snaplen(&opts, &snaplen_opt, optarg, errbuf)) {
				status = usage_error("%s", errbuf);
				goto out;
			}
			break;
		case 'o':
			if (pcapf_opts__parse(&opts, optarg, errbuf)) {
				status = usage_error("%s", errbuf);
				goto out;
			}
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
	if (dflag && stats) {
		status = usage_error("%s", "-d and --stats are different "
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
			print_error("out of memory");
		goto out;
	}
	prog = pcapf_prog__compile(expr, &opts, errbuf);
	if (!prog) {
		print_error("%s", errbuf);
		goto out;
	}
	/* tcpdump refuses such a filter; the plugin compiles it to
	 * `return 0` with a warning, and so does pcapf. */
	if (pcapf_prog__rejects_all(prog))
		print_error("warning: expression rejects all packets");
	if (dflag)
		print_cbpf(prog, dflag);
	else if (stats)
		print_stats(prog);
	else
		pcapf_prog__dump(prog, stdout);
	if (fflush(stdout) || ferror(stdout)) {
		print_error("write error: %s", strerror(errno));
		goto out;
	}
	status = 0;
out:
	pcapf_prog__free(prog);
	free(expr);
	free(linktype_opt);
	free(snaplen_opt);
	return status;
}
