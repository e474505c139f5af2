#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# compile_time_hosts.sh: how long a long host list takes to build. For N
# distinct IPv4 hosts, "host 10.0.0.1 or host 10.0.0.2 or ...", it times
#   - pcapf -s EXPR: libpcap's pcap_compile() (optimize=1, as the plugin
#     and tcpdump use it) plus pcapfilter's validation and analyses;
#   - clang -target bpf -O2 -g with the plugin, on an XDP program with one
#     stub of that filter (only for N <= CLANG_MAX: above that the time is
#     libpcap's, as the pcapf column shows, and too long to wait for);
# and, as root with bpftool, loads the object (the verifier must accept it).
# Prints a markdown table: wall time and CPU time (user + system) in s.
# One run each: the times are minutes, not milliseconds; CPU time is the
# figure to compare on a loaded machine.
#
# usage: compile_time_hosts.sh CLANG PLUGIN INCLUDE_DIR SYS_INCLUDE_DIR PCAPF
#                              [CLANG_MAX [N...]]
#   defaults: CLANG_MAX 500, N = 100 500 1000 2000
#   HOST_KEYWORD="ip host" (environment) times "ip host A or ip host B ...":
#   no ARP/RARP branches, which is what makes libpcap's optimiser slow.
set -euo pipefail

clang=$1 plugin=$2 include=$3 sysinc=$4 pcapf=$5
clang_max=${6:-500}
keyword=${HOST_KEYWORD:-host}
shift $(($# < 6 ? $# : 6))
counts=("$@")
((${#counts[@]})) || counts=(100 500 1000 2000)
objdump=$(dirname "$clang")/llvm-objdump
bpftool=$(command -v bpftool || echo /usr/sbin/bpftool)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The filter for N distinct hosts in 10.0.0.0/8, scattered (i times an odd
# constant, modulo 2^24, is one to one), as a real list is: consecutive
# addresses would let LLVM fold the comparisons into range checks.
hosts() {
  local i a sep=
  for ((i = 0; i < $1; i++)); do
    a=$((i * 2654435761 % 16777216))
    printf '%s%s 10.%d.%d.%d' "$sep" "$keyword" $((a >> 16)) $((a >> 8 & 255)) $((a & 255))
    sep=' or '
  done
}

# Runs the command; sets wall and cpu (s, 2 decimals); stdout to $out/stdout.
timed() {
  local TIMEFORMAT='%R %U %S' t
  t=$({ time "$@" >"$out/stdout" 2>"$out/stderr"; } 2>&1) || {
    cat "$out/stderr" >&2
    return 1
  }
  read -r wall user sys <<<"$t"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
}

echo "filter: $keyword A or $keyword B or ..."
echo
echo "| hosts | cBPF insns | pcapf wall | pcapf CPU | clang wall | clang CPU | eBPF insns | loads |"
echo "|--:|--:|--:|--:|--:|--:|--:|---|"
for n in "${counts[@]}"; do
  expr=$(hosts "$n")
  timed "$pcapf" -s "$expr"
  insns=$(awk '{ print $2 }' "$out/stdout")
  row="| $n | $insns | $wall | $cpu"
  if ((n > clang_max)); then
    echo "$row | - | - | - | - |"
    continue
  fi
  cat >"$out/hosts.bpf.c" <<C
#include <linux/bpf.h>
#include <pcap_filter.h>
static __noinline __u32 listed(struct xdp_md *ctx) __pcap_filter("$expr");
__attribute__((section("xdp"), used)) int prog(struct xdp_md *ctx)
{
	return listed(ctx) ? XDP_PASS : XDP_DROP;
}
C
  timed "$clang" -target bpf -O2 -g -fplugin="$plugin" -I"$include" -idirafter "$sysinc" \
    -c "$out/hosts.bpf.c" -o "$out/hosts.bpf.o"
  row="$row | $wall | $cpu"
  ebpf=$("$objdump" -d --no-show-raw-insn "$out/hosts.bpf.o" | grep -cE '^ +[0-9a-f]+:')
  loads="not tried"
  if [ "$(id -u)" -eq 0 ] && [ -x "$bpftool" ]; then
    pin=/sys/fs/bpf/pcapf_hosts_$$
    if "$bpftool" prog load "$out/hosts.bpf.o" "$pin" 2>"$out/stderr"; then
      loads=yes
      rm -f "$pin"
    else
      loads="no: $(tail -1 "$out/stderr")"
    fi
  fi
  echo "$row | $ebpf | $loads |"
done
echo
echo "one run each, in s; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
