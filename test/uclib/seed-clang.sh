#!/bin/sh
# Compile the seed example test against the verbatim listing (non-breaking
# space included) with clang, and run it. Skips (77) without clang.
# Usage: seed-clang.sh BUILD_DIR SOURCE_DIR
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
if ! command -v clang >/dev/null 2>&1; then
	echo "clang not installed: skipped"
	exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PKG_CONFIG_PATH="$build/meson-uninstalled"
# shellcheck disable=SC2046
clang -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unicode-whitespace \
	-I"$src/test/uclib" -o "$work/seed" "$src/test/uclib/test_seed_example.c" \
	$(pkg-config --cflags --libs dynpool criterion)
LD_LIBRARY_PATH="$build/lib" "$work/seed" --jobs 1
