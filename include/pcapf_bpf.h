/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcapf_bpf.h: filters chosen at run time, put into a libbpf object's
 * run-time stubs before it loads (libpcapf_bpf, runtime/inject.c).
 *
 * The BPF C program declares the stub with the plugin:
 *
 *   static __u32 match(void *data, void *data_end) __pcap_filter_runtime();
 *
 * and the loader says which filter goes there, between open and load:
 *
 *   pcapf_bpf__register_handlers();          once, before any open
 *   obj = bpf_object__open_file("prog.bpf.o", NULL);
 *   err = pcapf_bpf_object__set_filter(obj, "match", argv[1], NULL, errbuf);
 *   err = bpf_object__load(obj);
 *
 * Each program of the object that calls the stub then runs the filter,
 * spliced in place of the stub's placeholder body after libbpf has
 * relocated the program, with the stub's func_info and line info (the
 * attribute's line) kept; docs/runtime.md says how and why.
 *
 * libbpf chooses a program's load hooks when it opens the object, from its
 * section name, so the hooks must be registered before bpf_object__open():
 * pcapf_bpf__register_handlers() takes over these SEC() names, for every
 * object the process opens afterwards, with libbpf's own program type and
 * attach behaviour for each:
 *   xdp, tc, classifier, socket, cgroup_skb/ingress, cgroup_skb/egress,
 *   tp_btf/FUNC, fentry/FUNC, fexit/FUNC
 * A stub called from a program in another section, or from a program
 * opened before the registration, is not filled; the verifier then refuses
 * that program ("R0 !read_ok" in the stub), as for a stub that was given no
 * filter. Like libbpf's handler API, none of this is thread-safe.
 *
 * Errors are negative errnos with a message in errbuf (PCAPF_ERRBUF_SIZE
 * bytes, may be NULL), as in pcapf.h.
 */
#ifndef PCAPF_BPF_H
#define PCAPF_BPF_H

#include <pcapf.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bpf_object;

/* Register the load hooks for the SEC() names above with libbpf. Call it
 * before opening the objects whose stubs get filters; calling it again does
 * nothing. Returns 0 or libbpf's negative errno. */
PCAPF_API int pcapf_bpf__register_handlers(void);

/*
 * Compile expr for the run-time stub named stub of obj, an opened, not yet
 * loaded object, and put it into every program of obj that calls the stub
 * when obj loads. Setting a stub again replaces its filter. opts (may be
 * NULL) are as for pcapf_prog__compile(); the options the stub was
 * declared with are the defaults, and an option of opts that contradicts
 * one of them is an error. The access mode must fit the stub's form
 * (pcapf_stub_form_access()): direct or probe for (void *data,
 * void *data_end), direct for (struct xdp_md *), skb or skb_load_bytes for
 * (struct __sk_buff *). A bool or int stub returns 1 on a match
 * (pcapf_stub_returns_match()), a __u32 one the filter's value.
 *
 * Returns 0, or:
 *   -EINVAL   NULL obj, stub or expr; a bad expression (libpcap's message)
 *             or options; an access mode the stub's form does not fit; a
 *             function that is not a run-time stub, or whose prototype is
 *             no stub form
 *   -ENOENT   obj has no BTF, or no function named stub
 *   -ENOTSUP  no program of obj has the load hook (opened before
 *             pcapf_bpf__register_handlers(), or in other sections)
 *   -EOPNOTSUPP, -E2BIG  the filter cannot be translated (pcapf.h)
 *   -ENOMEM
 */
PCAPF_API int pcapf_bpf_object__set_filter(struct bpf_object *obj,
					   const char *stub, const char *expr,
					   const struct pcapf_opts *opts,
					   char *errbuf);

#ifdef __cplusplus
}
#endif

#endif /* PCAPF_BPF_H */
