#!/bin/sh
# test_resume.sh VMXCC BACKEND [ENGINE]
# Resumability: a campaign killed with SIGKILL (driver and engine alike)
# and started again on the same directory loses and duplicates no
# divergence record: every records.d file is in records.jsonl exactly once,
# and no key appears twice.  Exit 77 (skipped) if the back end is not
# available here.
# SPDX-License-Identifier: GPL-2.0
set -u
vmxcc=$1 backend=${2:-bochs} engine=${3:-batch}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out=$dir/c

"$vmxcc" campaign --backend "$backend" --engine "$engine" --cores 1 --time 40 \
	--minimize-budget 5 --out "$out" --no-report >"$dir/run1.log" 2>&1 &
drv=$!
# Kill once divergences are being written (a batch has come back), so the
# kill lands while records are being merged.
for i in $(seq 1 30); do
	sleep 1
	ls "$out/records.d" 2>/dev/null | grep -q '\.json$' && break
done
sleep 1
if ! kill -0 "$drv" 2>/dev/null; then
	if grep -q "not available\|not built" "$dir/run1.log"; then
		echo "SKIP: $(cat "$dir/run1.log")"
		exit 77
	fi
	echo "FAIL: the campaign ended before it could be killed"; cat "$dir/run1.log"; exit 1
fi
# The engine runs in its own process group, a child of the driver: kill
# both at once, as a power cut would.
eng=$(ps -o pid= --ppid "$drv" | tr -d ' ' | head -1)
kill -9 "$drv"
[ -n "$eng" ] && kill -9 -- "-$eng" 2>/dev/null
wait "$drv" 2>/dev/null
before=$(ls "$out/records.d" | grep -c '\.json$')
echo "killed: $before divergence files so far"
[ "$before" -gt 0 ] || echo "note: killed before the first divergence"

"$vmxcc" campaign --backend "$backend" --engine "$engine" --cores 1 --time 40 \
	--minimize-budget 5 --out "$out" --no-report >"$dir/run2.log" 2>&1
grep -q resuming "$dir/run2.log" || { echo "FAIL: second run did not resume"; cat "$dir/run2.log"; exit 1; }

python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
keys = []
for line in open(os.path.join(out, "records.jsonl")):
    try:
        r = json.loads(line)
    except ValueError:
        continue                    # a torn line from the kill: readers skip it
    keys.append(r["key"])
files = {f[:-5] for f in os.listdir(os.path.join(out, "records.d")) if f.endswith(".json")}
dups = {k for k in keys if keys.count(k) > 1}
lost = files - set(keys)
print(f"{len(files)} divergence files, {len(keys)} records, {len(dups)} duplicated, {len(lost)} lost")
sys.exit(1 if dups or lost or not files else 0)
PY
