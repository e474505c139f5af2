// A filter libpcap finds can match nothing compiles to `return 0` with a
// warning in -Wbackend-plugin, which can be silenced or made an error.
// RUN: %clang_bpf -fsyntax-only -Xclang -verify %s
// RUN: %clang_bpf -fsyntax-only -Wno-backend-plugin -Xclang -verify=silenced %s
// RUN: not %clang_bpf -fsyntax-only -Werror=backend-plugin %s 2>&1 | FileCheck %s
// RUN: %clang_bpf -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// silenced-no-diagnostics
#include <linux/bpf.h>
#include <pcap_filter.h>

// expected-warning@+1 {{pcap filter matches no packet (libpcap: expression rejects all packets); the stub returns 0}}
static __noinline __u32 never(void *d, void *e) __pcap_filter("ip and ip6");
// expected-warning@+1 {{pcap filter matches no packet}}
static __noinline __u32 arp_on_raw(void *d, void *e) __pcap_filter("arp", "linktype=RAW");

int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;
	return never(d, e) + arp_on_raw(d, e);
}
// CHECK: error: pcap filter matches no packet (libpcap: expression rejects all packets); the stub returns 0 [-Werror,-Wbackend-plugin]
// IR: define {{.*}}i32 @prog(
// IR-NEXT: ret i32 0
