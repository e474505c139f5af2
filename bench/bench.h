/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the benchmark's BPF objects (bench_progs.h) and its runner (bench.c)
 * must agree on.
 */
#ifndef BENCH_H
#define BENCH_H

/* Filter calls per run of a loop_* program. */
#define BENCH_CALLS 64

#endif /* BENCH_H */
