// The C23 spelling and the GNU spelling are the same attribute.
// Before Clang 18 the parser reads the arguments of a [[...]] attribute only
// when hasAttribute() knows it, which it does not for a plugin's (the same
// reason __has_attribute(pcap_filter) is false there, no-plugin.c):
// [[pcap_filter("...")]] is "takes at least 1 argument", whatever the plugin.
// UNSUPPORTED: clang-lt-18
// RUN: %clang_bpf -std=c23 -O2 -S -emit-llvm -Xclang -verify %s -o - | FileCheck %s
// expected-no-diagnostics
#include <linux/bpf.h>

[[pcap_filter("udp port 53")]] static unsigned int dns(void *data, void *data_end);

int prog(struct xdp_md *ctx)
{
	return dns((void *)(long)ctx->data, (void *)(long)ctx->data_end);
}
// CHECK: define {{.*}}i32 @prog(
// CHECK-NOT: call {{.*}}@dns
// CHECK: ret i32
