/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pktrun, the kernel side: BPF_PROG_TEST_RUN of XDP and TC programs, and
 * the explanation of the runs the kernel refuses. See pktrun.h.
 */
#include "pktrun.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/if_ether.h>

#include <bpf/bpf.h>

/*
 * Largest packet an skb test run (TC, socket filter) takes on Linux 6.18
 * x86-64: one page minus NET_SKB_PAD and struct skb_shared_info. Used only
 * to explain a refusal the kernel already made, never to predict one.
 */
#define PKTRUN_SKB_MAX 3712u

/* An skb test run of an Ethernet IPv4/IPv6 frame reads the L3 header. */
static int l3_cut_short(const struct pktrun_packet *pkt)
{
	unsigned int proto = (unsigned int)pkt->data[12] << 8 | pkt->data[13];

	if (proto == ETH_P_IP)
		return pkt->caplen < ETH_HLEN + 20;
	if (proto == ETH_P_IPV6)
		return pkt->caplen < ETH_HLEN + 40;
	return 0;
}

/* The kernel refused the run with err; say which of the known limits the
 * packet hits, or PKTRUN_SKIP_OTHER. */
static enum pktrun_status refusal(enum pktrun_hook hook,
				  const struct pktrun_packet *pkt, int err)
{
	if (err == EINVAL && pkt->caplen < ETH_HLEN)
		return PKTRUN_SKIP_SHORT;
	if (hook == PKTRUN_XDP) /* over one page plus 17 fragment pages */
		return err == ENOMEM ? PKTRUN_SKIP_LONG : PKTRUN_SKIP_OTHER;
	if (err != EINVAL)
		return PKTRUN_SKIP_OTHER;
	if (pkt->caplen > PKTRUN_SKB_MAX)
		return PKTRUN_SKIP_LONG;
	if (l3_cut_short(pkt))
		return PKTRUN_SKIP_L3;
	return PKTRUN_SKIP_OTHER;
}

enum pktrun_status pktrun_run(int prog_fd, enum pktrun_hook hook,
			      const struct pktrun_packet *pkt,
			      struct pktrun_result *res)
{
	/* XDP: pass a context to learn, from the context out, how many bytes
	 * the program could read (the linear part of a multi-buffer frame). */
	struct xdp_md ctx_in = {.data_end = pkt->caplen}, ctx_out = {0};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt->data,
		    .data_size_in = pkt->caplen, .repeat = 1);

	if (hook == PKTRUN_XDP) {
		opts.ctx_in = &ctx_in;
		opts.ctx_size_in = sizeof(ctx_in);
		opts.ctx_out = &ctx_out;
		opts.ctx_size_out = sizeof(ctx_out);
	}
	*res = (struct pktrun_result){0};
	if (bpf_prog_test_run_opts(prog_fd, &opts) != 0) {
		res->err = errno;
		res->status = refusal(hook, pkt, res->err);
		return res->status;
	}
	res->retval = opts.retval;
	res->status = PKTRUN_OK;
	if (hook == PKTRUN_XDP) {
		res->seen = ctx_out.data_end - ctx_out.data;
		if (res->seen < pkt->caplen)
			res->status = PKTRUN_SKIP_FRAGS;
	}
	return res->status;
}

const char *pktrun_status_str(enum pktrun_status status)
{
	switch (status) {
	case PKTRUN_OK:
		return "ran";
	case PKTRUN_SKIP_SHORT:
		return "refused: fewer than 14 bytes";
	case PKTRUN_SKIP_LONG:
		return "refused: longer than the test-run limit";
	case PKTRUN_SKIP_L3:
		return "refused: IPv4/IPv6 header cut short";
	case PKTRUN_SKIP_FRAGS:
		return "program saw only the linear part (rest in fragments)";
	case PKTRUN_SKIP_OTHER:
		break;
	}
	return "refused for an unexplained reason";
}

const char *pktrun_hook_str(enum pktrun_hook hook)
{
	return hook == PKTRUN_XDP ? "xdp" : "tc";
}

/* Load "return 2" as the hook's program type and run it on 14 zero bytes. */
static int check_hook(enum pktrun_hook hook, char *why, size_t whylen)
{
	static const struct bpf_insn ret2[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 2},
		{.code = BPF_JMP | BPF_EXIT},
	};
	enum bpf_prog_type type =
		hook == PKTRUN_XDP ? BPF_PROG_TYPE_XDP : BPF_PROG_TYPE_SCHED_CLS;
	struct pktrun_packet pkt = {.data = (uint8_t[ETH_HLEN]){0},
				    .caplen = ETH_HLEN, .wirelen = ETH_HLEN};
	struct pktrun_result res;

	int fd = bpf_prog_load(type, "pktrun_check", "GPL", ret2, 2, NULL);
	if (fd < 0) {
		int err = errno;
		snprintf(why, whylen, "cannot load a test program (%s): %s%s",
			 pktrun_hook_str(hook), strerror(err),
			 err == EPERM ? " (run as root, or with CAP_BPF, "
					"CAP_NET_ADMIN and CAP_PERFMON)"
				      : "");
		return -err;
	}
	pktrun_run(fd, hook, &pkt, &res);
	close(fd);
	if (res.status != PKTRUN_OK || res.retval != 2) {
		snprintf(why, whylen, "BPF_PROG_TEST_RUN of a %s program failed: %s",
			 pktrun_hook_str(hook),
			 res.err ? strerror(res.err) : "wrong return value");
		return res.err ? -res.err : -EIO;
	}
	return 0;
}

int pktrun_bpf_check(char *why, size_t whylen)
{
	int rc = check_hook(PKTRUN_XDP, why, whylen);

	return rc ? rc : check_hook(PKTRUN_TC, why, whylen);
}
