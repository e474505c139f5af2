/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * tracetest, the BPF side: probe-access pcapfilter stubs in tracing
 * programs, on the skbs a veth receives.
 *
 * Two programs on the same tracepoint, netif_receive_skb, which fires at
 * the top of __netif_receive_skb_core() on every receive path (the backlog
 * that veth's netif_rx() feeds, NAPI, GRO lists), after eth_type_trans()
 * has parsed the Ethernet header and before VLAN untagging:
 *
 *   tp_btf/netif_receive_skb  BPF_PROG_TYPE_TRACING: the skb is a BTF
 *                             pointer, its fields are read directly;
 *   raw_tp/netif_receive_skb  BPF_PROG_TYPE_RAW_TRACEPOINT: the skb is an
 *                             untyped u64, its fields are read with
 *                             BPF_CORE_READ (bpf_probe_read_kernel).
 *
 * (fentry on __netif_receive_skb would be the function-level equivalent,
 * for the backlog path only; see README.md for why the test does not use it.)
 *
 * For skbs of the test's veth only (config: ifindex and namespace), the
 * frame runs from skb->head + skb->mac_header to the end of the linear
 * data, skb->data + skb->len - skb->data_len: kernel addresses, which the
 * probe stubs read with bpf_probe_read_kernel(). Each event carries every
 * stub's result and a copy of those bytes, so the runner can ask libpcap
 * about exactly what the stubs saw.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
/* After vmlinux.h, which defines bool, true and false. */
#include <pcap_filter.h>

#include "tracetest.h"

#define TRACE_STUB(name, expr)                                          \
	static __noinline __u32 tt_##name(void *data, void *data_end)   \
		__pcap_filter(expr, "access=probe");
TRACE_FILTERS(TRACE_STUB)

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tt_config);
} tt_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} tt_events SEC(".maps");

/* Events the ring buffer had no room for: the runner fails if any. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} tt_dropped SEC(".maps");

/* What the programs read from the skb, each in its own way. */
struct skb_view {
	__u32 ifindex, netns_ino;
	unsigned char *head, *data;
	__u16 mac_header;
	__u32 len, data_len;
	__u16 vlan_proto, vlan_tci;
};

static __always_inline bool is_ours(const struct skb_view *v)
{
	__u32 zero = 0;
	struct tt_config *cfg = bpf_map_lookup_elem(&tt_config, &zero);

	return cfg && cfg->ifindex && v->ifindex == cfg->ifindex &&
	       v->netns_ino == cfg->netns_ino;
}

static __always_inline int on_skb(const struct skb_view *v, __u32 hook)
{
	__u32 zero = 0;

	if (v->mac_header == (__u16)~0U) /* no MAC header set */
		return 0;

	/* The frame as the stubs see it: Ethernet header to end of linear data. */
	void *data = v->head + v->mac_header;
	void *data_end = v->data + (v->len - v->data_len);

	struct tt_event *e = bpf_ringbuf_reserve(&tt_events, sizeof(*e), 0);
	if (!e) {
		__u64 *n = bpf_map_lookup_elem(&tt_dropped, &zero);
		if (n)
			__sync_fetch_and_add(n, 1);
		return 0;
	}
	e->hook = hook;
	e->skb_len = v->len;
	e->data_len = v->data_len;
	e->mac_len = (void *)v->data - data;
	e->vlan_proto = v->vlan_proto;
	e->vlan_tci = v->vlan_tci;
	__u32 linear = data_end - data;
	e->linear = linear;
	e->copied = 0;
	/* The copy's size must be provably bounded: keep the compiler from
	 * checking one register and passing another. */
	__u64 copy = linear;
	barrier_var(copy);
	if (copy <= TRACE_COPY_MAX &&
	    bpf_probe_read_kernel(e->frame, copy, data) == 0)
		e->copied = copy;

#define TRACE_CALL(name, expr) e->result[TRACE_F_##name] = tt_##name(data, data_end);
	TRACE_FILTERS(TRACE_CALL)
#undef TRACE_CALL

	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/netif_receive_skb")
int BPF_PROG(trace_tp_btf, struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;

	if (!dev)
		return 0;
	struct skb_view v = {
		.ifindex = dev->ifindex,
		.netns_ino = dev->nd_net.net->ns.inum,
		.head = skb->head,
		.data = skb->data,
		.mac_header = skb->mac_header,
		.len = skb->len,
		.data_len = skb->data_len,
		.vlan_proto = skb->vlan_proto,
		.vlan_tci = skb->vlan_tci,
	};
	return is_ours(&v) ? on_skb(&v, TRACE_HOOK_TP_BTF) : 0;
}

SEC("raw_tp/netif_receive_skb")
int BPF_PROG(trace_raw_tp, struct sk_buff *skb)
{
	struct skb_view v = {
		.ifindex = BPF_CORE_READ(skb, dev, ifindex),
		.netns_ino = BPF_CORE_READ(skb, dev, nd_net.net, ns.inum),
	};

	if (!is_ours(&v))
		return 0;
	v.head = BPF_CORE_READ(skb, head);
	v.data = BPF_CORE_READ(skb, data);
	v.mac_header = BPF_CORE_READ(skb, mac_header);
	v.len = BPF_CORE_READ(skb, len);
	v.data_len = BPF_CORE_READ(skb, data_len);
	v.vlan_proto = BPF_CORE_READ(skb, vlan_proto);
	v.vlan_tci = BPF_CORE_READ(skb, vlan_tci);
	return on_skb(&v, TRACE_HOOK_RAW_TP);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
