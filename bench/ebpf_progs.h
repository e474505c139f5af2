/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ebpf_progs: the benchmark's programs for the run-time eBPF back end
 * (pcapf_prog__emit_ebpf() of libpcapf), assembled around its output and
 * loaded with bpf_prog_load(), the counterparts of the programs
 * bench_progs.h builds around the plugin's and the hand-written filters:
 *
 *   check_fd   an XDP program that calls the PCAPF_EBPF_SUBPROG body once as
 *              a BPF-to-BPF subprogram (check_<id>);
 *   whole_fd   the PCAPF_EBPF_XDP program as the back end emits it: the
 *              filter inlined, no call (icheck_<id>);
 *   loop_fd    BENCH_CALLS calls of the subprogram (loop_<id>);
 *   iloop_fd   BENCH_CALLS copies of the subprogram body inlined, each exit
 *              a jump past its copy (iloop_<id>).
 *
 * The loops keep data, data_end and the sum in r6-r8 and copy the packet
 * pointers into r1/r2 before each filter run, as clang does for the C loops
 * (whose empty asm forces that copy).
 */
#ifndef EBPF_PROGS_H
#define EBPF_PROGS_H

#include <stdbool.h>
#include <stddef.h>

struct ebpf_progs {
	int check_fd, whole_fd, loop_fd, iloop_fd;
	size_t body_insns;  /* the PCAPF_EBPF_SUBPROG body */
	size_t whole_insns; /* the PCAPF_EBPF_XDP program */
	/* The XDP program is the two context loads and the subprogram body
	 * unchanged: what iloop_fd times is exactly its filter code. */
	bool whole_is_body;
};

/* Compile expr (Ethernet, direct access, default snap length) with
 * libpcapf, or take the benchmark's empty filter (`w0 = 0`) if expr is
 * NULL, and load its four programs. Exits with status 2 and a message on
 * any failure, as the runner does for an object the kernel rejects. */
void ebpf_progs_load(struct ebpf_progs *p, const char *expr);
void ebpf_progs_close(struct ebpf_progs *p);

#endif /* EBPF_PROGS_H */
