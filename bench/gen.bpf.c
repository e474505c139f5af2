/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The generated variant: two pcapfilter stubs per benchmark filter
 * (filters.def), gen_<id>() noinline and gen_inline_<id>() always_inline,
 * whose bodies the plugin writes at build time, and the programs of
 * bench_progs.h around them.
 *
 *   clang-19 -target bpf -O2 -g -fplugin=libpcapfilter.so -I include \
 *            -idirafter /usr/include/x86_64-linux-gnu -c gen.bpf.c
 */
#include <linux/bpf.h>
#include <pcap_filter.h>

#include "bench_progs.h"

#define BENCH_FILTER(id, expr)                                            \
	static __noinline __u32 gen_##id(void *data, void *data_end)      \
		__pcap_filter(expr);                                      \
	static __always_inline __u32 gen_inline_##id(void *data,          \
						     void *data_end)      \
		__pcap_filter(expr);                                      \
	BENCH_PROGRAMS(id, gen_##id, gen_inline_##id)
#include "filters.def"
#undef BENCH_FILTER
