#!/bin/sh
# Print $1 with every U+00A0 (non-breaking space) turned into a space.
exec sed 's/\xc2\xa0/ /g' "$1"
