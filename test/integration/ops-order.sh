#!/bin/sh
# Mempool ops order between processes (TAP; issue 15, item 5). DPDK finds
# a pool's ops by index into each process's own table, so a secondary must
# register mempool ops in the primary's order. The primary (test/opsorder/
# dp_ops_peer.c) loads DPDK's ring driver, then the dynpool plugin: ring
# ops are #0-#5, dynpool #6. A secondary with the same -d order uses both
# pools; one given only the plugin has dynpool at #0, where the primary
# keeps its ring pool: the driver must refuse loudly (ERR naming both
# orders and the fix, gets fail with -EPROTO, count 0), not crash or read
# the ring as its own. With --vdev dynpool the refusal comes at EAL init,
# also in DPDK's own dpdk-proc-info. dynpool-testpmd (driver linked in,
# dynpool #0) refuses to run as a secondary with DPDK's ring ops preloaded
# (ring #0), and says why.
# Needs hugepages: a secondary cannot attach to --no-huge memory.
# Usage: ops-order.sh BUILD_DIR EAL_PMD_DIR (RTE_EAL_PMD_PATH, where DPDK's
# drivers are plugins)
set -u
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/plugin-env.sh"
prefix=dpopsord$$
. "$here/tap.sh"
tap_need_hugepages 40
pmd=${2:-}
ring="$pmd/librte_mempool_ring.so"
[ -f "$ring" ] || { echo "1..0 # SKIP no $ring (DPDK's ring mempool driver as a plugin)"; exit 0; }
dp_stage_plugin "$build" || exit 1
if [ -z "$DP_PLUGIN_ARGS" ]; then
	echo "1..0 # SKIP the -d order is the subject: no private directory to stage the plugin"
	dp_unstage_plugin
	exit 0
fi
out=$(mktemp -d)
# Under ASan: DPDK's vdev bus leaks a devargs in secondaries (not our code).
echo "leak:librte_bus_vdev.so" >"$out/lsan.supp"
export LSAN_OPTIONS="suppressions=$out/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
cleanup() {
	stop_primary "$prefix"
	dp_unstage_plugin
	rm -rf "$out"
}
# stop_primary PREFIX: end the running peer primary and remove what its
# file prefix left (hugepage files, runtime directory).
stop_primary() {
	touch "$out/stop"
	[ -n "${ppid_:-}" ] && wait "$ppid_" 2>/dev/null
	ppid_=""
	rm -f "$hugedir/${1}"map_* 2>/dev/null
	rm -rf "/var/run/dpdk/$1" 2>/dev/null
}
trap cleanup EXIT
peer="$build/test/dp_ops_peer"
tool_eal="--no-pci --file-prefix $prefix --log-level=mempool.dynpool:info"
eal="-l 0 $tool_eal"
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; sed 's/^/# /' "$2"; }
# has FILE REGEX: the line is in the output
has() { grep -Eq -- "$2" "$1"; }
# wait_line FILE REGEX PID: until the line is there (30 s) or PID is gone
wait_line() {
	for _ in $(seq 1 300); do
		has "$1" "$2" && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
# line_of FILE REGEX: number of the first line that has it (999999: none)
line_of() { l=$(grep -En -- "$2" "$1" | head -n 1 | cut -d: -f1); echo "${l:-999999}"; }

echo "1..9"
# shellcheck disable=SC2086
dp_run "$peer" primary "$out/stop" $eal $DP_PRIMARY_VA -d "$ring" $DP_PLUGIN_ARGS >"$out/p" 2>&1 &
ppid_=$!
wait_line "$out/p" '^ready' "$ppid_"
if has "$out/p" '^ready' && has "$out/p" 'opsord_ring #0 ring_mp_mc' &&
	has "$out/p" 'opsord_dp #6 dynpool'; then
	ok "primary: ring ops at 0-5, dynpool at 6"
else
	nok "primary: ring ops at 0-5, dynpool at 6" "$out/p"
	exit 1
fi

# shellcheck disable=SC2086
timeout 60 "$peer" secondary $eal --proc-type=secondary -d "$ring" $DP_PLUGIN_ARGS \
	>"$out/s1" 2>&1
rc=$?
if [ $rc -eq 0 ] && has "$out/s1" '^check 0$' && has "$out/s1" '^opsord_dp: count 1023$' &&
	has "$out/s1" '^opsord_dp: get 0$' && has "$out/s1" '^opsord_ring: get 0$' &&
	has "$out/s1" '^opsord_dp: stats 0$' && has "$out/s1" '^opsord_ring: stats -22$' &&
	has "$out/s1" '^own pool: populate 63$' &&
	! has "$out/s1" 'REFUSED'; then
	ok "secondary with the primary's -d order: checked, uses both pools"
else
	nok "secondary with the primary's -d order: checked, uses both pools (rc $rc)" "$out/s1"
fi

# shellcheck disable=SC2086
timeout 60 "$peer" secondary $eal --proc-type=secondary $DP_PLUGIN_ARGS >"$out/s2" 2>&1
rc=$?
refused='mempool dynpool: REFUSED: this process registers its mempool ops in another order than the primary \(#0 is ring_mp_mc there, dynpool here\).*Primary: 0 ring_mp_mc, 1 ring_sp_sc,.* 6 dynpool, 7 dynpool_elastic.*Here: 0 dynpool, 1 dynpool_elastic.*Fix: .*librte_mempool_ring\.so.*\(#0\), .*librte_mempool_dynpool\.so \(#6\)'
if [ $rc -eq 0 ] && has "$out/s2" 'opsord_ring #0 here dynpool' &&
	has "$out/s2" '^opsord_ring: count 0$' && has "$out/s2" '^opsord_ring: get -71$' &&
	has "$out/s2" '^opsord_ring: stats -22$' && has "$out/s2" '^opsord_ring: enqueue -71$' &&
	has "$out/s2" '^own pool: populate -71$' &&
	[ "$(grep -c 'REFUSED' "$out/s2")" -eq 1 ] && has "$out/s2" "$refused" &&
	[ "$(line_of "$out/s2" 'opsord_ring #0 here')" -lt "$(line_of "$out/s2" REFUSED)" ] &&
	[ "$(line_of "$out/s2" REFUSED)" -lt "$(line_of "$out/s2" 'opsord_ring: count')" ]; then
	ok "secondary with only the plugin: the primary's ring pool reaches dynpool, whose first op refuses once, loudly (EPROTO: get, enqueue, its own pool's alloc; count 0), no crash; the driver's API does not read it as its own (check_stats EINVAL)"
else
	nok "secondary with only the plugin: refused loudly, no crash (rc $rc)" "$out/s2"
fi
if has "$out/s2" '^check -71$'; then
	ok "dp_mempool_ops_order_check() says -EPROTO there"
else
	nok "dp_mempool_ops_order_check() says -EPROTO there" "$out/s2"
fi

# The vdev probe checks during rte_eal_init(), before any pool is touched.
# shellcheck disable=SC2086
timeout 60 "$peer" secondary $eal --proc-type=secondary $DP_PLUGIN_ARGS --vdev dynpool \
	>"$out/s3" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ "$(line_of "$out/s3" REFUSED)" -lt "$(line_of "$out/s3" '^eal up')" ] &&
	has "$out/s3" '^eal up' && has "$out/s3" '^opsord_ring: get -71$' &&
	has "$out/s3" '^check -71$'; then
	ok "--vdev dynpool in that secondary: refused at EAL init"
else
	nok "--vdev dynpool in that secondary: refused at EAL init (rc $rc)" "$out/s3"
fi

# DPDK's own tool, given only the plugin and the vdev: the same line. It
# reads no pool with --stats (the primary's dynpool pool would reach
# another driver here, which the driver cannot stop).
pinfo=$(command -v dpdk-proc-info || true)
if [ -z "$pinfo" ]; then
	n=$((n + 1))
	echo "ok $n # SKIP no dpdk-proc-info"
else
	# shellcheck disable=SC2086
	dp_run timeout 60 "$pinfo" $tool_eal $DP_PLUGIN_ARGS --vdev dynpool \
		-- --stats >"$out/s4" 2>&1
	rc=$?
	if [ $rc -lt 124 ] && has "$out/s4" "$refused"; then
		ok "dpdk-proc-info -d PLUGIN --vdev dynpool against that primary: the same refusal"
	else
		nok "dpdk-proc-info -d PLUGIN --vdev dynpool: the same refusal (rc $rc)" "$out/s4"
	fi
fi
# dynpool-testpmd as a secondary of dynpool-testpmd: the same order passes
# the check (the app then stops for reasons of its own: it makes its pools);
# ring ops preloaded first (#0-#5) are refused before anything else runs.
stop_primary "$prefix"
app="$build/app/testpmd/dynpool-testpmd"
if [ ! -x "$app" ]; then
	n=$((n + 1))
	echo "ok $n # SKIP no $app"
else
	aprefix="${prefix}a"
	timeout -s INT 60 "$app" --file-prefix "$aprefix" $DP_PRIMARY_VA -- --run-time 40 --stats-period 0 \
		>"$out/a" 2>&1 &
	apid=$!
	wait_line "$out/a" '^secondaries' "$apid"
	timeout 60 "$app" --file-prefix "$aprefix" --proc-type=secondary -- --run-time 1 \
		>"$out/a1" 2>&1
	# A sanitizer's runtime must come first in LD_PRELOAD.
	LD_PRELOAD="${DP_SAN_RT:+$DP_SAN_RT:}$ring" timeout 60 "$app" --file-prefix "$aprefix" --proc-type=secondary \
		-- --run-time 1 >"$out/a2" 2>&1
	rc=$?
	kill -INT "$apid" 2>/dev/null
	wait "$apid" 2>/dev/null
	rm -f "$hugedir/${aprefix}"map_* 2>/dev/null
	rm -rf "/var/run/dpdk/$aprefix" 2>/dev/null
	if has "$out/a" '^secondaries' && ! has "$out/a1" 'REFUSED' && [ $rc -eq 1 ] &&
		has "$out/a2" 'REFUSED: .*\(#0 is dynpool there, ring_mp_mc here\)' &&
		has "$out/a2" "^dynpool-testpmd: refused: mempool ops order differs from the primary's"; then
		ok "dynpool-testpmd as a secondary: same order checked, ring ops preloaded first refused (exit 1)"
	else
		cat "$out/a1" "$out/a2" >"$out/a12"
		nok "dynpool-testpmd as a secondary: refused on another order (rc $rc)" "$out/a12"
	fi
fi

# A secondary that settles before the primary's driver has run (its
# --vdev probe finds nothing published) must still compare once the
# primary publishes: the verdict "not published" is not final.
lprefix="${prefix}l"
leal="-l 0 --no-pci --file-prefix $lprefix --log-level=mempool.dynpool:info"
# shellcheck disable=SC2086
DP_OPS_PEER_GO="$out/go" dp_run "$peer" primary "$out/stop" $leal $DP_PRIMARY_VA -d "$ring" $DP_PLUGIN_ARGS \
	>"$out/lp" 2>&1 &
ppid_=$!
rm -f "$out/stop"
wait_line "$out/lp" '^waiting' "$ppid_"
# shellcheck disable=SC2086
DP_OPS_PEER_WAIT=1 timeout 60 "$peer" secondary $leal --proc-type=secondary $DP_PLUGIN_ARGS \
	--vdev dynpool >"$out/ls" 2>&1 &
spid=$!
wait_line "$out/ls" '^eal up' "$spid"
touch "$out/go"
wait "$spid"
rc=$?
stop_primary "$lprefix"
if [ $rc -eq 0 ] && has "$out/lp" '^ready' &&
	[ "$(line_of "$out/ls" 'published no mempool ops order')" -lt "$(line_of "$out/ls" '^eal up')" ] &&
	[ "$(grep -c 'REFUSED' "$out/ls")" -eq 1 ] && has "$out/ls" "$refused" &&
	has "$out/ls" '^opsord_ring: get -71$' && has "$out/ls" '^check -71$'; then
	ok "secondary settled before the primary published: compared (and refused) once it has"
else
	cat "$out/lp" "$out/ls" >"$out/l"
	nok "secondary settled before the primary published: compared once it has (rc $rc)" "$out/l"
fi

# A memzone of the driver's name that is not the driver's (too small):
# the primary must not write past it, a secondary must not read it as a
# published order (false refusal or a check of garbage): nothing checked.
sprefix="${prefix}s"
seal="-l 0 --no-pci --file-prefix $sprefix --log-level=mempool.dynpool:info"
rm -f "$out/stop"
# shellcheck disable=SC2086
DP_OPS_PEER_SQUAT=1 dp_run "$peer" primary "$out/stop" $seal $DP_PRIMARY_VA -d "$ring" $DP_PLUGIN_ARGS \
	>"$out/sp" 2>&1 &
ppid_=$!
wait_line "$out/sp" '^ready' "$ppid_"
# shellcheck disable=SC2086
timeout 60 "$peer" secondary $seal --proc-type=secondary -d "$ring" $DP_PLUGIN_ARGS >"$out/ss" 2>&1
rc=$?
stop_primary "$sprefix"
if [ $rc -eq 0 ] && has "$out/sp" '^squat intact$' &&
	has "$out/sp" 'cannot publish the mempool ops order' &&
	has "$out/ss" '^opsord_dp: get 0$' && has "$out/ss" '^check -2$' &&
	! has "$out/ss" 'REFUSED'; then
	ok "a small memzone of the driver's name: left alone by the primary, not read as an order"
else
	cat "$out/sp" "$out/ss" >"$out/s"
	nok "a small memzone of the driver's name: left alone, not read as an order (rc $rc)" "$out/s"
fi
[ $fails -eq 0 ]
