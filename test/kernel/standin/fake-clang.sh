#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Stand-in for "clang -fplugin=libpcapfilter.so", for difftest's self-test:
# turns each stub declaration of difftest's generated file into a call of
# a hand-written body from standin/pcap_filter.h (filters ip, arp, ip6) and
# turns any other filter into a compile error, as a plugin rejection. Then
# runs the real clang, $STANDIN_CLANG, without the -fplugin option.
# STANDIN_BUG=1 compiles the bodies with their deliberate bugs. A run
# without -c (difftest --target linking crossrun) is the real clang's.
set -eu
: "${STANDIN_CLANG:?set STANDIN_CLANG to the real clang}"
here=$(cd "$(dirname "$0")" && pwd)

src=
prev=
for arg in "$@"; do
	[ "$prev" = -c ] && src=$arg
	prev=$arg
done
[ -n "$src" ] || exec "$STANDIN_CLANG" "$@"
rewritten=${src%.c}.standin.c

known='(ip|arp|ip6)'
snap='"snaplen=([0-9]+)"'
xdp='\(struct xdp_md \*ctx\)'
pp='\(void \*data, void \*data_end\)'
ctx='(void *)(long)ctx->data, (void *)(long)ctx->data_end'
sed -E \
	-e "s/$xdp __pcap_filter\(\"$known\"\);/(struct xdp_md *ctx) { return standin_\1($ctx, 262144); }/" \
	-e "s/$xdp __pcap_filter\(\"$known\", $snap\);/(struct xdp_md *ctx) { return standin_\1($ctx, \2); }/" \
	-e "s/$pp __pcap_filter\(\"$known\"\);/(void *data, void *data_end) { return standin_\1(data, data_end, 262144); }/" \
	-e "s/$pp __pcap_filter\(\"$known\", $snap\);/(void *data, void *data_end) { return standin_\1(data, data_end, \2); }/" \
	-e '/__pcap_filter\(/c\
#error "standin: no hand-written body for this filter"' \
	"$src" >"$rewritten"

# Same arguments, but without -fplugin=..., with the rewritten file, and
# with the stand-in header first on the include path.
n=$#
for arg in "$@"; do
	case $arg in
	-fplugin=*) ;;
	"$src") set -- "$@" "$rewritten" ;;
	*) set -- "$@" "$arg" ;;
	esac
done
shift "$n"
exec "$STANDIN_CLANG" -I "$here" ${STANDIN_BUG:+-DSTANDIN_BUG} "$@"
