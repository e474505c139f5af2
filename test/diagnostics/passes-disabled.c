// -disable-llvm-passes skips every LLVM pass, the one that defines stubs
// too: the stub would stay an undefined declaration, silently. An error at
// the attribute instead; the -O0 pipeline (also with -disable-O0-optnone)
// does run the pass.
// RUN: %clang_bpf -O2 -Xclang -disable-llvm-passes -S -emit-llvm -o /dev/null -Xclang -verify %s
// RUN: %clang_bpf -O0 -Xclang -disable-O0-optnone -S -emit-llvm -o - %s -DPASSES | FileCheck %s
// RUN: %clang_bpf -O0 -S -emit-llvm -o - %s -DPASSES | FileCheck %s
#include <linux/bpf.h>
#include <pcap_filter.h>

#ifdef PASSES
// CHECK: define internal {{.*}}i32 @web(
#else
// expected-error@+2 {{'pcap_filter' stubs are defined by an LLVM pass, which -disable-llvm-passes skips: the stub would stay undefined}}
#endif
static __noinline __u32 web(void *d, void *e) __pcap_filter("tcp port 80");

int prog(struct xdp_md *ctx)
{
	return web((void *)(long)ctx->data, (void *)(long)ctx->data_end);
}
