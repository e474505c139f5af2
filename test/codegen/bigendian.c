// Byte order: packet bytes are in network byte order, so a load is
// byte-swapped on a little-endian target (bpfel, x86) and read as it is on
// a big-endian one (bpfeb, which `-target bpf` means on a big-endian
// machine). Every load size and path: absolute and indexed direct loads,
// skb access (linear head and bpf_skb_load_bytes), skb_load_bytes, the
// probe copies (the check's buffer, the indexed buffer, a load beyond
// them), and the Linux extensions the kernel gives with ntohs(): the
// comparison constants are the cBPF ones (53 for udp port 53) wherever the
// loaded value is in host order.
// RUN: %clang_bpf -target bpfel -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=IR,IR-EL,%ctx_load-EL
// RUN: %clang_bpf -target bpfeb -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=IR,IR-EB,%ctx_load-EB
// RUN: %clang_bpf -target bpfel -O2 -S %s -o - | FileCheck %s --check-prefixes=ASM,ASM-EL,%ctx_load-ASM --allow-unused-prefixes
// RUN: %clang_bpf -target bpfeb -O2 -S %s -o - | FileCheck %s --check-prefixes=ASM,ASM-EB,%ctx_load-ASM --allow-unused-prefixes
// bpfeb: no swap anywhere, before the optimiser folds any or after.
// RUN: %clang_bpf -target bpfeb -O0 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=EB-NO-SWAP
// RUN: %clang_bpf -target bpfeb -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=EB-NO-SWAP
// RUN: %clang_bpf -target bpfeb -O2 -S %s -o - | FileCheck %s --check-prefix=EB-NO-SWAP-ASM
// EB-NO-SWAP-NOT:     bswap
// EB-NO-SWAP-ASM-NOT: {{(be|le|bswap)(16|32|64)}}
#include <linux/bpf.h>
#include <pcap_filter.h>

#define PP void *data, void *data_end
// ld{b,h,} [k]; ret a
static __noinline __u32 abs_b(PP) __pcap_cbpf("2,48 0 0 23,22 0 0 0");
static __noinline __u32 abs_h(PP) __pcap_cbpf("2,40 0 0 12,22 0 0 0");
static __noinline __u32 abs_w(PP) __pcap_cbpf("2,32 0 0 26,22 0 0 0");
// ldx #14; ld{b,h,} [x + k]; ret a
static __noinline __u32 ind_b(PP) __pcap_cbpf("3,1 0 0 14,80 0 0 9,22 0 0 0");
static __noinline __u32 ind_h(PP) __pcap_cbpf("3,1 0 0 14,72 0 0 2,22 0 0 0");
static __noinline __u32 ind_w(PP) __pcap_cbpf("3,1 0 0 14,64 0 0 12,22 0 0 0");
static __noinline __u32 skb_h(struct __sk_buff *skb)
	__pcap_cbpf("2,40 0 0 12,22 0 0 0", "access=skb");
static __noinline __u32 skb_w(struct __sk_buff *skb)
	__pcap_cbpf("2,32 0 0 26,22 0 0 0", "access=skb_load_bytes");
static __noinline __u32 probe_h(PP) __pcap_cbpf("2,40 0 0 12,22 0 0 0", "access=probe");
static __noinline __u32 probe_ind_w(PP)
	__pcap_cbpf("3,1 0 0 14,64 0 0 12,22 0 0 0", "access=probe");
// ldh [200]: past the 128 bytes of the check's copy, read on its own
static __noinline __u32 probe_far(PP) __pcap_cbpf("2,40 0 0 200,22 0 0 0", "access=probe");
// ld #proto, ld #vlan_tpid
static __noinline __u32 proto(struct __sk_buff *skb)
	__pcap_cbpf("2,32 0 0 4294963200,22 0 0 0", "access=skb");
static __noinline __u32 tpid(struct __sk_buff *skb)
	__pcap_cbpf("2,32 0 0 4294963260,22 0 0 0", "access=skb");
static __noinline __u32 dns(PP) __pcap_filter("udp port 53");
// ld [26]; jeq #0x0a000001 (ip src 10.0.0.1)
static __noinline __u32 src_10_0_0_1(PP)
	__pcap_cbpf("4,32 0 0 26,21 0 1 167772161,6 0 0 1,6 0 0 0");

#define D (void *)(long)skb->data, (void *)(long)skb->data_end
int tc(struct __sk_buff *skb)
{
	return abs_b(D) + abs_h(D) + abs_w(D) + ind_b(D) + ind_h(D) + ind_w(D) +
	       skb_h(skb) + skb_w(skb) + probe_h(D) + probe_ind_w(D) + probe_far(D) +
	       proto(skb) + tpid(skb) + dns(D) + src_10_0_0_1(D);
}

// IR-LABEL:   define internal {{.*}}@abs_b(
// IR:         [[V:%.*]] = load i8, {{ptr|[%.a-z0-9_]+\*}} {{.*}}, align 1
// IR-NEXT:    zext i8 [[V]] to i32
// IR-LABEL:   define internal {{.*}}@abs_h(
// IR:         [[L:%.*]] = load i16, {{ptr|[%.a-z0-9_]+\*}} {{.*}}, align 2
// IR-EL-NEXT: [[S:%.*]] = tail call i16 @llvm.bswap.i16(i16 [[L]])
// IR-EL-NEXT: zext i16 [[S]] to i32
// IR-EB-NEXT: zext i16 [[L]] to i32
// IR-LABEL:   define internal {{.*}}@abs_w(
// IR:         [[V:%.*]] = load i32, {{ptr|[%.a-z0-9_]+\*}} {{.*}}, align 4
// IR-EL-NEXT: tail call i32 @llvm.bswap.i32(i32 [[V]])
// IR-EB-NEXT: br label
// IR-LABEL:   define internal {{.*}}@ind_b(
// IR:         [[V:%.*]] = load i8, {{ptr|[%.a-z0-9_]+\*}} {{.*}}, align 1
// IR-NEXT:    zext i8 [[V]] to i32
// IR-LABEL:   define internal {{.*}}@ind_h(
// IR:         [[L:%.*]] = load i16, {{ptr|[%.a-z0-9_]+\*}} {{.*}}, align 2
// IR-EL-NEXT: [[S:%.*]] = tail call i16 @llvm.bswap.i16(i16 [[L]])
// IR-EL-NEXT: zext i16 [[S]] to i32
// IR-EB-NEXT: zext i16 [[L]] to i32
// IR-LABEL:   define internal {{.*}}@ind_w(
// IR:         [[V:%.*]] = load i32, {{ptr|[%.a-z0-9_]+\*}} {{.*}}, align 4
// IR-EL-NEXT: tail call i32 @llvm.bswap.i32(i32 [[V]])
// IR-EB-NEXT: br label
// skb: the head and the helper's copy (which bpfeb reads through one
// load from either pointer).
// IR-LABEL:   define internal {{.*}}@skb_h(
// IR-EL:      call i16 @llvm.bswap.i16
// IR:         call i64 inttoptr (i64 26 to {{ptr|i64 \(.*\)\*}})
// IR-EL:      call i16 @llvm.bswap.i16
// IR-EB:      [[V:%.*]] = load i16, {{ptr|[%.a-z0-9_]+\*}}
// IR-EB-NEXT: zext i16 [[V]] to i32
// IR-LABEL:   define internal {{.*}}@skb_w(
// IR:         call i64 inttoptr (i64 26 to {{ptr|i64 \(.*\)\*}})
// IR:         [[V:%.*]] = load i32, {{ptr|[%.a-z0-9_]+\*}}
// IR-EL-NEXT: call i32 @llvm.bswap.i32(i32 [[V]])
// IR-EB-NEXT: br label
// IR-LABEL:   define internal {{.*}}@probe_h(
// IR:         call i64 inttoptr (i64 113 to {{ptr|i64 \(.*\)\*}})
// IR:         [[L:%.*]] = load i16, {{ptr|[%.a-z0-9_]+\*}}
// IR-EL-NEXT: [[S:%.*]] = call i16 @llvm.bswap.i16(i16 [[L]])
// IR-EL-NEXT: zext i16 [[S]] to i32
// IR-EB-NEXT: zext i16 [[L]] to i32
// IR-LABEL:   define internal {{.*}}@probe_ind_w(
// IR:         call i64 inttoptr (i64 113 to {{ptr|i64 \(.*\)\*}})
// IR:         [[V:%.*]] = load i32, {{ptr|[%.a-z0-9_]+\*}}
// IR-EL-NEXT: call i32 @llvm.bswap.i32(i32 [[V]])
// IR-EB-NEXT: br label
// IR-LABEL:   define internal {{.*}}@probe_far(
// IR:         call i64 inttoptr (i64 113 to {{ptr|i64 \(.*\)\*}})({{.*}}, i32 2, {{ptr|[%.a-z0-9_]+\*}}
// IR:         [[L:%.*]] = load i16, {{ptr|[%.a-z0-9_]+\*}}
// IR-EL-NEXT: [[S:%.*]] = call i16 @llvm.bswap.i16(i16 [[L]])
// IR-EL-NEXT: zext i16 [[S]] to i32
// IR-EB-NEXT: zext i16 [[L]] to i32
// __sk_buff protocol (offset 16) and vlan_proto (offset 28).
// IR-LABEL:   define internal {{.*}}@proto(
// CTX-GEP-EL:      [[L:%.*]] = {{.*}}call i32 {{.*}}@llvm.bpf.getelementptr.and.load.i32({{.*}}, i64 immarg 16)
// CTX-GEP-EL-NEXT: [[T:%.*]] = trunc i32 [[L]] to i16
// CTX-ASM-EL:      [[L:%.*]] = {{.*}}call i64 asm "$0 = *(u32 *)($1 + 16)"
// CTX-ASM-EL-NEXT: [[T:%.*]] = trunc i64 [[L]] to i16
// IR-EL-NEXT: [[S:%.*]] = tail call i16 @llvm.bswap.i16(i16 [[T]])
// IR-EL-NEXT: [[Z:%.*]] = zext i16 [[S]] to i32
// IR-EL-NEXT: ret i32 [[Z]]
// CTX-GEP-EB:      [[L:%.*]] = {{.*}}call i32 {{.*}}@llvm.bpf.getelementptr.and.load.i32({{.*}}, i64 immarg 16)
// CTX-GEP-EB-NEXT: ret i32 [[L]]
// CTX-ASM-EB:      [[L:%.*]] = {{.*}}call i64 asm "$0 = *(u32 *)($1 + 16)"
// CTX-ASM-EB-NEXT: [[T:%.*]] = trunc i64 [[L]] to i32
// CTX-ASM-EB-NEXT: ret i32 [[T]]
// IR-LABEL:   define internal {{.*}}@tpid(
// CTX-GEP-EL:      [[L:%.*]] = {{.*}}call i32 {{.*}}@llvm.bpf.getelementptr.and.load.i32({{.*}}, i64 immarg 28)
// CTX-GEP-EL-NEXT: [[T:%.*]] = trunc i32 [[L]] to i16
// CTX-ASM-EL:      [[L:%.*]] = {{.*}}call i64 asm "$0 = *(u32 *)($1 + 28)"
// CTX-ASM-EL-NEXT: [[T:%.*]] = trunc i64 [[L]] to i16
// IR-EL-NEXT: [[S:%.*]] = tail call i16 @llvm.bswap.i16(i16 [[T]])
// IR-EL-NEXT: [[Z:%.*]] = zext i16 [[S]] to i32
// IR-EL-NEXT: ret i32 [[Z]]
// CTX-GEP-EB:      [[L:%.*]] = {{.*}}call i32 {{.*}}@llvm.bpf.getelementptr.and.load.i32({{.*}}, i64 immarg 28)
// CTX-GEP-EB-NEXT: ret i32 [[L]]
// CTX-ASM-EB:      [[L:%.*]] = {{.*}}call i64 asm "$0 = *(u32 *)($1 + 28)"
// CTX-ASM-EB-NEXT: [[T:%.*]] = trunc i64 [[L]] to i32
// CTX-ASM-EB-NEXT: ret i32 [[T]]
// The constants after the optimiser: a swapped load compares with the
// swapped constant (0x0008 for IPv4, 0x3500 for port 53), an unswapped one
// with the cBPF constant.
// IR-LABEL:   define internal {{.*}}@dns(
// IR-EL:      i16 8, label
// IR-EB:      i16 2048, label
// IR-EL:      icmp eq i16 %{{.*}}, 13568
// IR-EB:      icmp eq i16 %{{.*}}, 53
// IR-LABEL:   define internal {{.*}}@src_10_0_0_1(
// IR-EL:      icmp eq i32 %{{.*}}, 16777226
// IR-EB:      icmp eq i32 %{{.*}}, 167772161

// ASM-LABEL:   abs_b:
// ASM:         r[[R:[0-9]]] = *(u8 *)(r1 + 23)
// ASM-NEXT:    {{^LBB[0-9_]+:}}
// ASM-LABEL:   abs_h:
// ASM:         r[[R:[0-9]]] = *(u16 *)(r1 + 12)
// ASM-EL-NEXT: r[[R]] = be16 r[[R]]
// ASM-NEXT:    {{^LBB[0-9_]+:}}
// ASM-LABEL:   abs_w:
// ASM:         r[[R:[0-9]]] = *(u32 *)(r1 + 26)
// ASM-EL-NEXT: r[[R]] = be32 r[[R]]
// ASM-NEXT:    {{^LBB[0-9_]+:}}
// X is the constant 14, which needs no bound (PCAPF_INSN_X_IN_RANGE), so
// the backend folds it into the load's offset.
// ASM-LABEL:   ind_h:
// ASM:         r[[R:[0-9]]] = *(u16 *)(r1 + 16)
// ASM-EL-NEXT: r[[R]] = be16 r[[R]]
// ASM-NEXT:    {{^LBB[0-9_]+:}}
// ASM-LABEL:   ind_w:
// ASM:         r[[R:[0-9]]] = *(u32 *)(r1 + 26)
// ASM-EL-NEXT: r[[R]] = be32 r[[R]]
// ASM-NEXT:    {{^LBB[0-9_]+:}}
// ASM-LABEL:   skb_w:
// ASM:         call 26
// ASM:         r[[R:[0-9]]] = *(u32 *)(r10 - 4)
// ASM-EL-NEXT: r[[R]] = be32 r[[R]]
// ASM-LABEL:   probe_h:
// ASM:         call 113
// ASM:         r[[R:[0-9]]] = *(u16 *)(r10 -
// ASM-EL-NEXT: r[[R]] = be16 r[[R]]
// ASM-LABEL:   probe_far:
// ASM:         call 113
// ASM:         call 113
// ASM:         r[[R:[0-9]]] = *(u16 *)(r10 - 4)
// ASM-EL-NEXT: r[[R]] = be16 r[[R]]
// ASM-LABEL:   proto:
// Before Clang 18 the context load is inline asm, in #APP/#NO_APP.
// ASM:         r0 = *(u32 *)(r1 + 16)
// CTX-ASM-ASM-NEXT: #NO_APP
// ASM-EL-NEXT: r0 = be16 r0
// ASM-NEXT:    exit
// ASM-LABEL:   tpid:
// ASM:         r0 = *(u32 *)(r1 + 28)
// CTX-ASM-ASM-NEXT: #NO_APP
// ASM-EL-NEXT: r0 = be16 r0
// ASM-NEXT:    exit
// ASM-LABEL:   dns:
// ASM-EL:      if r{{[0-9]}} == 8 goto
// ASM-EB:      if r{{[0-9]}} == 2048 goto
// ASM-EL:      if r{{[0-9]}} == 13568 goto
// ASM-EB:      if r{{[0-9]}} == 53 goto
// ASM-LABEL:   src_10_0_0_1:
// ASM-EL:      if r{{[0-9]}} == 16777226 goto
// ASM-EB:      if r{{[0-9]}} == 167772161 goto
