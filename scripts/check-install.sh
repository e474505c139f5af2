#!/usr/bin/env bash
# Install a build into a fresh prefix and use it the way a user would: the
# plugin from <prefix>/lib, the header from <prefix>/include, the CLI from
# <prefix>/bin. Usage: scripts/check-install.sh BUILD_DIR
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in lib/libpcapfilter.so lib/pcapfilter/clang-19/libpcapfilter.so lib/libpcapf.so \
         include/pcap_filter.h include/pcapf.h bin/pcapf share/man/man1/pcapf.1; do
  [ -e "$prefix/$f" ] || { echo "check-install: $f not installed" >&2; exit 1; }
done
"$prefix/bin/pcapf" "tcp port 80" | grep -q "guard len >= 24"
cat > "$prefix/prog.bpf.c" <<'C'
#include <linux/bpf.h>
#include <pcap_filter.h>
static __noinline __u32 web(struct xdp_md *ctx) __pcap_filter("tcp port 80");
__attribute__((section("xdp"), used)) int prog(struct xdp_md *ctx) { return web(ctx); }
C
/usr/lib/llvm-19/bin/clang -target bpf -O2 -g -fplugin="$prefix/lib/libpcapfilter.so" \
  -I"$prefix/include" -I"/usr/include/$(gcc -print-multiarch)" -c "$prefix/prog.bpf.c" -o "$prefix/prog.bpf.o"
echo "check-install: installed plugin, header, library and CLI work"
