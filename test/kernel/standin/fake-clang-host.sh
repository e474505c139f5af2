#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# fake-clang.sh for difftest --host, which builds a shared library in one
# clang run (no -c): compiles the source with fake-clang.sh (-c, to an
# object beside the output), then links the object with $STANDIN_CLANG.
set -eu
: "${STANDIN_CLANG:?set STANDIN_CLANG to the real clang}"
here=$(cd "$(dirname "$0")" && pwd)

out=
prev=
for arg in "$@"; do
	[ "$prev" = -o ] && out=$arg
	prev=$arg
done
[ -n "$out" ] || { echo "fake-clang-host: no -o OUTPUT" >&2; exit 2; }

# The same arguments without -shared and -o OUTPUT, -c before the source,
# then -o OBJECT.
n=$#
prev=
for arg in "$@"; do
	case $arg in
	-shared | -o) ;;
	*.c) set -- "$@" -c "$arg" ;;
	"$out") [ "$prev" = -o ] || set -- "$@" "$arg" ;;
	*) set -- "$@" "$arg" ;;
	esac
	prev=$arg
done
shift "$n"
"$here/fake-clang.sh" "$@" -o "$out.o"
exec "$STANDIN_CLANG" -shared "$out.o" -o "$out"
