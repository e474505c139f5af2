// Before Clang 18 the plugin builds a stub's BTF prototype itself
// (plugin/StubPrototype.h) when Clang describes the stub not at all (a
// static stub, or a global one at -O0), and can reuse only the structs the
// file's debug info describes; another struct is a BTF FWD. That is enough
// for a static stub (loaded with its BTF: test/btf/), but the verifier
// checks a global function's context parameter against the struct's BTF
// and refuses a FWD, so the plugin says so when it compiles the object,
// with what to change. Without -g there is no BTF and nothing to check.
// From Clang 18 Clang describes the struct with the stub's declaration.
// REQUIRES: clang-lt-18
// RUN: not %clang_bpf -O0 -g -c %s -o %t.o 2>&1 | FileCheck %s -DCLANG=%llvm_major
// CHECK: error: pcap_filter stub 'icmp' is global, so the verifier checks its 'struct __sk_buff *' parameter against the object's BTF, but Clang [[CLANG]] describes struct __sk_buff nowhere in this file's debug info (before Clang 18 it gives a stub's declaration none): make the stub static, or declare a function with a 'struct __sk_buff *' parameter
// RUN: %clang_bpf -O0 -c %s -o %t.o
// RUN: %clang_bpf -O0 -g -DSTORAGE=static -c %s -o %t.o
// RUN: %clang_bpf -O0 -g -DCTX="struct __sk_buff *" -c %s -o %t.o
#include <linux/bpf.h>
#include <pcap_filter.h>

#ifndef STORAGE
#define STORAGE
#endif
#ifndef CTX
#define CTX void *
#endif

STORAGE __noinline int icmp(struct __sk_buff *skb) __pcap_filter("icmp");

__attribute__((section("tc"), used)) int tc_prog(CTX ctx)
{
	return icmp(ctx);
}
