#!/usr/bin/env bash
# Install the Debian packages pcapfilter needs to build, test and run its
# examples (qemu-user and the s390x cross toolchain: the big-endian host
# tests of test/kernel; Go and cilium/ebpf: bindings/go). Idempotent: when everything is installed it only
# checks.
set -euo pipefail

packages=(
  clang-19 llvm-19-dev libclang-19-dev llvm-19-tools lld-19 libclang-rt-19-dev
  # The other Clangs the plugin is built and tested for (PCAPF_CLANG_VERSIONS):
  # Debian 12's default (14), 15 and 16.
  clang-14 llvm-14-dev libclang-14-dev
  clang-15 llvm-15-dev libclang-15-dev
  clang-16 llvm-16-dev libclang-16-dev
  libpcap-dev libbpf-dev bpftool
  gcc g++ cmake ninja-build pkg-config python3 iproute2
  groff-base # the man page check of test/runtime/cli.test
  make dpkg-dev file # check-packages.sh: examples/make, cpack -G DEB and dpkg-shlibdeps
  qemu-user gcc-s390x-linux-gnu libc6-dev-s390x-cross # the big-endian host differential
  golang-go golang-github-cilium-ebpf-dev # bindings/go and examples/go-xdpcount (GOPATH mode)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
