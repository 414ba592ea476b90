#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `vmxcc campaign` and read-back, on the "mutant" test double:
#  - every record carries the VMCS read back (the engine's fast path runs
#    without; the driver re-runs new records with read-back before merging);
#  - a re-run that does not reproduce is kept, marked "unstable";
#  - a re-run that cannot be made: kept with "rerun_error";
#  - a back end without read-back: said once, records without it;
#  - the report generator reads such records.
#   campaign_readback_test.sh VMXCC_TESTCLI SOURCE_DIR TMPDIR
set -u
T=$1 SRC=$2 TMP=$3
rm -rf "$TMP" && mkdir -p "$TMP/profiles" && cd "$TMP" || exit 2
fails=0 n=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# The records' case text names the double's profile: make it findable.
"$T" profile capture --backend mutant > profiles/mutant.profile || exit 2
export VMXCC_PROFILE_PATH=$TMP/profiles

campaign() {
	local out=$1 backend=$2
	"$T" campaign --backend "$backend" --cores 1 --time 3 --minimize-budget 2 --seed 7 \
		--no-report --out "$out" > "$out.log" 2>&1
}

# Count records of DIR/records.jsonl matching a Python expression on r.
count() {
	python3 - "$1/records.jsonl" "$2" <<'X'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
print(sum(1 for r in recs if eval("(" + sys.argv[2] + ")")), len(recs))
X
}

# 1. An implementation that truncates GUEST_CR0 on VMWRITE.
n=$((n + 1))
campaign trunc mutant:trunc16=GUEST_CR0
rc=$?
read -r with total < <(count trunc '"readback" in r')
read -r corrected _ < <(count trunc 'r.get("readback", {}).get("corrected") and
    r["readback"]["substituted"] == ["GUEST_CR0"] and
    r["readback"]["unexpected"][0]["field"] == "GUEST_CR0"')
if [ "$rc" != 1 ] || [ "${total:-0}" = 0 ] || [ "$with" != "$total" ] || [ "${corrected:-0}" = 0 ]; then
	fail "trunc16: exit $rc, $with of $total records with read-back, $corrected corrected"
	tail -5 trunc.log
fi
# Records that a failed attempt corrected are judged on the corrected
# image: the model allows what was observed; the truncation is the finding.
n=$((n + 1))
read -r agreeing _ < <(count trunc 'r.get("readback", {}).get("corrected") and
    r["model"].find(r["observed"]) >= 0')
[ "${agreeing:-0}" -gt 0 ] || fail "trunc16: no corrected record whose model allows the outcome"
# Their signature is the re-run's (the finding names GUEST_CR0); the
# engine's is kept beside it.
n=$((n + 1))
read -r moved _ < <(count trunc 'r.get("readback", {}).get("corrected") and
    r.get("first_signature", r["signature"]) != r["signature"]')
[ "${moved:-0}" = "${corrected:-x}" ] || fail "trunc16: $moved of $corrected corrected records with first_signature"
n=$((n + 1))
ls trunc/regression-candidates/*.vmcs > /dev/null 2>&1 || fail "trunc16: nothing minimized"

# 2. An implementation that behaves otherwise on the re-run: every record
# kept, marked unstable with the re-run's outcome.
n=$((n + 1))
campaign flaky mutant:flaky=CTL_EXEC_CR3_TARGET_COUNT
read -r unstable total < <(count flaky 'r.get("unstable", {}).get("agreement") == "agree" and
    "readback" in r["unstable"] and "readback" not in r')
if [ "${total:-0}" = 0 ] || [ "$unstable" != "$total" ]; then
	fail "flaky: $unstable of $total records unstable"
	tail -5 flaky.log
fi
n=$((n + 1))
ls flaky/regression-candidates/*.vmcs > /dev/null 2>&1 ||
	fail "flaky: unstable buckets are minimized as found (without read-back)"

# 3. A re-run that cannot be made: records kept, saying why.
n=$((n + 1))
campaign rbfail mutant:rbfail=CTL_EXEC_CR3_TARGET_COUNT
read -r errs total < <(count rbfail 'r.get("rerun_error") == "backend mutant:rbfail=CTL_EXEC_CR3_TARGET_COUNT: mutant: simulated read-back failure" and "readback" not in r')
if [ "${total:-0}" = 0 ] || [ "$errs" != "$total" ]; then
	fail "rbfail: $errs of $total records with rerun_error"
	tail -5 rbfail.log
fi

# 4. No read-back in the back end: said once, records as before.
n=$((n + 1))
campaign norb mutant-norb:CTL_EXEC_CR3_TARGET_COUNT
said=$(grep -c "read-back is not available with back end mutant-norb; records without it" norb.log)
read -r with total < <(count norb '"readback" in r or "unstable" in r')
if [ "$said" != 1 ] || [ "${total:-0}" = 0 ] || [ "$with" != 0 ]; then
	fail "mutant-norb: said $said times, $with of $total records with read-back"
fi

# 5. The report generator takes records with "readback" and "unstable".
for d in trunc flaky; do
	n=$((n + 1))
	"$SRC/reports/vmxcc-report" "$d" > "$d.report.log" 2>&1 && [ -s "$d/report/report.html" ] ||
		{ fail "report on $d"; tail -5 "$d.report.log"; }
done

echo "$((n - fails))/$n passed"
[ "$fails" = 0 ]
