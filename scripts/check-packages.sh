#!/usr/bin/env bash
# The install tree as other projects use it, in a plain build (what users
# install: no sanitizers, no tests). Installed twice, into a fresh prefix
# and as the .deb (`cpack -G DEB`, then `apt-get install ./pcapfilter_*.deb`
# into /usr), and each time, for every Clang the plugin is installed for,
# three out-of-tree projects are built against it and run:
#   examples/make         Makefile with `pcapf --bpf-cflags`, bpftool
#                         skeleton; dns_drop test-runs a DNS query (must be
#                         XDP_DROP) and an HTTP SYN (XDP_PASS)
#   examples/cmake        find_package(pcapfilter), pcapfilter_bpf_object()
#                         with SKELETON, pcapfilter::pcapf_bpf
#   test/install/pkgconfig  the same program from pkg-config alone
# The last two put a filter into a run-time stub and test-run every packet
# of examples/sample.pcap, for two filters, each count equal to libpcap's.
# The CLI, the pkg-config variables and the CMake package must name the
# same plugin. The package is removed again at the end (also on failure),
# so that no /usr copy can shadow a build tree afterwards; test.sh runs
# this last. Needs root. Usage: scripts/check-packages.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$root/build-package}")
work=$(mktemp -d)
deb_installed=
cleanup() {
  rm -rf "$work"
  if [ -n "$deb_installed" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq pcapfilter >/dev/null
  fi
}
trap cleanup EXIT
fail() { echo "check-packages: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (apt-get install, BPF_PROG_TEST_RUN)"
if dpkg-query -W -f='${Status}' pcapfilter 2>/dev/null | grep -q "install ok installed"; then
  fail "a pcapfilter package is installed already; remove it (apt-get purge pcapfilter)"
fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPCAPF_SANITIZE=OFF -DPCAPF_BUILD_TESTS=OFF -DPCAPF_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build"

projects=0
# use_install NAME PREFIX: PREFIX holds bin/pcapf, lib/cmake, lib/pkgconfig.
use_install() {
  local name=$1 prefix=$2 out=$work/$1
  local pcapf=$prefix/bin/pcapf
  export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
  local majors
  majors=$(pkg-config --variable=clang_versions pcapfilter)
  [ -n "$majors" ] || fail "$name: pcapfilter.pc has no clang_versions"
  [ "$("$pcapf" --plugin-path)" = "$prefix/lib/libpcapfilter.so" ] ||
    fail "$name: pcapf --plugin-path is $("$pcapf" --plugin-path), not $prefix/lib/libpcapfilter.so"
  for major in $majors; do
    # The CLI and pkg-config: one table, the same answers.
    local cli pc
    for what in plugin-path:plugin bpf-cflags:bpf_cflags; do
      cli=$("$pcapf" "--${what%%:*}" --clang="clang-$major")
      pc=$(pkg-config --variable="${what#*:}_clang$major" pcapfilter)
      [ "$cli" = "$pc" ] || fail "$name: Clang $major: pcapf --${what%%:*} says '$cli', pcapfilter.pc '$pc'"
    done

    make -s -C "$root/examples/make" PCAPF="$pcapf" CLANG="clang-$major" OUTPUT="$out/make-$major"
    "$out/make-$major/dns_drop"

    cmake -S "$root/examples/cmake" -B "$out/cmake-$major" -DCMAKE_PREFIX_PATH="$prefix" \
      -DPCAPFILTER_CLANG="$(command -v "clang-$major")" >/dev/null
    cmake --build "$out/cmake-$major" >/dev/null
    grep -q "pcapfilter_DIR:PATH=$prefix/lib/cmake/pcapfilter\$" "$out/cmake-$major/CMakeCache.txt" ||
      fail "$name: find_package(pcapfilter) found $(grep pcapfilter_DIR "$out/cmake-$major/CMakeCache.txt")"

    make -s -f "$root/test/install/pkgconfig/Makefile" CLANG_MAJOR="$major" OUTPUT="$out/pkgconfig-$major"

    for filter in "udp port 53" "tcp port 80 or icmp"; do
      "$out/cmake-$major/xdp_match" "$root/examples/sample.pcap" "$filter"
      "$out/pkgconfig-$major/xdp_match" "$root/examples/sample.pcap" "$filter"
    done
    projects=$((projects + 3))
  done
  unset PKG_CONFIG_PATH
}

prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
use_install prefix "$prefix"

# The .deb: built, checked, installed into /usr, used, removed.
rm -f "$build"/pcapfilter_*.deb
# (CPack's warnings that the plugins have no soname, as plugins do not,
# are shown only if it fails.)
(cd "$build" && cpack -G DEB >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack -G DEB failed"; }
debs=("$build"/pcapfilter_*_"$(dpkg --print-architecture)".deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "cpack -G DEB made no pcapfilter_<version>_<arch>.deb"
deb=${debs[0]}
depends=$(dpkg-deb -f "$deb" Depends)
echo "check-packages: $(basename "$deb"): Depends: $depends"
for need in libc6 libpcap0.8 libbpf1 clang-; do
  [[ ", $depends" == *", $need"* ]] || fail "the .deb does not depend on $need"
done
if dpkg-deb -c "$deb" | awk '{print $6}' | grep -v '^\./usr/'; then
  fail "the .deb has files outside /usr (above)"
fi
deb_installed=yes
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null
use_install deb /usr
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq pcapfilter >/dev/null
deb_installed=
[ ! -e /usr/lib/libpcapfilter.so ] && [ ! -e /usr/bin/pcapf ] || fail "apt-get remove left files"
[ "$projects" -gt 0 ] || fail "no out-of-tree project ran (pcapfilter.pc names no Clang)"
echo "check-packages: $projects out-of-tree projects (make, cmake, pkg-config) built against a prefix and the .deb, and run; the .deb removed again"
