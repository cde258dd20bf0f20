#!/bin/sh
# dynpool quick start.
#   ./quickstart.sh run [EAL options] [-- app options]
#                          build, then run dynpool-testpmd: two net_null
#                          ports, live forwarding and pool statistics
#   ./quickstart.sh test   build every test configuration and run the tests
#                          (default, debug, TSan, ASan+UBSan, valgrind, fuzz smoke)
# Both install the Debian packages they need first (as root).
set -eu
cd "$(dirname "$0")"
here=$(pwd)

build() { # build DIR [meson options...]
	dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || {
			cat "$dir.setup.log"
			exit 1
		}
	fi
	ninja -C "$dir" >/dev/null || ninja -C "$dir"
}

case "${1:-}" in
run)
	shift
	scripts/deps.sh
	scripts/hugepages.sh 512 || true
	build build-release --buildtype=release -Dtests=false
	exec build-release/app/testpmd/dynpool-testpmd "$@"
	;;
test)
	scripts/deps.sh clang tmux valgrind tcpdump
	scripts/hugepages.sh 256 || true
	logs=""
	# Default (debugoptimized) build, warnings as errors.
	build build-ci -Dwerror=true
	meson test -C build-ci --print-errorlogs >build-ci.test.log 2>&1 || true
	logs="$logs build-ci/meson-logs/testlog.json"
	# Debug build: DP_DEBUG on, per-block tracking forced for every pool.
	build build-ci-debug -Dwerror=true --buildtype=debug
	meson test -C build-ci-debug --suite unit --print-errorlogs >build-ci-debug.test.log 2>&1 || true
	logs="$logs build-ci-debug/meson-logs/testlog.json"
	# ThreadSanitizer build of the concurrency tests.
	build build-ci-tsan -Dwerror=true -Db_sanitize=thread -Db_lundef=false
	meson test -C build-ci-tsan --suite concurrency --print-errorlogs >build-ci-tsan.test.log 2>&1 || true
	logs="$logs build-ci-tsan/meson-logs/testlog.json"
	# AddressSanitizer + UndefinedBehaviorSanitizer: every suite that runs
	# code (the compile suite checks toolchains and links, and a consumer
	# built by another compiler cannot link the gcc sanitizer runtime).
	build build-ci-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C build-ci-asan --no-suite compile --print-errorlogs \
		>build-ci-asan.test.log 2>&1 || true
	logs="$logs build-ci-asan/meson-logs/testlog.json"
	# valgrind on the unit tests of the default build (its own log name:
	# meson writes valgrind-valgrind.json for the wrapper).
	meson test -C build-ci --suite unit --no-rebuild --timeout-multiplier 10 \
		--wrap 'valgrind --error-exitcode=1 --trace-children=yes --quiet' \
		--logbase valgrind >build-ci-valgrind.test.log 2>&1 || true
	logs="$logs build-ci/meson-logs/valgrind-valgrind.json"
	# libFuzzer smoke (clang, ASan+UBSan): the seed corpus, then a minute of
	# fuzzing against the reference model. Long runs: scripts/fuzz.sh SECONDS.
	scripts/fuzz.sh --smoke >build-fuzz-smoke.tap 2>build-fuzz-smoke.log || true
	logs="$logs build-fuzz-smoke.tap"
	# shellcheck disable=SC2086
	python3 "$here/scripts/test-summary.py" $logs
	;;
*)
	echo "usage: $0 run|test" >&2
	exit 2
	;;
esac
