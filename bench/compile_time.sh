#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# compile_time.sh: clang's wall time for the benchmark's two objects, with
# the same flags: gen.bpf.c (the plugin writes the stub bodies) and
# hand.bpf.c (the same programs around hand-written filters), plus
# hand.bpf.c with the plugin loaded and nothing for it to do. Twice: the
# benchmark objects as built (each filter also inlined 64 times, in loops),
# and with -DBENCH_CHECK_ONLY, the 14 filters and a one-call program each.
# Prints a markdown table of the median of RUNS runs, in ms.
#
# usage: compile_time.sh CLANG PLUGIN INCLUDE_DIR SYS_INCLUDE_DIR [RUNS]
set -euo pipefail

clang=$1 plugin=$2 include=$3 sysinc=$4 runs=${5:-7}
src=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
flags=(-target bpf -O2 -g -I"$include" -idirafter "$sysinc")

# Median wall time, in ms, of RUNS runs of the command.
median_ms() {
  local i start end
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$@"
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
  done | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'
}

# One table row: the three compiles with the extra flags "$@".
row() {
  local gen hand loaded
  gen=$(median_ms "$clang" "${flags[@]}" "$@" -fplugin="$plugin" -c "$src/gen.bpf.c" -o "$out/gen.o")
  hand=$(median_ms "$clang" "${flags[@]}" "$@" -c "$src/hand.bpf.c" -o "$out/hand.o")
  loaded=$(median_ms "$clang" "${flags[@]}" "$@" -fplugin="$plugin" -c "$src/hand.bpf.c" -o "$out/hand.o")
  echo "| $gen | $hand | $loaded |"
}

echo "| objects | gen.bpf.c (plugin) | hand.bpf.c | hand.bpf.c, plugin loaded |"
echo "|---|--:|--:|--:|"
echo "| as benchmarked $(row)"
echo "| filters and check programs only $(row -DBENCH_CHECK_ONLY)"
echo
echo "clang wall time in ms, median of $runs runs; flags: ${flags[*]}"
