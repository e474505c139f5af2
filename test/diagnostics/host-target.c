// Direct access has no BPF-only construct: the same stub compiles for the
// host (native filters for userspace). Modes that call BPF helpers do not.
// RUN: %clang -target x86_64-linux-gnu %plugin_flags -I%S/../../include -O2 -S -emit-llvm %s -o - | FileCheck %s
// A sanitized host build checks the filter's loads too.
// RUN: %clang -target x86_64-linux-gnu -fsanitize=address %plugin_flags -I%S/../../include -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=ASAN
// RUN: not %clang -target x86_64-linux-gnu %plugin_flags -I%S/../../include -fsyntax-only -DPROBE %s 2>&1 | FileCheck %s --check-prefix=PROBE
#include <pcap_filter.h>

#ifndef PROBE
static unsigned int web(void *data, void *data_end) __pcap_filter("tcp port 80");
unsigned int filter(unsigned char *p, unsigned long n) { return web(p, p + n); }
// CHECK-LABEL: define {{.*}}i32 @filter(
// CHECK-NOT:   call
// CHECK:       load i16, {{ptr|[%.a-z0-9_]+\*}} {{.*}}, align 1
// ASAN-LABEL: define {{.*}}i32 @filter(
// ASAN:       call void @__asan_report_load
#else
// PROBE: error: access=probe calls BPF helpers; it needs -target bpf
static unsigned int web(void *data, void *data_end) __pcap_filter("tcp port 80", "access=probe");
#endif
