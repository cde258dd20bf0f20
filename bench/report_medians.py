#!/usr/bin/env python3
"""Medians over repeated pool-perf runs of the summary figures report_pool.py
writes into each run's pool-perf.md (ratios to ring_mp_mc and stack, same run),
with every run's value beside the median, for tables that quote "the median of
three runs".

usage: report_medians.py RUN_DIR... (each holding a pool-perf.md)
"""
import re, sys, statistics
runs = sys.argv[1:]
if not runs:
    print(__doc__)
    sys.exit(2)
vals = {}
for r in runs:
    for line in open(f"{r}/pool-perf.md"):
        m = re.match(r"- (dynpool(?:-nt|-fast)?) \(", line)
        if not m:
            continue
        b = m.group(1)
        body = re.sub(r"\(target[^)]*\)", "", line.split(":", 1)[1])
        for key, pat in [("cached", r"with a cache geomean ([\d.]+) \(min ([\d.]+)"),
                         ("touch", r"touching, with a cache geomean ([\d.]+) \(min ([\d.]+)"),
                         ("nocache", r"no cache, \d+ cores contending geomean ([\d.]+)(?: \(min ([\d.]+))?"),
                         ("growth", r"growth to \d+ blocks ([\d.]+)")]:
            mm = re.search(pat, body)
            if mm:
                for i, g in enumerate(mm.groups()):
                    if g is None:  # sets made before the no-cache minimum was printed
                        continue
                    vals.setdefault((b, key + ("" if i == 0 else "_min")), []).append(float(g))
        for base, tag in (("ring_mp_mc", "pc_ring"), ("stack", "pc_stack")):
            pc = re.search(rf"producer/consumer vs {base} ([^;]*)", body)
            for cfg, v in re.findall(r"(c\d+(?: touch)?) ([\d.]+)", pc.group(1) if pc else ""):
                vals.setdefault((b, f"{tag} {cfg}"), []).append(float(v))
for (b, k), v in sorted(vals.items()):
    print(f"{b:13s} {k:22s} median {statistics.median(v):.2f}  runs {' '.join(f'{x:.2f}' for x in v)}")
