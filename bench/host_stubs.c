/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host variant: every benchmark filter (filters.def) as a pcapfilter
 * stub compiled for the host with the plugin, as a user's host build
 * would, and an exported host_<id>(p, n) that runs it on the n bytes at p
 * (the form difftest --host calls), and loop_<id>(), `passes` passes of
 * the stub over n packets, the stub inlined into the loop, as where a
 * user's own loop calls it (the asm after each pass keeps the passes
 * apart). The stubs are always_inline: with two callers each, LLVM's
 * inliner would keep the larger ones (portrange, net and not port) out of
 * line, and the loop would time a call. pcapf-host-bench (host_bench.c) times both against libpcap's
 * bpf_filter() on the same program.
 *
 *   clang-19 -O2 -fplugin=libpcapfilter.so -I include -c host_stubs.c
 */
#include <stddef.h>
#include <stdint.h>

typedef uint32_t __u32;
#include <pcap_filter.h>

#include "host_stubs.h"

#define BENCH_FILTER(id, expr)                                            \
	static inline __attribute__((always_inline)) __u32                \
	stub_##id(void *data, void *data_end) __pcap_filter(expr);                                      \
	uint32_t host_##id(const unsigned char *p, unsigned long n)       \
	{                                                                 \
		return stub_##id((void *)p, (void *)(p + n));             \
	}                                                                 \
	uint32_t loop_##id(const unsigned char *const *data,              \
			   const uint32_t *len, size_t n, int passes)     \
	{                                                                 \
		uint32_t sum = 0;                                         \
		for (int r = 0; r < passes; r++) {                        \
			for (size_t i = 0; i < n; i++)                    \
				sum += stub_##id((void *)data[i],         \
						 (void *)(data[i] + len[i])); \
			__asm__ volatile("" : "+r"(sum) : : "memory");    \
		}                                                         \
		return sum;                                               \
	}
#include "filters.def"
#undef BENCH_FILTER

/* The call alone, for the runner's empty-call figure. */
uint32_t host_empty(const unsigned char *p, unsigned long n)
{
	(void)p;
	(void)n;
	return 0;
}
