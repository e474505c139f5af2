/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostfence: a generated filter called on a copy of the packet that ends
 * where an inaccessible page begins (the fence), so that a read past its
 * end faults, in any build: AddressSanitizer cannot see those reads, as
 * the bodies the plugin generates are not instrumented. The fault is
 * caught and reported to the caller. difftest --host uses it in-process;
 * crossrun (--host --target) on the other machine. One fence a process.
 */
#ifndef HOSTFENCE_H
#define HOSTFENCE_H

#include <stddef.h>
#include <stdint.h>

/* call_fN of the generated stubs: the filter on n bytes at p. */
typedef uint32_t host_filter_fn(const unsigned char *p, unsigned long n);

/* Room for packets of up to longest bytes, then the inaccessible page, and
 * the handler that catches a read of it. Returns 0, or -1 with errno. */
int hostfence_map(size_t longest);
void hostfence_unmap(void);

/* fn on a copy of the len bytes at pkt that ends at the fence. Returns 0
 * with the verdict in *got, or -1 if fn read past the end of the copy. */
int hostfence_call(host_filter_fn *fn, const unsigned char *pkt, size_t len,
		   uint32_t *got);

#endif /* HOSTFENCE_H */
