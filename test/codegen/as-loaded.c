// A word or halfword only compared, bit-tested or masked with constants
// (pcapf_prog__as_loaded()) is read as it lies in memory, and the masks and
// constants are swapped instead. LLVM moves a swap to a compare's constant
// itself, but not through a mask whose swapped value has two uses: here one
// load of the source address feeds both `src net` masks, which were a
// `be32` and 64-bit constants (`r4 = 0xff000000 ll`, two slots each).
// RUN: %clang_bpf -O2 -S %s -o - | FileCheck %s
#include <linux/bpf.h>
#include <pcap_filter.h>

static __noinline __u32 nets(void *d, void *e)
	__pcap_filter("src net 10.0.0.0/8 or src net 192.168.0.0/16");
int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;
	return nets(d, e);
}
// 10.0.0.0/8 is the low byte of the word as loaded (10), 192.168.0.0/16
// its low halfword (0xa8c0, 43200).
// CHECK-LABEL: nets:
// CHECK-NOT:   be32
// CHECK-NOT:   ll
// CHECK:       r[[W:[0-9]]] = *(u32 *)(r{{[0-9]}} + 26)
// CHECK:       &= 255
// CHECK-NEXT:  if r{{[0-9]}} == 10 goto
// CHECK:       &= 65535
// CHECK-NEXT:  if r{{[0-9]}} {{==|!=}} 43200 goto
// CHECK-NOT:   ll
// CHECK:       exit
