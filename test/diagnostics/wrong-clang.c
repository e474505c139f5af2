// The plugin given to a Clang it is not built for (clang-14, Debian 12's
// default clang): the loader, lib/libpcapfilter.so, says which Clang loaded
// it and which the plugin is built for, and opens nothing, so no C++ symbol
// is left unresolved; pcap_filter.h then stops the compile.
// RUN: not %clang14_bpf -fsyntax-only %s 2>&1 | FileCheck %s -DMAJOR=%llvm_major
// CHECK-NOT: undefined symbol
// CHECK: pcapfilter: this is Clang 14, the plugin is installed for Clang [[MAJOR]] ({{.*}}/lib/pcapfilter/clang-[[MAJOR]]/libpcapfilter.so); use clang-[[MAJOR]] or build pcapfilter against Clang 14
// CHECK-NOT: undefined symbol
// CHECK: error: "pcap_filter.h needs the pcapfilter Clang plugin
// CHECK-NOT: undefined symbol

#include <pcap_filter.h>
static __noinline int web(void *data, void *data_end) __pcap_filter("tcp port 80");
