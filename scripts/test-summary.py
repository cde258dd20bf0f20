#!/usr/bin/env python3
"""Sum real test results over meson test logs into one closing line.

Criterion executables count every test case (their "Synthesis" line) and
TAP programs every "ok"/"not ok" line (also plain TAP files named *.tap,
from scripts run outside meson); any other test counts once by its
meson result. A test that failed without reporting a failing case (a
crash before the end) adds one failure. Prints per-log lines, then
`N passed, N failed, N skipped`. Exit status: 0 when nothing failed.
"""
import json
import re
import sys

SYNTH = re.compile(r"Synthesis: Tested: (\d+) \| Passing: (\d+) \| Failing: (\d+) \| Crashing: (\d+)")
TAP = re.compile(r"^(not )?ok \d+", re.M)


def summarize(path):
    passed = failed = skipped = 0
    with open(path) as f:
        for line in f:
            t = json.loads(line)
            out = (t.get("stdout") or "") + (t.get("stderr") or "")
            m = SYNTH.findall(out)
            tap = TAP.findall(out)
            ok = t["result"] in ("OK", "EXPECTEDFAIL")
            if m:
                tested, p, fl, cr = map(int, m[-1])
                passed += p
                failed += fl + cr
                if not ok and fl + cr == 0:
                    failed += 1
            elif tap:
                nok = sum(1 for x in tap if x)
                passed += len(tap) - nok
                failed += nok
                if not ok and nok == 0:
                    failed += 1
            elif t["result"] == "SKIP":
                skipped += 1
            elif ok:
                passed += 1
            else:
                failed += 1
            if not ok and t["result"] != "SKIP":
                print(f"FAILED: {t['name']} ({t['result']})")
    return passed, failed, skipped


def summarize_tap(path):
    """A plain TAP file (a script run outside meson): its ok / not ok
    lines; a plan it did not complete is one more failure, a plan of 0
    (the whole script skipped) one skip."""
    with open(path) as f:
        text = f.read()
    passed = failed = skipped = 0
    results = re.findall(r"^((not )?ok \d+.*)$", text, re.M)
    for line, notok in results:
        if notok:
            failed += 1
            print(f"FAILED: {path}: {line}")
        elif re.search(r"#\s*SKIP", line, re.I):
            skipped += 1
        else:
            passed += 1
    plan = re.search(r"^1\.\.(\d+)", text, re.M)
    if plan and int(plan.group(1)) == 0:
        skipped += 1
    elif not plan or int(plan.group(1)) != len(results):
        print(f"FAILED: {path}: {len(results)} results, plan {plan.group(0) if plan else 'missing'}")
        failed += 1
    return passed, failed, skipped


def main(paths):
    total = [0, 0, 0]
    for path in paths:
        try:
            p, f, s = summarize_tap(path) if path.endswith(".tap") else summarize(path)
        except OSError as e:
            # A build that failed leaves no log: that is a failure, not a skip.
            print(f"{path}: missing ({e.strerror})")
            p, f, s = 0, 1, 0
        print(f"{path}: {p} passed, {f} failed, {s} skipped")
        total = [total[0] + p, total[1] + f, total[2] + s]
    print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
    return 1 if total[1] or not total[0] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
