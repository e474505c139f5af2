/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What host_stubs.c (compiled with the plugin) exports to the runner
 * host_bench.c: per filter of filters.def, host_<id>() (the stub on one
 * packet) and loop_<id>() (passes over n packets, the stub inlined), and
 * host_empty(), a function of host_<id>'s type that reads nothing.
 */
#ifndef HOST_STUBS_H
#define HOST_STUBS_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_FILTER(id, expr)                                        \
	uint32_t host_##id(const unsigned char *p, unsigned long n);  \
	uint32_t loop_##id(const unsigned char *const *data,          \
			   const uint32_t *len, size_t n, int passes);
#include "filters.def"
#undef BENCH_FILTER

uint32_t host_empty(const unsigned char *p, unsigned long n);

#endif /* HOST_STUBS_H */
