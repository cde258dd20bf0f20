#!/bin/sh
# dynpool-testpmd with DPDK's own tools (TAP), each a secondary process
# attached to the app started with its defaults:
#   dpdk-proc-info --stats and --show-mempool, dpdk-pdump capturing to a
#   pcap that tcpdump reads back (in mac mode: source = the port's address,
#   destination = --eth-peer), the app's hugepage files gone after exit,
#   --single-file-segments accepted, a refused EAL option named, the
#   command lines doc/user-guide.md gives for dpdk-testpmd, an elastic pool
#   at its maximum saying so (and counting refused gets), /dynpool/info
#   adding up while the app forwards, a clean stop on SIGTERM, SIGHUP and
#   SIGPIPE, SIGTERM during EAL's start, and the hint for a refused value.
# Usage: app-tools.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
app="$build/app/testpmd/dynpool-testpmd"
. "$here/plugin-env.sh"
. "$here/tap.sh"
tap_need_hugepages 160
dp_stage_plugin "$build" >/dev/null || { echo "Bail out! no plugin"; exit 1; }
work=$(mktemp -d "${HOME:-/root}/.cache/dp-app-tools.XXXXXX" 2>/dev/null || mktemp -d)
fp=dptools$$
cleanup() {
	[ -n "${apid:-}" ] && kill "$apid" 2>/dev/null
	dp_unstage_plugin
	rm -rf "$work"
	rm -f "$hugedir/$fp"*map_* 2>/dev/null
	rm -rf /var/run/dpdk/"$fp"* 2>/dev/null
}
trap cleanup EXIT
echo "1..12"

# Start the app in the background with its defaults (plus APP-ARGS) and
# wait until it forwards. Sets apid, alog.
app_start() { # PREFIX SECONDS "EAL-ARGS" APP-ARGS...
	p=$1 secs=$2 eal=$3
	shift 3
	alog="$work/$p.log"
	# shellcheck disable=SC2086
	timeout $((secs + 30)) "$app" --file-prefix "$p" $DP_PRIMARY_VA $eal -- --run-time "$secs" \
		--stats-period 0 "$@" >"$alog" 2>&1 &
	apid=$!
	i=0
	while [ $i -lt 40 ] && ! grep -q "^secondaries" "$alog" 2>/dev/null; do sleep 0.5; i=$((i + 1)); done
	sleep 1
}
app_wait() { wait "$apid"; arc=$?; apid=""; }
# Done with the app before its run-time ends: Ctrl-C's clean stop (the
# run-time is only the limit for a slow start).
app_stop() { kill -INT "$apid" 2>/dev/null; app_wait; }
# A DPDK tool with the plugin: with a sanitizer build, its runtime is
# preloaded too, and LeakSanitizer would fail the tool (not ours) on what
# it leaves allocated at exit.
tool() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" dp_run "$@"; }

# 1-2. proc-info attaches under the app's defaults.
app_start ${fp}_a 12 ""
log="$work/stats.log"
timeout 30 dpdk-proc-info --no-pci --file-prefix ${fp}_a -- --stats >"$log" 2>&1
rc=$?
why=""
[ $rc -eq 0 ] || why=" exit status $rc;"
rx=$(awk '/NIC statistics for port 0/ {s=1} s && /RX-packets:/ {print $2; exit}' "$log")
[ "${rx:-0}" -gt 0 ] 2>/dev/null || why="$why port 0 RX-packets ${rx:-none};"
result "dpdk-proc-info --stats attaches to the app's defaults: port 0 RX-packets ${rx:-none}" "$why" "$log"

log="$work/mempool.log"
# shellcheck disable=SC2086
tool timeout 30 dpdk-proc-info --no-pci --file-prefix ${fp}_a $DP_PLUGIN_ARGS -- --show-mempool \
	>"$log" 2>&1
rc=$?
app_stop
why=""
[ $rc -eq 0 ] || why=" exit status $rc;"
grep -q "mempool <mb_pool_0>" "$log" || why="$why no mb_pool_0;"
grep -q "ops_name: <dynpool>" "$log" || why="$why ops: $(grep ops_name "$log" | head -1);"
pop=$(sed -n 's/^ *populated_size=//p' "$log" | head -1)
common=$(sed -n 's/^ *common_pool_count=//p' "$log" | head -1)
[ "${pop:-0}" -ge 4096 ] 2>/dev/null || why="$why populated_size ${pop:-none};"
[ "${common:-x}" -le "${pop:-0}" ] 2>/dev/null || why="$why common_pool_count ${common:-none} > populated ${pop:-?};"
[ $arc -eq 0 ] || why="$why app exit status $arc;"
result "dpdk-proc-info -d PLUGIN --show-mempool: ops dynpool, ${common:-?} free of ${pop:-?} populated" "$why" "$log"

# 3. dpdk-pdump captures port 0's transmit in mac mode; tcpdump reads it.
peer=02:11:22:33:44:55
if ! command -v tcpdump >/dev/null 2>&1; then
	n=$((n + 1))
	echo "ok $n - dpdk-pdump to a pcap # SKIP tcpdump not installed (scripts/deps.sh tcpdump)"
else
	app_start ${fp}_c 10 "" --forward-mode mac --eth-peer "0,$peer"
	mac=$(sed -n 's/^Port 0: //p' "$alog" | tr 'A-F' 'a-f')
	pcap="$work/tx.pcap"
	# shellcheck disable=SC2086
	tool timeout -s INT 20 dpdk-pdump --no-pci --file-prefix ${fp}_c $DP_PLUGIN_ARGS -- \
		--pdump "port=0,queue=*,tx-dev=$pcap" >"$work/pdump.log" 2>&1 &
	pd=$!
	# Stop once packets are in (about a thousand): the app sends millions
	# a second, and the pcap would grow as fast.
	i=0
	while [ $i -lt 80 ] && [ "$(stat -c %s "$pcap" 2>/dev/null || echo 0)" -lt 100000 ]; do
		sleep 0.25
		i=$((i + 1))
	done
	kill -INT $pd 2>/dev/null
	wait $pd
	app_wait
	log="$work/tcpdump.log"
	tcpdump -e -n -r "$pcap" -c 20 >"$log" 2>&1
	got=$(grep -c "$mac > $peer" "$log")
	why=""
	[ -s "$pcap" ] || why=" no pcap ($(grep -i "fail\|error" "$work/pdump.log" | head -2));"
	[ "$got" -eq 20 ] || why="$why $got of 20 packets from ${mac:-?} to $peer;"
	grep -q "leak check: every mbuf of" "$alog" || why="$why app: $(tail -3 "$alog");"
	rm -f "$pcap"
	result "dpdk-pdump to a pcap, read back by tcpdump: mac mode sends from the port to --eth-peer" \
		"$why" "$log"
fi

# 4. The app's hugepage files are gone once it has exited (${fp}_a stopped
# by Ctrl-C, ${fp}_c at the end of its run-time).
left=$(find "$hugedir" -maxdepth 1 -name "${fp}_[ac]map_*" | wc -l)
why=""
[ "$left" -eq 0 ] || why=" $left hugepage files left: $(find "$hugedir" -maxdepth 1 -name "${fp}_[ac]map_*" | head -3 | tr '\n' ' ')"
result "hugepage files of the app's prefix removed at exit" "$why"

# 5. --single-file-segments (memif zero-copy needs it) and a secondary.
app_start ${fp}_s 8 --single-file-segments
log="$work/sfs.log"
timeout 30 dpdk-proc-info --no-pci --file-prefix ${fp}_s -- --stats >"$log" 2>&1
rc=$?
app_stop
why=""
[ $arc -eq 0 ] || why=" app exit status $arc;"
[ $rc -eq 0 ] || why="$why proc-info exit status $rc;"
grep -q "leak check: every mbuf of" "$alog" || why="$why app did not forward;"
result "--single-file-segments accepted, proc-info attaches" "$why" "$alog"

# 6. A refused EAL option is named, and nothing else is blamed.
log="$work/refused.log"
"$app" --file-prefix ${fp}_r --single-file-segments --huge-unlink -- --run-time 1 >"$log" 2>&1
rc=$?
why=""
[ $rc -eq 1 ] || why=" exit status $rc;"
grep -q "EAL said: .*--single-file-segments is not compatible with --huge-unlink" "$log" ||
	why="$why refusal not quoted;"
grep -q -- "--vdev driver\|-d plugin" "$log" && why="$why blames a driver or plugin;"
result "a refused EAL option: the hint quotes EAL's reason" "$why" "$log"

# 7. The documented command line against dpdk-testpmd on the dynpool ops:
# a secondary registers the mempool drivers dpdk-testpmd links, then the
# plugin, so the ops indexes match.
log="$work/testpmd.log"
# Its commands through a FIFO: "stop" and "quit" once proc-info is done.
mkfifo "$work/tp.in"
# shellcheck disable=SC2086
dp_run timeout 60 dpdk-testpmd -l 0-1 --no-pci \
	--vdev net_null0 --vdev net_null1 --file-prefix ${fp}_t --no-telemetry $DP_PRIMARY_VA \
	$DP_PLUGIN_ARGS --mbuf-pool-ops-name dynpool -- -i --total-num-mbufs=16384 \
	<"$work/tp.in" >"$log" 2>&1 &
tpid=$!
exec 4>"$work/tp.in"
echo start >&4
# Forwarding: the prompt back after "start" (its own output is buffered
# until exit; EAL's start polled, 30 s at most), then a second of it.
lines_seen 2 "testpmd> " "$log"
sleep 1
linked=$(ldd "$(command -v dpdk-testpmd)" | awk '/librte_mempool_/ { printf "%s%s", sep, $3; sep = ":" }')
mlog="$work/tp-mempool.log"
# shellcheck disable=SC2086
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	LD_PRELOAD="${DP_SAN_RT:+$DP_SAN_RT:}$linked${DP_PRELOAD:+:$DP_PRELOAD}" \
	timeout 30 dpdk-proc-info --no-pci \
	--file-prefix ${fp}_t $DP_PLUGIN_ARGS -- --show-mempool >"$mlog" 2>&1
rc=$?
{ echo stop; echo quit; } >&4
exec 4>&-
wait $tpid
why=""
[ $rc -eq 0 ] || why=" proc-info exit status $rc;"
pool=$(grep -A20 "mempool <mb_pool_0>" "$mlog" | sed -n 's/^ *ops_name: //p' | head -1)
[ "$pool" = "<dynpool>" ] || why="$why ops ${pool:-none};"
grep -q "Bye" "$log" || why="$why dpdk-testpmd did not exit cleanly;"
result "dpdk-testpmd: proc-info with its mempool drivers preloaded and -d PLUGIN reads ops $pool" \
	"$why" "$mlog"

# 8. An elastic pool held at its maximum says so (a pipeline's ring holds
# more mbufs than the pool may have).
log="$work/max.log"
timeout 60 "$app" --file-prefix ${fp}_m -- --pipeline --pool-init 512 --pool-max 512 \
	--run-time 2 --stats-period 0 >"$log" 2>&1
rc=$?
why=""
[ $rc -eq 0 ] || why=" exit status $rc;"
refused=$(sed -n 's/.*pool mb_pool_0 *growth stopped: maximum reached; refused gets \([0-9]*\);.*/\1/p' "$log" | tail -1)
[ -n "$refused" ] || why="$why no reason given;"
[ "${refused:-0}" -gt 0 ] || why="$why refused gets ${refused:-none} (the ring holds more than the pool);"
grep -q "leak check: every mbuf of" "$log" || why="$why leak check;"
result "an elastic pool at its maximum says why it stopped growing" "$why" "$log"

# 9. /dynpool/info adds up while forwarding: in use + available = populated.
# Ten queries start python each: on a loaded machine (CI beside other
# work) they outlasted an 8 s run; app_stop ends the app once they are done.
app_start ${fp}_i 60 ""
bad=0
samples=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
	info=$(echo "/dynpool/info,mb_pool_0" | timeout 10 dpdk-telemetry.py -f ${fp}_i 2>/dev/null |
		tr -d ' \n')
	pop=$(echo "$info" | sed -n 's/.*"populated":\([0-9]*\).*/\1/p')
	use=$(echo "$info" | sed -n 's/.*"in_use":\([0-9]*\).*/\1/p')
	av=$(echo "$info" | sed -n 's/.*"available":\([0-9]*\).*/\1/p')
	[ -n "$pop" ] && [ -n "$use" ] && [ -n "$av" ] || continue
	samples=$((samples + 1))
	[ $((use + av)) -eq "$pop" ] || { bad=$((bad + 1)); last="in_use $use + available $av != populated $pop"; }
done
app_stop
n=$((n + 1))
if [ $samples -lt 5 ]; then
	echo "not ok $n - /dynpool/info while forwarding: only $samples answers"
	fail=1
elif [ $bad -eq 0 ]; then
	echo "ok $n - /dynpool/info while forwarding: in_use + available = populated in $samples samples"
else
	echo "not ok $n - /dynpool/info while forwarding: $bad of $samples samples do not add up ($last)"
	fail=1
fi

# 10. Ended by a signal a user sends without meaning harm: SIGTERM, SIGHUP
# (the terminal or ssh session closed, tmux kill-session) and SIGPIPE (the
# reader of its output gone: "| grep -m1", "| head"). Each stops the ports,
# checks for leaks and removes the prefix's hugepage files, which would
# otherwise hold their memory until the same prefix runs again.
why=""
for sig in TERM HUP; do
	app_start ${fp}_$sig 30 ""
	kill -$sig "$apid"
	app_wait
	[ $arc -eq 0 ] || why="$why SIG$sig: exit status $arc;"
	grep -q "leak check: every mbuf of" "$alog" || why="$why SIG$sig: no leak check;"
	left=$(find "$hugedir" -maxdepth 1 -name "${fp}_${sig}map_*" | wc -l)
	[ "$left" -eq 0 ] || why="$why SIG$sig: $left hugepage files left;"
done
{ timeout 60 "$app" --file-prefix ${fp}_P -- --run-time 30 --stats-period 1 2>&1
	echo $? >"$work/pipe.rc"; } | grep -m1 "port 0  rx" >/dev/null
prc=$(cat "$work/pipe.rc" 2>/dev/null)
[ "${prc:-x}" = 0 ] || why="$why SIGPIPE: exit status ${prc:-none};"
left=$(find "$hugedir" -maxdepth 1 -name "${fp}_Pmap_*" | wc -l)
[ "$left" -eq 0 ] || why="$why SIGPIPE: $left hugepage files left;"
result "SIGTERM, SIGHUP, SIGPIPE: clean stop, hugepage files removed" "$why" "$alog"

# 11. SIGTERM while EAL is still starting (here a secondary waiting for a
# primary that never finishes: a config file nobody initialised) ends the
# app, as it would end dpdk-testpmd: the app's own handler only asks a
# running app to stop, and EAL's wait never looks at it.
rundir=/var/run/dpdk/${fp}_w
mkdir -p "$rundir" && truncate -s 64M "$rundir/config"
log="$work/eal-wait.log"
timeout -k 5 3 "$app" --file-prefix ${fp}_w --proc-type secondary -- --run-time 1 >"$log" 2>&1
rc=$?
why=""
[ $rc -eq 124 ] || why=" exit status $rc (137: SIGTERM ignored, SIGKILL needed);"
result "SIGTERM during EAL initialisation ends the app" "$why" "$log"

# 12. A value EAL refuses: the hint quotes the line that names the option
# (EAL ends with a generic "Invalid 'command line' arguments" under its
# whole usage text, which names nothing).
why=""
for args in "--iova-mode=xx:invalid parameters for --iova-mode" "-l 0-99:lcore [0-9]* unavailable"; do
	log="$work/hint.log"
	# shellcheck disable=SC2086
	timeout 20 "$app" --file-prefix ${fp}_h ${args%%:*} -- --run-time 1 >"$log" 2>&1
	grep -q "EAL said: .*${args#*:}" "$log" ||
		why="$why ${args%%:*}: quoted '$(sed -n 's/.*EAL said: //p' "$log")';"
done
result "a refused EAL value: the hint quotes the line that names the option" "$why" "$log"
exit $fail
