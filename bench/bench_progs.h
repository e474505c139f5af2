/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The XDP programs each benchmark object (gen.bpf.c, hand.bpf.c) wraps
 * around its filters. A filter comes twice, as functions
 * __u32 fn(void *data, void *data_end) with the same body: noinline, a BPF
 * subprogram of its own, and always_inline. The programs around them are
 * the same in both objects:
 *
 *   check_<id>  calls the noinline filter once and returns its verdict: the
 *               runner compares it with libpcap's, counts the filter's
 *               instructions and reads the kernel's verified_insns;
 *   icheck_<id> the same with the filter inlined: the whole program is the
 *               filter's code as a loader that inlines it would load;
 *   loop_<id>   calls the noinline filter BENCH_CALLS times on the same
 *               packet, for timing;
 *   iloop_<id>  the same with the filter inlined BENCH_CALLS times;
 *   loop_empty, iloop_empty
 *               the same loops around a filter that reads nothing, timed
 *               to subtract the cost of the test run, the loop and the call.
 *
 * In the loops, the packet pointers and the running sum go through an
 * empty asm each iteration: the compiler must assume they changed, so it
 * can neither merge the filter calls nor hoist one out of the loop, and
 * keeps the sum in a register; the asm emits no instruction.
 */
#ifndef BENCH_PROGS_H
#define BENCH_PROGS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "bench.h"

#define BENCH_DATA(ctx) ((void *)(long)(ctx)->data)
#define BENCH_DATA_END(ctx) ((void *)(long)(ctx)->data_end)

#define BENCH_CHECK_PROG(name, fn)                                        \
	SEC("xdp") int name(struct xdp_md *ctx)                           \
	{                                                                 \
		return fn(BENCH_DATA(ctx), BENCH_DATA_END(ctx));          \
	}

#define BENCH_LOOP_PROG(name, fn)                                         \
	SEC("xdp") int name(struct xdp_md *ctx)                           \
	{                                                                 \
		void *data = BENCH_DATA(ctx), *data_end = BENCH_DATA_END(ctx); \
		__u32 acc = 0;                                            \
                                                                          \
		_Pragma("unroll") for (int i = 0; i < BENCH_CALLS; i++) { \
			void *d = data, *e = data_end;                    \
                                                                          \
			asm volatile("" : "+r"(d), "+r"(e), "+r"(acc));   \
			acc += fn(d, e);                                  \
		}                                                         \
		return acc;                                               \
	}

#ifdef BENCH_CHECK_ONLY
/* For compile_time.sh: the filters and their check_<id> only, an object like
 * a real program's, without the loops (64 copies of each filter). */
#define BENCH_PROGRAMS(id, call_fn, inline_fn) BENCH_CHECK_PROG(check_##id, call_fn)
#else
/* The programs of filter id: call_fn is its noinline function, inline_fn
 * its always_inline one. */
#define BENCH_PROGRAMS(id, call_fn, inline_fn)                            \
	BENCH_CHECK_PROG(check_##id, call_fn)                             \
	BENCH_CHECK_PROG(icheck_##id, inline_fn)                          \
	BENCH_LOOP_PROG(loop_##id, call_fn)                               \
	BENCH_LOOP_PROG(iloop_##id, inline_fn)

/* The baseline filter: takes the packet like a filter and returns 0 without
 * reading it; the asm keeps the arguments (and the call). */
#define BENCH_EMPTY_BODY                                                  \
	{                                                                 \
		__u32 verdict = 0;                                        \
                                                                          \
		asm volatile("" : "+r"(verdict) : "r"(data), "r"(data_end)); \
		return verdict;                                           \
	}

static __noinline __u32 bench_empty(void *data, void *data_end)
	BENCH_EMPTY_BODY
static __always_inline __u32 bench_empty_inline(void *data, void *data_end)
	BENCH_EMPTY_BODY

BENCH_LOOP_PROG(loop_empty, bench_empty)
BENCH_LOOP_PROG(iloop_empty, bench_empty_inline)
#endif

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#endif /* BENCH_PROGS_H */
