#!/bin/sh
# A/B of the shared pool's order: deque (own newest, others oldest) vs stack.
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=$root/bench/results/shared-pool
reps=${REPS:-3}
csv=$out/pipeline.csv
pcsv=$out/prodcons.csv
echo "variant,mode,ops,rep,tx_mpps,load1" >"$csv"
: >"$pcsv"
pmd() { # VARIANT MODE OPS REP
	v=$1 mode=$2 ops=$3 rep=$4
	extra="--pipeline"; [ "$mode" = rtc ] && extra="--mbcache 0"
	log=$(mktemp)
	# shellcheck disable=SC2086 # $extra is one or two words
	timeout 60 nice "$root/build-bench-$v/app/testpmd/dynpool-testpmd" --lcores 0@0,1@1,2@0 --no-pci \
		--file-prefix i12ab$$ --vdev net_null0 --vdev net_null1 -- --run-time 3 \
		--stats-period 0 $extra --pool fixed --pool-ops "$ops" >"$log" 2>&1 || true
	tx=$(sed -n '/==== summary/,$p' "$log" | awk '$1 == "port" {v = 0; for (i = 2; i <= NF; i++) if ($i == "Mpps") v = $(i - 1); tx += v} END {printf "%.3f", tx}')
	echo "$v,$mode,$ops,$rep,$tx,$(cut -d' ' -f1 /proc/loadavg)" >>"$csv"
	rm -f "$log"
}
for rep in $(seq 1 "$reps"); do
	for v in deque stack; do
		pmd "$v" pipeline dynpool "$rep"
		pmd "$v" pipeline ring_mp_mc "$rep"
		pmd "$v" rtc dynpool "$rep"
	done
	for v in deque stack; do
		echo "# variant $v rep $rep load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$pcsv"
		timeout 300 nice "$root/build-bench-$v/bench/pool_perf" -l 0-1 --no-pci --file-prefix i12pp$$ \
			--no-telemetry --huge-unlink --log-level=error -m 1024 -- --patterns prodcons \
			--backends dynpool-fast,dynpool,mempool-dynpool,ring_mp_mc,stack --caches 0,256 \
			--reps 3 --duration 200 2>/dev/null | sed "s/^/$v,$rep,/" >>"$pcsv"
	done
done
echo finished >>"$csv.done"
