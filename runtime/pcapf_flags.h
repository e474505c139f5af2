/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcapf_flags.h: pcapf --plugin-path and --bpf-cflags (pcapf_flags.c), and
 * the CLI's error messages, for its main().
 */
#ifndef PCAPF_FLAGS_H
#define PCAPF_FLAGS_H

enum pcapf_clang_output {
	PCAPF_PLUGIN_PATH, /* the file -fplugin= names */
	PCAPF_BPF_CFLAGS,  /* every flag of a BPF compile with the plugin */
};

/* Prints what for clang (a major version, a path or a name in PATH; NULL:
 * the newest Clang the plugin is built for) on standard output. Returns
 * the exit status: 0, or 1 after a "pcapf: " message. */
int pcapf_print_clang_flags(enum pcapf_clang_output what, const char *clang);

/* "pcapf: " and the message, a line on standard error (pcapf_flags.c):
 * every message of the CLI. */
void pcapf_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
