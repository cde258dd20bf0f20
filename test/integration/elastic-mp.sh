#!/bin/sh
# Elastic mbufs are DPDK memory to other processes (TAP): a secondary gets,
# writes and frees mbufs of an elastic pool while the primary grows it, and
# dpdk-proc-info shows and iterates the pool (see test/mp/dp_mp_elastic.c).
# Every process loads the plugin with the same -d (same ops order).
# Needs hugepages: a secondary cannot attach to --no-huge memory.
# Usage: elastic-mp.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/plugin-env.sh"
prefix=dpelmp$$
. "$here/tap.sh"
tap_need_hugepages 40
pinfo=$(command -v dpdk-proc-info) || { echo "1..0 # SKIP no dpdk-proc-info"; exit 0; }
dp_stage_plugin "$build" || exit 1
# Under ASan: DPDK's vdev bus leaks a devargs in every secondary of a
# primary with a vdev (not our code); LeakSanitizer must not fail them.
supp=$(mktemp)
echo "leak:librte_bus_vdev.so" >"$supp"
export LSAN_OPTIONS="suppressions=$supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
cleanup() {
	rm -f "$supp"
	dp_unstage_plugin
	rm -f "$hugedir/${prefix}"map_* 2>/dev/null
	rm -rf "/var/run/dpdk/$prefix" 2>/dev/null
}
trap cleanup EXIT
# shellcheck disable=SC2086
dp_run timeout 120 "$build/test/dp_mp_elastic" primary "$prefix" "$build/test/dp_mp_elastic" \
	"$pinfo" $DP_PLUGIN_ARGS
