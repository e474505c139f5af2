// Every error the pcap_filter attribute reports, at the right token, and no
// other diagnostic (-verify fails on unexpected ones).
// RUN: %clang_bpf -fsyntax-only -Wall -ferror-limit=0 -Xclang -verify %s

#include <linux/bpf.h>
#include <stdbool.h>
#include <pcap_filter.h>

// expected-error@+1 {{'pcap_filter' attribute only applies to functions}}
int not_a_function __pcap_filter("ip");

// expected-error@+1 {{'pcap_filter' argument 1 must be a string literal}}
static bool not_a_string(void *d, void *e) __pcap_filter(42);

// expected-error@+1 {{'pcap_filter' argument 2 must be a string literal}}
static bool option_not_a_string(void *d, void *e) __pcap_filter("ip", 7);

// expected-error@+1 {{invalid pcap_filter option: unknown option 'speed=fast'}}
static bool unknown_option(void *d, void *e) __pcap_filter("ip", "speed=fast");

// expected-error@+1 {{invalid pcap_filter option: invalid snap length '0'}}
static bool bad_snaplen(void *d, void *e) __pcap_filter("ip", "snaplen=0");

// expected-error@+1 {{invalid pcap_filter option: unknown link type 'TOKENRING9'}}
static bool bad_linktype(void *d, void *e) __pcap_filter("ip", "linktype=TOKENRING9");

// expected-error@+1 {{invalid pcap_filter option: unknown access mode 'magic': expected direct, skb, skb_load_bytes or probe}}
static bool bad_access(void *d, void *e) __pcap_filter("ip", "access=magic");

// expected-error@+1 {{unsupported pcap_filter stub signature 'bool (int)': expected (void *data, void *data_end), (struct xdp_md *ctx) or (struct __sk_buff *skb)}}
static bool bad_params(int x) __pcap_filter("ip");

// expected-error@+1 {{unsupported pcap_filter stub signature 'bool (void *, ...)'}}
static bool variadic(void *d, ...) __pcap_filter("ip");

struct sk_buff;
// expected-error@+1 {{unsupported pcap_filter stub signature 'bool (struct sk_buff *)'}}
static bool kernel_skb(struct sk_buff *skb) __pcap_filter("ip");

// expected-error@+1 {{access=probe does not fit stub 'probe_ctx' (struct xdp_md *ctx); it supports: direct}}
static bool probe_ctx(struct xdp_md *ctx) __pcap_filter("ip", "access=probe");

// expected-error@+1 {{access=skb does not fit stub 'skb_pointers' (void *data, void *data_end); it supports: direct, probe}}
static bool skb_pointers(void *d, void *e) __pcap_filter("ip", "access=skb");

// expected-error@+1 {{access=direct does not fit stub 'direct_skb' (struct __sk_buff *skb); it supports: skb, skb_load_bytes}}
static bool direct_skb(struct __sk_buff *skb) __pcap_filter("ip", "access=direct");

// expected-error@+1 {{pcap filter cannot be translated: insn 0: hatype (SKF_AD_HATYPE) is not available from struct __sk_buff}}
static bool hatype(struct __sk_buff *skb) __pcap_cbpf("2,32 0 0 4294963228,22 0 0 0");

// expected-error@+1 {{inbound/outbound (SKF_AD_PKTTYPE) is Linux skb metadata, which probe access cannot read; a struct __sk_buff stub can}}
static bool inbound_probe(void *d, void *e) __pcap_filter("inbound", "access=probe");

// expected-error@+1 {{pcap_filter stub must return bool, int or __u32, not 'long'}}
static long bad_return(void *d, void *e) __pcap_filter("ip");

// expected-error@+1 {{pcap_filter stub 'not_static' with packet-pointer parameters must be static}}
bool not_static(void *d, void *e) __pcap_filter("ip");

// expected-error@+1 {{invalid pcap filter: can't parse filter expression: syntax error}}
static bool bad_expression(void *d, void *e) __pcap_filter("tcp port");

// expected-error@+1 {{invalid pcap filter: illegal port number 99999 > 65535}}
static bool bad_port(void *d, void *e) __pcap_filter("port 99999");

// expected-error@+1 {{invalid pcap filter: 'ip6' modifier applied to ip host}}
static bool bad_combination(void *d, void *e) __pcap_filter("ip6 host 1.2.3.4");

// A backward jump that is not protochain's loop (protochain is unrolled).
// expected-error@+1 {{pcap filter cannot be translated: insn 1: backward jump to insn 0 is not the loop libpcap emits for 'protochain' (not preceded by tax; ld M[]); other loops are not supported}}
static bool loop(void *d, void *e) __pcap_cbpf("3,0 0 0 0,5 0 0 4294967294,6 0 0 0");
// expected-error@+1 {{pcap filter cannot be translated: insn 19: backward jump (a loop, as libpcap emits for 'protochain') is not supported}}
static bool protochain_off(void *d, void *e) __pcap_filter("ip protochain 6", "protochain_depth=off");

// expected-error@+1 {{pcap filter cannot be translated: insn 0: inbound/outbound (SKF_AD_PKTTYPE) is Linux skb metadata, which direct access cannot read; a struct __sk_buff stub can}}
static bool inbound(void *d, void *e) __pcap_filter("inbound");

// expected-error@+1 {{ifindex (SKF_AD_IFINDEX) is Linux skb metadata}}
static bool ifindex(struct xdp_md *ctx) __pcap_filter("ifindex 7");

// expected-note@+1 {{the previous pcap_filter attribute is here}}
static bool redeclared(void *d, void *e) __pcap_filter("tcp");
// expected-error@+1 {{conflicting pcap_filter on redeclaration of 'redeclared'}}
static bool redeclared(void *d, void *e) __pcap_filter("udp");

// The same filter again is fine.
static bool same_again(void *d, void *e) __pcap_filter("tcp");
static bool same_again(void *d, void *e) __pcap_filter("tcp");

// Used but never defined in C: no -Wundefined-internal warning.
static __noinline bool used(void *d, void *e) __pcap_filter("udp");

// The Linux extensions are legal in an skb stub.
static bool inbound_skb(struct __sk_buff *skb) __pcap_filter("inbound");

int tc(struct __sk_buff *skb) { return inbound_skb(skb); }

int prog(struct xdp_md *ctx)
{
	return used((void *)(long)ctx->data, (void *)(long)ctx->data_end) +
	       same_again((void *)(long)ctx->data, (void *)(long)ctx->data_end);
}
