// A context stub called where its context does not exist: an __sk_buff stub
// in an XDP program, an xdp_md stub in an skb program. The verifier refuses
// such a program only when it is loaded; the plugin says so at the call.
// Pointer stubs fit everywhere.
// RUN: %clang_bpf -fsyntax-only -Xclang -verify %s
#include <linux/bpf.h>
#include <pcap_filter.h>

// expected-note@+1 3 {{stub 'skb_stub' declared here}}
static __noinline __u32 skb_stub(struct __sk_buff *skb) __pcap_filter("tcp");
// expected-note@+1 3 {{stub 'xdp_stub' declared here}}
static __noinline __u32 xdp_stub(struct xdp_md *ctx) __pcap_filter("tcp");
static __noinline __u32 pointers(void *d, void *e) __pcap_filter("tcp");

// By section name (libbpf's SEC()).
__attribute__((section("xdp"))) int xdp_section(void *ctx)
{
	// expected-error@+1 {{pcap_filter stub 'skb_stub' reads a struct __sk_buff, but 'xdp_section' runs with an XDP context (its section or parameter says so), where the verifier refuses it; use a stub of the form (struct xdp_md *ctx) or (void *data, void *data_end)}}
	return skb_stub(ctx) + pointers(ctx, ctx);
}

__attribute__((section("xdp.frags"))) int xdp_frags(void *ctx)
{
	// expected-error@+1 {{pcap_filter stub 'skb_stub' reads a struct __sk_buff, but 'xdp_frags' runs with an XDP context}}
	return skb_stub(ctx);
}

__attribute__((section("tc"))) int tc_section(void *ctx)
{
	// expected-error@+1 {{pcap_filter stub 'xdp_stub' reads a struct xdp_md, but 'tc_section' runs with an skb context (its section or parameter says so), where the verifier refuses it; use a stub of the form (struct __sk_buff *skb) or (void *data, void *data_end)}}
	return xdp_stub(ctx);
}

__attribute__((section("socket"))) int socket_section(void *ctx)
{
	// expected-error@+1 {{pcap_filter stub 'xdp_stub' reads a struct xdp_md, but 'socket_section' runs with an skb context}}
	return xdp_stub(ctx);
}

// By context parameter, in any function, nested in an expression.
int xdp_param(struct xdp_md *ctx)
{
	// expected-error@+1 {{pcap_filter stub 'skb_stub' reads a struct __sk_buff, but 'xdp_param' runs with an XDP context}}
	return xdp_stub(ctx) ? 1 : (int)skb_stub((void *)ctx);
}

int skb_param(struct __sk_buff *skb)
{
	// expected-error@+1 {{pcap_filter stub 'xdp_stub' reads a struct xdp_md, but 'skb_param' runs with an skb context}}
	return skb_stub(skb) + xdp_stub((void *)skb);
}

// A function whose context is not known is not checked.
int unknown(void *ctx) { return skb_stub(ctx) + xdp_stub(ctx); }
