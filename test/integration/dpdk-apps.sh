#!/bin/sh
# Unmodified DPDK applications on the dynpool mempool driver:
#   1-2. dpdk-testpmd, io forwarding between two net_null ports, default
#        mbuf cache and --mbcache=0: the driver is selected, packets flow,
#        every received packet is transmitted, testpmd exits cleanly;
#   3.   dpdk-test's mbuf_autotest passes with the driver selected, and
#        its pools are on the dynpool ops (the mempool dump it prints);
#   4.   testpmd on the elastic ops (dynpool_elastic, --vdev dynpool,init=64):
#        its mbuf pool is elastic, starts with 64 mbufs, packets flow;
#   5.   mbuf_autotest on the elastic ops, every pool starting with 1 mbuf
#        and growing 16 at a time (growth under DPDK's own mbuf tests);
#   6.   vhost-user: testpmd on the elastic ops with a virtio-user port, its
#        peer a second dpdk-testpmd on net_vhost that forwards back. The
#        peer reads and writes our mbufs through the memory table virtio-user
#        sends it, so packets cross both ways only if elastic chunks are DPDK
#        memory, and the table must follow the pool as it grows (DPDK sends
#        a new one on each hotplug: more than one must arrive).
# Short runs, correctness only (speed is bench/fwd-perf's business). TAP.
# The DPDK apps are the first on PATH (scripts/check-dpdk.sh points PATH
# at the DPDK under test).
# Usage: dpdk-apps.sh BUILD_DIR; DP_FWD_SECONDS: forwarding time (default 2)
set -u
build=$(cd "$1" && pwd)
here=$(dirname "$0")
. "$here/plugin-env.sh"
dp_stage_plugin "$build" || { echo "Bail out! no plugin"; exit 1; }
trap dp_unstage_plugin EXIT
echo "1..6"
echo "# $(command -v dpdk-testpmd), $(command -v dpdk-test)"
fail=0

testpmd_case() { # N NAME EXTRA_APP_ARGS [OPS [EXTRA_EAL_ARGS]]
	out=$(mktemp)
	# shellcheck disable=SC2086
	(echo start; sleep "${DP_FWD_SECONDS:-2}"; echo stop; echo quit) |
		dp_run timeout 60 dpdk-testpmd -l 0-1 --no-pci \
		--vdev net_null0 --vdev net_null1 --file-prefix dpapps$$_$1 --no-telemetry --huge-unlink \
		$DP_PLUGIN_ARGS ${5:-} --mbuf-pool-ops-name "${4:-dynpool}" -- -i --total-num-mbufs=16384 $3 \
		>"$out" 2>&1
	rc=$?
	acc=$(sed -n '/Accumulated forward statistics/,$p' "$out")
	rx=$(echo "$acc" | awk '/RX-packets:/ {print $2; exit}')
	tx=$(echo "$acc" | awk '/TX-packets:/ {print $2; exit}')
	why=""
	[ "$rc" -eq 0 ] || why="exit status $rc"
	grep -q "preferred mempool ops selected: ${4:-dynpool}\$" "$out" || why="$why; ${4:-dynpool} ops not selected"
	if [ "${4:-}" = dynpool_elastic ]; then
		grep -q "elastic pool of at most 16384 mbufs, 64 at creation" "$out" ||
			why="$why; no elastic pool of 64..16384 mbufs"
	fi
	[ "${rx:-0}" -gt 100000 ] 2>/dev/null || why="$why; too few packets (rx ${rx:-none})"
	[ "${rx:-0}" = "${tx:-x}" ] || why="$why; rx $rx != tx $tx"
	if [ -z "$why" ]; then
		echo "ok $1 - testpmd $2: $rx packets forwarded"
	else
		echo "not ok $1 - testpmd $2:$why"
		sed 's/^/# /' "$out" | tail -30
		fail=1
	fi
	rm -f "$out"
}

testpmd_case 1 "default mbuf cache" ""
testpmd_case 2 "--mbcache=0" "--mbcache=0"

out=$(mktemp)
# shellcheck disable=SC2086
DPDK_TEST=mbuf_autotest dp_run timeout 300 dpdk-test -l 0-1 --no-pci --no-huge -m 512 \
	--file-prefix dpapps$$_3 --no-telemetry $DP_PLUGIN_ARGS --mbuf-pool-ops-name dynpool \
	>"$out" 2>&1 </dev/null
rc=$?
# test_refcnt_mbuf (two lcores) dumps its pool, made by rte_pktmbuf_pool_create()
# as every pool of the test: the best mempool ops, here the EAL option's.
if [ $rc -eq 0 ] && grep -q "Test OK" "$out" && grep -q "ops_name: <dynpool>" "$out"; then
	echo "ok 3 - dpdk-test mbuf_autotest on the dynpool driver"
else
	echo "not ok 3 - dpdk-test mbuf_autotest on the dynpool driver (exit $rc)"
	sed 's/^/# /' "$out" | tail -30
	fail=1
fi
rm -f "$out"

testpmd_case 4 "elastic ops by name" "" dynpool_elastic "--vdev dynpool,init=64"

out=$(mktemp)
# shellcheck disable=SC2086
DPDK_TEST=mbuf_autotest dp_run timeout 300 dpdk-test -l 0-1 --no-pci --no-huge -m 512 \
	--file-prefix dpapps$$_5 --no-telemetry $DP_PLUGIN_ARGS --mbuf-pool-ops-name dynpool_elastic \
	--vdev dynpool,init=1,batch=16 >"$out" 2>&1 </dev/null
rc=$?
if [ $rc -eq 0 ] && grep -q "Test OK" "$out" && grep -q "1 at creation, growing by 16" "$out"; then
	echo "ok 5 - dpdk-test mbuf_autotest on elastic pools by ops name"
else
	echo "not ok 5 - dpdk-test mbuf_autotest on elastic pools by ops name (exit $rc)"
	sed 's/^/# /' "$out" | tail -30
	fail=1
fi
rm -f "$out"

# virtio-user shares DPDK memory with the peer one file per memseg list:
# --single-file-segments, as DPDK's virtio-user guide says.
vh=$(mktemp -d)
if [ "$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)" -lt 64 ]; then
	echo "ok 6 # SKIP vhost-user needs hugepages (fewer than 64 free)"
else
	# shellcheck disable=SC2016
	(while [ ! -e "$vh/done" ]; do sleep 0.2; done; echo "show port stats all"; sleep 1; echo quit) |
		timeout 90 dpdk-testpmd -l 0-1 --no-pci --file-prefix dpapps$$_6b --single-file-segments \
		-m 256 --no-telemetry --vdev "net_vhost0,iface=$vh/sock,queues=1" -- -i \
		--forward-mode=io --total-num-mbufs=4096 --auto-start >"$vh/peer.log" 2>&1 &
	peer=$!
	i=0
	while [ ! -S "$vh/sock" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	# shellcheck disable=SC2086
	(echo start; sleep "${DP_FWD_SECONDS:-2}"; echo stop; echo quit) |
		dp_run timeout 60 dpdk-testpmd -l 0-1 --no-pci --file-prefix dpapps$$_6 \
		--single-file-segments --no-telemetry $DP_PLUGIN_ARGS --vdev dynpool,init=64 \
		--vdev net_null0 --vdev "net_virtio_user0,path=$vh/sock,queues=1" \
		--mbuf-pool-ops-name dynpool_elastic -- -i --total-num-mbufs=16384 >"$vh/ours.log" 2>&1
	rc=$?
	touch "$vh/done"
	wait $peer
	# ours: port 1 is virtio-user; the peer's one port is vhost-user
	back=$(sed -n '/Forward statistics for port 1/,/TX-packets/p' "$vh/ours.log" |
		awk '/RX-packets:/ {print $2; exit}')
	peer_rx=$(awk '/RX-packets:/ {print $2; exit}' "$vh/peer.log")
	tables=$(grep -c "guest memory region size" "$vh/peer.log")
	why=""
	# a DPDK built without these drivers cannot parse the vdev at all
	missing=$(cat "$vh/peer.log" "$vh/ours.log" | grep -o "failed to parse device \"net_v[a-z_]*" |
		sed 's/.*"//' | sort -u | tr '\n' ' ')
fi
if [ -n "${missing:-}" ]; then
	echo "ok 6 # SKIP this DPDK has no ${missing}driver ($(command -v dpdk-testpmd))"
elif [ -n "${peer:-}" ]; then
	[ $rc -eq 0 ] || why="exit status $rc"
	grep -q "elastic pool of at most 16384 mbufs, 64 at creation" "$vh/ours.log" ||
		why="$why; no elastic pool"
	[ "${peer_rx:-0}" -gt 0 ] 2>/dev/null || why="$why; the peer received nothing"
	[ "${back:-0}" -gt 0 ] 2>/dev/null || why="$why; nothing came back from the peer"
	[ "$tables" -gt 1 ] || why="$why; the peer got $tables memory table(s), not one per growth"
	if [ -z "$why" ]; then
		echo "ok 6 - vhost-user peer on elastic mbufs: $peer_rx packets there, $back back, $tables memory tables"
	else
		echo "not ok 6 - vhost-user peer on elastic mbufs:$why"
		sed 's/^/# ours: /' "$vh/ours.log" | tail -20
		sed 's/^/# peer: /' "$vh/peer.log" | grep -v VHOST_CONFIG | tail -20
		fail=1
	fi
fi
rm -rf "$vh"
exit $fail
