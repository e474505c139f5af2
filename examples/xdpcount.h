/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xdpcount: the keys of the counter map that the XDP program
 * (xdpcount.bpf.c) writes and the runner (xdpcount.c) reads.
 */
#ifndef XDPCOUNT_H
#define XDPCOUNT_H

enum {
	XDPCOUNT_TOTAL,	  /* every packet the interface received */
	XDPCOUNT_MATCHED, /* those the filter matched */
	XDPCOUNT_NR,
};

#endif /* XDPCOUNT_H */
