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

// expected-error@+1 {{invalid pcap_filter option: unknown access mode 'magic'}}
static bool bad_access(void *d, void *e) __pcap_filter("ip", "access=magic");

// expected-error@+1 {{unsupported pcap_filter stub signature 'bool (int)'}}
static bool bad_params(int x) __pcap_filter("ip");

// expected-error@+1 {{unsupported pcap_filter stub signature 'bool (void *, ...)'}}
static bool variadic(void *d, ...) __pcap_filter("ip");

// expected-error@+1 {{unsupported pcap_filter stub signature 'bool (struct __sk_buff *)'}}
static bool skb_not_yet(struct __sk_buff *skb) __pcap_filter("ip");

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

// expected-error@+1 {{pcap filter cannot be translated: insn 19: backward jump (a loop, as libpcap emits for 'protochain') is not supported}}
static bool protochain(void *d, void *e) __pcap_filter("ip protochain 6");

// expected-error@+1 {{pcap filter cannot be translated: insn 0: inbound/outbound (SKF_AD_PKTTYPE) is Linux socket metadata, which direct packet access cannot read}}
static bool inbound(void *d, void *e) __pcap_filter("inbound");

// expected-error@+1 {{ifindex (SKF_AD_IFINDEX) is Linux socket metadata}}
static bool ifindex(struct xdp_md *ctx) __pcap_filter("ifindex 7");

static bool redeclared(void *d, void *e) __pcap_filter("tcp");
// expected-error@+1 {{conflicting pcap_filter on redeclaration of 'redeclared'}}
static bool redeclared(void *d, void *e) __pcap_filter("udp");

// The same filter again is fine.
static bool same_again(void *d, void *e) __pcap_filter("tcp");
static bool same_again(void *d, void *e) __pcap_filter("tcp");

// Used but never defined in C: no -Wundefined-internal warning.
static __noinline bool used(void *d, void *e) __pcap_filter("udp");

int prog(struct xdp_md *ctx)
{
	return used((void *)(long)ctx->data, (void *)(long)ctx->data_end) +
	       same_again((void *)(long)ctx->data, (void *)(long)ctx->data_end);
}
