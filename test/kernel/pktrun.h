/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pktrun: packets in, verdicts out. The support code shared by the kernel
 * differential test (difftest), the example runner (run-example) and the
 * benchmarks:
 *
 *   - read every packet of a pcap or pcapng file into memory (pktrun.c);
 *   - compute libpcap's reference verdict for a filter expression (pktrun.c);
 *   - run a loaded XDP or TC program on one packet with BPF_PROG_TEST_RUN
 *     and say why when the kernel does not run it on the whole packet
 *     (pktrun_bpf.c).
 *
 * <pcap/bpf.h> and <linux/bpf.h> both define struct bpf_insn, so no file
 * can include both: this header uses neither, the libpcap side and the
 * kernel side are separate files, and callers include libbpf freely.
 */
#ifndef PKTRUN_H
#define PKTRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* libpcap's PCAP_ERRBUF_SIZE, and the link type the kernel tests use. */
#define PKTRUN_ERRBUF_SIZE 256
#define PKTRUN_DLT_EN10MB 1
#define PKTRUN_DEFAULT_SNAPLEN 262144u

struct pktrun_packet {
	uint8_t *data;
	uint32_t caplen;  /* bytes captured: all a kernel program can see */
	uint32_t wirelen; /* length on the wire, from the capture header */
};

struct pktrun_capture {
	char *path;
	int linktype; /* DLT_* of the file (of its first interface for pcapng) */
	size_t count;
	struct pktrun_packet *pkts;
};

/* Read every packet of path. Returns 0, or -1 with a message in errbuf
 * (PKTRUN_ERRBUF_SIZE bytes). */
int pktrun_capture_read(struct pktrun_capture *cap, const char *path,
			char *errbuf);
void pktrun_capture_free(struct pktrun_capture *cap);

/* libpcap's name for a DLT ("EN10MB"), or "?" */
const char *pktrun_linktype_name(int linktype);
/* The DLT libpcap gives a link-type name ("ARCNET_LINUX": 129), or -1. */
int pktrun_linktype_val(const char *name);

/* A filter as libpcap compiled it: the reference. */
struct pktrun_ref;

/* Compile expr as libpcap does for a pcapfilter stub: pcap_open_dead(linktype,
 * snaplen), optimiser on, netmask unknown. Returns NULL with libpcap's
 * message in errbuf (PKTRUN_ERRBUF_SIZE bytes) if libpcap rejects it. A
 * filter the optimiser proves matches nothing ("expression rejects all
 * packets") is a reject-all: its verdict is 0 for every packet. */
struct pktrun_ref *pktrun_ref_compile(const char *expr, int linktype,
				      uint32_t snaplen, char *errbuf);
void pktrun_ref_free(struct pktrun_ref *ref);

/* A reference that runs n cBPF instructions, given in struct bpf_insn's
 * layout (libpcapf's pcapf_cbpf_insn has it), through the same interpreter:
 * libpcap's bpf_filter() on a program of the translator's, e.g. protochain
 * unrolled to its bound. */
struct pktrun_ref *pktrun_ref_from_insns(const void *insns, size_t n);

/* Does the reference read Linux ancillary data: an LD ABS at k >=
 * 0xfffff000 (SKF_AD_OFF + SKF_AD_*, as libpcap emits for inbound,
 * outbound, ifindex)? libpcap offline reads it as 0; in the kernel it is
 * skb metadata. */
bool pktrun_ref_reads_ancillary(const struct pktrun_ref *ref);

/* libpcap's verdict (pcap_offline_filter) on pkt: the snap length on a match,
 * 0 otherwise. */
uint32_t pktrun_ref_verdict(const struct pktrun_ref *ref,
			    const struct pktrun_packet *pkt);

/* Does the reference loop: a backward jump, as libpcap emits for
 * protochain? libpcap 1.10.3 sets X to an AH's length instead of adding it,
 * so on some crafted AH chains pcap_offline_filter() never returns. */
bool pktrun_ref_loops(const struct pktrun_ref *ref);

/* libpcap's verdicts on pkts[0..n), guarded: for a reference that loops,
 * libpcap itself runs in a forked child under a CPU-time limit per packet
 * (PKTRUN_REF_CPU_MS; a packet that stops takes microseconds), else as
 * pktrun_ref_verdict(). stopped[k] is false where libpcap did not stop in
 * time (verdicts[k] is then not set). Returns how many did not stop. */
#define PKTRUN_REF_CPU_MS 200
size_t pktrun_ref_verdicts_guarded(const struct pktrun_ref *ref,
				   const struct pktrun_packet *pkts, size_t n,
				   uint32_t *verdicts, bool *stopped);

/* The program types a pcapfilter stub is tested under. */
enum pktrun_hook {
	PKTRUN_XDP, /* BPF_PROG_TYPE_XDP */
	PKTRUN_TC,  /* BPF_PROG_TYPE_SCHED_CLS, an skb program type */
};

enum pktrun_status {
	PKTRUN_OK,	   /* ran on the whole packet; retval is valid */
	PKTRUN_SKIP_SHORT, /* refused: fewer than 14 bytes */
	PKTRUN_SKIP_LONG,  /* refused: over the test-run size limit */
	PKTRUN_SKIP_L3,	   /* refused (skb): IPv4/IPv6 header cut short */
	PKTRUN_SKIP_FRAGS, /* ran, but XDP saw only the linear part */
	PKTRUN_SKIP_OTHER, /* refused for none of the reasons above */
};

struct pktrun_result {
	enum pktrun_status status;
	uint32_t retval; /* the return value, if the program ran */
	uint32_t seen;	 /* XDP: bytes it could read (its linear part) */
	int err;	 /* errno of a refused run */
};

/* Run prog_fd once (repeat 1) on pkt. The status comes from what the kernel
 * did: a refusal is detected from the syscall's error and only then
 * explained from the packet's size and shape. Returns the status. */
enum pktrun_status pktrun_run(int prog_fd, enum pktrun_hook hook,
			      const struct pktrun_packet *pkt,
			      struct pktrun_result *res);

/* What a status means, for reports ("refused: fewer than 14 bytes"). */
const char *pktrun_status_str(enum pktrun_status status);
const char *pktrun_hook_str(enum pktrun_hook hook);

/* Can this process load BPF programs and test-run them? Loads and runs a
 * two-instruction XDP and TC program. Returns 0, or a negative errno with
 * the reason in why. */
int pktrun_bpf_check(char *why, size_t whylen);

#endif /* PKTRUN_H */
