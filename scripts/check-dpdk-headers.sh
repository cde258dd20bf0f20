#!/bin/sh
# Does dynpool compile against the headers of a DPDK release that is not
# installed here? A cheap, partial check for the releases between those
# scripts/check-dpdk.sh runs (README, "Supported DPDK releases"): it
# compiles every C file of BUILD (a configured build directory, e.g. one
# of check-dpdk.sh's) with that build's flags and -fsyntax-only, DPDK's
# include directory replaced by the public headers of TAG from a DPDK git
# repository. Catches removed, renamed, deprecated and experimental APIs
# (warnings are errors); links nothing and runs nothing.
#
# Usage: scripts/check-dpdk-headers.sh DPDK-GIT-DIR TAG BUILD
#   e.g. scripts/check-dpdk-headers.sh ~/dpdk/.git v23.11 build-dpdk-25.11.2
# rte_build_config.h (generated when DPDK is configured) is BUILD's DPDK's,
# with the release number of TAG: options that differ between releases'
# configurations are not checked.
set -u
[ $# -eq 3 ] || { echo "usage: $0 DPDK-GIT-DIR TAG BUILD" >&2; exit 2; }
git=$1 tag=$2
build=$(cd "$3" 2>/dev/null && pwd) || { echo "Bail out! no such build directory: $3"; exit 2; }
[ -f "$build/compile_commands.json" ] || { echo "Bail out! $build is not a configured meson build"; exit 2; }
git --git-dir="$git" rev-parse -q --verify "$tag^{commit}" >/dev/null ||
	{ echo "Bail out! no tag $tag in $git"; exit 2; }
ver=$(git --git-dir="$git" show "$tag:VERSION") || { echo "Bail out! $tag has no VERSION file"; exit 2; }
# The DPDK include directory BUILD was configured with, and its build config.
inc=$(python3 -c 'import json, re, sys
for c in json.load(open(sys.argv[1])):
    m = re.search(r" -I(\S+/include) ", c["command"])
    if m and __import__("os").path.isfile(m.group(1) + "/rte_build_config.h"):
        print(m.group(1)); break' "$build/compile_commands.json")
[ -n "$inc" ] || { echo "Bail out! no DPDK include directory (with rte_build_config.h) in $build's commands"; exit 2; }

out="$build/headers-$tag"
rm -rf "$out" && mkdir -p "$out/src" "$out/include/generic" || exit 2
git --git-dir="$git" archive "$tag" lib config | tar -x -C "$out/src" || exit 2
# Installed layout: every library's headers in one directory, the x86 and
# Linux EAL headers beside them, the generic ones under generic/.
find "$out/src/lib" -name '*.h' -not -path '*/eal/*' -exec cp {} "$out/include/" \;
cp "$out"/src/lib/eal/include/*.h "$out"/src/lib/eal/x86/include/*.h \
	"$out"/src/lib/eal/linux/include/*.h "$out/src/config/rte_config.h" "$out/include/"
cp "$out"/src/lib/eal/include/generic/*.h "$out/include/generic/"
y=$(echo "$ver" | cut -d. -f1) m=$(echo "$ver" | cut -d. -f2 | sed 's/^0//')
n=$(echo "$ver" | cut -d. -f3 | sed 's/[^0-9].*//')
sed -e "s/^#define RTE_VER_YEAR .*/#define RTE_VER_YEAR $y/" \
	-e "s/^#define RTE_VER_MONTH .*/#define RTE_VER_MONTH $m/" \
	-e "s/^#define RTE_VER_MINOR .*/#define RTE_VER_MINOR ${n:-0}/" \
	"$inc/rte_build_config.h" >"$out/build_config.h"
# What TAG's rte_config.h defines itself wins (22.11 defines some that
# later releases moved into the generated file).
sed -n 's/^#define \([A-Z0-9_]*\).*/\1/p' "$out/src/config/rte_config.h" | sort -u >"$out/own"
awk 'NR == FNR { own[$1] = 1; next } !($1 == "#define" && ($2 in own))' \
	"$out/own" "$out/build_config.h" >"$out/include/rte_build_config.h"
# 22.11 spelled the mbuf's IOVA field option RTE_IOVA_AS_PA (23.03:
# RTE_IOVA_IN_MBUF).
printf '#if defined RTE_IOVA_IN_MBUF && !defined RTE_IOVA_AS_PA\n#define RTE_IOVA_AS_PA RTE_IOVA_IN_MBUF\n#endif\n' \
	>>"$out/include/rte_build_config.h"

echo "# DPDK $tag ($ver) headers, $build's flags"
python3 - "$build" "$inc" "$out/include" <<'EOF'
import json, shlex, subprocess, sys
build, old, new = sys.argv[1:]
cmds = json.load(open(build + "/compile_commands.json"))
cmds = [c for c in cmds if c["file"].endswith(".c")]
print("1..%d" % len(cmds))
bad = 0
for i, c in enumerate(cmds, 1):
    argv, skip = [], False
    for a in shlex.split(c["command"]):
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MQ"):
            skip = True
            continue
        if a == "-MD" or a.startswith("-fdiagnostics-color"):
            continue
        argv.append("-I" + new if a == "-I" + old else a)
    r = subprocess.run(argv + ["-fsyntax-only"], cwd=c["directory"],
                       capture_output=True, text=True)
    if r.returncode == 0 and "warning:" not in r.stderr:
        print("ok %d - %s" % (i, c["file"]))
    else:
        bad = 1
        print("not ok %d - %s" % (i, c["file"]))
        for l in r.stderr.splitlines()[:20]:
            print("# " + l)
sys.exit(bad)
EOF
