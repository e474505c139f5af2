/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * extensions.c: the Linux cBPF extensions (SKF_AD_*), one table for every
 * stage and back end.
 *
 * libpcap emits `ld [SKF_AD_OFF + n]` for `inbound`, `outbound`, `ifindex`
 * and the vlan keywords; hand-written classic BPF may use any of them. The
 * kernel's cBPF gives each a meaning from the sk_buff (net/core/filter.c,
 * convert_bpf_extensions()); an eBPF program with a struct __sk_buff context
 * can read the same from __sk_buff fields or helpers. This table says, per
 * extension, the keyword users know (for errors: a user who wrote `inbound`
 * reads "inbound", not "SKF_AD_PKTTYPE"), where skb access reads it, and
 * which registers the kernel reads for it (so the analysis sees those
 * reads). validate.c, analyze.c, the IR lowering and the eBPF back end all
 * read it here, and none of them knows it again.
 */
#include <stddef.h>

#include <linux/bpf.h>
#include <linux/filter.h>

#include "internal.h"

#define FIELD(f) PCAPF_EXT_FIELD, offsetof(struct __sk_buff, f), 0
#define NET16(f) PCAPF_EXT_FIELD_NET16, offsetof(struct __sk_buff, f), 0
#define HELPER(h) PCAPF_EXT_HELPER, 0, BPF_FUNC_##h
#define NONE PCAPF_EXT_NONE, 0, 0
#define A_X (PCAPF_EXT_READS_A | PCAPF_EXT_READS_X)

static const struct pcapf_ext extensions[PCAPF_SKF_AD_MAX] = {
	[SKF_AD_PROTOCOL] = {"proto (SKF_AD_PROTOCOL)", NET16(protocol), 0},
	[SKF_AD_PKTTYPE] = {"inbound/outbound (SKF_AD_PKTTYPE)", FIELD(pkt_type), 0},
	[SKF_AD_IFINDEX] = {"ifindex (SKF_AD_IFINDEX)", FIELD(ifindex), 0},
	/* nlattr and nlattr_nest look up attribute X at offset A. */
	[SKF_AD_NLATTR] = {"nlattr (SKF_AD_NLATTR)", NONE, A_X},
	[SKF_AD_NLATTR_NEST] = {"nlattr_nest (SKF_AD_NLATTR_NEST)", NONE, A_X},
	[SKF_AD_MARK] = {"mark (SKF_AD_MARK)", FIELD(mark), 0},
	[SKF_AD_QUEUE] = {"queue (SKF_AD_QUEUE)", FIELD(queue_mapping), 0},
	[SKF_AD_HATYPE] = {"hatype (SKF_AD_HATYPE)", NONE, 0},
	[SKF_AD_RXHASH] = {"rxhash (SKF_AD_RXHASH)", FIELD(hash), 0},
	[SKF_AD_CPU] = {"cpu (SKF_AD_CPU)", HELPER(get_smp_processor_id), 0},
	[SKF_AD_ALU_XOR_X] = {"alu_xor_x (SKF_AD_ALU_XOR_X)", PCAPF_EXT_XOR_X, 0, 0, A_X},
	[SKF_AD_VLAN_TAG] = {"vlan tag (SKF_AD_VLAN_TAG)", FIELD(vlan_tci), 0},
	[SKF_AD_VLAN_TAG_PRESENT] = {"vlan tag present (SKF_AD_VLAN_TAG_PRESENT)",
				     FIELD(vlan_present), 0},
	[SKF_AD_PAY_OFFSET] = {"payload offset (SKF_AD_PAY_OFFSET)", NONE, 0},
	[SKF_AD_RANDOM] = {"random (SKF_AD_RANDOM)", HELPER(get_prandom_u32), 0},
	[SKF_AD_VLAN_TPID] = {"vlan tpid (SKF_AD_VLAN_TPID)", NET16(vlan_proto), 0},
};

_Static_assert(SKF_AD_MAX <= PCAPF_SKF_AD_MAX, "SKF_AD numbers");
_Static_assert(SKF_AD_OFF == -(int)(0u - PCAPF_SKF_AD_OFF), "SKF_AD_OFF");

const struct pcapf_ext *pcapf_ext_find(uint32_t k)
{
	uint32_t n = k - PCAPF_SKF_AD_OFF;

	if (!PCAPF_IS_ANCILLARY_K(k) || !extensions[n].name)
		return NULL;
	return &extensions[n];
}
