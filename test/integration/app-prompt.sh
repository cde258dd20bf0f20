#!/bin/sh
# dynpool-testpmd's prompt with testpmd's commands (TAP): driven through a
# terminal (tmux) as a testpmd user types them, then through a pipe.
#   1. testpmd's show/clear/set/port/dump commands answer in testpmd's shape;
#   2. "quit" while forwarding stops, prints the forward statistics and the
#      summary, and the leak check passes;
#   3. Ctrl-C at the prompt quits cleanly;
#   4. with stdout a pipe, each command's output arrives before the next.
# Usage: app-prompt.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
app="$build/app/testpmd/dynpool-testpmd"
work=$(mktemp -d "${HOME:-/root}/.cache/dp-app-prompt.XXXXXX" 2>/dev/null || mktemp -d)
s=dpprompt$$
hugedir=$(awk '$3 == "hugetlbfs" { print $2; exit }' /proc/mounts)
cleanup() {
	tmux -L $s kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$s" # the server leaves its socket
	[ -n "${feeder:-}" ] && kill "$feeder" 2>/dev/null
	rm -rf "$work"
	[ -n "$hugedir" ] && rm -f "$hugedir/$s"*map_* 2>/dev/null
	rm -rf /var/run/dpdk/"$s"* 2>/dev/null
}
trap cleanup EXIT
if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 0
fi
echo "1..4"
TAP_LOG_LINES=40
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/tmux-prompt.sh"
# has LOG PATTERN LABEL: appends LABEL to $why when LOG lacks PATTERN
has() { grep -q -- "$2" "$1" || why="$why $3;"; }

# A tmux server of its own (-L): other users of the machine's default
# server cannot touch it, and its history holds the whole session.
printf 'set -g history-limit 20000\n' >"$work/tmux.conf"
session() { # PREFIX: a prompt in a fresh terminal, ready for keys
	tmux -L $s -f "$work/tmux.conf" new-session -d -s $s -x 200 -y 50 \
		"$app --file-prefix $1 -- -i --eth-peer 0,02:aa:bb:cc:dd:00; echo EXIT=\$?; sleep 60"
	wait_prompts 1
}

# 1-2. The commands, then quit while forwarding.
log="$work/commands.log"
session ${s}_a
step "show port stats all"
step "show port info all"
step "show port xstats all"
step "show config fwd"
step "set nbcore 1"
step "set burst 64"
step "set txpkts 128"
step "set verbose 0"
step "set eth-peer 1 02:aa:bb:cc:dd:01"
step "show config fwd"
step "set promisc all on"
step "set fwd macswap"
step "port stop all"
step "start"
step "port start all"
step "start tx_first" 0.5
step "set burst 16"
step "show fwd stats all"
step "dump_mempool"
step "stop"
step "clear port stats all"
step "show port stats 0"
step "show port stats 9"
step "set fwd mac"
step "start" 0.5
tmux -L $s send-keys -t $s "quit" Enter
finish "$log"
why=""
has "$log" "NIC statistics for port 0 " "show port stats all"
has "$log" "RX-nombuf: " "RX-nombuf"
has "$log" "RX-bytes: " "RX-bytes"
has "$log" "Rx-pps: " "pps"
has "$log" "Driver name: net_null" "show port info all"
has "$log" "rx_good_packets: " "show port xstats all"
has "$log" "Logical Core 1 (socket 0) forwards packets on 2 streams" "show config fwd"
has "$log" "TX P=0/Q=0 (socket 0) peer=02:AA:BB:CC:DD:00" "--eth-peer"
has "$log" "TX P=1/Q=0 (socket 0) peer=02:AA:BB:CC:DD:01" "set eth-peer"
has "$log" "Number of forwarding cores set to 1" "set nbcore"
has "$log" "Number of packets per burst set to 64" "set burst"
has "$log" "txonly packet length set to 128" "set txpkts"
has "$log" "Change verbose level from 0 to 0" "set verbose"
has "$log" "Set macswap packet forwarding mode" "set fwd macswap"
has "$log" "port 0 is stopped: 'port start all' first" "start with ports stopped"
has "$log" "Starting ports" "port start all"
has "$log" "tx_first: 128 packets sent" "start tx_first"
has "$log" "Please stop forwarding first" "set while forwarding not refused"
has "$log" "Accumulated forward statistics for all ports" "show fwd stats all"
has "$log" "mempool <mb_pool_0>" "dump_mempool"
has "$log" "summary: macswap forwarding" "stop"
has "$log" "NIC statistics for port 0 cleared" "clear port stats all"
has "$log" "Invalid port 9: ports are 0 1, or all" "bad port"
grep -q "Bad arguments" "$log" && why="$why a command was refused;"
result "testpmd's commands at the prompt" "$why" "$log"
why=""
sed -n '/^dynpool-testpmd> quit/,$p' "$log" >"$work/quit.log"
has "$work/quit.log" "Accumulated forward statistics for all ports" "no forward statistics at quit"
has "$work/quit.log" "summary: mac forwarding" "no summary at quit"
has "$work/quit.log" "leak check: every mbuf of" "leak check"
has "$work/quit.log" "EXIT=0" "exit status"
result "quit while forwarding: statistics, summary, leak check, exit 0" "$why" "$log"

# 3. Ctrl-C at the prompt, while forwarding.
log="$work/ctrlc.log"
session ${s}_c
step "start" 0.5
tmux -L $s send-keys -t $s C-c
finish "$log"
why=""
has "$log" "summary: io forwarding" "no summary"
has "$log" "interrupted: stopping ports" "not interrupted"
has "$log" "leak check: every mbuf of" "leak check"
has "$log" "EXIT=0" "exit status"
result "Ctrl-C at the prompt stops and quits cleanly" "$why" "$log"

# 4. Output through a pipe: "show pool" answered while the app still runs.
log="$work/pipe.log"
mkfifo "$work/in"
"$app" --file-prefix ${s}_p -- -i <"$work/in" | cat >"$log" &
pipeline=$!
exec 3>"$work/in"
# seen COUNT PATTERN: until LOG has COUNT lines with PATTERN (30 s at
# most); a command's output that only came at exit (a buffered stdout)
# is not seen before the next command is sent.
seen() { lines_seen "$1" "$2" "$log"; }
seen 1 "^secondaries"
echo "show pool" >&3
why=""
seen 2 "pool mb_pool_0 " || why=" 'show pool' not answered yet;"
echo "start" >&3
seen 1 "io forwarding started" || why="$why 'start' not answered yet;"
sleep 0.5
echo "stop" >&3
seen 1 "summary: io forwarding" || why="$why 'stop' not answered yet;"
echo "quit" >&3
exec 3>&-
wait $pipeline
grep -q "leak check: every mbuf of" "$log" || why="$why leak check;"
result "stdout a pipe: each command's output arrives before the next command" "$why" "$log"
exit $fail
