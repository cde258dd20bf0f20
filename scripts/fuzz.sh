#!/bin/sh
# Fuzz dynpool with the libFuzzer harness test/fuzz/dp_fuzz.c (clang, ASan, UBSan).
#
#   scripts/fuzz.sh [SECONDS] [libFuzzer args...]
#       Fuzz for SECONDS (default 600) in one process. New inputs go to
#       build-fuzz/corpus (kept between runs; test/fuzz/corpus is read, never
#       written), crashes to build-fuzz/crashes/. Ends with one summary line;
#       exits 1 if the fuzzer crashed.
#   scripts/fuzz.sh --smoke [libFuzzer args...]
#       For CI: replay every seed of test/fuzz/corpus once, then fuzz for
#       DP_FUZZ_SMOKE_SECONDS (default 60) from the seeds alone. TAP on
#       stdout; the fuzzer's own output goes to build-fuzz/fuzz-smoke.log.
#
# The build directory (DP_FUZZ_BUILD, default build-fuzz) is set up on first
# use. DP_FUZZ_TRACE=1 passes through to the harness (see
# test/fuzz/dp_fuzz.c). A crash replays with: build-fuzz/test/fuzz/dp_fuzz FILE
set -eu
cd "$(dirname "$0")/.."
build=${DP_FUZZ_BUILD:-build-fuzz}
fuzzer=$build/test/fuzz/dp_fuzz
seeds=test/fuzz/corpus
# Undefined behaviour must stop the run, or the fuzzer never sees it.
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
export UBSAN_OPTIONS

# Set up and build the harness only; output in $build.{setup,build}.log.
build_fuzzer() {
	command -v clang >/dev/null 2>&1 || scripts/deps.sh clang >&2 || return 1
	# An existing folder is reconfigured, so option changes reach it.
	reconf=""
	[ -f "$build/build.ninja" ] && reconf=--reconfigure
	# shellcheck disable=SC2086
	CC=clang meson setup $reconf "$build" -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dtests=false >"$build.setup.log" 2>&1 || {
		cat "$build.setup.log" >&2
		return 1
	}
	ninja -C "$build" test/fuzz/dp_fuzz >"$build.build.log" 2>&1 || {
		cat "$build.build.log" >&2
		return 1
	}
}

# run_fuzzer LOG ARGS...: the fuzzer's exit status, its output in LOG.
run_fuzzer() {
	_log=$1
	shift
	{
		"$fuzzer" "$@"
		echo $? >"$build/.fuzz-rc"
	} 2>&1 | if [ -n "${quiet:-}" ]; then cat >"$_log"; else tee "$_log"; fi
	return "$(cat "$build/.fuzz-rc")"
}

# Values from a finished run's log.
executions() {
	sed -n 's/^stat::number_of_executed_\(runs\|units\): *\([0-9]*\).*/\2/p' "$1" | tail -n 1
}
coverage() { # "cov N ft N corpus N" of the last status line
	c=$(grep -E '^#[0-9]+.*cov: ' "$1" | tail -n 1 |
		sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/cov \1 ft \2 corpus \3/')
	echo "${c:-no coverage reported yet}"
}

diagnose() { # LOG: the divergence, or the sanitizer's verdict, as TAP comments
	if grep -q 'DIVERGENCE' "$1"; then
		grep -A1 'DIVERGENCE' "$1" | head -n 2
	else
		grep -E 'ERROR:|SUMMARY:' "$1" | head -n 3
	fi | sed 's/^/# /'
}

fuzz_args() { # SECONDS: the options of every fuzzing run
	echo "-max_total_time=$1 -print_final_stats=1 -timeout=25 -rss_limit_mb=2048 -artifact_prefix=$build/crashes/"
}

smoke() {
	secs=${DP_FUZZ_SMOKE_SECONDS:-60}
	log=$build/fuzz-smoke.log
	fail=0
	echo "1..2"
	if ! build_fuzzer >"$build.smoke-build.log" 2>&1; then
		sed 's/^/# /' "$build.smoke-build.log" | tail -n 20
		echo "not ok 1 - seed corpus replay # build failed"
		echo "not ok 2 - fuzzing $secs s # build failed"
		return 1
	fi
	mkdir -p "$build/crashes"
	quiet=1
	nseeds=$(find "$seeds" -type f | wc -l)
	# shellcheck disable=SC2046
	if run_fuzzer "$log.seeds" $(find "$seeds" -type f | sort); then
		echo "ok 1 - seed corpus replay: $nseeds inputs, $(grep -c '^Executed ' "$log.seeds") executions"
	else
		fail=1
		diagnose "$log.seeds"
		echo "not ok 1 - seed corpus replay: crashed after $(grep -c '^Executed ' "$log.seeds") of $nseeds inputs (log: $log.seeds)"
	fi
	rm -rf "$build/corpus-smoke"
	mkdir -p "$build/corpus-smoke"
	start=$build/.fuzz-start
	: >"$start"
	# shellcheck disable=SC2046
	if run_fuzzer "$log" $(fuzz_args "$secs") "$@" "$build/corpus-smoke" "$seeds"; then
		echo "ok 2 - fuzzing $secs s: $(executions "$log") executions, $(coverage "$log"), 0 crashes"
	else
		fail=1
		diagnose "$log"
		echo "not ok 2 - fuzzing $secs s: $(executions "$log") executions, crash: $(find "$build/crashes" -type f -newer "$start" | head -n 1) (log: $log)"
	fi
	return $fail
}

fuzz() {
	secs=${1:-600}
	[ $# -gt 0 ] && shift
	case $secs in
	'' | *[!0-9]*)
		echo "usage: $0 [SECONDS] [libFuzzer args...] | --smoke [libFuzzer args...]" >&2
		return 2
		;;
	esac
	build_fuzzer
	mkdir -p "$build/corpus" "$build/crashes"
	log=$build/fuzz.log
	start=$build/.fuzz-start
	: >"$start"
	rc=0
	# shellcheck disable=SC2046
	run_fuzzer "$log" $(fuzz_args "$secs") "$@" "$build/corpus" "$seeds" || rc=$?
	crashes=$(find "$build/crashes" -type f -newer "$start" | wc -l)
	echo "fuzz: $(executions "$log") executions (limit ${secs} s), $(coverage "$log"), $crashes crash(es)$(
		[ "$crashes" -gt 0 ] && printf ':' && find "$build/crashes" -type f -newer "$start" | sed 's/^/ /' | tr -d '\n')"
	[ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ]
}

case "${1:-}" in
--smoke)
	shift
	smoke "$@"
	;;
-h | --help)
	sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
	;;
*)
	fuzz "$@"
	;;
esac
