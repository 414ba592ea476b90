#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# summary.json's read-back counts (docs/campaign.md "At the end"), on the
# "mutant" test double, checked against the records the campaign wrote:
#  - trunc16=GUEST_CR0: every record read back, corrected, GUEST_CR0 read
#    back unexpectedly; per field and per bucket;
#  - flaky=: every record unstable, every bucket unconfirmed;
#  - rbfail=: every record with rerun_error;
#  - mutant-norb: read-back not available, every count 0;
# and the report generator on them: read-back section, unstable buckets
# as TAP "# TODO unstable" (not failures), re-run errors as a failure.
#   campaign_rbsummary_test.sh VMXCC_TESTCLI SOURCE_DIR TMPDIR
set -u
T=$1 SRC=$2 TMP=$3
rm -rf "$TMP" && mkdir -p "$TMP/profiles" && cd "$TMP" || exit 2
fails=0 n=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

"$T" profile capture --backend mutant > profiles/mutant.profile || exit 2
export VMXCC_PROFILE_PATH=$TMP/profiles

campaign() {
	"$T" campaign --backend "$2" --cores 1 --time 3 --minimize-budget 2 --seed 7 \
		--no-report --out "$1" > "$1.log" 2>&1
}

# Recount DIR/records.jsonl independently and compare with summary.json's
# "readback" and every bucket's; then the expectations given as
# NAME=PYTHON-EXPR (s: the summary's readback, t: records in the file).
check() {
	python3 - "$@" <<'X'
import collections, json, sys
d = sys.argv[1]
s = json.load(open(d + "/summary.json"))
recs = [json.loads(l) for l in open(d + "/records.jsonl")]
rb = s["readback"]
bad = []
want = collections.Counter()
per = collections.defaultdict(collections.Counter)
fields = collections.Counter()
sigs = collections.defaultdict(list)
for r in recs:
    c = collections.Counter()
    x = r.get("readback")
    if x is not None:
        c["records"] += 1
        c["corrected"] += bool(x.get("corrected"))
        if x.get("unexpected"):
            c["unexpected"] += 1
            for u in x["unexpected"]:
                fields[u["field"]] += 1
    c["unstable"] += "unstable" in r
    c["rerun_error"] += "rerun_error" in r
    want.update(c)
    per[r["signature"]].update(c)
    sigs[r["signature"]].append(r)
for k in ("records", "unexpected", "corrected", "unstable", "rerun_error"):
    if rb[k] != want[k]:
        bad.append("readback.%s = %s, records.jsonl has %s" % (k, rb[k], want[k]))
if rb["fields"] != dict(fields):
    bad.append("readback.fields = %s, records.jsonl has %s" % (rb["fields"], dict(fields)))
b_un = sum(1 for c in per.values() if c["unexpected"])
b_unst = sum(1 for sg, c in per.items() if c["unstable"] == len(sigs[sg]))
if (rb["buckets_unexpected"], rb["buckets_unstable"]) != (b_un, b_unst):
    bad.append("buckets_unexpected/unstable = %s/%s, records give %s/%s" % (
        rb["buckets_unexpected"], rb["buckets_unstable"], b_un, b_unst))
for b in s["buckets"]:
    c, br = per[b["signature"]], b["readback"]
    for k in ("records", "unexpected", "corrected", "unstable", "rerun_error"):
        if br[k] != c[k]:
            bad.append("bucket %s readback.%s = %s, its records %s" % (
                b["signature"], k, br[k], c[k]))
    names = sorted({u["field"] for r in sigs[b["signature"]]
                    for u in (r.get("readback") or {}).get("unexpected", [])})
    if sorted(br["fields"]) != names:
        bad.append("bucket %s readback.fields = %s, its records %s" % (
            b["signature"], br["fields"], names))
env = {"s": rb, "t": len(recs), "b": len(s["buckets"])}
for e in sys.argv[2:]:
    name, expr = e.split("=", 1)
    if not eval(expr, env):
        bad.append("%s: %s is false (readback %s, %d records, %d buckets)" % (
            name, expr, json.dumps(rb, sort_keys=True), len(recs), len(s["buckets"])))
for m in bad[:10]:
    print("  " + m)
sys.exit(1 if bad else 0)
X
}

report() {
	"$SRC/reports/vmxcc-report" "$1" --no-history -q "${@:2}" > "$1.report.log" 2>&1
}

# 1. Truncating VMWRITE: read back, corrected, one field.
n=$((n + 1))
campaign trunc mutant:trunc16=GUEST_CR0
check trunc 'all=t > 0 and s["available"] and s["records"] == t' \
	'found=s["unexpected"] == s["corrected"] > 0' \
	'field=list(s["fields"]) == ["GUEST_CR0"]' \
	'stable=s["unstable"] == s["rerun_error"] == s["buckets_unstable"] == 0' ||
	fail "trunc16: summary.json read-back counts"
n=$((n + 1))
report trunc
grep -q 'id="readback-fields"' trunc/report/report.html &&
	grep -q '<td><code>GUEST_CR0</code></td>' trunc/report/report.html &&
	grep -q '^## Read-back' trunc/report/report.md &&
	! grep -q 'TODO unstable' trunc/report/report.tap ||
	fail "trunc16: report without its read-back section"

# 2. Behaves otherwise on the re-run: nothing confirmed.
n=$((n + 1))
campaign flaky mutant:flaky=CTL_EXEC_CR3_TARGET_COUNT
check flaky 'all=t > 0 and s["unstable"] == t and s["buckets_unstable"] == b' \
	'no_readback=s["records"] == s["unexpected"] == s["rerun_error"] == 0' ||
	fail "flaky: summary.json read-back counts"
# No bucket point is a plain failure: each is "# TODO unstable", and
# --fail-on-divergence does not fail on them alone.
n=$((n + 1))
report flaky --fail-on-divergence
rc=$?
todo=$(grep -c '^not ok .* - bucket .* # TODO unstable' flaky/report/report.tap)
plain=$(grep '^not ok ' flaky/report/report.tap | grep -vc '# TODO')
if [ "$rc" != 0 ] || [ "$todo" = 0 ] || [ "$plain" != 0 ] ||
	! grep -q 'id="unstable"' flaky/report/report.html; then
	fail "flaky report: exit $rc, $todo unstable TODO points, $plain plain failures"
	tail -3 flaky.report.log
fi

# 3. Re-runs that cannot be made.
n=$((n + 1))
campaign rbfail mutant:rbfail=CTL_EXEC_CR3_TARGET_COUNT
check rbfail 'all=t > 0 and s["rerun_error"] == t' \
	'none=s["records"] == s["unstable"] == 0' ||
	fail "rbfail: summary.json read-back counts"
n=$((n + 1))
report rbfail
grep -q "^not ok [0-9]* - read-back re-runs" rbfail/report/report.tap ||
	fail "rbfail: no failing read-back re-run point in the TAP"

# 4. No read-back in the back end.
n=$((n + 1))
campaign norb mutant-norb:CTL_EXEC_CR3_TARGET_COUNT
check norb 'off=not s["available"] and t > 0' \
	'zero=s["records"] == s["unstable"] == s["rerun_error"] == 0 and s["fields"] == {}' ||
	fail "mutant-norb: summary.json read-back counts"

echo "$((n - fails))/$n passed"
[ "$fails" = 0 ]
