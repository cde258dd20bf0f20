#!/bin/sh
# Run `meson test` and keep its exit status beside its JSON log, where
# scripts/test-summary.py reads it: a log that meson did not finish (meson
# killed part way) lists only the tests that ended, so the summary
# believes a log only with the status meson ended with.
# Usage: scripts/meson-test.sh BUILD_DIR LOGNAME OUTPUT [meson test options...]
#   LOGNAME: the log's name in BUILD_DIR/meson-logs (testlog.json, or
#   LOGBASE-WRAPPER.json with --wrap and --logbase); OUTPUT: meson's output.
# Always exits 0: the summary gives the verdict.
set -u
dir=$1 log=$2 out=$3
shift 3
rm -f "$dir/meson-logs/$log" "$dir/meson-logs/$log.rc"
rc=0
meson test -C "$dir" "$@" >"$out" 2>&1 || rc=$?
mkdir -p "$dir/meson-logs"
echo "$rc" >"$dir/meson-logs/$log.rc"
