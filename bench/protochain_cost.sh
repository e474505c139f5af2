#!/bin/sh
# protochain_cost.sh: what protochain's bound costs (runtime/unroll.c), as
# it grows: for "ip6 protochain 17" in an XDP program built by the plugin
# (direct access, -O2), the BPF instructions, the kernel's verified_insns
# (the verifier's "processed N insns") and ns per run (BPF_PROG_TEST_RUN, bpftool prog run, repeat 100000) on
# libpcap's 100-header chain (ipv6_ext_headers.pcap) and on a 2-header one;
# and the run-time eBPF back end's instruction count (pcapf --ebpf).
# Needs root (bpftool prog load). Timings are for reading, never asserted.
# Usage: bench/protochain_cost.sh BUILD_DIR [DEPTH...]
set -eu
build=$(cd "$1" && pwd); shift
src=$(cd "$(dirname "$0")/.." && pwd)
depths=${*:-1 2 4 8 16 32 64 100 128}
work=$(mktemp -d); pin=/sys/fs/bpf/pcapf_protochain_cost_$$
trap 'rm -rf "$work"; [ ! -e "$pin" ] || rm -f "$pin"' EXIT
clang=${CLANG:-$(command -v clang-19 || echo /usr/lib/llvm-19/bin/clang)}
sysinc=$(sed -n 's/^PCAPF_BPF_SYSINC:[A-Z]*=//p' "$build/CMakeCache.txt")
# The packets: the corpus's 100-header chain, and hop-by-hop -> destination
# options -> UDP.
python3 - "$src/test/corpus/libpcap/pcaps/ipv6_ext_headers.pcap" "$work" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
cap = int.from_bytes(d[32:36], 'little')
open(sys.argv[2] + '/long', 'wb').write(d[40:40 + cap])
short = bytes.fromhex('abcdef000002abcdef00000186dd6000000000240040'
    'fe80000000000000112233fffe445566fe80000000000000778899fffeaabbcc'
    '3c00010400000000110001040000000009c40035000c0000' + '00' * 8)
open(sys.argv[2] + '/short', 'wb').write(short)
PY
ns() { bpftool prog run pinned "$pin" data_in "$work/$1" repeat 100000 |
	sed -n "s/.*duration[^0-9]*\([0-9]*\)ns.*/\1/p"; }
printf '| bound | plugin insns | plugin verified_insns | ns, 100 headers | ns, 2 headers | eBPF back end insns |\n'
printf '|---:|---:|---:|---:|---:|---:|\n'
for d in $depths; do
	cat > "$work/p.c" <<C
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <pcap_filter.h>
static __noinline __u32 f(void *d, void *e)
	__pcap_filter("ip6 protochain 17", "protochain_depth=$d");
SEC("xdp") int prog(struct xdp_md *c)
{
	return f((void *)(long)c->data, (void *)(long)c->data_end) ? XDP_PASS : XDP_DROP;
}
char _license[] SEC("license") = "GPL";
C
	"$clang" -target bpf -O2 -g -fplugin="$build/lib/libpcapfilter.so" \
		-I"$src/include" -idirafter "$sysinc" -c "$work/p.c" -o "$work/p.o"
	[ ! -e "$pin" ] || rm -f "$pin"
	if log=$(bpftool -d prog load "$work/p.o" "$pin" type xdp 2>&1); then
		verified=$(echo "$log" | sed -n 's/^processed \([0-9]*\) insns.*/\1/p')
		insns=$(bpftool prog show pinned "$pin" | sed -n 's/.*xlated \([0-9]*\)B.*/\1/p')
		insns=$((insns / 8))
		long=$(ns long); short=$(ns short)
	else
		insns=-; verified="refused"; long=-; short=-
	fi
	ebpf=$("$build/bin/pcapf" --ebpf --option=protochain_depth="$d" \
		"ip6 protochain 17" | grep -c '^ *[0-9]*:')
	printf '| %s | %s | %s | %s | %s | %s |\n' "$d" "$insns" "$verified" \
		"$long" "$short" "$ebpf"
done
