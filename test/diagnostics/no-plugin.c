// Without the plugin, the header stops the build and says how to fix it,
// and __has_attribute(pcap_filter) is false. With the plugin,
// __PCAP_FILTER_PLUGIN__ is defined, and from Clang 18 (where the plugin's
// attribute joins __has_attribute) __has_attribute(pcap_filter) is true.
// RUN: not %clang_noplugin -fsyntax-only %s 2>&1 | FileCheck %s
// RUN: %clang_noplugin -fsyntax-only -DPROBE_ONLY -Xclang -verify %s
// RUN: %clang_bpf -fsyntax-only -DPROBE_ONLY -DWITH_PLUGIN -Xclang -verify %s

#ifdef PROBE_ONLY
#if defined(WITH_PLUGIN) != defined(__PCAP_FILTER_PLUGIN__)
#error "__PCAP_FILTER_PLUGIN__ is wrong"
#endif
#if (defined(WITH_PLUGIN) && __clang_major__ >= 18) != __has_attribute(pcap_filter)
#error "__has_attribute(pcap_filter) is wrong"
#endif
// expected-no-diagnostics
#else
// CHECK: error: "pcap_filter.h needs the pcapfilter Clang plugin: compile with -fplugin=<prefix>/lib/libpcapfilter.so and the Clang it is built for (given to another Clang, the plugin said which in a 'pcapfilter:' line above)"
#include <pcap_filter.h>
#endif
