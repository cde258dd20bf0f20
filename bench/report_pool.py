#!/usr/bin/env python3
"""Turn pool-perf's CSV into ratios, a markdown report and PNG plots.

usage: report_pool.py RESULTS_DIR

Reads pool-perf.csv (and machine.txt, callgrind.csv when present), writes
pool-perf.md and PNG plots there, prints the summary; the last line is
    geomean ratio vs ring_mp_mc: X.XX (min Y.YY)
for the like-for-like variant (dynpool-fast: no per-block checks, as
rte_mempool does none) over every configuration with a cache, pointers
only (touch 0). Rows with touch 1 wrote each object's first line after the
get and read it before the put; hold N: producer/consumer's tx lcore freed
each object N objects after reading it. CSVs from before those columns
read as touch 0, hold 0.
"""
import csv
import math
import os
import sys

VARIANTS = ["dynpool-fast", "dynpool-nt", "dynpool"]
VARIANT_TEXT = {
    "dynpool-fast": "unchecked (DP_POOL_F_UNCHECKED), like rte_mempool",
    "dynpool-nt": "pointers checked, no double-free tracking (DP_POOL_F_NO_TRACK)",
    "dynpool": "default: pointers checked and double frees tracked",
}
BASE = "ring_mp_mc"
BASES = ["ring_mp_mc", "stack"]  # producer/consumer is judged against both
# Issue 12's targets per mode (ratios to ring_mp_mc); producer/consumer's are
# with a cache, and the pointers-checked mode has none there.
TARGETS = {
    "dynpool-fast": {"cached_geomean": 1.3, "cached_min": 1.0, "nocache_all": 1.5, "prodcons": 1.2},
    "dynpool-nt": {"cached_geomean": 1.2, "cached_min": 0.9, "nocache_all": 1.5},
    "dynpool": {"cached_geomean": 1.0, "cached_min": 0.6, "nocache_all": 1.5, "prodcons": 1.0},
}


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def load(path):
    rows = list(csv.DictReader(open(path)))
    table = {}
    for r in rows:
        key = (r["pattern"], int(r["cache"]), int(r["bulk"]), int(r["keep"]), int(r["cores"]),
               int(r.get("touch") or 0), int(r.get("hold") or 0))
        table.setdefault(key, {})[r["backend"]] = float(r["rate_median"])
    return table


def disturbed_lines(outdir):
    """How many multi-lcore matrix cells had a repetition in which an lcore
    ran under 95 % of its time or the lcores ran apart (CSV column
    `disturbed`, absent before 2026-12-03)."""
    rows = [r for r in csv.DictReader(open(os.path.join(outdir, "pool-perf.csv")))
            if r["pattern"] == "matrix" and int(r["cores"]) > 1 and (r.get("disturbed") or "") != ""]
    if not rows:
        return []
    hit = [r for r in rows if int(r["disturbed"]) > 0]
    most = [r for r in rows if 2 * int(r["disturbed"]) > int(r["reps"])]
    return ["", f"Disturbed: {len(hit)} of {len(rows)} multi-lcore matrix rows had a repetition in which "
            f"an lcore ran under 95 % of its time or the lcores ran apart; in {len(most)} more than half "
            "of the repetitions were (their medians are not contended rates). CSV column `disturbed`.", ""]


def ratios(table, variant, pred, base=BASE):
    out = []
    for key, by in sorted(table.items()):
        if pred(key) and variant in by and base in by and by[base] > 0:
            out.append((key, by[variant] / by[base]))
    return out


def prodcons_lines(table, backends):
    """Producer/consumer: each variant against ring_mp_mc and stack, same run."""
    keys = [k for k in sorted(table) if k[0] == "prodcons"]
    bases = [b for b in BASES if b in backends]
    variants = [v for v in VARIANTS if v in backends]
    if not keys or not bases:
        return []
    head = ["cache", "touch", "hold"] + [b for b in backends] + [f"{v} / {b}" for v in variants for b in bases]
    lines = ["", "## Producer/consumer (rx lcore gets, tx lcore frees; M objects/s; ratios, same run)", "",
             "touch 1: rx writes each object's first cache line after the get, tx reads it before the put; "
             "hold N: tx frees each object N objects after reading it, as a NIC's tx ring frees on completion.", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for k in keys:
        by = table[k]
        row = [str(k[1]), str(k[5]), str(k[6])] + [fmt_rate(by[b]) if b in by else "" for b in backends]
        row += [f"{by[v] / by[b]:.2f}" if v in by and by.get(b) else "" for v in variants for b in bases]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def fmt_rate(x):
    return f"{x / 1e6:.1f}"


def write_markdown(outdir, table, backends, summary, machine, cg):
    lines = ["# pool-perf results", ""]
    if machine:
        lines += ["Machine:", "", "```", machine.strip(), "```", ""]
    lines += [
        "Method: DPDK mempool_perf_autotest's (get `keep` objects in bulks, put them back; "
        "each object counted once per get + put) but for the rate: each lcore's objects over its own "
        "elapsed time, summed over lcores (DPDK: over the nominal length), "
        "medians of repetitions, every backend in the same process and run. "
        "Variants: " + "; ".join(f"`{v}` = {VARIANT_TEXT[v]}" for v in VARIANTS) + ".",
        "",
        "## Summary (ratio to ring_mp_mc, same run)",
        "",
    ]
    lines += [f"- {s}" for s in summary]
    lines += disturbed_lines(outdir)
    lines += prodcons_lines(table, backends)
    lines += ["", "## All configurations (M objects/s; ratios to ring_mp_mc)", ""]
    head = ["pattern", "cache", "bulk", "keep", "cores", "touch", "hold"] + backends + [f"{v} ×" for v in VARIANTS if v in backends]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for key, by in sorted(table.items()):
        row = [key[0], str(key[1]), str(key[2]), str(key[3]), str(key[4]), str(key[5]), str(key[6])]
        row += [fmt_rate(by[b]) if b in by else "" for b in backends]
        for v in VARIANTS:
            if v in backends:
                row.append(f"{by[v] / by[BASE]:.2f}" if v in by and by.get(BASE) else "")
        lines.append("| " + " | ".join(row) + " |")
    if cg:
        lines += ["", "## Cache-hit cost (valgrind --tool=callgrind, instructions per get+put pair, cache 256)", "",
                  "| backend | bulk 1 | bulk 32 |", "|---|---|---|"]
        for b in sorted({r["backend"] for r in cg}):
            by = {int(r["bulk"]): r["instructions_per_pair"] for r in cg if r["backend"] == b}
            lines.append(f"| {b} | {by.get(1, '')} | {by.get(32, '')} |")
    lines += ["", "Plots: `ratios-cached.png`, `ratios-cached-touch.png` (when touching was run), "
              "`ratios-nocache.png`, `patterns.png`.", ""]
    open(os.path.join(outdir, "pool-perf.md"), "w").write("\n".join(lines))


def plot(outdir, table, backends):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        print("report: matplotlib missing (apt-get install python3-matplotlib): no plots")
        return
    variants = [v for v in VARIANTS if v in backends]

    def ratio_plot(pred, title, fname):
        keys = [k for k in sorted(table) if pred(k) and BASE in table[k]]
        if not keys:
            return
        fig, ax = plt.subplots(figsize=(max(8, len(keys) * 0.45), 4.8))
        w = 0.8 / max(1, len(variants))
        for i, v in enumerate(variants):
            ys = [table[k].get(v, 0) / table[k][BASE] for k in keys]
            ax.bar([x + i * w for x in range(len(keys))], ys, w, label=v)
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_xticks([x + w * (len(variants) - 1) / 2 for x in range(len(keys))])
        ax.set_xticklabels([f"c{k[1]} b{k[2]} k{k[3]} {k[4]}core" for k in keys], rotation=70, fontsize=7)
        ax.set_ylabel("ratio to ring_mp_mc (same run, log scale)")
        ax.set_yscale("log")
        ticks = [0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.3, 1.5, 2, 3, 5]
        lo = min(table[k].get(v, 1) / table[k][BASE] for k in keys for v in variants)
        hi = max(table[k].get(v, 1) / table[k][BASE] for k in keys for v in variants)
        ax.set_yticks([t for t in ticks if lo / 1.5 <= t <= hi * 1.5])
        ax.get_yaxis().set_major_formatter(matplotlib.ticker.FormatStrFormatter("%gx"))
        ax.get_yaxis().set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.grid(axis="y", linewidth=0.3)
        ax.set_title(title)
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(outdir, fname), dpi=110)
        plt.close(fig)

    ratio_plot(lambda k: k[0] == "matrix" and k[1] > 0 and k[5] == 0, "With per-lcore caches", "ratios-cached.png")
    ratio_plot(lambda k: k[0] == "matrix" and k[1] > 0 and k[5] == 1,
               "With per-lcore caches, touching each object's first line", "ratios-cached-touch.png")
    ratio_plot(lambda k: k[0] == "matrix" and k[1] == 0 and k[5] == 0, "Without caches (shared pool only)", "ratios-nocache.png")
    keys = [k for k in sorted(table) if k[0] in ("prodcons", "growth")]
    if keys:
        fig, ax = plt.subplots(figsize=(max(8, len(keys) * 0.9), 4.5))
        w = 0.8 / max(1, len(backends))
        for i, b in enumerate(backends):
            ys = [table[k].get(b, 0) / 1e6 for k in keys]
            ax.bar([x + i * w for x in range(len(keys))], ys, w, label=b)
        ax.set_xticks([x + w * (len(backends) - 1) / 2 for x in range(len(keys))])
        ax.set_xticklabels([f"p/c c{k[1]}{' touch' if k[5] else ''}{f' hold {k[6]}' if k[6] else ''}"
                            if k[0] == "prodcons" else f"growth to {k[3]}" for k in keys], rotation=30, fontsize=7, ha="right")
        ax.set_ylabel("M objects/s")
        ax.set_title("Producer/consumer (rx lcore gets, tx lcore frees) and growth")
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(outdir, "patterns.png"), dpi=110)
        plt.close(fig)


def main(outdir):
    table = load(os.path.join(outdir, "pool-perf.csv"))
    backends = []
    for by in table.values():
        for b in by:
            if b not in backends:
                backends.append(b)
    machine = ""
    mpath = os.path.join(outdir, "machine.txt")
    if os.path.exists(mpath):
        machine = open(mpath).read()
    cg = []
    cpath = os.path.join(outdir, "callgrind.csv")
    if os.path.exists(cpath):
        cg = list(csv.DictReader(open(cpath)))

    summary = []
    headline = None
    for v in VARIANTS:
        if v not in backends:
            continue
        cached = [r for _, r in ratios(table, v, lambda k: k[0] == "matrix" and k[1] > 0 and k[5] == 0)]
        cached_t = [r for _, r in ratios(table, v, lambda k: k[0] == "matrix" and k[1] > 0 and k[5] == 1)]
        allcores = max((k[4] for k in table), default=1)
        nocache = [r for _, r in ratios(table, v, lambda k: k[0] == "matrix" and k[1] == 0 and k[4] == allcores and allcores > 1 and k[5] == 0)]
        gr = [r for _, r in ratios(table, v, lambda k: k[0] == "growth")]
        parts = []
        tg = TARGETS.get(v, {})
        if cached:
            parts.append(f"with a cache geomean {geomean(cached):.2f} (min {min(cached):.2f}" + (f"; target ≥ {tg['cached_geomean']}, min ≥ {tg['cached_min']}" if tg else "") + ")")
        if cached_t:
            parts.append(f"touching, with a cache geomean {geomean(cached_t):.2f} (min {min(cached_t):.2f})")
        if nocache:
            parts.append(f"no cache, {allcores} cores contending geomean {geomean(nocache):.2f} (min {min(nocache):.2f}" + (f"; target ≥ {tg['nocache_all']} in every configuration" if tg else "") + ")")
        for base in BASES:
            pc = ratios(table, v, lambda k: k[0] == "prodcons", base)
            if pc:
                parts.append(f"producer/consumer vs {base} " + ", ".join(
                    f"c{k[1]}{' touch' if k[5] else ''}{f' hold {k[6]}' if k[6] else ''} {r:.2f}" for k, r in pc)
                    + (f" (target ≥ {tg['prodcons']} vs ring_mp_mc with a cache)" if base == BASE and "prodcons" in tg else ""))
        if gr:
            parts.append(f"growth to {max(k[3] for k in table if k[0] == 'growth')} blocks {gr[0]:.2f}")
        summary.append(f"{v} ({VARIANT_TEXT[v]}): " + "; ".join(parts))
        if v == "dynpool-fast" and cached:
            headline = (geomean(cached), min(cached))
    write_markdown(outdir, table, backends, summary, machine, cg)
    plot(outdir, table, backends)
    print(f"pool-perf: results in {outdir} (pool-perf.md, pool-perf.csv, PNG plots)")
    for s in summary:
        print(s)
    if cg:
        print("callgrind, instructions per get+put pair (cache hit): " +
              ", ".join(f"{r['backend']} b{r['bulk']} {r['instructions_per_pair']}" for r in cg))
    if headline is None:
        print("geomean ratio vs ring_mp_mc: n/a (needs dynpool-fast and ring_mp_mc with a cache)")
        return 1
    print(f"geomean ratio vs ring_mp_mc: {headline[0]:.2f} (min {headline[1]:.2f})")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
