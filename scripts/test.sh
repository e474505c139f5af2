#!/usr/bin/env bash
# Build pcapfilter and run every test (CTest):
#   runtime_unit  the translator's unit tests, built with ASan and UBSan
#   lit           compile-level suites: diagnostics, IR, assembly, BTF
#                 (lit-clangN: the same with each other Clang)
#   kernel        the differential tests against libpcap, the verifier
#                 matrix and the example (label "kernel")
# plus an install check, and last (its .deb is in /usr meanwhile) the
# packages: a plain build installed into a prefix and as a .deb, each used
# by three out-of-tree projects (check-packages.sh). Kernel tests need root
# and BPF; without them this script fails, it never skips.
# Usage: scripts/test.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-test}

scripts/setup.sh
if [ "$(id -u)" -ne 0 ]; then
  echo "test.sh: kernel tests need root (BPF_PROG_LOAD, BPF_PROG_TEST_RUN); run as root" >&2
  exit 1
fi
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

cmake -S . -B "$build" -G Ninja -DPCAPF_SANITIZE=ON -DPCAPF_BUILD_TESTS=ON >/dev/null
cmake --build "$build"
scripts/check-install.sh "$build"

# Compile-level and unit tests in parallel; kernel tests one at a time, with
# their counts (filters, packets, agreed, skipped by reason) in the log.
ctest --test-dir "$build" -LE kernel -j2 --output-on-failure
ctest --test-dir "$build" -L kernel -V

# Fuzzing (test/fuzz): replay the kept inputs, then 45 s per target.
scripts/fuzz.sh 45

# The CMake package, the pkg-config files, examples/make and the .deb.
scripts/check-packages.sh build-package
