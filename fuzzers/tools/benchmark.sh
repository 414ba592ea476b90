#!/bin/sh
# benchmark.sh [BUILD_DIR] [LIMIT_SECONDS]
# Time until every reachable check id has been hit both failing and passing
# (the goal: corpora/seeds/goal.txt, generated from the model's tests),
# starting from the valid baselines only, on one core:
#   1. fz_model_fast        structure-aware mutator (libFuzzer custom mutator)
#   2. fz_model_bytes_fast  plain byte-level libFuzzer, same target
# (the _fast builds leave out ASan/UBSan: this measures the search, not the
# sanitizers; VMXFZ_BENCH_ASAN=1 uses the sanitized fz_model/fz_model_bytes)
# The byte-level run is given 20x the structure-aware time (at least
# LIMIT_SECONDS): if it has not finished by then, the speed-up is >= 20x.
# Then prints execs/s of every fuzz target (3 s each).
# SPDX-License-Identifier: GPL-2.0
set -eu
build=${1:-build}
limit=${2:-60}
lf=$build/fuzzers/libfuzzer
seeds=$build/corpora/seeds
goal=$seeds/goal.txt
sfx=_fast
[ "${VMXFZ_BENCH_ASAN:-0}" = 1 ] && sfx=
for f in "$lf/fz_model$sfx" "$lf/fz_model_bytes$sfx" "$goal"; do
	[ -e "$f" ] || { echo "benchmark: $f missing: build first" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run NAME BINARY SECONDS -> prints "seconds execs" or "timeout SECONDS execs"
run() {
	rm -rf "$work/$1" && mkdir -p "$work/$1/out" "$work/$1/in"
	cp "$seeds"/baselines/* "$work/$1/in/"
	VMXFZ_GOAL=$goal taskset -c 0 "$2" -max_total_time="$3" -max_len=4096 \
		-print_final_stats=1 "$work/$1/out" "$work/$1/in" >"$work/$1.log" 2>&1 || true
	if grep -q '^vmxfz-goal: reached' "$work/$1.log"; then
		sed -n 's/^vmxfz-goal: reached after \([0-9.]*\) s, \([0-9]*\) execs/\1 \2/p' "$work/$1.log"
	else
		echo "timeout $3 $(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$1.log")"
	fi
}

nfeat=$(wc -l <"$goal")
echo "goal: $nfeat features (check id x failed/passed) known reachable"
set -- $(run struct "$lf/fz_model$sfx" "$limit")
if [ "$1" = timeout ]; then
	echo "structure-aware: goal NOT reached within $2 s ($3 execs)"
	exit 1
fi
ts=$1
echo "structure-aware: goal reached after $ts s ($2 execs)"
cap=$(awk -v t="$ts" -v l="$limit" 'BEGIN { c = t * 20; if (c < l) c = l; printf "%d", c + 1 }')
set -- $(run bytes "$lf/fz_model_bytes$sfx" "$cap")
if [ "$1" = timeout ]; then
	echo "byte-level:      goal NOT reached within $2 s ($3 execs)"
	echo "speed-up:        >= $(awk -v a="$2" -v b="$ts" 'BEGIN { printf "%.0f", a / b }')x"
else
	echo "byte-level:      goal reached after $1 s ($2 execs)"
	echo "speed-up:        $(awk -v a="$1" -v b="$ts" 'BEGIN { printf "%.1f", a / b }')x"
fi

echo "execs/s per target (3 s each, seeds as corpus):"
for t in fz_model fz_model_fast fz_model_bytes fz_model_bytes_fast fz_compact fz_case_text fz_vmcs12 fz_nested_state fz_diff; do
	[ -x "$lf/$t" ] || continue
	rm -rf "$work/t" && mkdir -p "$work/t"
	if [ "$t" = fz_case_text ]; then
		printf 'baseline = long64\n' >"$work/t/a.vmcs"
	else
		cp "$seeds"/baselines/* "$seeds"/violations/* "$work/t/"
	fi
	taskset -c 0 "$lf/$t" -max_total_time=3 -max_len=4096 -print_final_stats=1 \
		"$work/t" >"$work/t.log" 2>&1 || true
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/t.log")
	s=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/t.log")
	printf '  %-16s %8s execs/s (%s execs)\n' "$t" "${s:-?}" "${n:-?}"
done
