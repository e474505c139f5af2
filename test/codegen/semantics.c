// Lowering of the docs/semantics.md rows the IR must get right; the kernel
// differential test checks the verdicts, this checks the shape.
// RUN: %clang_bpf -O2 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang_bpf -O2 -mcpu=v1 -S %s -o - | FileCheck %s --check-prefix=V1
#include <linux/bpf.h>
#include <pcap_filter.h>

// DIV by X: X == 0 returns 0 for the whole filter.
static __noinline __u32 div_x(void *d, void *e) __pcap_filter("not (ether[0] / ether[1] = 2)");
// Shift by X >= 32 gives 0, never a masked shift.
static __noinline __u32 shl_x(void *d, void *e) __pcap_filter("ether[0] << ether[1] = 0");
// jeq #0xffffffff compares 32 bits unsigned.
static __noinline __u32 all_ones(void *d, void *e) __pcap_filter("ether[0:4] = 0xffffffff");
// len is data_end - data.
static __noinline __u32 length(void *d, void *e) __pcap_filter("len >= 100");

int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;
	return div_x(d, e) + shl_x(d, e) + all_ones(d, e) + length(d, e);
}

// CHECK-LABEL: define internal {{.*}}@div_x(
// CHECK:       icmp eq i8 %{{.*}}, 0
// CHECK:       udiv i{{8|32}}
// CHECK-LABEL: define internal {{.*}}@shl_x(
// CHECK:       shl i32
// CHECK:       icmp {{ult|ugt}} i{{8|32}} %{{.*}}, {{31|32}}
// CHECK:       select
// CHECK-LABEL: define internal {{.*}}@all_ones(
// CHECK:       icmp eq i32 %{{.*}}, -1
// CHECK-LABEL: define internal {{.*}}@length(
// CHECK:       ptrtoint {{ptr|[%.a-z0-9_]+\*}} %1 to i64
// CHECK:       sub i64

// -mcpu=v1 has no 32-bit jumps: the all-ones constant is compared as a
// zero-extended 64-bit value, never as a sign-extended immediate.
// V1-LABEL: all_ones:
// V1:       r{{[0-9]}} = 4294967295 ll
// V1:       if r{{[0-9]}} {{[!=]=}} r{{[0-9]}} goto
