#!/bin/bash
# Reproduces this folder's runs (from the repository root, machine idle):
# two worktrees of 254a8b8, one with nolock.diff applied, both built in
# release, run alternately; then their instruction counts. Each run: 4
# backends x 9 configurations (cache 256, bulks 1/4/32, keeps
# 32/128/512, one lcore, pointers only) x 5 repetitions of 60 ms, about
# 12 s. Output in $EXP (default ~/tracking-locks).
set -e
root=$(pwd); exp=${EXP:-$HOME/tracking-locks}; commit=254a8b8
mkdir -p "$exp"
scripts/hugepages.sh 512 || echo "no hugepages: the runs below need them" >&2
for t in main nolock; do
	if [ ! -d "$exp/$t" ]; then
		git worktree add --detach "$exp/$t" $commit
		[ $t = main ] || (cd "$exp/$t" && git apply "$root/bench/results/tracking-locks-2026-12-03/nolock.diff")
	fi
	(cd "$exp/$t" && { [ -d build-bench ] || meson setup build-bench . --buildtype=release -Dtests=false; } &&
		ninja -C build-bench)
done
pp() {
	"$exp/$1/build-bench/bench/pool_perf" -l 0-1 --no-pci --file-prefix locks$$ --no-telemetry \
		--huge-unlink --log-level=error -m 512 -- --backends dynpool,dynpool-nt,dynpool-fast,ring_mp_mc \
		--patterns matrix --caches 256 --touch 0 --cores 1 --reps 5 --duration 60 --csv "$exp/$1$2.csv"
}
for i in 1 2 3; do
	pp main $i
	pp nolock $i
done
# Instructions per pair, as bench/pool-perf counts them.
echo "build,backend,bulk,instructions_per_pair" >"$exp/icount.csv"
for t in main nolock; do
	for b in dynpool dynpool-nt; do
		for bulk in 1 4 32; do
			cg=$(mktemp -p "$exp")
			valgrind --tool=callgrind --callgrind-out-file="$cg" --toggle-collect='cg_loop_*' \
				"$exp/$t/build-bench/bench/pool_perf" -l 0 --no-pci --no-huge -m 256 \
				--file-prefix lockscg$$ --no-telemetry --log-level=error \
				-- --callgrind "$b:$bulk:100000:256" >/dev/null 2>&1
			ir=$(callgrind_annotate "$cg" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
			rm -f "$cg"
			echo "$t,$b,$bulk,$(awk -v i="$ir" 'BEGIN {printf "%.1f", i / 101000}')" >>"$exp/icount.csv"
		done
	done
done
# The race tests with the diff (expected to fail; see README.md).
(cd "$exp/nolock" && { [ -d build ] || meson setup build .; } && ninja -C build test/test_dp_pool_free_race &&
	build/test/test_dp_pool_free_race) || true
