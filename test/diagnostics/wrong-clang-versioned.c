// A versioned plugin, lib/pcapfilter/clang-N/libpcapfilter.so, named
// directly (as -fplugin= and -fpass-plugin= do before Clang 18) to a Clang
// of another major version. Where its symbols resolve (an older plugin in a
// newer Clang) its own version check stops the compile, naming both
// versions (plugin/ClangVersionCheck.cpp), before it registers anything;
// where they do not, dlopen() fails and Clang stops, naming the file and
// the symbol.
// REQUIRES: plugin-v14, plugin-v16, plugin-v19
// RUN: not %clang_v16 -target bpf -fplugin=%plugin_v14 -fpass-plugin=%plugin_v14 -I%S/../../include -c %s -o %t.o 2>&1 | FileCheck %s --check-prefix=OLDER
// OLDER: pcapfilter: this plugin is built for Clang 14, but Clang 16 loaded it; use clang-14 or build pcapfilter against Clang 16
// OLDER-NOT: error
// RUN: not %clang_v19 -target bpf -fplugin=%plugin_v16 -I%S/../../include -c %s -o %t.o 2>&1 | FileCheck %s --check-prefix=NEWER
// NEWER: error: unable to load plugin '{{.*}}/lib/pcapfilter/clang-16/libpcapfilter.so': {{.*}}undefined symbol

#include <pcap_filter.h>
static __noinline int web(void *data, void *data_end) __pcap_filter("tcp port 80");
int prog(void *data, void *data_end) { return web(data, data_end); }
