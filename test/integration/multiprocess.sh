#!/bin/sh
# Multi-process (TAP): a primary and a secondary DPDK process share a
# dynpool pool on a memzone segment and a mempool on the dynpool ops,
# loaded as a plugin with the same -d in both (DPDK requires the same ops
# registration order in every process). See test/mp/dp_mp.c.
# Needs hugepages: a secondary cannot attach to --no-huge memory.
# Usage: multiprocess.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/plugin-env.sh"
prefix=dpmp$$
. "$here/tap.sh"
tap_need_hugepages 160
dp_stage_plugin "$build" || exit 1
cleanup() {
	dp_unstage_plugin
	rm -f "$hugedir/${prefix}"map_* 2>/dev/null
	rm -rf "/var/run/dpdk/$prefix" 2>/dev/null
}
trap cleanup EXIT
# shellcheck disable=SC2086
dp_run timeout 120 "$build/test/dp_mp" primary "$prefix" "$build/test/dp_mp" $DP_PLUGIN_ARGS
