#!/usr/bin/env bash
# Replay every input in the given directories through one fuzz target, once
# each (libFuzzer runs the files it is given and exits): the seed corpus and
# the regression inputs, for CTest and scripts/fuzz.sh.
# Usage: replay.sh FUZZER DIR...
set -euo pipefail
fuzzer=$1
shift
inputs=()
for dir in "$@"; do
  [ -d "$dir" ] || continue
  for f in "$dir"/*; do
    [ -f "$f" ] && inputs+=("$f")
  done
done
if ((${#inputs[@]} == 0)); then
  echo "replay: no inputs in $*" >&2
  exit 1
fi
echo "replay: ${#inputs[@]} inputs through $(basename "$fuzzer")"
# In chunks: one command line need not hold a whole corpus. The log is
# shown only on a failure.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for ((i = 0; i < ${#inputs[@]}; i += 500)); do
  if ! "$fuzzer" "${inputs[@]:i:500}" >"$log" 2>&1; then
    grep -v '^Running: \|^Executed ' "$log" >&2
    echo "replay: $(basename "$fuzzer") failed on $(grep '^Running: ' "$log" | tail -1 | cut -d' ' -f2)" >&2
    exit 1
  fi
done
