// Link types: any libpcap name or DLT number; an unknown name, or an
// expression the link type cannot have, is a Clang error at the string with
// libpcap's text.
// RUN: %clang_bpf -fsyntax-only -Xclang -verify %s
// RUN: %clang_bpf -O2 -S -emit-llvm -DGOOD %s -o - | FileCheck %s
#include <linux/bpf.h>
#include <pcap_filter.h>

#ifndef GOOD
// expected-error@+1 {{invalid pcap_filter option: unknown link type 'TOKEN_RING_9'}}
static __u32 unknown(void *d, void *e) __pcap_filter("ip", "linktype=TOKEN_RING_9");
// expected-error@+1 {{invalid pcap filter: ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel}}
static __u32 no_mac(void *d, void *e) __pcap_filter("ether host 1:2:3:4:5:6", "linktype=RAW");
// expected-error@+1 {{invalid pcap filter: no VLAN support for Raw IP}}
static __u32 no_vlan(void *d, void *e) __pcap_filter("vlan", "linktype=RAW");
// expected-error@+1 {{invalid pcap_filter option: unknown link type '99999'}}
static __u32 bad_number(void *d, void *e) __pcap_filter("ip", "linktype=99999");
#else
// RAW: the IPv4 version nibble is at byte 0, no Ethernet header.
static __noinline __u32 raw_tcp(void *d, void *e) __pcap_filter("tcp", "linktype=RAW", "snaplen=1500");
// A DLT number works as well as its name (113 is LINUX_SLL).
static __noinline __u32 sll_ip(void *d, void *e) __pcap_filter("ip", "linktype=113");

int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;
	return raw_tcp(d, e) + sll_ip(d, e);
}
// CHECK-LABEL: define internal {{.*}}@raw_tcp(
// CHECK-DAG:   load i8, {{ptr|[%.a-z0-9_]+\*}} %0,
// CHECK-DAG:   [ 1500,
// CHECK-LABEL: define internal {{.*}}@sll_ip(
// The Linux cooked header's protocol field is at byte 14.
// CHECK:       getelementptr i8, {{ptr|[%.a-z0-9_]+\*}} %0, i64 14
#endif
