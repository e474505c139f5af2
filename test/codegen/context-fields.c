// Context fields chosen by a branch: a hand-written cBPF program that loads
// `mark` on one path and `rxhash` on the other. As plain loads, -O1..-O3
// merged them into one load from skb + select(8, 68), which the verifier
// refuses (a modified context pointer). Read through the BPF backend's
// llvm.bpf.getelementptr.and.load, each stays a load at its own constant
// offset, and the program loads at every -O (needs root/BPF, as test/btf).
// RUN: %clang_bpf -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=IR,%ctx_load
// RUN: %clang_bpf -O0 -g -c %s -o %t.O0.o
// RUN: %clang_bpf -O1 -g -c %s -o %t.O1.o
// RUN: %clang_bpf -O2 -g -c %s -o %t.O2.o
// RUN: %clang_bpf -O3 -g -c %s -o %t.O3.o
// RUN: llvm-objdump -d %t.O2.o | FileCheck %s --check-prefixes=ASM,%ctx_load-ASM
// RUN: rm -f %bpf_pin-ctx
// RUN: bpftool prog load %t.O0.o %bpf_pin-ctx type classifier
// RUN: rm -f %bpf_pin-ctx
// RUN: bpftool prog load %t.O1.o %bpf_pin-ctx type classifier
// RUN: rm -f %bpf_pin-ctx
// RUN: bpftool prog load %t.O2.o %bpf_pin-ctx type classifier
// RUN: rm -f %bpf_pin-ctx
// RUN: bpftool prog load %t.O3.o %bpf_pin-ctx type classifier
// RUN: rm -f %bpf_pin-ctx
#include <linux/bpf.h>
#include <pcap_filter.h>

// ldb [0]; jeq #1, 0, 2; ld mark; ret a; ld rxhash; ret a
static __noinline __u32 mark_or_hash(struct __sk_buff *skb)
	__pcap_cbpf("6,48 0 0 0,21 0 2 1,32 0 0 4294963220,22 0 0 0,"
		    "32 0 0 4294963232,22 0 0 0");

__attribute__((section("tc"), used)) int prog(struct __sk_buff *skb)
{
	return mark_or_hash(skb);
}

char LICENSE[] __attribute__((section("license"), used)) = "Dual BSD/GPL";

// IR-LABEL: define internal {{.*}}i32 @mark_or_hash(
// IR-NOT:   select
// CTX-GEP-DAG: @llvm.bpf.getelementptr.and.load.i32(ptr {{.*}}%0, {{.*}}, i64 immarg 8)
// CTX-GEP-DAG: @llvm.bpf.getelementptr.and.load.i32(ptr {{.*}}%0, {{.*}}, i64 immarg 68)
// CTX-ASM-DAG: asm "$0 = *(u32 *)($1 + 8)", "=r,r"({{.*}}%0)
// CTX-ASM-DAG: asm "$0 = *(u32 *)($1 + 68)", "=r,r"({{.*}}%0)
// ASM-LABEL: <mark_or_hash>:
// CTX-GEP-ASM-DAG: = *(u32 *)(r1 + 0x8)
// CTX-GEP-ASM-DAG: = *(u32 *)(r1 + 0x44)
// Before Clang 18 the context is first copied to another register.
// CTX-ASM-ASM-DAG: = *(u32 *)(r{{[0-9]}} + 0x8)
// CTX-ASM-ASM-DAG: = *(u32 *)(r{{[0-9]}} + 0x44)
