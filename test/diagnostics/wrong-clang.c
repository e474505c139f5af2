// The plugin given to a Clang it is not built for (here clang-16, with only
// the plugin for Clang 19 installed, as when pcapfilter was built for 19
// alone): the loader, lib/libpcapfilter.so, says which Clang loaded it and
// which the plugin is built for, and opens nothing, so no C++ symbol is left
// unresolved; pcap_filter.h then stops the compile.
// REQUIRES: plugin-v16, plugin-v19
// RUN: rm -rf %t && mkdir -p %t/lib/pcapfilter/clang-19
// RUN: cp %plugin %t/lib/libpcapfilter.so
// RUN: ln -s %plugin_v19 %t/lib/pcapfilter/clang-19/libpcapfilter.so
// RUN: not %clang_v16 -target bpf -fplugin=%t/lib/libpcapfilter.so -I%S/../../include -fsyntax-only %s 2>&1 | FileCheck %s
// CHECK-NOT: undefined symbol
// CHECK: pcapfilter: this is Clang 16, the plugin is installed for Clang 19 ({{.*}}/lib/pcapfilter/clang-19/libpcapfilter.so); use clang-19 or build pcapfilter against Clang 16
// CHECK-NOT: undefined symbol
// CHECK: error: "pcap_filter.h needs the pcapfilter Clang plugin
// CHECK-NOT: undefined symbol

#include <pcap_filter.h>
static __noinline int web(void *data, void *data_end) __pcap_filter("tcp port 80");
