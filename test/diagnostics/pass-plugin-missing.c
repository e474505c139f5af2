// Before Clang 18 only a pass plugin can add the pass that fills the stubs
// (plugin/PassPluginEntry.cpp): the plugin given with -fplugin alone, as
// itself or through the loader, stops a compile that runs the passes with
// an error naming the flag to add and the file, rather than leaving the
// stubs empty. A compile that runs no passes (-fsyntax-only, as editors
// do) needs no pass plugin. With both flags the stub is defined.
// REQUIRES: plugin-v16
// RUN: not %clang_v16 -target bpf -fplugin=%plugin_v16 -I%S/../../include -c %s -o %t.o 2>&1 | FileCheck %s -DPLUGIN=%plugin_v16
// RUN: not %clang_v16 -target bpf -fplugin=%plugin -I%S/../../include -c %s -o %t.o 2>&1 | FileCheck %s -DPLUGIN=%plugin_v16
// CHECK: error: pcapfilter: Clang 16 adds the pass that fills pcap_filter stubs only from a pass plugin; give the plugin with -fpass-plugin too: -fplugin=[[PLUGIN]] -fpass-plugin=[[PLUGIN]]
// RUN: %clang_v16 -target bpf -fplugin=%plugin_v16 -I%S/../../include -fsyntax-only %s
// RUN: %clang_v16 -target bpf -fplugin=%plugin_v16 -fpass-plugin=%plugin_v16 -I%S/../../include -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=BOTH
// BOTH: define internal {{.*}}i32 @web(
// BOTH-NOT: declare {{.*}} @web(

#include <pcap_filter.h>
static __noinline int web(void *data, void *data_end) __pcap_filter("tcp port 80");
int prog(void *data, void *data_end) { return web(data, data_end); }
