#!/bin/sh
# smoke.sh ENGINE BUILD_DIR TARGET SEEDS AFL_MUTATOR_LIB
# Runs one fuzz target for a few seconds on a copy of the seed corpus and
# fails if it crashes or does not execute.  Exit 77 (skipped) when the
# engine's build is absent, saying why.
# SPDX-License-Identifier: GPL-2.0
set -eu
engine=$1 dir=$2 target=$3 seeds=$4 mutator=$5
secs=${VMXFZ_SMOKE_SECONDS:-4}
bin=$dir/$target
if [ ! -x "$bin" ]; then
	echo "SKIP: $bin not built ($engine compiler missing or target not available)"
	exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
case $target in
fz_case_text)	printf 'baseline = long64\n' >"$work/in/long64.vmcs" ;;
fz_vmcs12|fz_nested_state)
	# Real KVM images of the baselines, made by the vmxcc of this build.
	vmxcc=$dir/../../harness/vmxcc
	ext=vmcs12; [ "$target" = fz_nested_state ] && ext=nested
	printf 'baseline = long64\n' >"$work/long64.vmcs"
	printf 'baseline = long64-full\n' >"$work/full.vmcs"
	"$vmxcc" convert "$work/long64.vmcs" -o "$work/in/long64.$ext" >/dev/null 2>&1 &&
		"$vmxcc" convert "$work/full.vmcs" -o "$work/in/full.$ext" >/dev/null 2>&1 ||
		{ echo "cannot make $ext seeds with $vmxcc"; exit 1; } ;;
*)		cp "$seeds"/baselines/* "$seeds"/violations/* "$work/in/" ;;
esac

if [ "$engine" = libfuzzer ]; then
	"$bin" -max_total_time="$secs" -max_len=4096 -print_final_stats=1 \
		"$work/in" >"$work/log" 2>&1 || { tail -40 "$work/log"; exit 1; }
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
	echo "$target: $runs executions in ${secs}s"
	[ "${runs:-0}" -gt 0 ]
	exit 0
fi

# AFL++: one instance, no UI, custom mutator for the structure-aware
# targets (fz_model_bytes is the byte-level control).
if ! command -v afl-fuzz >/dev/null; then
	echo "SKIP: afl-fuzz not installed"
	exit 77
fi
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_AFFINITY=1 AFL_QUIET=1 AFL_SKIP_BIN_CHECK=0
case $target in
fz_model|fz_compact) export AFL_CUSTOM_MUTATOR_LIBRARY="$mutator" ;;
esac
afl-fuzz -i "$work/in" -o "$work/out" -V "$secs" -- "$bin" >"$work/log" 2>&1 ||
	{ tail -40 "$work/log"; exit 1; }
stats=$work/out/default/fuzzer_stats
[ -f "$stats" ] || { tail -40 "$work/log"; exit 1; }
execs=$(sed -n 's/^execs_done *: *//p' "$stats")
crashes=$(sed -n 's/^saved_crashes *: *//p' "$stats")
echo "$target: $execs executions in ${secs}s, ${crashes:-0} crashes"
[ "${execs:-0}" -gt 0 ] && [ "${crashes:-0}" -eq 0 ]
