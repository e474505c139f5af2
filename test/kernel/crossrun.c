/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * crossrun: difftest's runner on another machine (difftest --host
 * --target). difftest builds it for that machine, statically, with the
 * stubs (work/chunkN.o) and the table of their call_fN it writes
 * (work/crossrun_filters.c), and runs it there once, e.g. under qemu-user:
 * only the generated code has to run on the other machine, the plugin and
 * libpcap's reference stay on this one.
 *
 *   crossrun PACKETS VERDICTS
 *
 * PACKETS holds each packet as its length (4 bytes, most significant
 * first) and its bytes. VERDICTS gets, for each filter of the table in
 * order and each packet in order, one line: the stub's u32 verdict in
 * decimal, or "fault" when it read past the end of the packet (each call
 * gets a copy that ends at an inaccessible page: hostfence.h). Exit status
 * 0, or 1 with a message on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostfence.h"

/* work/crossrun_filters.c */
extern host_filter_fn *const crossrun_filters[];
extern const unsigned long crossrun_n_filters;

struct packet {
	unsigned char *data;
	size_t len;
};

static _Noreturn void die(const char *what, const char *path)
{
	fprintf(stderr, "crossrun: %s %s: %s\n", what, path, errno ? strerror(errno) : "truncated");
	exit(1);
}

/* Every packet of path; *longest the length of the longest. */
static struct packet *read_packets(const char *path, size_t *n, size_t *longest)
{
	FILE *f = fopen(path, "rb");
	struct packet *pkts = NULL;
	unsigned char len[4];

	if (!f)
		die("cannot open", path);
	*n = *longest = 0;
	while (fread(len, 1, 4, f) == 4) {
		struct packet p = {.len = (size_t)len[0] << 24 | (size_t)len[1] << 16 |
					  (size_t)len[2] << 8 | len[3]};
		p.data = malloc(p.len ? p.len : 1);
		pkts = realloc(pkts, (*n + 1) * sizeof(*pkts));
		errno = 0;
		if (!p.data || !pkts)
			die("out of memory reading", path);
		if (fread(p.data, 1, p.len, f) != p.len)
			die("cannot read", path);
		pkts[(*n)++] = p;
		if (p.len > *longest)
			*longest = p.len;
	}
	errno = 0;
	if (ferror(f) || !feof(f))
		die("cannot read", path);
	fclose(f);
	return pkts;
}

int main(int argc, char **argv)
{
	size_t n, longest;
	uint32_t got;

	if (argc != 3) {
		fputs("usage: crossrun PACKETS VERDICTS\n", stderr);
		return 1;
	}
	struct packet *pkts = read_packets(argv[1], &n, &longest);
	FILE *out = fopen(argv[2], "w");
	if (!out)
		die("cannot create", argv[2]);
	if (hostfence_map(longest) != 0)
		die("cannot map the packet fence for", argv[1]);
	for (unsigned long i = 0; i < crossrun_n_filters; i++) {
		for (size_t k = 0; k < n; k++) {
			if (hostfence_call(crossrun_filters[i], pkts[k].data, pkts[k].len, &got) == 0)
				fprintf(out, "%u\n", (unsigned)got);
			else
				fputs("fault\n", out);
		}
	}
	errno = 0;
	if (fclose(out) != 0)
		die("cannot write", argv[2]);
	return 0;
}
