#!/bin/sh
# test_campaign_summary.sh VMXCC [BACKEND]
# A short batch-engine campaign end to end: summary.json buckets carry
# min_field_diff as an object {FIELD: "0x.."} equal to the minimized
# candidate's differences from its baseline (null when not minimized),
# "known" agrees with the bucket's records, buckets left over by the
# minimization budget are counted as pending (and minimized by a resumed
# run), at most 10 records per bucket, and the report generator ran on it;
# known divergences are grouped (at most 3 records per group, never
# minimized), new buckets fall into exactly one cluster each, --seed is
# recorded and kept on resume, and a killed run's back-end temporary
# directory in DIR/tmp is removed by the next run.
# Exit 77 (skipped) if the back end is not available here.
# SPDX-License-Identifier: GPL-2.0
set -u
vmxcc=$1 backend=${2:-bochs}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out=$dir/c

"$vmxcc" campaign --backend "$backend" --cores 2 --time 12 --minimize-budget 3 \
	--seed 4242 --out "$out" >"$dir/run1.log" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q "not available\|not built" "$dir/run1.log"; then
	echo "SKIP: $(cat "$dir/run1.log")"
	exit 77
fi
[ "$rc" -le 1 ] || { echo "FAIL: campaign exit $rc"; cat "$dir/run1.log"; exit 1; }
if grep -q "report generator failed" "$dir/run1.log" || [ ! -f "$out/report/report.html" ]; then
	echo "FAIL: no report"; cat "$dir/run1.log"; exit 1
fi
cp "$out/summary.json" "$dir/summary1.json"
# What a run killed with -9 leaves: a back-end job directory.
mkdir -p "$out/tmp/vmxcc-bochs-killed/run0" && : >"$out/tmp/vmxcc-bochs-killed/run0/disk.img"
# Run again with the time used up: only the pending minimization is left.
"$vmxcc" campaign --backend "$backend" --cores 2 --time 12 --minimize-budget 3 \
	--out "$out" --no-report >"$dir/run2.log" 2>&1
if [ -e "$out/tmp/vmxcc-bochs-killed" ]; then
	echo "FAIL: the killed run's $out/tmp/vmxcc-bochs-killed was not removed"; exit 1
fi

python3 - "$out" "$dir/summary1.json" "$vmxcc" <<'PY'
import collections, json, os, subprocess, sys
out, first, vmxcc = sys.argv[1:]
s1 = json.load(open(first))
s2 = json.load(open(os.path.join(out, "summary.json")))
recs = collections.defaultdict(list)
for line in open(os.path.join(out, "records.jsonl")):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    recs[r["signature"]].append(r)
bad = []
assert s1["engine"] == "batch" and s1["execs"] > 0, s1["execs"]
for s in (s1, s2):
    pend = [b for b in s["buckets"] if b["pending_minimization"]]
    if s["pending_minimization"] != len(pend):
        bad.append("pending count %s != %d" % (s["pending_minimization"], len(pend)))
    if s["new_buckets"] + s["known_buckets"] != len(s["buckets"]):
        bad.append("new + known != buckets")
    for b in s["buckets"]:
        sig, d = b["signature"], b["min_field_diff"]
        rs = recs[sig]
        if not 1 <= len(rs) <= 10 or b["records"] != len(rs) or b["count"] < len(rs):
            bad.append("%s: %d records, summary says %s of %s" % (sig, len(rs), b["records"], b["count"]))
        if b["known"] != all(r.get("known") is True for r in rs):
            bad.append("%s: known %s disagrees with its records" % (sig, b["known"]))
        if b["known"]:
            if b["minimized"] is not None or b["pending_minimization"]:
                bad.append("%s: known, yet minimized or pending" % sig)
            continue
        if b["minimized"] is None:
            if d is not None or not b["pending_minimization"]:
                bad.append("%s: not minimized but min_field_diff %r, pending %s" % (sig, d, b["pending_minimization"]))
            continue
        if not isinstance(d, dict):
            bad.append("%s: min_field_diff %r is not an object" % (sig, d))
            continue
        # The candidate's own differences, as the case text lists them.
        text = open(os.path.join(out, b["minimized"])).read()
        fields = {}
        for line in text.splitlines():
            k, eq, v = line.partition("=")
            k = k.strip()
            if eq and k.isupper() and k not in ("[EXPECT]",):
                fields[k] = int(v.split()[0], 0)
        for f, v in d.items():
            if fields.get(f) != int(v, 16):
                bad.append("%s: min_field_diff %s=%s, candidate says %r" % (sig, f, v, fields.get(f)))
    if s.get("seed") != 4242:
        bad.append("seed %r, not the --seed 4242 of the first run" % s.get("seed"))
    # Clusters: every new bucket in exactly one, no known one.
    new = sorted(b["signature"] for b in s["buckets"] if not b["known"])
    inc = sorted(x for c in s["clusters"] for x in c["buckets"])
    if new != inc or s["new_clusters"] != len(s["clusters"]):
        bad.append("clusters hold %d buckets, %d new ones" % (len(inc), len(new)))
    # Known groups: a few records each, their records name the checks.
    for rs in recs.values():
        for r in rs:
            if r.get("known") and not isinstance(r.get("known_checks"), list):
                bad.append("%s: known record without known_checks" % r["key"])
    keys = {g["key"]: g for g in s["known_groups"]}
    if s["known_group_count"] != len(keys):
        bad.append("known_group_count %s != %d" % (s["known_group_count"], len(keys)))
    for b in s["buckets"]:
        if b["known"] and b["known_group"] not in keys:
            bad.append("%s: known group %r not in known_groups" % (b["signature"], b["known_group"]))
    for k, g in keys.items():
        n = sum(len(recs[b["signature"]]) for b in s["buckets"] if b.get("known_group") == k)
        if not 1 <= g["records"] <= 3 or n > 3 or g["count"] < g["records"]:
            bad.append("known group %s: %s records (%d in records.jsonl), count %s" % (k, g["records"], n, g["count"]))
if s1["known_buckets"] == 0:
    bad.append("no known deviation at all: the grouping was not exercised")
# The second run minimized (at least some of) what was pending.
done1 = sum(1 for b in s1["buckets"] if b["minimized"])
done2 = sum(1 for b in s2["buckets"] if b["minimized"])
if s1["pending_minimization"] and done2 <= done1:
    bad.append("resumed run minimized nothing of %d pending" % s1["pending_minimization"])
print("%d clusters, %d known groups" % (len(s2["clusters"]), len(s2["known_groups"])))
print("%d buckets (%d new, %d known), %d minimized then %d, %d then %d pending, %d execs" % (
    len(s2["buckets"]), s2["new_buckets"], s2["known_buckets"], done1, done2,
    s1["pending_minimization"], s2["pending_minimization"], s1["execs"]))
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad or not s1["buckets"] else 0)
PY
