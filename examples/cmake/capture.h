/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture.h: reading a capture with libpcap (capture.c), apart from the
 * libbpf code because <pcap/pcap.h> and <linux/bpf.h> both define
 * struct bpf_insn.
 */
#ifndef CAPTURE_H
#define CAPTURE_H

#include <stddef.h>

/* Calls fn on every packet of path until it returns nonzero; the number of
 * packets it was called on, or -1 (fn's failure, or the file's, said). */
long capture_for_each(const char *path,
		      int (*fn)(const unsigned char *pkt, size_t len, void *arg),
		      void *arg);

/* Packets of path that libpcap's pcap_offline_filter() matches for expr,
 * or -1 with a message. */
long capture_count_matches(const char *path, const char *expr);

#endif
