// The skb and probe access modes: how they read the packet.
// RUN: %clang_bpf -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,%ctx_load
// RUN: %clang_bpf -O2 -S %s -o - | FileCheck %s --check-prefix=ASM
#include <linux/bpf.h>
#include <pcap_filter.h>

// skb: the linear head directly, bpf_skb_load_bytes (helper 26) beyond it;
// the length check uses skb->len (offset 0).
static __noinline __u32 skb_udp(struct __sk_buff *skb) __pcap_filter("udp port 53");
// skb_load_bytes: never a direct read (socket filters).
static __noinline __u32 sock_udp(struct __sk_buff *skb) __pcap_filter("udp port 53", "access=skb_load_bytes");
// Linux extensions from __sk_buff: pkt_type is at offset 4, mark at 8.
static __noinline __u32 outbound(struct __sk_buff *skb) __pcap_filter("outbound");
static __noinline __u32 mark(struct __sk_buff *skb) __pcap_cbpf("2,32 0 0 4294963220,22 0 0 0");
// probe: one bpf_probe_read_kernel (helper 113) per length check, loads
// from the stack copy.
static __noinline __u32 probe_udp(void *data, void *data_end) __pcap_filter("udp port 53", "access=probe");

int tc(struct __sk_buff *skb)
{
	return skb_udp(skb) + sock_udp(skb) + outbound(skb) + mark(skb) +
	       probe_udp((void *)(long)skb->data, (void *)(long)skb->data_end);
}

// CHECK-LABEL: define internal {{.*}}@skb_udp(
// Context fields are read through llvm.bpf.getelementptr.and.load (an
// inline asm load before Clang 18), one load at a constant offset the
// optimiser cannot merge or move (data at 76).
// CTX-GEP:     @llvm.bpf.getelementptr.and.load.i32({{ptr|[%.a-z0-9_]+\*}} {{.*}}%0, {{.*}}, i64 immarg 76)
// CTX-GEP:     [[LEN:%.*]] = {{.*}}call i32 {{.*}}@llvm.bpf.getelementptr.and.load.i32({{ptr|[%.a-z0-9_]+\*}} {{.*}}%0, {{.*}}, i64 immarg 0)
// CTX-ASM:     asm "$0 = *(u32 *)($1 + 76)", "=r,r"({{.*}}%0)
// CTX-ASM:     [[LEN64:%.*]] = {{.*}}call i64 asm "$0 = *(u32 *)($1 + 0)", "=r,r"({{.*}}%0)
// CTX-ASM:     [[LEN:%.*]] = trunc i64 [[LEN64]] to i32
// CHECK:       icmp ult i32 [[LEN]], 24
// CHECK:       icmp {{ugt|ule}} {{ptr|[%.a-z0-9_]+\*}}
// CHECK:       call i64 inttoptr (i64 26 to {{ptr|i64 \(.*\)\*}})({{ptr|[%.a-z0-9_]+\*}} {{.*}}%0, i32 12, {{ptr|[%.a-z0-9_]+\*}}
// CHECK-LABEL: define internal {{.*}}@sock_udp(
// CHECK-NOT:   icmp {{ugt|ule}} {{ptr|[%.a-z0-9_]+\*}}
// CHECK:       call i64 inttoptr (i64 26 to {{ptr|i64 \(.*\)\*}})({{ptr|[%.a-z0-9_]+\*}} {{.*}}%0, i32 12, {{ptr|[%.a-z0-9_]+\*}}
// CHECK-LABEL: define internal {{.*}}@outbound(
// CTX-GEP:     @llvm.bpf.getelementptr.and.load.i32({{ptr|[%.a-z0-9_]+\*}} {{.*}}%0, {{.*}}, i64 immarg 4)
// CTX-ASM:     asm "$0 = *(u32 *)($1 + 4)", "=r,r"({{.*}}%0)
// CHECK-NOT:   call i64
// CHECK-LABEL: define internal {{.*}}@mark(
// CTX-GEP:     @llvm.bpf.getelementptr.and.load.i32({{ptr|[%.a-z0-9_]+\*}} {{.*}}%0, {{.*}}, i64 immarg 8)
// CTX-ASM:     asm "$0 = *(u32 *)($1 + 8)", "=r,r"({{.*}}%0)
// CHECK-LABEL: define internal {{.*}}@probe_udp(
// CHECK:       call i64 inttoptr (i64 113 to {{ptr|i64 \(.*\)\*}})({{ptr|\[[0-9]+ x i8\]\*}} {{.*}}, i32 24, {{ptr|[%.a-z0-9_]+\*}} %0)

// ASM-LABEL: probe_udp:
// ASM:       call 113
