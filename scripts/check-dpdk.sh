#!/bin/sh
# Does dynpool build and work on this DPDK? Builds the project in a build
# directory of its own against the DPDK installed under PREFIX (or Debian's,
# with no PREFIX or `system`), warnings as errors, and runs with that DPDK's
# libraries and applications:
#   - the unit suite (Criterion, stress);
#   - the dpdk suite: that DPDK's dpdk-testpmd loading the plugin with -d
#     and forwarding on two net_null ports (default mbuf cache and
#     --mbcache=0), dpdk-test's mbuf_autotest on the dynpool ops, and a
#     primary and a secondary process (test/integration/dpdk-apps.sh,
#     multiprocess.sh);
#   - the app suite: dynpool-testpmd runs, each with its leak check, one of
#     them against that DPDK's dpdk-testpmd over memif, one read through its
#     dpdk-telemetry.py (test/integration/app.sh).
# TAP on stdout; exits non-zero if anything failed.
#
# Usage: scripts/check-dpdk.sh [PREFIX|system]
#   DP_FWD_SECONDS  how long dpdk-testpmd forwards in each case (default 5)
# The DPDK under PREFIX must be a shared build (-Ddefault_library=shared):
# a static DPDK cannot load -d plugins.
set -u
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
prefix=${1:-system}
[ "$prefix" = system ] && prefix=""

# Where the DPDK is: its pkg-config file, libraries and applications.
if [ -n "$prefix" ]; then
	prefix=$(cd "$prefix" 2>/dev/null && pwd) || { echo "Bail out! no such prefix: $1"; exit 2; }
	pcdir=""
	for d in "$prefix"/lib/*/pkgconfig "$prefix"/lib64/pkgconfig "$prefix"/lib/pkgconfig; do
		[ -f "$d/libdpdk.pc" ] && { pcdir=$d; break; }
	done
	[ -n "$pcdir" ] || { echo "Bail out! no libdpdk.pc under $prefix/lib*"; exit 2; }
	PKG_CONFIG_PATH="$pcdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
	export PKG_CONFIG_PATH
	libdir=$(pkg-config --variable=libdir libdpdk)
	LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	export LD_LIBRARY_PATH
	PATH="$prefix/bin:$PATH"
	export PATH
	setup_pc="-Dpkg_config_path=$pcdir"
else
	pkg-config --exists libdpdk || { echo "Bail out! no libdpdk.pc (apt install libdpdk-dev)"; exit 2; }
	libdir=$(pkg-config --variable=libdir libdpdk)
	# empty, or a reconfigure keeps the prefix of an earlier run for the
	# same version (the build directory is named by version only)
	setup_pc="-Dpkg_config_path=[]"
fi
version=$(pkg-config --modversion libdpdk)
# A static DPDK would link into the plugin and fail only at step 3, after
# the whole build: say so before building.
for f in "$libdir"/librte_eal.so*; do
	[ -e "$f" ] && break
	echo "Bail out! no librte_eal.so in $libdir: DPDK $version there is a static build," \
		"which cannot load -d plugins; build it with -Ddefault_library=shared"
	exit 2
done
build="$root/build-dpdk-${version}"
: "${DP_FWD_SECONDS:=5}"
export DP_FWD_SECONDS
logs="$build-check"
mkdir -p "$logs"

echo "1..6"
echo "# DPDK $version: ${prefix:-system} (libraries in $libdir); build dir $build"
n=0
fail=0
result() { # WHY(empty = ok) NAME [LOG]
	n=$((n + 1))
	if [ -z "$1" ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2: ${1#; }"
		[ -n "${3:-}" ] && [ -f "$3" ] && tail -40 "$3" | sed 's/^/# /'
		fail=1
	fi
}
skip_rest() { # WHY
	while [ $n -lt 6 ]; do
		n=$((n + 1))
		echo "not ok $n # SKIP $1"
	done
	fail=1
}

# 1. Configure: meson must find this DPDK, not another one on the system.
if [ -f "$build/build.ninja" ]; then
	# shellcheck disable=SC2086
	meson setup --reconfigure "$build" -Dwerror=true $setup_pc >"$logs/setup.log" 2>&1
else
	# shellcheck disable=SC2086
	meson setup "$build" -Dwerror=true $setup_pc >"$logs/setup.log" 2>&1
fi
rc=$?
why=""
[ $rc -eq 0 ] || why="meson setup failed ($rc)"
grep -qE "ependency libdpdk found: YES $version( \(cached\))?\$" "$logs/setup.log" ||
	why="$why; libdpdk $version not the one found"
result "$why" "configure against DPDK $version" "$logs/setup.log"
[ -z "$why" ] || { skip_rest "not configured"; exit 1; }

# 2. Build everything, warnings as errors.
nice ninja -C "$build" >"$logs/build.log" 2>&1
rc=$?
why=""
[ $rc -eq 0 ] || why="build failed ($rc)"
grep -q 'warning:' "$logs/build.log" && why="$why; warnings"
result "$why" "build with -Dwerror=true, no warnings" "$logs/build.log"
[ -z "$why" ] || { skip_rest "not built"; exit 1; }

# 3. What runs is this DPDK: the plugin and the apps resolve its libraries,
#    and the DPDK applications the suites start are its own.
plugin="$build/drivers/mempool/dynpool/librte_mempool_dynpool.so"
reallib=$(readlink -f "$libdir") # /lib is /usr/lib on merged-/usr systems
why=""
for f in "$plugin" "$build/app/testpmd/dynpool-testpmd"; do
	eal=$(ldd "$f" | awk '/librte_eal\.so/ {print $3}')
	case "$(readlink -f "${eal:-/nowhere}")" in
	"$reallib"/*) ;;
	*) why="$why; $(basename "$f") loads librte_eal from ${eal:-nowhere}" ;;
	esac
done
for a in dpdk-testpmd dpdk-test; do
	p=$(command -v $a)
	case "$p" in
	"${prefix:-/usr}"/bin/*) echo "# $a: $p" ;;
	*) why="$why; $a is ${p:-missing}" ;;
	esac
done
result "$why" "plugin, dynpool-testpmd and the DPDK apps are DPDK $version's"

# 4-6. The suites; their TAP lines are in $logs/*.log and meson's test log.
suite() { # NAME MESON-SUITE DESCRIPTION
	meson test -C "$build" --no-rebuild --suite "$2" --print-errorlogs --logbase "check-$1" \
		>"$logs/$1.log" 2>&1
	rc=$?
	sed -n '/^Ok:/,/^Timeout:/p' "$logs/$1.log" | tr -s ' ' | tr '\n' ' ' | sed 's/^/# /; s/ *$/\n/'
	why=""
	[ $rc -eq 0 ] || why="meson test exit status $rc (see $logs/$1.log)"
	result "$why" "$3" "$logs/$1.log"
}
suite unit unit "unit suite (Criterion, stress)"
suite dpdk dpdk "dpdk suite: dpdk-testpmd -d plugin on net_null, mbuf_autotest, multiprocess"
suite app app "app suite: dynpool-testpmd runs with leak checks"
# The TAP lines of the integration scripts, for the record.
grep -hE '^(not )?ok [0-9]+ ' "$build"/meson-logs/check-dpdk.txt "$build"/meson-logs/check-app.txt \
	2>/dev/null | sed 's/^/#   /'

[ $fail -eq 0 ] && echo "# PASS: dynpool on DPDK $version" || echo "# FAIL: dynpool on DPDK $version"
exit $fail
