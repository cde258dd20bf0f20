#!/bin/sh
# Print the usage example of the seed document with only the numbered
# call-out markers, such as "(1)" after a comment, removed: this is the
# text that test_seed_example.c compiles unchanged.
# Usage: extract-seed.sh SEED_TXT
set -eu
sed -n '/^#define  CACHE_LINE_LEN/,/^}/p' "$1" | sed -E 's#\*/  \([0-9]+\)$#*/#'
