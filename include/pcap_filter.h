/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcap_filter.h: build-time pcap filters for BPF C.
 *
 * Declare a stub and the pcapfilter Clang plugin fills it with the compiled
 * filter:
 *
 *   #include <pcap_filter.h>
 *   static __noinline bool is_web(void *data, void *data_end)
 *           __pcap_filter("tcp port 80 or tcp port 443");
 *
 *   clang -target bpf -O2 -g -fplugin=libpcapfilter.so -c prog.bpf.c
 *
 * Stub forms (parameters):
 *   (void *data, void *data_end)  direct packet access; must be static
 *   (struct xdp_md *ctx)          direct access through the XDP context
 *   (struct __sk_buff *skb)       skb access (TC, cgroup_skb, socket filters);
 *                                 calling it from an XDP program, or an
 *                                 xdp_md stub from an skb program, is an error
 * Return type: bool or int (1 on match, 0 otherwise), or __u32 (the
 * filter's own return value, as libpcap's bpf_filter(): the snap length on
 * match, 0 otherwise).
 * Options follow the expression as strings: "linktype=RAW",
 * "snaplen=1500", "access=direct", each at most once. Every argument is a
 * string literal ("..." or u8"...") without a NUL inside. A stub has a
 * prototype and one such attribute; it may be declared without a body, or
 * with a placeholder body that the plugin replaces. The plugin's LLVM pass
 * defines the stubs, so -Xclang -disable-llvm-passes is an error.
 *
 * Classic BPF written by hand, as `tcpdump -ddd` prints it or as iptables'
 * xt_bpf takes it, goes through the same checks and translation:
 *   static __u32 is_arp(void *data, void *data_end)
 *           __pcap_cbpf("4,40 0 0 12,21 0 1 2054,6 0 0 4096,6 0 0 0");
 *
 * A filter chosen at run time, by the program that loads the object:
 *   static __noinline __u32 match(void *data, void *data_end)
 *           __pcap_filter_runtime();
 * The plugin gives the stub a placeholder body that the verifier refuses
 * (it returns an unset r0), so an object whose stub was not filled cannot
 * load; the loader puts the filter in before loading (pcapf_bpf.h,
 * pcapf_bpf_object__set_filter()). Options as above ("access=probe",
 * "linktype=RAW", "snaplen=N") are the filter's defaults and limits, and
 * are kept in the object's BTF for the loader. The stub is never inlined.
 * __pcap_filter("@runtime", ...) is the same thing spelled out.
 */
#ifndef PCAP_FILTER_H
#define PCAP_FILTER_H

/* The plugin defines __PCAP_FILTER_PLUGIN__; Clang 17 and later also know
 * its attribute in __has_attribute. */
#if !defined(__PCAP_FILTER_PLUGIN__) && \
	(!defined(__has_attribute) || !__has_attribute(pcap_filter))
/* Also reached when the plugin was given to a Clang it is not built for: it
 * then printed a "pcapfilter: this is Clang N, ..." line naming both. */
#error "pcap_filter.h needs the pcapfilter Clang plugin: compile with -fplugin=<prefix>/lib/libpcapfilter.so and the Clang it is built for (given to another Clang, the plugin said which in a 'pcapfilter:' line above)"
#endif

#define __pcap_filter(...) __attribute__((pcap_filter(__VA_ARGS__)))
#define __pcap_cbpf(...) __attribute__((pcap_filter(__VA_ARGS__, "input=cbpf")))
#define PCAP_FILTER_RUNTIME "@runtime"
#define __pcap_filter_runtime(...)                                             \
	__attribute__((noinline, pcap_filter(PCAP_FILTER_RUNTIME, ##__VA_ARGS__)))

#ifndef __noinline
#define __noinline __attribute__((noinline))
#endif

#endif /* PCAP_FILTER_H */
