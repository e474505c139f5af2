/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * pkttrace, the BPF side: a tracing program on the netif_receive_skb
 * tracepoint that sends an event for each received packet a filter chosen
 * at run time matches, in the style of pwru.
 *
 * The tracepoint fires at the top of __netif_receive_skb_core() on every
 * receive path (backlog, NAPI, GRO), after eth_type_trans() has set the
 * MAC header and before VLAN untagging (test/trace/README.md says why this
 * hook). The frame the filter sees runs from skb->head + skb->mac_header
 * to the end of the linear data, skb->data + skb->len - skb->data_len:
 * kernel addresses, so the stub has "access=probe" and reads them with
 * bpf_probe_read_kernel(). Paged data is outside that range, so a filter
 * reading past the linear part does not match.
 *
 * The stub is a run-time stub: pkttrace puts the expression from its
 * command line in before the object loads (pcapf_bpf.h).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
/* After vmlinux.h, which defines bool, true and false. */
#include <pcap_filter.h>

#include "pkttrace.h"

static __u32 match(void *data, void *data_end) __pcap_filter_runtime("access=probe");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pkttrace_config);
} pt_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} pt_events SEC(".maps");

/* Matching packets the ring buffer had no room for: pkttrace reports them. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} pt_lost SEC(".maps");

static __always_inline bool wanted(__u32 ifindex, __u32 netns_ino)
{
	__u32 zero = 0;
	struct pkttrace_config *cfg = bpf_map_lookup_elem(&pt_config, &zero);

	return cfg && (!cfg->ifindex ||
		       (ifindex == cfg->ifindex && netns_ino == cfg->netns_ino));
}

SEC("tp_btf/netif_receive_skb")
int BPF_PROG(pkttrace, struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	__u32 zero = 0;

	if (!dev || skb->mac_header == (__u16)~0U) /* no MAC header set */
		return 0;
	__u32 ifindex = dev->ifindex, netns_ino = dev->nd_net.net->ns.inum;
	if (!wanted(ifindex, netns_ino))
		return 0;

	void *data = skb->head + skb->mac_header;
	void *data_end = skb->data + (skb->len - skb->data_len);
	if (!match(data, data_end))
		return 0;

	struct pkttrace_event *e = bpf_ringbuf_reserve(&pt_events, sizeof(*e), 0);
	if (!e) {
		__u64 *lost = bpf_map_lookup_elem(&pt_lost, &zero);
		if (lost)
			__sync_fetch_and_add(lost, 1);
		return 0;
	}
	e->skb = (__u64)skb;
	e->ifindex = ifindex;
	e->netns_ino = netns_ino;
	e->len = ((void *)skb->data - data) + skb->len;
	e->linear = data_end - data;
	/* The copy's size must be provably bounded: keep the compiler from
	 * checking one register and passing another. */
	__u64 copy = e->linear < PKTTRACE_SNAP ? e->linear : PKTTRACE_SNAP;
	barrier_var(copy);
	e->copied = 0;
	if (copy <= PKTTRACE_SNAP && bpf_probe_read_kernel(e->frame, copy, data) == 0)
		e->copied = copy;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
