// The placeholder of a run-time stub: a real function the optimiser cannot
// see into, at every -O level. Callers pass both parameters and use r0 from
// the call (no constant result folded in, no argument dropped); the body
// writes no register, so an unfilled stub fails verification; the BTF FUNC
// carries the decl tags the loader reads; the body sits on the
// attribute's line.
// RUN: %clang_bpf -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// RUN: %clang_bpf -O1 -S %s -o - | FileCheck %s --check-prefix=ASM
// RUN: %clang_bpf -O2 -S %s -o - | FileCheck %s --check-prefix=ASM
// RUN: %clang_bpf -O3 -S %s -o - | FileCheck %s --check-prefix=ASM
// RUN: %clang_bpf -O2 -g -c %s -o %t.o
// RUN: bpftool btf dump file %t.o | FileCheck %s --check-prefix=BTF
// RUN: llvm-objdump -d -l --no-show-raw-insn %t.o | FileCheck %s --check-prefix=LINE
#include <linux/bpf.h>
#include <pcap_filter.h>

static __u32 web(void *data, void *data_end) __pcap_filter_runtime("linktype=EN10MB");

int prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	return web(data, end) ? 1 : 2;
}

// IR-LABEL: define {{.*}}i32 @prog(
// IR: %[[R:.*]] = {{.*}}call {{.*}}i32 @web({{ptr|[%.a-z0-9_]+\*}} {{.*}}, {{ptr|[%.a-z0-9_]+\*}} {{.*}})
// IR: icmp {{.*}}i32 %[[R]], 0
// IR-LABEL: define internal {{.*}}i32 @web({{ptr|[%.a-z0-9_]+\*}} {{.*}}%0, {{ptr|[%.a-z0-9_]+\*}} {{.*}}%1)
// IR-SAME: #[[ATTRS:[0-9]+]]
// IR-NEXT: %[[A:.*]] = {{.*}}call i64 asm sideeffect "", "=r,r,r"({{ptr|[%.a-z0-9_]+\*}} %0, {{ptr|[%.a-z0-9_]+\*}} %1)
// IR-NEXT: %[[T:.*]] = trunc i64 %[[A]] to i32
// IR-NEXT: ret i32 %[[T]]
// IR: attributes #[[ATTRS]] = {{{.*}}noinline

// ASM-LABEL: prog:
// ASM: r2 = *(u32 *)(r1 + 4)
// ASM: r1 = *(u32 *)(r1 + 0)
// ASM-NEXT: call web
// ASM-NEXT: {{.*}}r0
// ASM-LABEL: web:
// ASM-NOT: r0 =
// ASM: exit

// BTF: [[FN:\[[0-9]+\]]] FUNC 'web' type_id={{[0-9]+}} linkage=static
// BTF-NEXT: DECL_TAG 'pcap_filter:runtime' type_id=[[FN_ID:[0-9]+]] component_idx=-1
// BTF-NEXT: DECL_TAG 'pcap_filter:linktype=EN10MB' type_id=[[FN_ID]] component_idx=-1

// LINE: <web>:
// LINE-NEXT: ; web():
// LINE-NEXT: runtime.c:17
// LINE-NEXT: exit
