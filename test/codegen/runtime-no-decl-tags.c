// -fplugin-arg-pcapfilter-no-decl-tags, for loaders that cannot parse BTF
// DECL_TAG (cilium/ebpf 0.9 and its bpf2go: bindings/go): the run-time
// stub keeps its FUNC, func_info and line but carries no decl tag; options
// in the attribute are then an error, since nothing would carry them to
// the loader; any other plugin argument is an error.
// RUN: %clang_bpf -fplugin-arg-pcapfilter-no-decl-tags -O2 -g -c %s -o %t.o
// RUN: bpftool btf dump file %t.o | FileCheck %s --check-prefix=BTF
// RUN: llvm-objdump -d -l --no-show-raw-insn %t.o | FileCheck %s --check-prefix=LINE
// RUN: %clang_bpf -O2 -g -c %s -o %t.tags.o
// RUN: bpftool btf dump file %t.tags.o | FileCheck %s --check-prefix=TAGS
// RUN: not %clang_bpf -fplugin-arg-pcapfilter-no-decl-tags -DOPTION -fsyntax-only %s 2>&1 | FileCheck %s --check-prefix=OPTION
// RUN: not %clang_bpf -fplugin-arg-pcapfilter-bogus -fsyntax-only %s 2>&1 | FileCheck %s --check-prefix=ARG
#include <linux/bpf.h>
#include <pcap_filter.h>

#ifdef OPTION
// OPTION: error: a run-time stub's options reach the loader as BTF decl tags, which -fplugin-arg-pcapfilter-no-decl-tags leaves out: give 'linktype=RAW' to the loader instead
static __u32 l3(void *data, void *data_end) __pcap_filter_runtime("linktype=RAW");
#endif

static __u32 web(void *data, void *data_end) __pcap_filter_runtime();

int prog(struct xdp_md *ctx)
{
	return web((void *)(long)ctx->data, (void *)(long)ctx->data_end);
}

// BTF: FUNC 'web' type_id={{[0-9]+}} linkage=static
// BTF-NOT: DECL_TAG
// TAGS: [[[FN:[0-9]+]]] FUNC 'web' type_id={{[0-9]+}} linkage=static
// TAGS-NEXT: DECL_TAG 'pcap_filter:runtime' type_id=[[FN]]
// LINE-LABEL: <web>:
// LINE-NEXT: ; web():
// LINE-NEXT: ; {{.*}}runtime-no-decl-tags.c:21
// LINE-NEXT: exit
// ARG: error: pcapfilter plugin: unknown argument 'bogus'; it takes only 'no-decl-tags' (pass filter options to __pcap_filter())
