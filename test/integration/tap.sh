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

# lines_seen COUNT PATTERN LOG: waits until LOG has COUNT lines with
# PATTERN, 30 s at most; true when it has. A LOG not created yet has none:
# a peer started in the background opens its log only once it runs, and
# grep's empty answer for a missing file must not end the wait at once
# (it did: the client then started before its server listened).
lines_seen() {
	i=0
	while [ "$(cat -- "$3" 2>/dev/null | grep -c -- "$2")" -lt "$1" ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(cat -- "$3" 2>/dev/null | grep -c -- "$2")" -ge "$1" ]
}
