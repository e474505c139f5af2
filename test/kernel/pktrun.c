/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pktrun, the libpcap side: packets from capture files and libpcap's
 * reference verdict. See pktrun.h.
 */
#include "pktrun.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pcap/pcap.h>

_Static_assert(PKTRUN_ERRBUF_SIZE == PCAP_ERRBUF_SIZE, "errbuf size");
_Static_assert(PKTRUN_DLT_EN10MB == DLT_EN10MB, "DLT_EN10MB");

struct pktrun_ref {
	struct bpf_program prog;
	bool rejects_all; /* libpcap's optimiser: "expression rejects all packets" */
};

int pktrun_capture_read(struct pktrun_capture *cap, const char *path,
			char *errbuf)
{
	struct pcap_pkthdr *hdr;
	const u_char *bytes;
	size_t cap_slots = 0;
	int rc;

	*cap = (struct pktrun_capture){0};
	pcap_t *p = pcap_open_offline(path, errbuf);
	if (!p)
		return -1;
	cap->path = strdup(path);
	if (!cap->path)
		abort();
	cap->linktype = pcap_datalink(p);
	while ((rc = pcap_next_ex(p, &hdr, &bytes)) == 1) {
		if (cap->count == cap_slots) {
			cap_slots = cap_slots ? 2 * cap_slots : 64;
			cap->pkts = realloc(cap->pkts, cap_slots * sizeof(*cap->pkts));
			if (!cap->pkts)
				abort();
		}
		struct pktrun_packet *pkt = &cap->pkts[cap->count++];
		pkt->caplen = hdr->caplen;
		pkt->wirelen = hdr->len;
		pkt->data = malloc(hdr->caplen ? hdr->caplen : 1);
		if (!pkt->data)
			abort();
		memcpy(pkt->data, bytes, hdr->caplen);
	}
	if (rc == -1)
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s: %s", path, pcap_geterr(p));
	pcap_close(p);
	if (rc == -1) {
		pktrun_capture_free(cap);
		return -1;
	}
	return 0;
}

void pktrun_capture_free(struct pktrun_capture *cap)
{
	for (size_t i = 0; i < cap->count; i++)
		free(cap->pkts[i].data);
	free(cap->pkts);
	free(cap->path);
	*cap = (struct pktrun_capture){0};
}

const char *pktrun_linktype_name(int linktype)
{
	const char *name = pcap_datalink_val_to_name(linktype);

	return name ? name : "?";
}

int pktrun_linktype_val(const char *name)
{
	return pcap_datalink_name_to_val(name);
}

struct pktrun_ref *pktrun_ref_compile(const char *expr, int linktype,
				      uint32_t snaplen, char *errbuf)
{
	struct pktrun_ref *ref = calloc(1, sizeof(*ref));
	pcap_t *p = pcap_open_dead(linktype, (int)snaplen);

	if (!ref || !p)
		abort();
	/*
	 * libpcap's optimiser refuses a filter it proves matches nothing; its
	 * run-time users (and pcapfilter) then filter with a reject-all, so
	 * that is the reference: 0 for every packet.
	 */
	if (pcap_compile(p, &ref->prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", pcap_geterr(p));
		ref->rejects_all = strstr(errbuf, "expression rejects all packets") != NULL;
		if (!ref->rejects_all) {
			free(ref);
			ref = NULL;
		}
	}
	pcap_close(p);
	return ref;
}

struct pktrun_ref *pktrun_ref_from_insns(const void *insns, size_t n)
{
	struct pktrun_ref *ref = calloc(1, sizeof(*ref));

	if (!ref || !(ref->prog.bf_insns = calloc(n, sizeof(struct bpf_insn))))
		abort();
	/* pcap_freecode() frees bf_insns with free(). */
	memcpy(ref->prog.bf_insns, insns, n * sizeof(struct bpf_insn));
	ref->prog.bf_len = (u_int)n;
	return ref;
}

void pktrun_ref_free(struct pktrun_ref *ref)
{
	if (ref && !ref->rejects_all)
		pcap_freecode(&ref->prog);
	free(ref);
}

bool pktrun_ref_reads_ancillary(const struct pktrun_ref *ref)
{
	for (u_int i = 0; !ref->rejects_all && i < ref->prog.bf_len; i++) {
		const struct bpf_insn *insn = &ref->prog.bf_insns[i];
		if (BPF_CLASS(insn->code) == BPF_LD && BPF_MODE(insn->code) == BPF_ABS &&
		    insn->k >= 0xfffff000u)
			return true;
	}
	return false;
}

uint32_t pktrun_ref_verdict(const struct pktrun_ref *ref,
			    const struct pktrun_packet *pkt)
{
	/*
	 * len = caplen on purpose: a kernel program sees only the captured
	 * bytes, and BPF_LEN (the `len`, `greater` and `less` primitives)
	 * reads the length of what it sees. With the wire length here, every
	 * truncated capture would disagree on those filters for no fault of
	 * the translation.
	 */
	struct pcap_pkthdr hdr = {.caplen = pkt->caplen, .len = pkt->caplen};

	if (ref->rejects_all)
		return 0;
	return (uint32_t)pcap_offline_filter(&ref->prog, &hdr, pkt->data);
}


bool pktrun_ref_loops(const struct pktrun_ref *ref)
{
	for (u_int i = 0; !ref->rejects_all && i < ref->prog.bf_len; i++) {
		const struct bpf_insn *insn = &ref->prog.bf_insns[i];
		if (insn->code == (BPF_JMP | BPF_JA) && insn->k >= 0x80000000u)
			return true;
	}
	return false;
}

/* One child for packets [from, n): each verdict written as it is known,
 * the CPU-time limit set again for each packet. Returns how many came back
 * before the child ended; the child ended by the limit if that is not n. */
static size_t verdicts_in_child(const struct pktrun_ref *ref,
				const struct pktrun_packet *pkts, size_t from,
				size_t n, uint32_t *verdicts)
{
	int fds[2], status;
	size_t done = from;
	pid_t pid;

	if (pipe(fds))
		abort();
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		/* CPU time, not wall-clock: on a loaded machine a packet that
		 * stops never looks like one that does not. SIGVTALRM's
		 * default action ends the child. */
		struct itimerval limit = {
			.it_value = {.tv_sec = PKTRUN_REF_CPU_MS / 1000,
				     .tv_usec = PKTRUN_REF_CPU_MS % 1000 * 1000},
		};

		close(fds[0]);
		signal(SIGVTALRM, SIG_DFL);
		for (size_t k = from; k < n; k++) {
			uint32_t v;

			if (setitimer(ITIMER_VIRTUAL, &limit, NULL))
				_exit(2);
			v = pktrun_ref_verdict(ref, &pkts[k]);
			if (write(fds[1], &v, sizeof(v)) != sizeof(v))
				_exit(2);
		}
		_exit(0);
	}
	close(fds[1]);
	while (done < n && read(fds[0], &verdicts[done], sizeof(*verdicts)) ==
				   sizeof(*verdicts))
		done++;
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		abort();
	if (done < n && !(WIFSIGNALED(status) && WTERMSIG(status) == SIGVTALRM))
		abort(); /* the child failed for another reason: a harness bug */
	return done;
}

size_t pktrun_ref_verdicts_guarded(const struct pktrun_ref *ref,
				   const struct pktrun_packet *pkts, size_t n,
				   uint32_t *verdicts, bool *stopped)
{
	size_t unstopped = 0;

	for (size_t k = 0; k < n; k++)
		stopped[k] = true;
	if (!pktrun_ref_loops(ref)) {
		for (size_t k = 0; k < n; k++)
			verdicts[k] = pktrun_ref_verdict(ref, &pkts[k]);
		return 0;
	}
	for (size_t k = 0; k < n;) {
		k = verdicts_in_child(ref, pkts, k, n, verdicts);
		if (k < n) {
			stopped[k++] = false;
			unstopped++;
		}
	}
	return unstopped;
}
