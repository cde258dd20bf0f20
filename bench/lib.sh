#!/bin/sh
# Shared helpers of the benchmark scripts (sourced, not run).

# python3 with matplotlib: Debian's, even when another python3 is first on PATH.
bench_python() {
	for py in /usr/bin/python3 python3; do
		if "$py" -c 'import matplotlib' 2>/dev/null; then
			echo "$py"
			return 0
		fi
	done
	echo python3
}

# Reserve 2 MiB hugepages when we can; print the EAL memory arguments to use.
# Falls back to --no-huge (with a message on stderr) when none can be had.
bench_hugepages() {
	if "$(dirname "$0")/../scripts/hugepages.sh" "${1:-512}"; then
		echo "-m $((${1:-512} * 2))"
	else
		echo "--no-huge -m 1024"
	fi
}

# Describe the machine (for results files).
bench_machine() {
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
	echo "cores: $(nproc) online, $(grep -c ^processor /proc/cpuinfo) present"
	echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
	echo "hugepages: $(awk '/HugePages_Total/ {t=$2} /HugePages_Free/ {f=$2} /Hugepagesize/ {s=$2} END {printf "%d total, %d free, %d kB each", t, f, s}' /proc/meminfo)"
	echo "kernel: $(uname -r)"
	echo "dpdk: $(pkg-config --modversion libdpdk 2>/dev/null)"
	echo "compiler: $(cc --version | head -n1)"
	if command -v systemd-detect-virt >/dev/null 2>&1; then
		echo "virtualization: $(systemd-detect-virt 2>/dev/null || true)"
	fi
}

# Configure and build the release tree used by benchmarks.
bench_build() {
	root=$1
	if [ ! -f "$root/build-bench/build.ninja" ]; then
		meson setup "$root/build-bench" "$root" --buildtype=release -Dtests=false >/dev/null
	fi
	ninja -C "$root/build-bench" >/dev/null
}
