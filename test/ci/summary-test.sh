#!/bin/sh
# CI cannot read green when the tests did not earn it (TAP): real meson
# runs of a throwaway project (real Criterion programs, real valgrind, a
# real ASan build) summed by scripts/test-summary.py as quickstart.sh
# does, through scripts/meson-test.sh.
#   1 meson killed part way: the log lists only the tests that ended
#   2 the same log without meson's status beside it
#   3 a "[not-under:valgrind]" skip outside valgrind, on CI: a failure
#   4 the same program under scripts/valgrind-test.sh: a named skip
#   5 a "[not-under:asan]" skip: a failure in a plain build, a named
#     skip in an AddressSanitizer build
#   6 Criterion without verbosity 1 (skips not printed): a failure
#   7 TAP lines on stderr, which meson does not read, are not counted
#   8 CI=1 or CI=<service> (not only CI=true) makes a skip a failure
# Usage: summary-test.sh SOURCE_DIR
set -u
src=$(cd "$1" && pwd)
sum="$src/scripts/test-summary.py"
mt="$src/scripts/meson-test.sh"
work=$(mktemp -d "${HOME:-/root}/.cache/dp-summary-test.XXXXXX" 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
fail=0
echo "1..9"
# check NAME WANT-STATUS WANT-PATTERN LOG...: the summary's status and a
# line of its output (grep -E), with CI as set by the caller
check() {
	name=$1 want=$2 pat=$3
	shift 3
	python3 "$sum" "$@" >"$work/sum.out" 2>&1
	got=$?
	n=$((n + 1))
	if [ "$got" -eq "$want" ] && grep -qE -- "$pat" "$work/sum.out"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name: status $got (want $want), /$pat/ in:"
		sed 's/^/# /' "$work/sum.out"
		fail=1
	fi
}

p=$work/proj
mkdir -p "$p"
cat >"$p/meson.build" <<'MESON'
project('summary-test', 'c')
cr = dependency('criterion')
env = {'CRITERION_VERBOSITY_LEVEL' : '1'}
test('quick', find_program('quick.sh'))
test('slow', find_program('slow.sh'))
test('crit_vg', executable('crit_vg', 'crit_vg.c', dependencies : cr), env : env)
test('crit_asan', executable('crit_asan', 'crit_asan.c', dependencies : cr), env : env)
test('crit_quiet', executable('crit_quiet', 'crit_asan.c', dependencies : cr))
test('tap_stderr', find_program('tap.sh'), protocol : 'tap')
MESON
cat >"$p/slow.sh" <<'SH'
#!/bin/sh
echo $$ >"$(dirname "$0")/slow.pid"
exec sleep 60
SH
# Output larger than meson's log buffer (8 KiB): its line of the log is
# on disk when meson is killed, as in a long run.
cat >"$p/quick.sh" <<'SH'
#!/bin/sh
head -c 12000 /dev/zero | tr '\0' x
SH
cat >"$p/tap.sh" <<'SH'
#!/bin/sh
echo "1..1"
echo "ok 1 - the one real result"
printf 'ok 2 - not a result\nok 3 - not one either\n' >&2
SH
chmod +x "$p/slow.sh" "$p/tap.sh" "$p/quick.sh"
cat >"$p/crit_vg.c" <<'C'
#include <criterion/criterion.h>
Test(s, runs) { cr_assert(1); }
Test(s, not_under_valgrind) { cr_skip_test("[not-under:valgrind] hugepage EAL under valgrind"); }
C
cat >"$p/crit_asan.c" <<'C'
#include <criterion/criterion.h>
Test(s, runs) { cr_assert(1); }
Test(s, not_under_asan) { cr_skip_test("[not-under:asan] AddressSanitizer turns mlock() into a no-op"); }
C
b=$p/b
a=$p/b-asan
if ! (cd "$p" && meson setup b && ninja -C b && meson setup b-asan -Db_sanitize=address &&
	ninja -C b-asan) >"$work/setup.log" 2>&1; then
	echo "Bail out! the throwaway project does not build"
	sed 's/^/# /' "$work/setup.log" | tail -n 20
	exit 1
fi
log=$b/meson-logs/testlog.json

# 1, 2: meson killed after the first test ended; the second never reported.
# meson itself killed (as by the OOM killer), its status kept as
# scripts/meson-test.sh keeps it.
rm -f "$log"
timeout -s KILL 10 meson test -C "$b" --no-rebuild quick slow >"$work/m.out" 2>&1
echo $? >"$log.rc"
[ -f "$p/slow.pid" ] && kill "$(cat "$p/slow.pid")" 2>/dev/null
CI=false check "meson killed part way: a failure, not 1 passed" 1 "tests are missing from the log" "$log"
rm -f "$log.rc"
CI=false check "no exit status beside the log: a failure" 1 "exit status was not recorded" "$log"

# 3, 4: the valgrind token.
"$mt" "$b" testlog.json "$work/m.out" crit_vg
CI=true check "[not-under:valgrind] outside valgrind on CI: a setup failure" 1 \
	"SETUP FAILURE.*not_under_valgrind.*this stage does not run valgrind" "$log"
CI=woodpecker check "CI=<service name>: a skip is a setup failure too" 1 "SETUP FAILURE" "$log"
"$mt" "$b" vg-valgrind-test.sh.json "$work/m.out" crit_vg --wrap "$src/scripts/valgrind-test.sh" --logbase vg
CI=true check "[not-under:valgrind] under scripts/valgrind-test.sh: a named skip" 0 \
	"^SKIPPED \(cannot run under valgrind.*not_under_valgrind" "$b/meson-logs/vg-valgrind-test.sh.json"

# 5: the asan token, in a plain and in an ASan build (one line: two logs).
"$mt" "$b" testlog.json "$work/m.out" crit_asan
"$mt" "$a" testlog.json "$work/m.out" crit_asan
CI=true python3 "$sum" "$a/meson-logs/testlog.json" >"$work/asan.out" 2>&1
asan_rc=$?
CI=true check "[not-under:asan]: a failure in a plain build" 1 "this stage does not run asan" "$log"
n=$((n + 1))
if [ $asan_rc -eq 0 ] && grep -q "^SKIPPED (cannot run under asan" "$work/asan.out"; then
	echo "ok $n - [not-under:asan] in an AddressSanitizer build: a named skip"
else
	echo "not ok $n - [not-under:asan] in an AddressSanitizer build: status $asan_rc"
	sed 's/^/# /' "$work/asan.out"
	fail=1
fi

# 6: Criterion's skips invisible.
"$mt" "$b" testlog.json "$work/m.out" crit_quiet
CI=false check "Criterion without verbosity 1: its unseen skip is a failure" 1 \
	"Criterion ran 0 tests, reported 1 and named 0 skips" "$log"

# 7: stderr is not TAP.
"$mt" "$b" testlog.json "$work/m.out" tap_stderr
CI=false check "TAP on stderr not counted: 1 passed" 0 "^1 passed, 0 failed, 0 skipped$" "$log"
exit $fail
