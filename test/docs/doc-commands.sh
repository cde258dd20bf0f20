#!/bin/sh
# Every command line of the ```sh blocks of README.md and
# doc/user-guide.md, taken from the files themselves, is either run here
# as written (with the substitutions listed below) or excluded with its
# reason (classify(), "skip:"; printed as a TAP comment). A line this script does not know fails: a new or changed
# command in the docs must be classified here, so docs and test cannot
# drift apart. The lines of one block run in one shell, in order (an
# `export` reaches the next line), in a scratch folder where `build` is
# the build folder and `app.c` the first C program of the same document.
# TAP, one line a command.
# Usage: doc-commands.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d "${HOME:-/root}/.cache/dp-doc-commands.XXXXXX" 2>/dev/null || mktemp -d)
. "$src/test/integration/plugin-env.sh"
cleanup() {
	[ -n "${DP_PLUGIN_DIR:-}" ] && rm -rf "$DP_PLUGIN_DIR"
	rm -rf "$work"
	# DPDK 22.11 leaves the runtime folders of the prefixes used here.
	for p in doccmd memsrv dp1_ tp1_; do rm -rf "/var/run/dpdk/$p$$"; done
}
trap cleanup EXIT
dp_stage_plugin "$build" >/dev/null
plugin=${DP_PLUGIN_DIR:+$DP_PLUGIN_DIR/librte_mempool_dynpool.so}
if [ -z "$plugin" ]; then
	echo "1..0 # SKIP no private folder to stage the plugin in"
	exit 0
fi
app="$build/app/testpmd/dynpool-testpmd"

# The documented line -> what runs, or "skip: REASON".
# Substitutions: the plugin path (<libdir>/... or the installed path) ->
# the staged build's plugin; dynpool-testpmd -> the build's; interactive
# sessions get "quit" on stdin; every process runs under `timeout`;
# dpdk-testpmd gets a --file-prefix of its own; /run/m.sock -> a socket
# in the scratch folder (an abstract one: memif's default), and a
# backgrounded server gets 3 s to come up and must end cleanly.
# The plugin installed in EAL's default folder -> -d the staged one; the
# tools' --file-prefix dp1/tp1 -> prefixes of this run, /var/tmp pcaps
# -> the scratch folder; the dpdk-testpmd the guide's tools attach to is
# started (forwarding) with the line that sets TP_MEMPOOLS; what a block
# leaves in the background gets SIGINT when the block ends.
classify() {
	case "$1" in
	"./quickstart.sh run")
		echo "skip: builds a release tree of its own (minutes); the app suite runs the same forwarding" ;;
	"./quickstart.sh test")
		echo "skip: that is CI itself (.ci/run)" ;;
	"meson setup build --buildtype=release" | "ninja -C build")
		echo "skip: every CI stage sets up and builds a tree (quickstart.sh build())" ;;
	"meson install -C build" | "ldconfig")
		echo "skip: installs into the system; test/pkgconfig/consumer-test.sh installs into a staging root" ;;
	"dynpool-testpmd -a 0000:3b:00.0 -- --nic-granularity 1024")
		echo "skip: needs a real ixgbe port, and CI must never probe the NIC of the machine" ;;
	"export PKG_CONFIG_PATH=\$PWD/build/meson-uninstalled" | \
	"cc app.c \$(pkg-config --cflags --libs dynpool) -o app" | \
	"LD_LIBRARY_PATH=build/lib ./app")
		echo "$1" ;;
	"cc app.c \$(pkg-config --cflags dynpool) -Wl,--whole-archive -ldynpool_mempool -Wl,--no-whole-archive -lrte_bus_vdev \$(pkg-config --libs dynpool) -o app")
		# From a build tree, with the exported path and the -L and -I the
		# guide says to add there.
		echo "export PKG_CONFIG_PATH=\$PWD/build/meson-uninstalled && cp elastic.c app.c && $1 -L build/drivers/mempool/dynpool -I $src/drivers/mempool/dynpool" ;;
	"dpdk-testpmd -l 0-1 --no-pci --vdev net_null0 --vdev net_null1 --mbuf-pool-ops-name dynpool -- -i" | \
	"dpdk-testpmd -l 0-1 --no-pci --vdev net_null0 --vdev net_null1 --mbuf-pool-ops-name dynpool_elastic --vdev 'dynpool,init=4096,batch=512' -- -i")
		# The docs assume the installed plugin (EAL's default folder):
		# here the staged build's, with -d.
		echo "$1" | sed -e "s|--mbuf-pool-ops-name|-d $plugin --file-prefix doccmd$$ --mbuf-pool-ops-name|" \
			-e 's|^|echo quit \| timeout 60 |' ;;
	"meson setup build -Ddefault_library=shared --prefix=\$HOME/dpdk-25.11" | "ninja -C build install")
		echo "skip: builds DPDK from its source tree (not in CI; scripts/check-dpdk.sh PREFIX runs dynpool against such a prefix by hand)" ;;
	"export PKG_CONFIG_PATH=\$HOME/dpdk-25.11/lib/x86_64-linux-gnu/pkgconfig" | "meson setup build && ninja -C build" | \
	"export LD_LIBRARY_PATH=\$HOME/dpdk-25.11/lib/x86_64-linux-gnu")
		echo "skip: needs the source-built DPDK prefix of the lines above; scripts/check-dpdk.sh PREFIX does this by hand" ;;
	"echo '#include <rte_build_config.h>' | cc \$(pkg-config --cflags libdpdk) -dM -E - | grep RTE_EAL_PMD_PATH")
		echo "$1" ;;
	"scripts/check-micrium.sh ~/micrium build")
		echo "skip: needs the Micrium sources fetched from GitHub (CI has no network); uclib_build_modes checks the mechanism in CI" ;;
	# DPDK's tools against the app (one shell): the app on a prefix of
	# its own, pcaps in the scratch folder.
	"PLUGIN=/usr/local/lib/x86_64-linux-gnu/dpdk/pmds-dynpool/librte_mempool_dynpool.so")
		echo "PLUGIN=$plugin" ;;
	"dynpool-testpmd --file-prefix dp1 -- --run-time 30 --stats-period 0 &")
		echo "timeout 60 $app${1#dynpool-testpmd}" | sed -e "s|dp1|dp1_$$|" -e 's|&$|>dp1.log 2>\&1 \& sleep 0|' ;;
	"sleep 5")
		echo "$1" ;;
	"dpdk-proc-info --no-pci --file-prefix dp1 "* | "echo /dynpool/info,mb_pool_0 | dpdk-telemetry.py -f dp1")
		echo "$1" | sed -e "s|dp1|dp1_$$|" -e 's|dpdk-proc-info|timeout 60 &|' ;;
	"timeout -s INT 2 dpdk-pdump --no-pci --file-prefix dp1 -d \$PLUGIN -- --pdump 'port=0,queue=*,tx-dev=/var/tmp/tx.pcap'")
		# timeout exits 124 once it has sent the INT: that is the documented end.
		echo "{ $1; [ \$? -eq 124 ]; }" | sed -e "s|dp1|dp1_$$|" -e "s|/var/tmp/|$dir/|" ;;
	"tcpdump -e -n -c 5 -r /var/tmp/tx.pcap")
		echo "$1" | sed "s|/var/tmp/|$dir/|" ;;
	"LD_PRELOAD=\$PLUGIN dpdk-dumpcap --file-prefix=dp1 -i net_null0 -c 100 -w /var/tmp/cap.pcapng")
		echo "$1" | sed -e "s|dp1|dp1_$$|" -e "s|/var/tmp/|$dir/|" -e 's|dpdk-dumpcap|timeout 60 &|' ;;
	# Against dpdk-testpmd: the guide's "dpdk-testpmd started with -d
	# \$PLUGIN --mbuf-pool-ops-name dynpool" starts first, forwarding.
	"TP_MEMPOOLS=\$(ldd /usr/bin/dpdk-testpmd | awk '/librte_mempool_/ { printf \"%s%s\", s, \$3; s = \":\" }')")
		# Forwarding until the block ends (block.done, 30 s at most); the
		# tools run once its prompt is back after "start" (60 s at most).
		echo "PLUGIN=$plugin && $1 && { (echo start; i=0; while [ ! -e block.done ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i + 1)); done; echo stop; echo quit) | timeout 60 dpdk-testpmd -l 0-1 --no-pci --vdev net_null0 --vdev net_null1 --file-prefix tp1_$$ -d $plugin --mbuf-pool-ops-name dynpool -- -i --total-num-mbufs=16384 >tp1.log 2>&1 & i=0; while [ \$(cat tp1.log 2>/dev/null | grep -c 'testpmd> ') -lt 2 ] && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i + 1)); done; sleep 1; }" ;;
	"LD_PRELOAD=\$TP_MEMPOOLS dpdk-proc-info --no-pci --file-prefix tp1 "* | \
	"LD_PRELOAD=\$TP_MEMPOOLS:\$PLUGIN dpdk-dumpcap --file-prefix=tp1 -i net_null0 -c 100 -w /var/tmp/cap.pcapng")
		echo "$1" | sed -e "s|tp1|tp1_$$|" -e "s|/var/tmp/|$dir/|" -e 's|\(dpdk-proc-info\|dpdk-dumpcap\)|timeout 60 \1|' ;;
	"LD_PRELOAD=\$TP_MEMPOOLS dpdk-pdump --no-pci --file-prefix tp1 "*)
		# Runs until Ctrl-C: INT after 3 s, which timeout reports as 124.
		echo "{ $1; [ \$? -eq 124 ]; }" | sed -e "s|tp1|tp1_$$|" -e "s|/var/tmp/|$dir/|" -e 's|dpdk-pdump|timeout -s INT 3 &|' ;;
	"dynpool-testpmd -- --run-time 10" | \
	"dynpool-testpmd -- --pool fixed --pool-ops ring_mp_mc" | \
	"dynpool-testpmd --lcores 0@0,1@1,2@0 -- --pipeline")
		echo "timeout 60 $app${1#dynpool-testpmd}" ;;
	"dynpool-testpmd -- -i")
		echo "echo quit | timeout 60 $app${1#dynpool-testpmd}" ;;
	"dpdk-testpmd -l 0-1 --no-pci --file-prefix memsrv --vdev net_memif0,role=server,socket=/run/m.sock -- --forward-mode=io --stats-period 5 &")
		echo "timeout 60 $1" | sed -e "s|/run/m.sock|$work/m.sock|" -e "s|memsrv|memsrv$$|" \
			-e 's|&$|>memsrv.log 2>\&1 \& sleep 3|' ;;
	"dynpool-testpmd --vdev net_memif0,role=client,socket=/run/m.sock -- --forward-mode txonly --run-time 5")
		echo "timeout 60 $app${1#dynpool-testpmd}" | sed "s|/run/m.sock|$work/m.sock|" ;;
	"kill -INT %1")
		echo "kill -INT %1 && wait && grep -q 'Bye' memsrv.log" ;;
	*)
		echo "unknown" ;;
	esac
}

# What a command's output must show besides exit status 0 (grep -E), or
# nothing.
expect() {
	case "$1" in
	*" &") ;; # backgrounded: the lines after it attach to it
	dpdk-testpmd*dynpool_elastic*) echo "preferred mempool ops selected: dynpool_elastic" ;;
	dpdk-testpmd*mbuf-pool-ops-name*) echo "preferred mempool ops selected: dynpool" ;;
	*show-mempool) echo "ops_name: <dynpool>" ;;
	*--stats) echo "NIC statistics for port 0" ;;
	tcpdump*) echo "length [0-9]+" ;;
	*dpdk-telemetry.py*) echo "populated" ;;
	*RTE_EAL_PMD_PATH) echo "RTE_EAL_PMD_PATH" ;;
	dynpool-testpmd*txonly*) echo "leak check: every mbuf of" ;;
	dynpool-testpmd*-i) echo "." ;;
	dynpool-testpmd*) echo "leak check: every mbuf of" ;;
	esac
}

# Blocks as files: one joined command line a line, comments dropped.
for doc in README.md doc/user-guide.md; do
	awk -v out="$work/$(basename "$doc" .md)" '
		/^[ \t]*```sh[ \t]*$/ { on = 1; k++; f = out "-" k ".sh"; printf "" > f; next }
		/^[ \t]*```/ && on { on = 0; close(f); next }
		on {
			line = cont $0; cont = ""
			if (line ~ /\\$/) { sub(/[ \t]*\\$/, " ", line); sub(/^[ \t]*/, "", $0); cont = line; next }
			sub(/[ \t]+#.*$/, "", line); sub(/^[ \t]*#.*$/, "", line)
			gsub(/[ \t]+/, " ", line); sub(/^ /, "", line); sub(/ $/, "", line)
			if (line != "") print line > f
		}' "$src/$doc"
	# The first complete C program of the document is app.c for its
	# blocks; the elastic fragment (a function) gets an empty main().
	awk '/^```c[ \t]*$/ { on = 1; buf = ""; next }
	     /^```/ && on { if (buf ~ /main *\(/ && !done) { printf "%s", buf; done = 1 } on = 0; next }
	     on { buf = buf $0 "\n" }' "$src/$doc" >"$work/$(basename "$doc" .md).c"
done
awk '/^```c[ \t]*$/ { on = 1; buf = ""; next }
     /^```/ && on { if (buf ~ /rte_mempool_dynpool.h/ && buf ~ /rte_eth_rx_queue_setup/) printf "%s", buf; on = 0; next }
     on { buf = buf $0 "\n" }' "$src/doc/user-guide.md" >"$work/elastic.c"
echo "int main(void) { return 0; }" >>"$work/elastic.c"

# Excluded lines are not tests: TAP comments, neither passed nor skipped
# (CI counts a skip as a failure of its setup).
total=0
for blk in "$work"/*-*.sh; do
	while IFS= read -r line; do
		case "$(classify "$line")" in skip:*) ;; *) total=$((total + 1)) ;; esac
	done <"$blk"
done
echo "1..$total"
n=0
for blk in "$work"/README-*.sh "$work"/user-guide-*.sh; do
	[ -f "$blk" ] || continue
	doc=$(basename "$blk" .sh)
	# Each block in a shell of its own, in its own folder.
	dir="$work/run-$doc"
	mkdir -p "$dir"
	ln -s "$build" "$dir/build"
	cp "$work/${doc%-*}.c" "$dir/app.c"
	cp "$work/elastic.c" "$dir/elastic.c"
	script="$dir/run.sh"
	echo "cd '$dir'" >"$script"
	while IFS= read -r line; do
		cmd=$(classify "$line")
		case "$cmd" in skip:*) ;; *) n=$((n + 1)) ;; esac
		want=$(expect "$line")
		# Quoted in the generated script: no single quotes in names.
		show=$(printf '%s' "$line" | tr -d "'")
		case "$cmd" in
		unknown)
			echo "echo 'not ok $n - $doc: \"$show\": not classified in test/docs/doc-commands.sh'" ;;
		skip:*)
			echo "echo '# excluded: $doc: $show: ${cmd#skip: }'" ;;
		*)
			cat <<RUN
if $cmd >cmd$n.log 2>&1 && { [ -z '$want' ] || grep -qE '$want' cmd$n.log; }; then
	echo 'ok $n - $doc: $show'
else
	echo 'not ok $n - $doc: $show: exit status '\$?' (or no "$want" in its output)'
	[ -f cmd$n.log ] && sed 's/^/# /' cmd$n.log | tail -n 15
fi
RUN
			;;
		esac >>"$script"
	done <"$blk"
	# What a block left running in the background ends with it: SIGINT,
	# and block.done for a feeder of commands. jobs -p in the shell itself
	# (in a $(...) subshell it lists nothing, and each background run
	# went on to its own end: 30 s twice).
	echo ': >block.done; jobs -p >jobs.pids; kill -INT $(cat jobs.pids) 2>/dev/null; wait' >>"$script"
	sh "$script"
done
