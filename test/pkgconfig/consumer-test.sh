#!/bin/sh
# Compile and run a program outside the tree against dynpool using only
# `pkg-config --cflags --libs dynpool`: first from the build folder's
# uninstalled .pc, then from a staged install (DESTDIR).
# Usage: consumer-test.sh BUILD_DIR SOURCE_DIR
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc=${CC:-cc}

echo "== uninstalled: $build/meson-uninstalled"
export PKG_CONFIG_PATH="$build/meson-uninstalled"
flags=$(pkg-config --cflags --libs dynpool)
echo "pkg-config --cflags --libs dynpool: $flags"
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Werror -o "$work/consumer" "$src/test/pkgconfig/consumer.c" $flags
LD_LIBRARY_PATH="$build/lib" "$work/consumer"

echo "== the README's example"
# The first complete program among the README's C blocks (others are fragments).
awk '/^```c$/ { on = 1; buf = ""; next }
     /^```$/ && on { if (buf ~ /main\(/) { printf "%s", buf; exit } on = 0; next }
     on { buf = buf $0 "\n" }' "$src/README.md" >"$work/readme.c"
test -s "$work/readme.c"
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Werror -o "$work/readme" "$work/readme.c" $flags
LD_LIBRARY_PATH="$build/lib" "$work/readme"

echo "== installed into a staging root"
DESTDIR="$work/root" meson install -C "$build" --no-rebuild --quiet
pc=$(find "$work/root" -name dynpool.pc | head -n1)
# The staged tree lives under DESTDIR: rebase dynpool.pc's prefix there
# (and only dynpool's: libdpdk.pc stays the system one).
mkdir "$work/pc"
sed "s|^prefix=|prefix=$work/root|" "$pc" >"$work/pc/dynpool.pc"
export PKG_CONFIG_PATH="$work/pc"
flags=$(pkg-config --cflags --libs dynpool)
echo "pkg-config --cflags --libs dynpool (staged): $flags"
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Werror -o "$work/consumer2" "$src/test/pkgconfig/consumer.c" $flags
libdir=$(dirname "$(find "$work/root" -name 'libdynpool.so' | head -n1)")
LD_LIBRARY_PATH="$libdir" "$work/consumer2"
echo "pkgconfig consumer: ok"
