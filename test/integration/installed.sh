#!/bin/sh
# The driver installed the DPDK way (issue 14, item 5): `meson install`
# puts the plugin in the directory EAL loads plugins from by default, and
# unmodified DPDK applications select the ops by name with no -d.
#   1. meson install (into a scratch DESTDIR) puts librte_mempool_dynpool.so
#      at DESTDIR + RTE_EAL_PMD_PATH, read from the installed DPDK's
#      rte_build_config.h (what EAL itself was built with).
#   2-3. Real dpdk-testpmd, no -d, with EAL's default plugin directory
#      showing the installed plugin: --mbuf-pool-ops-name dynpool, then
#      dynpool_elastic (with --vdev dynpool,init=...): the ops are selected
#      and packets flow.
# For 2-3 the system's plugin directory is not written: in a private mount
# namespace (unshare -m), a read-only overlay shows DESTDIR's plugin
# directory over the system's, so other processes on the machine see
# nothing. Needs root (mount); skipped otherwise. What it proves: EAL's own
# default plugin directory (not a -d path) finds and loads the installed
# file, by that path. TAP. Usage: installed.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
echo "1..3"
# Private (EAL refuses plugins under world-writable directories).
work="${HOME:-/root}/.cache/dynpool-install.$$"
mkdir -p "$work" && chmod 700 "$work" || { echo "Bail out! no scratch dir"; exit 1; }
trap 'rm -rf "$work"' EXIT
fail=0

pmd=$(echo '#include <rte_build_config.h>' | cc $(pkg-config --cflags libdpdk) -E -dM - |
	awk '$2 == "RTE_EAL_PMD_PATH" { gsub(/"/, "", $3); print $3 }')
DESTDIR="$work/root" meson install -C "$build" --no-rebuild --quiet >"$work/install.log" 2>&1
so="$work/root$pmd/librte_mempool_dynpool.so"
if [ -n "$pmd" ] && [ -f "$so" ]; then
	echo "ok 1 - meson install puts the plugin in EAL's default plugin directory $pmd"
else
	echo "not ok 1 - plugin not at DESTDIR + RTE_EAL_PMD_PATH ('$pmd')"
	sed 's/^/# /' "$work/install.log" | tail -5
	find "$work/root" -name 'librte_mempool_dynpool.so*' | sed 's/^/# found: /'
	fail=1
fi

if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
	echo "ok 2 # SKIP needs root and mount namespaces"
	echo "ok 3 # SKIP needs root and mount namespaces"
	exit $fail
fi
chmod 755 "$work" "$work/root" 2>/dev/null
# The system directory must not already hold it, or 2-3 would prove nothing.
if [ -e "$pmd/librte_mempool_dynpool.so" ]; then
	echo "Bail out! $pmd/librte_mempool_dynpool.so is installed system-wide already"
	exit 1
fi

# A plugin built with a sanitizer needs its runtime loaded first (the DPDK
# apps are not instrumented); nothing else is preloaded.
san=$(ldd "$so" | awk '/lib(asan|ubsan)\.so/ { printf "%s%s", sep, $3; sep = ":" }')

run_case() { # N OPS EXTRA_EAL
	out="$work/out$1"
	# shellcheck disable=SC2086
	(echo start; sleep 2; echo stop; echo quit) | LD_PRELOAD="$san" timeout 90 unshare -m sh -c '
		mount --make-rprivate / &&
		mount -t overlay dynpool-test -o "lowerdir=$1:$2" "$2" &&
		shift 2 && exec "$@"' sh "$work/root$pmd" "$pmd" \
		dpdk-testpmd -l 0-1 --no-pci --vdev net_null0 --vdev net_null1 $3 \
		--file-prefix dpinst$$_$1 --no-telemetry --huge-unlink \
		--mbuf-pool-ops-name "$2" -- -i --total-num-mbufs=16384 >"$out" 2>&1
	rc=$?
	rx=$(sed -n '/Accumulated forward statistics/,$p' "$out" | awk '/RX-packets:/ {print $2; exit}')
	why=""
	[ $rc -eq 0 ] || why="exit status $rc"
	grep -q "preferred mempool ops selected: $2\$" "$out" || why="$why; $2 not selected"
	[ "${rx:-0}" -gt 100000 ] 2>/dev/null || why="$why; too few packets (${rx:-none})"
	if [ -z "$why" ]; then
		echo "ok $1 - testpmd without -d on the installed $2 ops: $rx packets"
	else
		echo "not ok $1 - testpmd without -d, $2:$why"
		sed 's/^/# /' "$out" | tail -20
		fail=1
	fi
}
run_case 2 dynpool ""
run_case 3 dynpool_elastic "--vdev dynpool,init=1024"
exit $fail
