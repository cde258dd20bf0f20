#!/bin/sh
# Make N free 2 MiB hugepages available and hugetlbfs mounted, when we can
# (root). Says what it did; exits non-zero if it could not, and callers
# then run without hugepages (the apps fall back to --no-huge).
# Usage: scripts/hugepages.sh [N]
set -u
want=${1:-512}
free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
if [ "${free:-0}" -lt "$want" ]; then
	if [ -w /proc/sys/vm/nr_hugepages ]; then
		total=$(cat /proc/sys/vm/nr_hugepages)
		echo $((total + want - free)) >/proc/sys/vm/nr_hugepages 2>/dev/null || true
	fi
	free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
fi
if ! grep -q hugetlbfs /proc/mounts; then
	mkdir -p /dev/hugepages 2>/dev/null && mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null
fi
if [ "${free:-0}" -ge "$want" ] && grep -q hugetlbfs /proc/mounts; then
	echo "hugepages: $free x 2 MiB free" >&2
	exit 0
fi
echo "hugepages: only ${free:-0} of $want free (not root, or memory taken): running without" >&2
exit 1
