#!/usr/bin/env python3
"""Plot a dp_soak run: throughput and footprint over time.

usage: report_soak.py RESULTS_DIR

Reads soak.csv (one row per pool per audit), soak.log and machine.txt
from RESULTS_DIR and writes soak.png there: calls and blocks per second,
blocks held against blocks carved for each pool (carved never shrinks, so
the gap is what the caches and growth batches keep), and segment bytes in
use.
"""
import csv
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SUMMARY = re.compile(r"^soak: (\d+) operations, (\d+) audits, (\d+) violations, (\d+) s$")


def load(path):
    pools = {}
    for r in csv.DictReader(open(path)):
        p = pools.setdefault(r["pool"], {k: [] for k in r if k != "pool"})
        for k, v in r.items():
            if k != "pool":
                p[k].append(float(v))
    return pools


def rates(times, counts):
    out, last_t, last_c = [], 0.0, 0.0
    for t, c in zip(times, counts):
        out.append((c - last_c) / (t - last_t) if t > last_t else 0.0)
        last_t, last_c = t, c
    return out


def title(outdir):
    head = "dynpool soak test"
    log = os.path.join(outdir, "soak.log")
    if os.path.exists(log):
        for line in open(log):
            m = SUMMARY.match(line.strip())
            if m:
                ops, audits, viol, secs = (int(x) for x in m.groups())
                head += (f": {ops / 1e6:.1f} M operations, {audits} audits, "
                         f"{viol} violations, {secs} s")
    machine = os.path.join(outdir, "machine.txt")
    if os.path.exists(machine):
        info = dict(line.split(": ", 1) for line in open(machine).read().splitlines()
                    if ": " in line)
        head += f"\n{info.get('cpu', '?')}, {info.get('cores', '?')}, {info.get('eal-memory', '')}"
    return head


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    pools = load(os.path.join(outdir, "soak.csv"))
    names = list(pools)
    fig = plt.figure(figsize=(13, 10))
    grid = fig.add_gridspec(3, len(names))

    # Pools are picked uniformly, so per-pool call rates coincide: show the
    # total, and the blocks those calls moved (bulks carry up to 64).
    ax = fig.add_subplot(grid[0, :])
    times = pools[names[0]]["time_s"]
    calls = [sum(x) for x in zip(*(rates(pools[n]["time_s"], pools[n]["ops"]) for n in names))]
    blocks = [sum(x) for x in zip(*(rates(pools[n]["time_s"], pools[n]["blocks"]) for n in names))]
    ax.plot(times, [x / 1e6 for x in calls], color="black", label="calls (all pools)")
    ax.set_ylabel("million calls / s")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax2 = ax.twinx()
    ax2.plot(times, [x / 1e6 for x in blocks], color="tab:purple", linewidth=0.8,
             label="blocks got or freed")
    ax2.set_ylabel("million blocks / s")
    ax2.set_ylim(bottom=0)
    ax.set_title("throughput between audits")
    lines = ax.get_lines() + ax2.get_lines()
    ax.legend(lines, [ln.get_label() for ln in lines], loc="lower right")

    for i, name in enumerate(names):
        p = pools[name]
        ax = fig.add_subplot(grid[1, i])
        ax.plot(p["time_s"], p["carved"], label="carved", color="tab:red")
        ax.plot(p["time_s"], p["held"], label="held by threads", color="tab:blue", linewidth=0.8)
        ax.plot(p["time_s"], p["in_caches"], label="in caches", color="tab:green", linewidth=0.8)
        ax.set_title(f"pool {name}: blocks")
        ax.set_xlabel("s")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        if i == 0:
            ax.legend(loc="lower right", fontsize="small")

    ax = fig.add_subplot(grid[2, :])
    for name in names:
        p = pools[name]
        line, = ax.plot(p["time_s"], [x / 2**20 for x in p["seg_used"]], label=f"{name}: used")
        if any(c != p["seg_committed"][0] for c in p["seg_committed"]):
            ax.plot(p["time_s"], [x / 2**20 for x in p["seg_committed"]], linestyle="--",
                    color=line.get_color(), label=f"{name}: committed (on demand)")
    ax.set_title("segment footprint")
    ax.set_ylabel("MiB")
    ax.set_xlabel("seconds since start")
    ax.set_ylim(bottom=0)
    ax.legend(loc="lower right", fontsize="small")
    ax.grid(alpha=0.3)

    fig.suptitle(title(outdir))
    fig.tight_layout()
    png = os.path.join(outdir, "soak.png")
    fig.savefig(png, dpi=100)
    print(f"soak: plot in {png}")


if __name__ == "__main__":
    main()
