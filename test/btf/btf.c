// BTF of generated stubs: a static FUNC with its prototype and named
// parameters, func_info the kernel accepts, and line info pointing at the
// attribute's line. Loads the object through the kernel (needs root/BPF).
// RUN: %clang_bpf -O2 -g -c %s -o %t.o
// RUN: bpftool btf dump file %t.o | FileCheck %s --check-prefix=BTF
// RUN: rm -f %bpf_pin-btf
// RUN: bpftool prog load %t.o %bpf_pin-btf type xdp
// RUN: bpftool prog dump xlated pinned %bpf_pin-btf linum > %t.xlated
// RUN: rm -f %bpf_pin-btf
// RUN: FileCheck %s --check-prefix=LINE < %t.xlated
#include <linux/bpf.h>
#include <pcap_filter.h>

static __noinline __u32 web(void *data, void *data_end)
	__pcap_filter("tcp port 80"); // the attribute is on line 15

static __noinline int dns(struct xdp_md *ctx) __pcap_filter("udp port 53");

__attribute__((section("xdp"), used)) int prog(struct xdp_md *ctx)
{
	return web((void *)(long)ctx->data, (void *)(long)ctx->data_end) + dns(ctx);
}

char LICENSE[] __attribute__((section("license"), used)) = "Dual BSD/GPL";

// BTF-DAG: [[WEBPROTO:\[[0-9]+\]]] FUNC_PROTO '(anon)' ret_type_id={{[0-9]+}} vlen=2
// BTF-DAG: 'data' type_id=
// BTF-DAG: 'data_end' type_id=
// BTF-DAG: FUNC 'web' type_id={{[0-9]+}} linkage=static
// BTF-DAG: FUNC 'dns' type_id={{[0-9]+}} linkage=static
// BTF-DAG: 'ctx' type_id=
// BTF-DAG: TYPEDEF '__u32'

// LINE: __u32 web(void * data, void * data_end):
// LINE: line_num:15
// LINE: int dns(struct xdp_md * ctx):
// LINE: line_num:17
