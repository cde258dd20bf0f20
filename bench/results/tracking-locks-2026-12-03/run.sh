#!/bin/bash
# Reproduces this folder's runs from the repository root, machine idle:
# a worktree of the same commit with nolock.diff applied, both built in
# release, run alternately. Each run: 4 backends x 9 configurations
# (cache 256, bulks 1/4/32, keeps 32/128/512, one lcore, pointers only)
# x 5 repetitions of 60 ms, about 12 s.
set -e
root=$(pwd); exp=${EXP:-$HOME/tracking-locks}
git worktree add "$exp/nolock" HEAD
(cd "$exp/nolock" && git apply "$root/bench/results/tracking-locks-2026-12-03/nolock.diff" &&
	meson setup build-bench . --buildtype=release -Dtests=false && ninja -C build-bench)
meson setup build-bench . --buildtype=release -Dtests=false 2>/dev/null || true
ninja -C build-bench
pp() {
	"$1" -l 0-1 --no-pci --file-prefix locks$$ --no-telemetry --huge-unlink --log-level=error \
		-m 512 -- --backends dynpool,dynpool-nt,dynpool-fast,ring_mp_mc --patterns matrix \
		--caches 256 --touch 0 --cores 1 --reps 5 --duration 60 --csv "$2"
}
for i in 1 2 3; do
	pp build-bench/bench/pool_perf "$exp/main$i.csv"
	pp "$exp/nolock/build-bench/bench/pool_perf" "$exp/nolock$i.csv"
done
