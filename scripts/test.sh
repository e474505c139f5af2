#!/usr/bin/env bash
# Build pcapfilter and run every test:
#   unit     runtime unit tests, built with ASan and UBSan
#   lit      compile-level suites: diagnostics, IR, assembly, BTF (+ a kernel load)
#   kernel   the differential test against libpcap and the verifier matrix
# Kernel tests need root and BPF; without them this script fails, it never
# skips. Usage: scripts/test.sh [BUILD_DIR]   (default: build-test)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-test}

scripts/setup.sh
cmake -S . -B "$build" -G Ninja -DPCAPF_SANITIZE=ON >/dev/null
cmake --build "$build"

passed=0 failed=0
run_suite() {
  local name=$1; shift
  echo "=== $name: $*"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "=== $name FAILED"; fi
}

if [ "$(id -u)" -ne 0 ]; then
  echo "test.sh: kernel tests need root (BPF_PROG_LOAD, BPF_PROG_TEST_RUN); run as root" >&2
  exit 1
fi
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

run_suite unit "$build/bin/test_runtime"
run_suite install scripts/check-install.sh "$build"
run_suite lit python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv "$build/test"

echo "test.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
