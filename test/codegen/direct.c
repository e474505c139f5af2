// IR and BPF assembly of direct-access stubs.
// RUN: %clang_bpf -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=IR,%ctx_load
// RUN: %clang_bpf -O0 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=O0
// RUN: %clang_bpf -O2 -mcpu=v1 -S %s -o - | FileCheck %s --check-prefix=ASM
// RUN: %clang_bpf -O2 -mcpu=v3 -S %s -o - | FileCheck %s --check-prefix=ASM
#include <linux/bpf.h>
#include <stdbool.h>
#include <pcap_filter.h>

static __noinline __u32 web(void *data, void *data_end) __pcap_filter("tcp port 80");

// A placeholder body is replaced.
static __noinline bool dns(struct xdp_md *ctx) __pcap_filter("udp port 53")
{
	return true;
}

int prog(struct xdp_md *ctx)
{
	return web((void *)(long)ctx->data, (void *)(long)ctx->data_end) + dns(ctx);
}

// The stub is defined, internal, kept out of line as asked.
// IR:       define internal {{.*}}i32 @web({{ptr|[%.a-z0-9_]+\*}} {{.*}}%0, {{ptr|[%.a-z0-9_]+\*}} {{.*}}%1) {{.*}}#[[WEB:[0-9]+]]
// Packet checks compare a pointer with data_end; loads are big-endian.
// IR:       %[[END:.*]] = getelementptr i8, {{ptr|[%.a-z0-9_]+\*}} %0, i64 24
// IR-NEXT:  icmp ugt {{ptr|[%.a-z0-9_]+\*}} %[[END]], %1
// IR:       load i16, {{ptr|[%.a-z0-9_]+\*}} {{.*}}, align 2
// IR:       [ 262144,
// The XDP form reads data and data_end from the context; the body that
// returned true is gone.
// IR-LABEL: define internal {{.*}}i1 @dns({{ptr|[%.a-z0-9_]+\*}}
// CTX-GEP:  @llvm.bpf.getelementptr.and.load.i32({{ptr|[%.a-z0-9_]+\*}} {{.*}}%0, {{.*}}, i64 immarg 0)
// CTX-GEP:  @llvm.bpf.getelementptr.and.load.i32({{ptr|[%.a-z0-9_]+\*}} {{.*}}%0, {{.*}}, i64 immarg 4)
// CTX-ASM:  asm "$0 = *(u32 *)($1 + 0)", "=r,r"({{.*}}%0)
// CTX-ASM:  asm "$0 = *(u32 *)($1 + 4)", "=r,r"({{.*}}%0)
// IR-NOT:   ret i1 true
// IR:       attributes #[[WEB]] = {{{.*}}noinline

// At -O0 the stubs are generated too.
// O0: define internal i32 @web(
// O0: define internal {{.*}}i1 @dns(

// ASM-LABEL: web:
// ASM:       r{{[0-9]}} += 24
// ASM-NEXT:  if r{{[0-9]}} > r{{[0-9]}} goto
// ASM:       = *(u16 *)(r{{[0-9]}} + 12)
// ASM:       = 262144
