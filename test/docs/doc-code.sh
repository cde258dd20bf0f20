#!/bin/sh
# Every ```c block of README.md and doc/user-guide.md (indented ones in
# list items too, their indentation dropped), taken from the files
# themselves, must compile with warnings as errors (a dp_err ignored is an
# error: the API marks results must-use) and link against the build tree;
# a block that defines main() is a complete program and must also run and
# exit 0. A block without main() is linked as a shared object with
# --no-undefined, so every call it makes must resolve. A block that
# includes <rte_mempool_dynpool.h> links the driver's static library
# whole, then DPDK's vdev bus, as doc/user-guide.md says. TAP, one line a block.
# Usage: doc-code.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc=${CC:-cc}
export PKG_CONFIG_PATH="$build/meson-uninstalled"
cflags="-std=gnu11 -Wall -Wextra -Werror -I$src/drivers/mempool/dynpool $(pkg-config --cflags dynpool)"
libs=$(pkg-config --libs dynpool)
drv="-L$build/drivers/mempool/dynpool -Wl,--whole-archive -ldynpool_mempool -Wl,--no-whole-archive -lrte_bus_vdev"

n=0
for doc in README.md doc/user-guide.md; do
	# One file per block: NAME-K.c
	awk -v out="$work/$(basename "$doc" .md)" '
		/^[ \t]*```c[ \t]*$/ { on = 1; k++; f = out "-" k ".c"; printf "" > f
			match($0, /^[ \t]*/); ind = RLENGTH; next }
		/^[ \t]*```/ && on { on = 0; close(f); next }
		on { print substr($0, ind + 1) > f }' "$src/$doc"
done
blocks=$(ls "$work"/*.c 2>/dev/null | wc -l)
echo "1..$blocks"
for f in "$work"/README-*.c "$work"/user-guide-*.c; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	name=$(basename "$f" .c)
	extra=""
	grep -q 'rte_mempool_dynpool.h' "$f" && extra=$drv
	log="$work/$name.log"
	if grep -q '\<main *(' "$f"; then
		# shellcheck disable=SC2086
		if ! $cc $cflags -o "$work/$name" "$f" $extra $libs >"$log" 2>&1; then
			echo "not ok $n - $name: does not compile or link"
		elif ! LD_LIBRARY_PATH="$build/lib" timeout 60 "$work/$name" >>"$log" 2>&1; then
			echo "not ok $n - $name: compiled, but exited $?"
		else
			echo "ok $n - $name: compiled, linked and ran"
			continue
		fi
	else
		# shellcheck disable=SC2086
		if $cc $cflags -fPIC -shared -Wl,--no-undefined -o "$work/$name.so" "$f" \
			$extra $libs >"$log" 2>&1; then
			echo "ok $n - $name: compiled and linked (no main: a fragment)"
			continue
		fi
		echo "not ok $n - $name: does not compile or link"
	fi
	sed 's/^/#   /' "$f"
	sed 's/^/# /' "$log" | tail -n 20
done
