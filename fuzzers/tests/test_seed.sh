#!/bin/sh
# test_seed.sh VMXCC [BACKEND]
# --seed makes the batch engine reproducible: two campaigns with the same
# seed and --batch generate the same cases, so the corpus entries the
# shorter one added (batch-HASH files, named by content) are all in the
# longer one's; a third with another seed adds different ones.  Both
# record the seed in summary.json.  Exit 77 if the back end is not here.
# SPDX-License-Identifier: GPL-2.0
set -u
vmxcc=$1 backend=${2:-bochs}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

run() {
	"$vmxcc" campaign --backend "$backend" --cores 1 --batch 1000 --time "$2" \
		--minimize-budget 0 --no-report --seed "$3" --out "$dir/$1" >"$dir/$1.log" 2>&1
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q "not available\|not built" "$dir/$1.log"; then
		echo "SKIP: $(cat "$dir/$1.log")"
		exit 77
	fi
	[ "$rc" -le 1 ] || { echo "FAIL: $1: exit $rc"; cat "$dir/$1.log"; exit 1; }
	ls "$dir/$1/corpus" | grep '^batch-' | sort >"$dir/$1.corpus"
}
run a 4 77
run b 8 77
run c 4 78
python3 - "$dir" <<'PY'
import json, os, sys
d = sys.argv[1]
c = {n: set(open(os.path.join(d, n + ".corpus")).read().split()) for n in "abc"}
bad = []
for n, seed in (("a", 77), ("b", 77), ("c", 78)):
    s = json.load(open(os.path.join(d, n, "summary.json")))
    if s.get("seed") != seed:
        bad.append("%s: seed %r, expected %d" % (n, s.get("seed"), seed))
if not c["a"]:
    bad.append("the engine added nothing to the corpus")
if not c["a"] <= c["b"]:
    bad.append("same seed, %d of %d entries differ" % (len(c["a"] - c["b"]), len(c["a"])))
if c["c"] and c["c"] <= c["b"]:
    bad.append("another seed generated the same corpus")
print("seed 77: %d then %d corpus entries; seed 78: %d, %d in common" % (
    len(c["a"]), len(c["b"]), len(c["c"]), len(c["c"] & c["b"])))
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
