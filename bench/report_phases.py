#!/usr/bin/env python3
"""Producer/consumer cycles per phase, from pool_perf_phases --phases.

usage: report_phases.py RESULTS_DIR

Reads phases.csv there; writes phases.md (cycles per object moved, each
phase, medians over repetitions) and phases.png. The rx side (main lcore)
gets, touches and enqueues; the tx side dequeues, touches, holds and puts.
A side's busy cycles per object are its phases without its waits: the
side with more is the one the other waits for.
"""
import csv
import os
import statistics
import sys

RX = ["get_hit", "get_miss", "touch_write", "enqueue"]
TX = ["dequeue", "touch_read", "hold", "put_hit", "put_flush"]
WAITS = ["get_empty", "wait_full", "wait_empty"]


def load(path):
    header = {}
    runs = {}
    with open(path) as f:
        first = f.readline()
        if first.startswith("#"):
            header["note"] = first[1:].strip()
        else:
            f.seek(0)
        for r in csv.DictReader(f):
            key = (r["backend"], int(r["cache"]), int(r["touch"]), int(r["hold"]))
            run = runs.setdefault(key, {}).setdefault(int(r["rep"]), {"rate": float(r["rate"])})
            run[r["phase"]] = (int(r["calls"]), int(r["objs"]), int(r["cycles"]))
    return header, runs


def per_rep(run):
    """Cycles per object moved, per phase and per side, for one repetition."""
    moved = max(1, run["enqueue"][1])
    out = {ph: run[ph][2] / moved for ph in RX + TX + WAITS}
    out["rx_busy"] = sum(out[p] for p in RX)
    out["tx_busy"] = sum(out[p] for p in TX)
    out["miss_call"] = run["get_miss"][2] / run["get_miss"][0] if run["get_miss"][0] else 0
    out["flush_call"] = run["put_flush"][2] / run["put_flush"][0] if run["put_flush"][0] else 0
    slow = run["get_miss"][0] + run["put_flush"][0]
    out["lock_busy"] = 100.0 * (run["lock_busy_get"][0] + run["lock_busy_put"][0]) / slow if slow else 0
    out["preempted"] = run["preempted"][0]
    out["rate"] = run["rate"] / 1e6
    return out


def medians(reps):
    rows = [per_rep(r) for r in reps.values()]
    return {k: statistics.median(r[k] for r in rows) for k in rows[0]}, len(rows)


def main(outdir):
    header, runs = load(os.path.join(outdir, "phases.csv"))
    table = {key: medians(reps) for key, reps in runs.items()}
    cols = ["rate"] + RX + ["rx_busy"] + TX + ["tx_busy", "wait_full", "wait_empty", "miss_call",
                                                  "flush_call", "lock_busy", "preempted"]
    names = {"rate": "M obj/s", "rx_busy": "**rx busy**", "tx_busy": "**tx busy**",
             "miss_call": "cycles per refill", "flush_call": "cycles per flush",
             "lock_busy": "lock held at slow call %", "preempted": "phases preempted"}
    lines = ["# Producer/consumer: cycles per object, by phase", "",
             "pool_perf_phases (rdtsc around each phase; " + header.get("note", "") + "). "
             "Medians over repetitions; cycles per object moved (rx phases on the main lcore, "
             "tx phases on the worker). Phases that lost the CPU (over 200,000 cycles) are "
             "left out and counted in the last column.", "",
             "| backend | cache | touch | hold | reps | " + " | ".join(names.get(c, c) for c in cols) + " |",
             "|" + "---|" * (5 + len(cols))]
    for key in sorted(table, key=lambda k: (k[1], k[2], k[3], k[0])):
        m, n = table[key]
        lines.append(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | {n} | " +
                     " | ".join(f"{m[c]:.1f}" if c != "preempted" else f"{m[c]:.0f}" for c in cols) + " |")
    open(os.path.join(outdir, "phases.md"), "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))
    plot(outdir, table)
    return 0


def plot(outdir, table):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("report_phases: matplotlib missing: no plot")
        return
    keys = [k for k in sorted(table, key=lambda k: (k[1], k[2], k[3], k[0])) if k[1] > 0]
    if not keys:
        return
    fig, axes = plt.subplots(1, 2, figsize=(max(10, len(keys) * 0.5), 5), sharey=True)
    for ax, side, phases in ((axes[0], "rx lcore (get, touch, pass)", RX),
                             (axes[1], "tx lcore (take, touch, hold, put)", TX)):
        bottom = [0.0] * len(keys)
        for ph in phases:
            ys = [table[k][0][ph] for k in keys]
            ax.bar(range(len(keys)), ys, 0.7, bottom=bottom, label=ph)
            bottom = [b + y for b, y in zip(bottom, ys)]
        ax.set_xticks(range(len(keys)))
        ax.set_xticklabels([f"{k[0]} c{k[1]}{' T' if k[2] else ''}{f' h{k[3]}' if k[3] else ''}"
                            for k in keys], rotation=75, fontsize=6)
        ax.set_title(side, fontsize=9)
        ax.legend(fontsize=7)
    axes[0].set_ylabel("cycles per object (median of repetitions)")
    fig.suptitle("Producer/consumer busy cycles by phase (T = touching, h = tx holds)", fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(outdir, "phases.png"), dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
