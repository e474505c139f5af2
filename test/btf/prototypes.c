// BTF prototypes of stubs of every form and type spelling, the same with
// every Clang: before Clang 18 the plugin builds them from the declaration
// (plugin/StubPrototype.h), from 18 Clang describes the declaration (Clang
// 14 without its parameters, which the plugin adds). Return types and
// parameters are as declared (named, typedefs and qualifiers kept, a type
// that only the stub uses described too), a global stub's context struct
// is the complete one, and the kernel loads the object with its BTF (the
// stubs' prototypes below are printed from its func_info). Types are
// checked in the order the BPF backend emits them. Needs root/BPF.
// RUN: %clang_bpf -O2 -g -c %s -o %t.o
// RUN: bpftool btf dump file %t.o | FileCheck %s --check-prefix=BTF
// RUN: rm -rf %bpf_pin-prototypes
// RUN: bpftool prog loadall %t.o %bpf_pin-prototypes
// RUN: bpftool prog dump xlated pinned %bpf_pin-prototypes/xdp_prog > %t.xdp
// RUN: bpftool prog dump xlated pinned %bpf_pin-prototypes/tc_prog > %t.tc
// RUN: rm -rf %bpf_pin-prototypes
// RUN: FileCheck %s --check-prefix=XDP < %t.xdp
// RUN: FileCheck %s --check-prefix=TC < %t.tc
#include <linux/bpf.h>
#include <stdbool.h>
#include <pcap_filter.h>

typedef unsigned int verdict_t; // used by the stub only
typedef struct xdp_md xdp_ctx;

static __noinline bool web(const void *data, const void *data_end)
	__pcap_filter("tcp port 80");
static __noinline verdict_t dns(xdp_ctx *ctx) __pcap_filter("udp port 53");
__noinline int icmp(struct __sk_buff *skb) __pcap_filter("icmp");

__attribute__((section("xdp"), used)) int xdp_prog(struct xdp_md *ctx)
{
	return web((void *)(long)ctx->data, (void *)(long)ctx->data_end) +
	       dns(ctx);
}

__attribute__((section("tc"), used)) int tc_prog(struct __sk_buff *skb)
{
	return icmp(skb);
}

char LICENSE[] __attribute__((section("license"), used)) = "Dual BSD/GPL";

// BTF:      {{\[}}[[XDPMD:[0-9]+]]] STRUCT 'xdp_md' size=24 vlen=6
// BTF:      TYPEDEF '__u32' type_id=[[UINT:[0-9]+]]
// BTF-NEXT: {{\[}}[[UINT]]] INT 'unsigned int' size=4
// BTF:      {{\[}}[[INT:[0-9]+]]] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED

// BTF:      {{\[}}[[CVPTR:[0-9]+]]] PTR '(anon)' type_id=[[CV:[0-9]+]]
// BTF-NEXT: {{\[}}[[CV]]] CONST '(anon)' type_id=0
// BTF-NEXT: {{\[}}[[WEB:[0-9]+]]] FUNC_PROTO '(anon)' ret_type_id=[[BOOL:[0-9]+]] vlen=2
// BTF-NEXT:   'data' type_id=[[CVPTR]]
// BTF-NEXT:   'data_end' type_id=[[CVPTR]]
// BTF-NEXT: {{\[}}[[BOOL]]] INT '_Bool' size=1 bits_offset=0 nr_bits=8 encoding=BOOL
// BTF-NEXT: FUNC 'web' type_id=[[WEB]] linkage=static

// BTF-NEXT: {{\[}}[[CTXPTR:[0-9]+]]] PTR '(anon)' type_id=[[CTX:[0-9]+]]
// BTF-NEXT: {{\[}}[[CTX]]] TYPEDEF 'xdp_ctx' type_id=[[XDPMD]]
// BTF-NEXT: {{\[}}[[DNS:[0-9]+]]] FUNC_PROTO '(anon)' ret_type_id=[[VERDICT:[0-9]+]] vlen=1
// BTF-NEXT:   'ctx' type_id=[[CTXPTR]]
// BTF-NEXT: {{\[}}[[VERDICT]]] TYPEDEF 'verdict_t' type_id=[[UINT]]
// BTF-NEXT: FUNC 'dns' type_id=[[DNS]] linkage=static

// BTF-NEXT: {{\[}}[[SKBPTR:[0-9]+]]] PTR '(anon)' type_id=[[SKB:[0-9]+]]
// BTF-NEXT: {{\[}}[[SKB]]] STRUCT '__sk_buff' size=
// BTF:      FUNC 'tc_prog'
// BTF-NEXT: {{\[}}[[ICMP:[0-9]+]]] FUNC_PROTO '(anon)' ret_type_id=[[INT]] vlen=1
// BTF-NEXT:   'skb' type_id=[[SKBPTR]]
// BTF-NEXT: FUNC 'icmp' type_id=[[ICMP]] linkage=global
// BTF-NOT:  FWD '__sk_buff'

// XDP: _Bool web(const void * data, const void * data_end):
// XDP: verdict_t dns(xdp_ctx * ctx):
// TC: int icmp(struct __sk_buff * skb):
