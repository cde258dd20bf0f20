#!/usr/bin/env python3
"""Sum real test results over meson test logs into one closing line.

Criterion executables count every test case: their "Synthesis" line for
the tests that ran, and one skip per "[SKIP] suite::name: reason" line
(printed at verbosity 1, which test/meson.build sets; the Synthesis line
leaves skipped tests out). TAP programs count every "ok"/"not ok" line,
an "ok ... # SKIP reason" line as a skip (also plain TAP files named
*.tap, from scripts run outside meson); any other test counts once by its
meson result. A test that failed without reporting a failing case (a
crash before the end, a valgrind verdict) adds one failure. An argument
"setup-failed:WHAT" records a stage that could not run (a build that
failed, hugepages that could not be reserved): one failure, or for
hugepages off CI one skip.

Every skip is named with its reason. With CI set in the environment
(true, 1, or a service's name; not 0, false, no) (CI
runs as root on a machine with hugepages, so every test can run there) a
skip is a failure of the setup: counted as failed and said loudly. The
one exception is a test that cannot run under the checker of its stage
(an EAL on hugepages under valgrind, mlock under AddressSanitizer): it
runs in the other stages, so there it is a skip, named, not a failure.
Such a test says so with a fixed token at the start of its reason,
"[not-under:valgrind]" or "[not-under:asan]" (test/common.h,
DP_NOT_UNDER), and the token is believed only where the stage really runs
that checker: valgrind when scripts/valgrind-test.sh reported on the
program ("valgrind-test: N process(es) checked"), asan when the build
folder of the log was configured with b_sanitize including address. A
token anywhere else is an ordinary skip.

The results of a meson log are believed only with meson's exit status
beside it (LOG.rc, written by quickstart.sh): a status that is not 0
while the log shows no failure means tests are missing from the log
(meson killed or interrupted part way) and is one failure; no status
file is one failure too. Criterion's "Running N tests" lines must add up
to the tests it ran plus the skips it named, or the difference is a
failure (a skip printed in a form not read, or verbosity 1 not set).
TAP is read from a test's stdout only, as meson reads it.

Prints per-log lines, then `N passed, N failed, N skipped`. Exit status:
0 when nothing failed.
"""
import json
import os
import re
import sys

SYNTH = re.compile(r"Synthesis: Tested: (\d+) \| Passing: (\d+) \| Failing: (\d+) \| Crashing: (\d+)")
CR_SKIP = re.compile(r"^\[SKIP\] (\S+?): (.*)$", re.M)
TAP = re.compile(r"^(not )?ok \d+(.*)$", re.M)
TAP_SKIP = re.compile(r"#\s*SKIP\b\s*(.*)$", re.I)
TAP_PLAN0 = re.compile(r"^1\.\.0\b(?:\s*#\s*SKIP\b\s*(.*))?", re.M | re.I)

CR_RUNNING = re.compile(r"^\[====\] Running (\d+) tests? from ", re.M)
# A skip that says its stage's checker cannot run the test (see above).
NOT_UNDER = re.compile(r"^\[not-under:(valgrind|asan)\]\s*")
VALGRIND_RAN = re.compile(r"^valgrind-test: [1-9]\d* process\(es\) checked", re.M)

# CI services spell it CI=true, CI=1 or CI=<their name>: any value but
# empty, "0", "false" or "no" means CI.
CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


class Tally:
    def __init__(self, where):
        self.where = where
        self.passed = self.failed = self.skipped = 0

    def fail(self, what):
        self.failed += 1
        print(f"FAILED: {self.where}: {what}")

    def skip(self, what, why, checkers=()):
        m = NOT_UNDER.match(why)
        if m and m.group(1) in checkers:
            self.skipped += 1
            print(f"SKIPPED (cannot run under {m.group(1)}; runs in the other stages): "
                  f"{self.where}: {what}: {why[m.end():]}")
            return
        if m:
            why = (f"{why[m.end():]} (says it cannot run under {m.group(1)}, "
                   f"but this stage does not run {m.group(1)})")
        if CI:
            self.failed += 1
            print(f"SETUP FAILURE (CI=true: root and hugepages, nothing may skip): "
                  f"{self.where}: {what} skipped: {why}")
        else:
            self.skipped += 1
            print(f"SKIPPED: {self.where}: {what}: {why}")


def tap_lines(t, name, text, checkers=()):
    """Count TAP result lines; returns how many failed."""
    nok = 0
    for notok, rest in TAP.findall(text):
        s = TAP_SKIP.search(rest)
        if notok:
            nok += 1
            t.fail(f"{name}: not ok{rest}")
        elif s:
            t.skip(f"{name}: {rest[:s.start()].strip(' -')}", s.group(1).strip() or "no reason given",
                   checkers)
        else:
            t.passed += 1
    return nok


def skip_reason(out):
    m = TAP_PLAN0.search(out)
    if m and m.group(1):
        return m.group(1).strip()
    lines = [x for x in out.strip().splitlines() if x.strip()]
    return lines[-1].strip() if lines else "no reason given"


def sanitized(path):
    """Whether the build folder of meson log PATH (BUILD/meson-logs/x.json)
    was configured with AddressSanitizer."""
    info = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(path))),
                        "meson-info", "intro-buildoptions.json")
    try:
        with open(info) as f:
            opts = json.load(f)
    except (OSError, ValueError):
        return False
    return any(o.get("name") == "b_sanitize" and "address" in str(o.get("value"))
               for o in opts)


def summarize(path):
    t = Tally(path)
    asan = sanitized(path)
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            stdout = r.get("stdout") or ""
            out = stdout + (r.get("stderr") or "")
            name = r["name"]
            checkers = (("valgrind",) if VALGRIND_RAN.search(out) else ()) + (("asan",) if asan else ())
            m = SYNTH.findall(out)
            ok = r["result"] in ("OK", "EXPECTEDFAIL")
            if m:
                tested, p, fl, cr = map(int, m[-1])
                t.passed += p
                t.failed += fl + cr
                if fl + cr:
                    print(f"FAILED: {path}: {name} ({fl + cr} failing Criterion tests)")
                skips = CR_SKIP.findall(out)
                for test, why in skips:
                    t.skip(f"{name}: {test}", why.strip(), checkers)
                running = sum(map(int, CR_RUNNING.findall(out)))
                if running != tested + len(skips):
                    t.fail(f"{name}: Criterion ran {running} tests, reported {tested} and "
                           f"named {len(skips)} skips (CRITERION_VERBOSITY_LEVEL=1 missing, "
                           "or a result not read)")
                if not ok and fl + cr == 0:
                    t.fail(f"{name} ({r['result']}) with no failing case reported")
            elif TAP.search(stdout):
                nok = tap_lines(t, name, stdout, checkers)
                if not ok and nok == 0:
                    t.fail(f"{name} ({r['result']}) with no failing case reported")
            elif r["result"] == "SKIP":
                t.skip(name, skip_reason(stdout or out), checkers)
            elif ok:
                t.passed += 1
            else:
                t.fail(f"{name} ({r['result']})")
    status(t, path)
    return t


def status(t, path):
    """meson's exit status for the log at PATH (PATH.rc): a failure when
    it is missing, or not 0 while the log shows no failure."""
    try:
        with open(path + ".rc") as f:
            rc = int(f.read().strip())
    except (OSError, ValueError):
        t.fail("meson test's exit status was not recorded (" + path + ".rc): "
               "the log may hold only part of the tests")
        return
    if rc != 0 and t.failed == 0:
        t.fail(f"meson test exited {rc} but its log shows no failure: tests are "
               "missing from the log (meson killed or interrupted part way)")


def summarize_tap(path):
    """A plain TAP file (a script run outside meson): its ok / not ok
    lines; a plan it did not complete is one more failure, a plan of 0
    (the whole script skipped) one skip."""
    t = Tally(path)
    with open(path) as f:
        text = f.read()
    tap_lines(t, os.path.basename(path), text)
    n = len(TAP.findall(text))
    plan = re.search(r"^1\.\.(\d+)", text, re.M)
    if plan and int(plan.group(1)) == 0:
        t.skip(os.path.basename(path), skip_reason(text))
    elif not plan or int(plan.group(1)) != n:
        t.fail(f"{n} results, plan {plan.group(0) if plan else 'missing'}")
    return t


def setup_failed(what):
    t = Tally(f"setup-failed:{what}")
    if what == "hugepages":
        t.skip("hugepage reservation", "scripts/hugepages.sh could not reserve them "
               "(not root, or memory taken); tests that need them skip")
    else:
        t.fail(f"build of {what} failed (logs: {what}.setup.log, {what}.build.log); "
               "its stages did not run")
    return t


def main(paths):
    total = [0, 0, 0]
    if CI:
        print("CI=true: every skip counts as a failure of the setup")
    for path in paths:
        if path.startswith("setup-failed:"):
            t = setup_failed(path.split(":", 1)[1])
        else:
            try:
                t = summarize_tap(path) if path.endswith(".tap") else summarize(path)
            except OSError as e:
                # A stage that wrote no log: a failure, not a skip.
                t = Tally(path)
                t.fail(f"missing ({e.strerror})")
            except (ValueError, KeyError) as e:
                # A log cut short or garbled: a failure, and the closing
                # line still comes.
                t = Tally(path)
                t.fail(f"unreadable ({e})")
        print(f"{t.where}: {t.passed} passed, {t.failed} failed, {t.skipped} skipped")
        total = [total[0] + t.passed, total[1] + t.failed, total[2] + t.skipped]
    print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
    return 1 if total[1] or not total[0] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
