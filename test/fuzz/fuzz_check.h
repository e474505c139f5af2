/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_check.h: what every fuzz target checks of a program libpcapf built.
 *
 * fuzz_check_prog() holds an analysed program to the lowering contract of
 * include/pcapf.h, recomputed here from the cBPF alone rather than trusted:
 * a back end that follows the contract literally must then produce a filter
 * that reads no byte past the packet, returns what libpcap returns, and
 * reads no register or scratch word it did not initialise. A violation
 * prints the program and aborts, which libFuzzer reports as a crash.
 */
#ifndef PCAPF_FUZZ_CHECK_H
#define PCAPF_FUZZ_CHECK_H

#include "pcapf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Check prog against the contract; abort with a report on a violation. */
void fuzz_check_prog(const struct pcapf_prog *prog);

/* A failed call must leave a message: non-empty and terminated within
 * PCAPF_ERRBUF_SIZE. errbuf was filled with a non-zero byte beforehand. */
void fuzz_check_error(const char *errbuf, const char *call);

/* Print what went wrong and the program (as tcpdump -ddd lines and as
 * pcapf_prog__dump() shows it, if prog is not NULL), then abort. */
void fuzz_fail(const struct pcapf_prog *prog, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* The classic BPF of prog as tcpdump -ddd prints it, to stderr. */
void fuzz_print_cbpf(const struct pcapf_cbpf_insn *insns, size_t cnt);

#ifdef __cplusplus
}
#endif

#endif /* PCAPF_FUZZ_CHECK_H */
