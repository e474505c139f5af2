// Run-time stubs (__pcap_filter_runtime()): every check that does not need
// the expression, and the errors only a run-time stub can get.
// RUN: %clang_bpf -fsyntax-only -Wall -Xclang -verify %s
// RUN: not %clang -target x86_64-linux-gnu %plugin_flags -I%S/../../include -fsyntax-only -DHOST %s 2>&1 | FileCheck %s --check-prefix=HOST
// RUN: not %clang_bpf -O2 -c -DALWAYS %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ALWAYS

#include <linux/bpf.h>
#include <stdbool.h>
#include <pcap_filter.h>

#if defined(HOST)
// HOST: error: a run-time pcap_filter stub is filled in by a BPF loader; it needs -target bpf
static __u32 on_host(void *d, void *e) __pcap_filter_runtime();
#elif defined(ALWAYS)
// ALWAYS: error: run-time pcap_filter stub 'inlined' cannot be always_inline: the loader fills it in as a function
static __attribute__((always_inline)) __u32 inlined(void *d, void *e)
	__pcap_filter("@runtime");
int use(void *d, void *e) { return inlined(d, e); }
#else
// Accepted: every form and return type, options, the spelled-out marker.
static __u32 web(void *d, void *e) __pcap_filter_runtime();
static bool l3(void *d, void *e) __pcap_filter_runtime("linktype=RAW", "snaplen=1500");
static int probed(void *d, void *e) __pcap_filter_runtime("access=probe");
static __u32 ctx_stub(struct xdp_md *ctx) __pcap_filter_runtime();
__u32 skb_stub(struct __sk_buff *skb) __pcap_filter_runtime("access=skb_load_bytes");
static __u32 spelled(void *d, void *e) __pcap_filter("@runtime");

// expected-error@+1 {{a run-time pcap_filter stub takes its input from the loader; 'input=cbpf' does not apply}}
static __u32 cbpf(void *d, void *e) __pcap_filter_runtime("input=cbpf");

// expected-error@+1 {{access=skb does not fit stub 'wrong_access' (void *data, void *data_end); it supports: direct, probe}}
static __u32 wrong_access(void *d, void *e) __pcap_filter_runtime("access=skb");

// expected-error@+1 {{pcap_filter stub 'global_pointers' with packet-pointer parameters must be static}}
__u32 global_pointers(void *d, void *e) __pcap_filter_runtime();

// expected-error@+1 {{invalid pcap_filter option: unknown option 'speed=fast'}}
static __u32 bad_option(void *d, void *e) __pcap_filter_runtime("speed=fast");

// expected-error@+1 {{pcap_filter stub must return bool, int or __u32, not 'long'}}
static long bad_return(void *d, void *e) __pcap_filter_runtime();

// expected-error@+2 {{conflicting pcap_filter on redeclaration of 'web'}}
// expected-note@21 {{the previous pcap_filter attribute is here}}
static __u32 web(void *d, void *e) __pcap_filter("tcp");
#endif
