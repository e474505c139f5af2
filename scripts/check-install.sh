#!/usr/bin/env bash
# Install a build into a fresh prefix and use it the way a user would: the
# plugin from <prefix>/lib, the headers from <prefix>/include, the CLI from
# <prefix>/bin. The program compiled is README.md's "Using it" example, taken
# from between its check-install markers, with README's compile line, so
# that the README cannot drift from what works; as root it is also loaded
# (bpftool), so the verifier accepts what the user gets.
# Usage: scripts/check-install.sh BUILD_DIR
set -euo pipefail
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=$(mktemp -d)
pin=/sys/fs/bpf/pcapf_check_install_$$
trap 'rm -rf "$prefix"; rm -f "$pin"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in lib/libpcapfilter.so lib/pcapfilter/clang-19/libpcapfilter.so lib/libpcapf.so \
         lib/cmake/pcapfilter/pcapfilterConfig.cmake lib/pkgconfig/pcapfilter.pc \
         include/pcap_filter.h include/pcapf.h bin/pcapf share/man/man1/pcapf.1; do
  [ -e "$prefix/$f" ] || { echo "check-install: $f not installed" >&2; exit 1; }
done
"$prefix/bin/pcapf" "tcp port 80" | grep -q "guard len >= 24"

# README's fenced block between <!-- check-install NAME: begin/end -->.
readme_block() {
  sed -n "/^<!-- check-install $1: begin -->\$/,/^<!-- check-install $1: end -->\$/p" "$root/README.md" |
    sed '/^<!--/d; /^```/d'
}
readme_block example >"$prefix/prog.bpf.c"
# The compile line, P being the install prefix.
readme_block compile | sed "s|P/|$prefix/|g" >"$prefix/compile.sh"
for f in prog.bpf.c compile.sh; do
  [ -s "$prefix/$f" ] || { echo "check-install: no $f between the check-install markers of README.md" >&2; exit 1; }
done
(cd "$prefix" && bash -euo pipefail compile.sh)
[ -s "$prefix/prog.bpf.o" ] || { echo "check-install: README's compile line wrote no prog.bpf.o" >&2; exit 1; }
if [ "$(id -u)" -eq 0 ]; then
  bpftool prog load "$prefix/prog.bpf.o" "$pin"
  echo "check-install: README's example compiles with the installed plugin and headers, and loads"
else
  echo "check-install: README's example compiles with the installed plugin and headers (not root: not loaded)"
fi
echo "check-install: installed plugin, headers, library and CLI work"
