#!/usr/bin/env bash
# The main job: build pcapfilter, compile examples/filters.bpf.c (an XDP
# program with three tcpdump filters) with the plugin, load it, run every
# packet of examples/sample.pcap through it with BPF_PROG_TEST_RUN, and print
# per filter the packets it matched beside libpcap's count for the same
# capture. Needs root (loading BPF programs). Usage: scripts/run-example.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
# Reuse build/ if the README's plain build made it, whatever its generator.
generator=()
[ -e build/CMakeCache.txt ] || generator=(-G Ninja)
cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DPCAPF_BUILD_EXAMPLES=ON >/dev/null
cmake --build build --target run-example
exec build/bin/run-example "$@"
