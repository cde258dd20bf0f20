#!/bin/sh
# Sourced by integration tests: stage the dynpool mempool plugin where EAL
# accepts it, and set DP_PLUGIN_ARGS to the EAL arguments that load it.
#
# EAL refuses a -d plugin under any world-writable directory (/tmp, at any
# depth, and CI may clone there), so the plugin is copied into a private
# folder under $HOME; if no such place exists, it is preloaded instead.

# dp_stage_plugin BUILD_DIR
dp_stage_plugin() {
	so="$1/drivers/mempool/dynpool/librte_mempool_dynpool.so"
	[ -f "$so" ] || { echo "plugin not built: $so" >&2; return 1; }
	# A plugin built with a sanitizer needs its runtime loaded first, since
	# the DPDK apps themselves are not instrumented.
	DP_SAN_RT=$(ldd "$so" | awk '/lib(asan|ubsan)\.so/ { printf "%s%s", sep, $3; sep = ":" }')
	[ -n "$DP_SAN_RT" ] && echo "# sanitizer runtime preloaded: $DP_SAN_RT"
	# A secondary maps DPDK memory at the primary's addresses. A primary
	# under ASan takes them near the libraries (its shadow holds the usual
	# place), where a secondary's own mappings may already sit: about one
	# attach in five failed. Sanitizer primaries start clear of both (as
	# test/mp/mp_common.h's do); other builds keep EAL's defaults.
	DP_PRIMARY_VA=""
	[ -n "$DP_SAN_RT" ] && DP_PRIMARY_VA="--base-virtaddr=0x200000000000"
	dir="${HOME:-/root}/.cache/dynpool-test.$$"
	if mkdir -p "$dir" 2>/dev/null && chmod 700 "$dir" && dp_private_path "$dir"; then
		cp "$so" "$dir/"
		DP_PLUGIN_DIR=$dir
		DP_PLUGIN_ARGS="-d $dir/librte_mempool_dynpool.so"
		DP_PRELOAD=""
		echo "# plugin staged in $dir (loaded with -d)"
	else
		DP_PLUGIN_DIR=""
		DP_PLUGIN_ARGS=""
		DP_PRELOAD=$so
		echo "# no private directory for the plugin: preloading $so instead of -d"
	fi
}

# True if no directory from $1 up to / is writable by others.
dp_private_path() {
	p=$(cd "$1" && pwd -P)
	while [ -n "$p" ] && [ "$p" != "/" ]; do
		perm=$(stat -c %a "$p")
		case "$perm" in
		*[2367]) return 1 ;;
		esac
		p=$(dirname "$p")
	done
	return 0
}

dp_unstage_plugin() {
	[ -n "${DP_PLUGIN_DIR:-}" ] && rm -rf "$DP_PLUGIN_DIR"
	return 0
}

# dp_run CMD...: run with the plugin preloaded when -d could not be used
dp_run() {
	pre="${DP_SAN_RT:-}"
	[ -n "${DP_PRELOAD:-}" ] && pre="${pre:+$pre:}$DP_PRELOAD"
	if [ -n "$pre" ]; then
		LD_PRELOAD="$pre" "$@"
	else
		"$@"
	fi
}
