#!/usr/bin/env bash
# Build the libFuzzer targets of test/fuzz with clang-19 in their own build
# directory; for each, replay its seeds and regression inputs (as the CTest
# tests TARGET-replay of that build do), then fuzz it for SECONDS (default
# 45) from them (from the seeds alone while a regression input still
# fails). New inputs go to a temporary directory: nothing is written into the
# repository. Fails on any crash, leak, timeout or mismatch; the input that
# caused it is kept under BUILD/fuzz-artifacts/TARGET/ and printed. Usage:
#   scripts/fuzz.sh [SECONDS]      (FUZZ_BUILD=DIR: build dir, default build-fuzz)
# To keep a finding as a regression input, copy it to
# test/fuzz/regressions/TARGET/ under a name that says what it is.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-45}
build=${FUZZ_BUILD:-build-fuzz}
fuzz=test/fuzz

CC=clang-19 CXX=clang++-19 cmake -S . -B "$build" -G Ninja \
  -DPCAPF_BUILD_FUZZERS=ON -DPCAPF_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target fuzzers

declare -A max_len=([fuzz_cbpf_text]=4096 [fuzz_opts]=512 [fuzz_compile]=1024 [fuzz_diff]=1200)
failed=()
for target in fuzz_cbpf_text fuzz_opts fuzz_compile fuzz_diff; do
  work=$(mktemp -d)
  artifacts=$build/fuzz-artifacts/$target
  log=$build/fuzz-$target.log
  mkdir -p "$artifacts"
  dirs=("$fuzz/corpus/$target")
  if [ -d "$fuzz/regressions/$target" ]; then
    if "$fuzz/replay.sh" "$build/bin/$target" "$fuzz/regressions/$target"; then
      dirs+=("$fuzz/regressions/$target")
    else
      failed+=("$target(regressions)")
    fi
  fi
  "$fuzz/replay.sh" "$build/bin/$target" "$fuzz/corpus/$target" || failed+=("$target(seeds)")
  echo "fuzz: $target for ${seconds}s"
  if "$build/bin/$target" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 \
      -max_len="${max_len[$target]}" -print_final_stats=1 \
      -artifact_prefix="$artifacts/" "$work" "${dirs[@]}" >"$log" 2>&1; then
    grep -E 'stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' "$log" |
      sed "s/^/fuzz: $target: /"
  else
    failed+=("$target")
    tail -n 60 "$log"
    for f in "$artifacts"/*; do
      [ -f "$f" ] || continue
      echo "fuzz: $target: input kept at $f:"
      od -A d -t x1z "$f" | head -n 40
    done
  fi
  rm -rf "$work"
done
if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]} (logs: $build/fuzz-TARGET.log)" >&2
  echo "fuzz: $((4 - ${#failed[@]})) passed, ${#failed[@]} failed"
  exit 1
fi
echo "fuzz: all targets ran ${seconds}s each without a finding"
echo "fuzz: 4 passed, 0 failed"
