#!/bin/sh
# The README's main job: set up, build, run a short differential campaign of
# the model against the default back end (Bochs), and print where the HTML
# report is.  Divergences are findings, not a failure of the job: the job
# fails only if the campaign itself could not run.
# SPDX-License-Identifier: GPL-2.0
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${VMXCC_BUILD:-$top/build}
out=${VMXCC_OUT:-$top/out/main-job}

"$top/scripts/install-deps.sh"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)"

rc=0
"$build/harness/vmxcc" campaign --backend bochs --cores "$(nproc)" \
	--time "${VMXCC_TIME:-60}" --out "$out" || rc=$?
# vmxcc exit codes: 0 no divergence, 1 divergences found, 2 could not run.
[ "$rc" -le 1 ] || exit "$rc"
[ -f "$out/report/report.html" ] || { echo "main-job: no report was written in $out/report" >&2; exit 2; }
echo "main-job: $(/usr/bin/python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("new divergence buckets: %s, known deviation groups: %s" % (s.get("new_buckets", "n/a"), len(s.get("known_groups") or [])))' "$out/summary.json" 2>/dev/null || echo "new divergence buckets: n/a, known deviation groups: n/a (no $out/summary.json)")"
echo "main-job: HTML report: $out/report/report.html ($(du -h "$out/report/report.html" | cut -f1))"
