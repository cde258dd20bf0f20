#!/bin/sh
# Mutation testing: apply small deliberate bugs to the library and the
# driver one at a time, run the tests that should notice, and report each
# mutation KILLED (a test failed) or SURVIVED (every test passed: a check
# is missing). Not part of CI (about 10 minutes on 2 cores).
#
#   scripts/mutate.sh [LIST] [ID...]
#
# LIST (default scripts/mutations.txt) holds one mutation a line:
#   ID | FILE | SED-EXPRESSION | TESTS | WHAT
# TESTS are meson test names (space separated) run on the mutated build.
# A mutation whose expression does not change FILE, or whose code does
# not build, is reported as INVALID: the list must stay honest.
#
# The work happens in a private copy of the tree (DP_MUTATE_DIR, default
# build-mutate/ here, ignored by git): the working tree is never touched.
# Only the programs of the tests named are rebuilt, and a mutation's
# tests stop at the first failure (it is killed then).
# Exit status: 0 when every mutation was killed.
set -u
cd "$(dirname "$0")/.."
src=$(pwd)
list=${1:-scripts/mutations.txt}
[ $# -gt 0 ] && shift
only="$*"
work=${DP_MUTATE_DIR:-$src/build-mutate}
tree=$work/tree
bld=$tree/build

mkdir -p "$work"
# Fresh copy of tracked and untracked (not ignored) files.
rm -rf "$tree"
mkdir -p "$tree"
git ls-files -z -c -o --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$tree"
# Put back the pristine copy of FILE after each mutation.
pristine=$work/pristine
rm -rf "$pristine"
cp -a "$tree" "$pristine"

# Program of a Criterion test: test/test_NAME (the build's naming).
targets() {
	for t in "$@"; do printf 'test/test_%s ' "$t"; done
}
# The list is read once, up front: edits to it while a run goes on
# cannot shift what is read.
lines=$(grep -v '^#' "$list" | grep .)
all=$(echo "$lines" | awk -F ' [|] ' '{print $4}' | tr ' ' '\n' | sort -u | tr '\n' ' ')

echo "mutate: building the unmutated tree in $bld"
# Set up from inside the copy: meson takes the current folder as the
# source tree.
(cd "$tree" && meson setup build -Dwerror=true) >"$work/setup.log" 2>&1 || {
	cat "$work/setup.log"
	exit 2
}
# shellcheck disable=SC2046
ninja -C "$bld" $(targets $all) >"$work/build.log" 2>&1 || {
	tail -n 30 "$work/build.log"
	exit 2
}

grep -qx "Source dir: $tree" "$bld/meson-logs/meson-log.txt" || {
	echo "mutate: $bld is not set up on the copy $tree" >&2
	exit 2
}

killed=0
survived=0
invalid=0
survivors=""
while IFS= read -r line; do
	id=$(echo "$line" | awk -F ' [|] ' '{print $1}')
	file=$(echo "$line" | awk -F ' [|] ' '{print $2}')
	expr=$(echo "$line" | awk -F ' [|] ' '{print $3}')
	tests=$(echo "$line" | awk -F ' [|] ' '{print $4}')
	what=$(echo "$line" | awk -F ' [|] ' '{print $5}')
	if [ -n "$only" ] && ! echo " $only " | grep -q " $id "; then
		continue
	fi
	sed -i "$expr" "$tree/$file"
	if cmp -s "$tree/$file" "$pristine/$file"; then
		echo "INVALID  $id: '$expr' does not change $file"
		invalid=$((invalid + 1))
		continue
	fi
	log=$work/$id.log
	# shellcheck disable=SC2046
	if ! ninja -C "$bld" $(targets $tests) >"$log" 2>&1; then
		echo "INVALID  $id: does not build ($log)"
		invalid=$((invalid + 1))
	else
		# shellcheck disable=SC2086
		if meson test -C "$bld" --no-rebuild --maxfail 1 --timeout-multiplier 2 $tests \
			>>"$log" 2>&1; then
			echo "SURVIVED $id: $what ($file; ran: $tests)"
			survived=$((survived + 1))
			survivors="$survivors $id"
		else
			echo "KILLED   $id: $what (by: $(grep -E '^ *[0-9]+/[0-9]+ .* (FAIL|TIMEOUT)' "$log" |
				sed -E 's/.* \/ ([^ ]+) .*/\1/' | tr '\n' ' '| sed 's/ $//'))"
			killed=$((killed + 1))
		fi
	fi
	cp "$pristine/$file" "$tree/$file"
done <<EOF
$lines
EOF
# Leave the scratch build matching the pristine tree.
# shellcheck disable=SC2046
ninja -C "$bld" $(targets $all) >/dev/null 2>&1
echo "mutate: $killed killed, $survived survived, $invalid invalid${survivors:+ (survivors:$survivors)}"
[ "$survived" -eq 0 ] && [ "$invalid" -eq 0 ]
