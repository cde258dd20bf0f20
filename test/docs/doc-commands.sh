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
	"dpdk-testpmd -l 0-1 --no-pci --vdev net_null0 --vdev net_null1 -d "*"/dpdk/pmds-dynpool/librte_mempool_dynpool.so --mbuf-pool-ops-name dynpool -- -i")
		echo "$1" | sed -e "s|-d [^ ]*librte_mempool_dynpool.so|-d $plugin --file-prefix doccmd$$|" \
			-e 's|^|(sleep 3; echo quit) \| timeout 60 |' ;;
	"dynpool-testpmd -- --run-time 10" | \
	"dynpool-testpmd -- --pool fixed --pool-ops ring_mp_mc" | \
	"dynpool-testpmd --lcores 0@0,1@1,2@0 -- --pipeline")
		echo "timeout 60 $app${1#dynpool-testpmd}" ;;
	"dynpool-testpmd -- -i")
		echo "(sleep 3; echo quit) | timeout 60 $app${1#dynpool-testpmd}" ;;
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
	dpdk-testpmd*mbuf-pool-ops-name*) echo "preferred mempool ops selected: dynpool" ;;
	dynpool-testpmd*txonly*) echo "leak check: every mbuf of" ;;
	dynpool-testpmd*-i) echo "." ;;
	dynpool-testpmd*) echo "leak check: every mbuf of" ;;
	esac
}

# Blocks as files: one joined command line a line, comments dropped.
for doc in README.md doc/user-guide.md; do
	awk -v out="$work/$(basename "$doc" .md)" '
		/^```sh[ \t]*$/ { on = 1; k++; f = out "-" k ".sh"; printf "" > f; next }
		/^```/ && on { on = 0; close(f); next }
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
	sh "$script"
done
