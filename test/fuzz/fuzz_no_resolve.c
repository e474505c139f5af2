/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_no_resolve.c: host names in fuzzed expressions are not looked up.
 *
 * libpcap resolves `host NAME` with getaddrinfo() while it compiles: on a
 * fuzzer's random names that is a DNS query each, slow, and its answer
 * depends on the network. This definition takes the place of libc's for
 * libpcap: numeric addresses (AI_NUMERICHOST, as libpcap parses IPv6
 * literals) go to libc's, any other name is unknown, as it would be on a
 * machine without a resolver.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netdb.h>
#include <stddef.h>

int getaddrinfo(const char *node, const char *service,
		const struct addrinfo *hints, struct addrinfo **res)
{
	typedef int real_fn(const char *, const char *, const struct addrinfo *,
			    struct addrinfo **);
	static real_fn *real;

	if (!node || !hints || !(hints->ai_flags & AI_NUMERICHOST))
		return EAI_NONAME;
	if (!real)
		real = (real_fn *)dlsym(RTLD_NEXT, "getaddrinfo");
	return real(node, service, hints, res);
}
