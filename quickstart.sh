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

# targets: what ninja builds (empty: everything); set before build().
targets=""
build() { # build DIR [meson options...]: 0 when built
	dir=$1
	shift
	# An existing folder is reconfigured, so option changes reach it.
	reconf=""
	[ -f "$dir/build.ninja" ] && reconf=--reconfigure
	# shellcheck disable=SC2086
	meson setup $reconf "$dir" "$@" >"$dir.setup.log" 2>&1 || {
		cat "$dir.setup.log" >&2
		echo "BUILD FAILED: meson setup $dir (log: $dir.setup.log)" >&2
		return 1
	}
	# shellcheck disable=SC2086
	ninja -C "$dir" $targets >"$dir.build.log" 2>&1 || {
		tail -n 40 "$dir.build.log" >&2
		echo "BUILD FAILED: ninja -C $dir (log: $dir.build.log)" >&2
		return 1
	}
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
	scripts/deps.sh clang tmux valgrind gcovr tcpdump
	logs=""
	# Hugepages: on CI (CI=true, root) a failed reservation is a failed
	# setup and counts as a failure; elsewhere the tests that need them
	# skip, and the summary names each skip.
	if ! scripts/hugepages.sh 256; then
		logs="$logs setup-failed:hugepages"
	fi
	# Each stage: build, then run its suites. A build that fails is one
	# failure in the summary (setup-failed:DIR) and the other stages
	# still run. Old test logs go first, so a stage that did not run
	# cannot report the previous run's results.
	stage() { # DIR LOGNAME: 0 when the tests may run
		rm -f "$1/meson-logs/$2" "$1/meson-logs/$2.rc"
		if [ -f "$1/.ci-built" ]; then
			logs="$logs $1/meson-logs/$2"
			return 0
		fi
		logs="$logs setup-failed:$1"
		return 1
	}
	built() { # DIR [meson options...]: build, mark the result
		rm -f "$1/.ci-built"
		build "$@" && touch "$1/.ci-built"
	}
	# meson test, its exit status kept beside its log for the summary.
	mtest() { "$here/scripts/meson-test.sh" "$@"; }
	# Default (debugoptimized) build, warnings as errors.
	built build-ci -Dwerror=true || true
	if stage build-ci testlog.json; then
		mtest build-ci testlog.json build-ci.test.log --print-errorlogs
	fi
	# The default stage builds every target with warnings as errors; the
	# other stages build what their suites run (meson-test-prereq: the
	# test programs and their depends; the app for the app suite), not
	# the benchmarks again: a sanitizer or debug build of bench/ was
	# compiled and never run.
	# Debug build: DP_DEBUG on, per-block tracking forced for every pool.
	targets=meson-test-prereq
	built build-ci-debug -Dwerror=true --buildtype=debug || true
	if stage build-ci-debug testlog.json; then
		mtest build-ci-debug testlog.json build-ci-debug.test.log --suite unit --print-errorlogs
	fi
	# ThreadSanitizer build of the concurrency tests (the suite's programs
	# only; --no-rebuild, or meson would build every test program first).
	targets=test/dp_stress
	built build-ci-tsan -Dwerror=true -Db_sanitize=thread -Db_lundef=false || true
	if stage build-ci-tsan testlog.json; then
		mtest build-ci-tsan testlog.json build-ci-tsan.test.log --suite concurrency \
			--no-rebuild --print-errorlogs
	fi
	# AddressSanitizer + UndefinedBehaviorSanitizer: every suite that runs
	# code (the compile and docs suites check toolchains and links, and a
	# consumer built by another compiler cannot link the gcc sanitizer
	# runtime). The app and dpdk suites run here again on purpose, though
	# the default stage ran them: they are the only ASan coverage of app/
	# and of the plugin inside DPDK's own apps.
	targets="meson-test-prereq app/testpmd/dynpool-testpmd"
	built build-ci-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false || true
	if stage build-ci-asan testlog.json; then
		(export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
		 mtest build-ci-asan testlog.json build-ci-asan.test.log \
			--no-suite compile --no-suite docs --no-suite ci --print-errorlogs)
	fi
	# Coverage of lib/ and drivers/ by the unit suite (a report, not a
	# gate): one summary line here, the per-file table in
	# build-ci-cov/coverage.txt.
	cov=""
	targets=meson-test-prereq
	built build-ci-cov -Db_coverage=true -Dbuildtype=debug || true
	targets=""
	if stage build-ci-cov testlog.json; then
		find build-ci-cov -name '*.gcda' -delete
		mtest build-ci-cov testlog.json build-ci-cov.test.log --suite unit --print-errorlogs
		cov=$(gcovr -r "$here" --object-directory build-ci-cov --filter "$here/lib/" \
			--filter "$here/drivers/" --exclude-unreachable-branches --print-summary \
			-o build-ci-cov/coverage.txt 2>build-ci-cov.gcovr.log |
			awk '/^(lines|branches):/ {printf "%s%s %s", sep, $1, $2; sep=", "}')
	fi
	# valgrind on the unit tests of the default build (its own log name:
	# meson names it after the wrapper: valgrind-valgrind-test.sh.json). The wrapper
	# reads every process's valgrind log: Criterion ignores its workers'
	# exit status, so --error-exitcode alone cannot fail a test.
	if stage build-ci valgrind-valgrind-test.sh.json; then
		mtest build-ci valgrind-valgrind-test.sh.json build-ci-valgrind.test.log \
			--suite unit --no-rebuild --timeout-multiplier 10 \
			--wrap "$here/scripts/valgrind-test.sh" --logbase valgrind
	fi
	# libFuzzer smoke (clang, ASan+UBSan): the seed corpus, then a minute of
	# fuzzing against the reference model. Long runs: scripts/fuzz.sh SECONDS.
	scripts/fuzz.sh --smoke >build-fuzz-smoke.tap 2>build-fuzz-smoke.log || true
	logs="$logs build-fuzz-smoke.tap"
	echo "coverage (unit suite, lib/ and drivers/): ${cov:-not measured (see build-ci-cov.*.log)}"
	# shellcheck disable=SC2086
	exec python3 "$here/scripts/test-summary.py" $logs
	;;
*)
	echo "usage: $0 run|test" >&2
	exit 2
	;;
esac
