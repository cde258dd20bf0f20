#!/bin/sh
# Run one test program under valgrind; fail when any process it starts
# reports a memory error or a definite leak.
# Usage: scripts/valgrind-test.sh PROGRAM [ARGS...]
#
# Criterion runs each test in a worker process and ignores the workers'
# exit status, so valgrind's --error-exitcode cannot fail a Criterion
# test. Each process writes its own valgrind log instead (%p), and this
# script reads every log's ERROR SUMMARY after the program ends. Leaks
# count when definite: DPDK keeps its EAL state reachable until exit,
# which is not a leak of ours.
#
# --fair-sched: valgrind runs one thread at a time, and its default lock
# lets a spinning thread take it straight back, so a thread that waits
# for another by spinning (test_dp_pool_free_race's fault handler) never
# sees it run. The fair lock hands the CPU round in turn.
set -u
logs=$(mktemp -d "${TMPDIR:-/tmp}/dp-valgrind.XXXXXX")
trap 'rm -rf "$logs"' EXIT
valgrind --trace-children=yes --fair-sched=yes --log-file="$logs/vg.%p" \
	--suppressions="$(dirname "$0")/valgrind.supp" --num-callers=40 \
	--leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
	--error-exitcode=99 "$@"
rc=$?
bad=0
checked=0
for f in "$logs"/vg.*; do
	[ -f "$f" ] || continue
	n=$(sed -n 's/.*ERROR SUMMARY: \([0-9][0-9]*\) error.*/\1/p' "$f" | tail -n 1)
	[ -n "$n" ] && checked=$((checked + 1))
	if [ -z "$n" ]; then
		# Killed before valgrind could report (SIGKILL, timeout): the
		# program's own status says so; note it here.
		echo "valgrind: $(basename "$f"): no summary (process killed)" >&2
	elif [ "$n" -ne 0 ]; then
		echo "valgrind: process ${f##*.}: $n error(s):" >&2
		cat "$f" >&2
		bad=$((bad + 1))
	fi
done
# test-summary.py believes a "[not-under:valgrind]" skip only in the
# output of a program this line says valgrind checked.
echo "valgrind-test: $checked process(es) checked, $bad with errors" >&2
if [ "$bad" -ne 0 ]; then
	echo "valgrind: FAILED: memory errors or definite leaks in $bad process(es) of $1" >&2
	# Criterion may have said every test passed: this status is the
	# verdict (test-summary.py counts a failed program with no failing
	# case as one failure).
	exit 1
fi
exit "$rc"
