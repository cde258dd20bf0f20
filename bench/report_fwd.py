#!/usr/bin/env python3
"""Turn fwd-perf's CSV into medians, ratios, a markdown report and plots.

usage: report_fwd.py RESULTS_DIR
"""
import csv
import os
import statistics
import sys

BASE = "ring_mp_mc"


def load(path):
    groups = {}
    for r in csv.DictReader(open(path)):
        key = (r["app"], r["pool"], r["cache"], r["pattern"])
        groups.setdefault(key, []).append(r)
    out = {}
    for key, rows in groups.items():
        med = lambda f: statistics.median(float(x[f]) for x in rows if x[f] != "")
        mem = [float(x["hugepage_mib"]) for x in rows if x["hugepage_mib"] != ""]
        out[key] = {
            "port0": med("port0_mpps"), "port1": med("port1_mpps"), "total": med("total_mpps"),
            "min": min(float(x["total_mpps"]) for x in rows),
            "max": max(float(x["total_mpps"]) for x in rows),
            "mem": statistics.median(mem) if mem else None, "reps": len(rows),
        }
    return out


def paired_ratios(path, a, b, cache):
    """Per repetition, dpdk-testpmd on ops a over ops b (same cache): the
    two run back to back, so drift of the machine cancels out."""
    by = {}
    for r in csv.DictReader(open(path)):
        if r["app"] == "dpdk-testpmd" and r["cache"] == cache and r["pool"] in (a, b):
            by.setdefault(r["rep"], {})[r["pool"]] = float(r["total_mpps"])
    return [v[a] / v[b] for v in by.values() if v.get(a, 0) > 0 and v.get(b, 0) > 0]


def main(outdir):
    t = load(os.path.join(outdir, "fwd-perf.csv"))
    machine = open(os.path.join(outdir, "machine.txt")).read() if os.path.exists(
        os.path.join(outdir, "machine.txt")) else ""
    lines = ["# fwd-perf results", "", "Machine:", "", "```", machine.strip(), "```", "",
             "Two net_null ports, io forwarding, one forwarding lcore; Mpps per port are "
             "testpmd's own rates over the measured interval; medians of the repetitions "
             "(min-max of the total in brackets); every configuration in the same run.", "",
             "Hugepage MiB: hugepages the dynpool-testpmd process holds (system-wide count, "
             "halfway through the run, minus the count before it started).", "",
             "| app | pool | mbuf cache | pattern | port 0 Mpps | port 1 Mpps | total Mpps | vs ring_mp_mc | hugepage MiB |",
             "|---|---|---|---|---|---|---|---|---|"]
    summary = []
    for key in sorted(t):
        v = t[key]
        base = t.get((key[0], BASE if key[0] == "dpdk-testpmd" else "fixed ring_mp_mc", key[2], key[3]))
        base = base if base and base["total"] > 0 else None
        ratio = f"{v['total'] / base['total']:.2f}" if base else ""
        mem = f"{v['mem']:.0f}" if v["mem"] is not None else ""
        lines.append(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | {v['port0']:.1f} | "
                     f"{v['port1']:.1f} | {v['total']:.1f} [{v['min']:.1f}-{v['max']:.1f}] | {ratio} | {mem} |")
        if key[0] == "dpdk-testpmd" and key[1] == "dynpool" and base:
            summary.append(f"dpdk-testpmd, dynpool ops, cache {key[2]}: {v['total'] / base['total']:.2f}x ring_mp_mc "
                           f"({v['total']:.1f} vs {base['total']:.1f} Mpps)")
    for cache in ("default", "0"):
        c = t.get(("dpdk-testpmd", "dynpool", cache, "io"))
        u = t.get(("dpdk-testpmd", "dynpool_unchecked", cache, "io"))
        pr = paired_ratios(os.path.join(outdir, "fwd-perf.csv"), "dynpool", "dynpool_unchecked", cache)
        if c and u and pr:
            target = " (target >= 0.97)" if cache == "default" else ""
            summary.append(f"dpdk-testpmd, put checks, cache {cache}: dynpool (checked) vs dynpool_unchecked "
                           f"{c['total']:.1f} vs {u['total']:.1f} Mpps; median of the per-repetition ratios "
                           f"{statistics.median(pr):.3f}{target}, range {min(pr):.3f}-{max(pr):.3f} "
                           f"over {len(pr)} repetitions")
    el = t.get(("dynpool-testpmd", "elastic 4096..262144", "default", "io"))
    fx = t.get(("dynpool-testpmd", "fixed ring_mp_mc", "default", "io"))
    if el and fx and el["mem"] is not None and fx["mem"] and fx["total"] > 0:
        summary.append(f"elastic pool vs fixed pool of testpmd's size: {el['mem']:.0f} vs {fx['mem']:.0f} MiB of "
                       f"hugepages ({100 * el['mem'] / fx['mem']:.1f} %, target <= 10 %) at {el['total']:.1f} vs "
                       f"{fx['total']:.1f} Mpps")
    for pool in ("elastic 4096..262144", "fixed dynpool"):
        p = t.get(("dynpool-testpmd", pool, "default", "pipeline"))
        r = t.get(("dynpool-testpmd", "fixed ring_mp_mc", "default", "pipeline"))
        if p and r and r["total"] > 0:
            summary.append(f"pipelined (cross-lcore frees), {pool}: {p['total'] / r['total']:.2f}x fixed ring_mp_mc "
                           f"({p['total']:.1f} vs {r['total']:.1f} Mpps)")
    lines += ["", "## Summary", ""] + [f"- {s}" for s in summary] + ["", "Plot: `fwd-perf.png`.", ""]
    cg = os.path.join(outdir, "checks-callgrind.csv")
    if os.path.exists(cg):
        lines += ["## Price of the driver's put checks in instructions (`bench/checks-price`)", "",
                  "callgrind, rte_mempool get+put pairs through the ops (exact, unlike the rates above "
                  "on a shared machine):", "",
                  "| ops | bulk | cache | instructions per get+put pair |", "|---|---|---|---|"]
        for r in csv.DictReader(open(cg)):
            lines.append(f"| {r['ops']} | {r['bulk']} | {r['cache']} | {r['instructions_per_pair']} |")
        lines.append("")
    open(os.path.join(outdir, "fwd-perf.md"), "w").write("\n".join(lines))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        keys = sorted(t)
        fig, ax = plt.subplots(figsize=(max(8, len(keys) * 1.1), 5.5))
        ax.bar(range(len(keys)), [t[k]["total"] for k in keys],
               yerr=[[t[k]["total"] - t[k]["min"] for k in keys], [t[k]["max"] - t[k]["total"] for k in keys]],
               color=["tab:blue" if "dynpool" in k[1] or "elastic" in k[1] else "tab:gray" for k in keys])
        ax.set_xticks(range(len(keys)))
        ax.set_xticklabels([f"{k[0]}\n{k[1]}\n{k[3]}, cache {k[2]}" for k in keys], fontsize=7,
                           rotation=35, ha="right")
        ax.set_ylabel("Mpps, both ports (median, min-max)")
        ax.set_title("Forwarding on two net_null ports (blue: dynpool pools or ops; gray: rte_mempool)")
        fig.tight_layout()
        fig.savefig(os.path.join(outdir, "fwd-perf.png"), dpi=110)
        plt.close(fig)
    except ImportError:
        print("report: matplotlib missing: no plot")
    print(f"fwd-perf: results in {outdir} (fwd-perf.md, fwd-perf.csv, fwd-perf.png)")
    for s in summary:
        print(s)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]) if len(sys.argv) == 2 else 2)
