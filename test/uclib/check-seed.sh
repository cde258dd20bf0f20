#!/bin/sh
# The committed seed_example.inc must be the seed's listing, verbatim but
# for the call-out markers. Skips (exit 77) when the seed is not around,
# e.g. in a clone without the shared/ folder beside it.
set -eu
here=$(dirname "$0")
seed=${1:-$here/../../../shared/seed/dynamic-memory-pools.txt}
if [ ! -f "$seed" ]; then
	echo "seed document not found at $seed: skipped"
	exit 77
fi
"$here/extract-seed.sh" "$seed" | diff -u - "$here/seed_example.inc"
echo "seed_example.inc matches the seed listing"
