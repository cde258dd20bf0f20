# Sourced by the integration tests: their TAP results, and the skip of a
# whole script that needs hugepages where there are none.
# fail: read by the sourcing script (its exit status).
# shellcheck disable=SC2034
n=0 fail=0

# result NAME WHY LOG: "ok" when WHY is empty; else "not ok" with WHY, the
# last TAP_LOG_LINES (default 25) lines of LOG as TAP comments, and fail=1.
# shellcheck disable=SC2034
result() {
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1:$2"
		[ -f "${3:-}" ] && sed 's/^/# /' "$3" | tail -n "${TAP_LOG_LINES:-25}"
		fail=1
	fi
}

# tap_need_hugepages COUNT: sets hugedir (the hugetlbfs mount); without
# one, or with fewer than COUNT free 2 MiB pages, the script ends here
# with a plan of 0 and the reason (a secondary cannot attach to a
# --no-huge primary). test-summary.py names the skip; on CI it fails.
tap_need_hugepages() {
	hugedir=$(awk '$3 == "hugetlbfs" { print $2; exit }' /proc/mounts)
	free=$(awk '/HugePages_Free/ { print $2 }' /proc/meminfo)
	if [ -z "$hugedir" ] || [ "${free:-0}" -lt "$1" ]; then
		echo "1..0 # SKIP no hugepages (need $1 free 2 MiB pages and hugetlbfs: secondaries cannot attach to --no-huge memory; run scripts/hugepages.sh)"
		exit 0
	fi
}
