/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostfence: see hostfence.h. Plain POSIX, no libpcap: crossrun builds it
 * for another machine with only that machine's C library.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hostfence.h"

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t in_filter;
static unsigned char *fence; /* packet copies end at fence + fence_len, */
static size_t fence_len, page; /* where the inaccessible page begins */

/* A read of the guard page inside a filter: back to hostfence_call. Any
 * other fault: the default action. */
static void on_fault(int sig, siginfo_t *info, void *uctx)
{
	const unsigned char *addr = info->si_addr, *guard = fence + fence_len;

	(void)uctx;
	if (in_filter && addr >= guard && addr < guard + page)
		siglongjmp(fault_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

int hostfence_map(size_t longest)
{
	struct sigaction sa = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER};

	page = (size_t)sysconf(_SC_PAGESIZE);
	fence_len = (longest + page - 1) / page * page;
	if (!fence_len)
		fence_len = page;
	fence = mmap(NULL, fence_len + page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fence == MAP_FAILED) {
		fence = NULL;
		return -1;
	}
	if (mprotect(fence + fence_len, page, PROT_NONE) != 0)
		return -1;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGSEGV, &sa, NULL);
}

void hostfence_unmap(void)
{
	if (fence)
		munmap(fence, fence_len + page);
	fence = NULL;
}

int hostfence_call(host_filter_fn *fn, const unsigned char *pkt, size_t len,
		   uint32_t *got)
{
	unsigned char *copy = fence + fence_len - len;

	memcpy(copy, pkt, len);
	if (sigsetjmp(fault_jmp, 0)) {
		in_filter = 0;
		return -1;
	}
	in_filter = 1;
	*got = fn(copy, len);
	in_filter = 0;
	return 0;
}
