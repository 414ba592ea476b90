#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# End-to-end tests of every vmxcc subcommand, error paths included.
#   cli_test.sh VMXCC VMXCC_TESTCLI SOURCE_DIR TMPDIR
# VMXCC_TESTCLI is vmxcc plus the "mutant" test double back end.
set -u
V=$1 T=$2 SRC=$3 TMP=$4
rm -rf "$TMP" && mkdir -p "$TMP" && cd "$TMP" || exit 2
fails=0 n=0

# expect CODE 'substring of stdout+stderr' -- command...
expect() {
	local code=$1 want=$2 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	n=$((n + 1))
	if [ "$rc" != "$code" ] || [[ "$out" != *"$want"* ]]; then
		echo "FAIL: $*"
		echo "  wanted exit $code and: $want"
		echo "  got exit $rc and:"
		echo "$out" | sed 's/^/    /'
		fails=$((fails + 1))
	fi
}

cat > cr3.vmcs <<'X'
# CR3-target count beyond IA32_VMX_MISC[24:16] (4 on synthetic-full)
profile = synthetic-full
baseline = long64
CR3_TARGET_COUNT = 9
X
cat > cr3-expect.vmcs <<'X'
baseline = long64
CR3_TARGET_COUNT = 9
[expect]
outcome = {vmfail(7)}
checks = CTL_EXEC_CR3_TARGET_COUNT
X
cat > wrong-expect.vmcs <<'X'
baseline = long64
CR3_TARGET_COUNT = 9
[expect]
outcome = {vmfail(8)}
X
printf 'baseline = long64\n' > valid.vmcs
printf 'baseline = long64\nGUEST_RIPP = 1\n' > unknown-field.vmcs
printf 'GUEST_RIP = 0xzz\n' > bad-number.vmcs
printf 'GUEST_CS_SELECTOR = 0x10000\n' > too-wide.vmcs
printf 'GUEST_RIP = 1\nGUEST_RIP = 2\n' > dup-field.vmcs
printf '[state]\n[state]\n' > dup-section.vmcs
printf 'profile = nosuch\n' > unknown-profile.vmcs

# --- usage, help
expect 0 "commands:" -- $V --help
expect 2 "unknown command 'frob'" -- $V frob
for c in check checks repro replay minimize convert bench; do
	expect 0 "usage: vmxcc $c" -- $V $c --help
done
expect 0 "usage: vmxcc profile" -- $V profile --help

# --- check
expect 0 "FAIL CTL_EXEC_CR3_TARGET_COUNT [26.2.1.1" -- $V check cr3.vmcs
expect 0 "outcome: {vmfail(7)}" -- $V check cr3.vmcs
expect 0 '"model":"{vmfail(7)}"' -- $V check --json cr3.vmcs
expect 0 "expect: pass" -- $V check cr3-expect.vmcs
expect 1 "expect: fail: expected outcome {vmfail(8)}, model says {vmfail(7)}" -- $V check wrong-expect.vmcs
expect 0 "outcome: {entered}" -- $V check valid.vmcs
expect 2 "vmxcc: unknown-field.vmcs:2: field GUEST_RIPP: unknown field" -- $V check unknown-field.vmcs
expect 2 'vmxcc: bad-number.vmcs:1: field GUEST_RIP: malformed number "0xzz"' -- $V check bad-number.vmcs
expect 2 "vmxcc: too-wide.vmcs:1: field GUEST_CS_SELECTOR: value 0x10000 is wider than the field (16 bits)" -- $V check too-wide.vmcs
expect 2 "vmxcc: dup-field.vmcs:2: field GUEST_RIP: duplicate (first given on line 1)" -- $V check dup-field.vmcs
printf 'baseline = long64\n[state]\nlink_is_current = 2\n' > link-current-range.vmcs
expect 2 "vmxcc: link-current-range.vmcs:3: [state] link_is_current: value 2 is out of range (max 0x1)" -- $V check link-current-range.vmcs
printf 'baseline = long64\nVMCS_LINK_POINTER = 0x8000\n[state]\nlink_is_current = 1\n' > link-current.vmcs
expect 0 "FAIL GST_LINK_CURRENT [26.3.1.5" -- $V check link-current.vmcs
expect 2 "vmxcc: dup-section.vmcs:2: section [state]: duplicate (first on line 1)" -- $V check dup-section.vmcs
expect 2 "vmxcc: unknown-profile.vmcs:1: profile nosuch: unknown profile (no nosuch.profile in" -- $V check unknown-profile.vmcs
expect 2 "vmxcc: missing.vmcs: No such file or directory" -- $V check missing.vmcs
expect 2 "no case given" -- $V check

# --- checks
expect 0 "checks in" -- $V checks
expect 0 "26.1 Basic VM-Entry Checks" -- $V checks --counts
expect 0 '"total":' -- $V checks --json

# --- profiles
expect 0 "name = synthetic-full" -- $V profile show synthetic-full
expect 0 "no differences" -- $V profile diff synthetic-full "$SRC/profiles/synthetic-full.profile"
sed 's/^IA32_VMX_PROCBASED_CTLS2 = 0xffffffff00000000/IA32_VMX_PROCBASED_CTLS2 = 0xfffffffd00000000/; s/^name = .*/name = no-ept/' \
	"$SRC/profiles/synthetic-full.profile" > no-ept.profile
expect 1 "SECONDARY_EXEC_ENABLE_EPT (bit 1) may be 1: A yes, B no" -- $V profile diff synthetic-full ./no-ept.profile
expect 2 "vmxcc: profile nosuch: unknown profile" -- $V profile show nosuch
expect 0 "name = mutant" -- $T profile capture --backend mutant
VMXCC_PROFILE_PATH=$TMP expect 0 "name = no-ept" -- $V profile show no-ept

# --- convert: text <-> vmcs12 <-> nested <-> compact
expect 0 "" -- $V convert cr3.vmcs -o cr3.vmcs12
expect 0 "" -- $V convert cr3.vmcs12 -o cr3.nested
expect 0 "" -- $V convert cr3.nested -o cr3.vxc --baseline long64
expect 0 "CR3_TARGET_COUNT = 0x9" -- $V convert cr3.vxc
expect 0 "baseline = long64" -- $V convert cr3.vmcs12 --baseline auto
[ "$(stat -c %s cr3.vmcs12)" = 4096 ] || { echo "FAIL: vmcs12 size"; fails=$((fails + 1)); }
[ "$(stat -c %s cr3.nested)" = 4224 ] || { echo "FAIL: nested size"; fails=$((fails + 1)); }
expect 0 "outcome: {vmfail(7)}" -- $V check cr3.vmcs12
expect 0 "outcome: {vmfail(7)}" -- $V check cr3.nested
expect 0 "outcome: {vmfail(7)}" -- $V check cr3.vxc
printf 'baseline = long64\nGUEST_SMBASE = 0x30000\n' > smbase.vmcs
expect 2 "vmxcc: field GUEST_SMBASE: KVM's vmcs12 has no slot for it, but its value is 0x30000" \
	-- $V convert smbase.vmcs --to vmcs12 -o smbase.vmcs12
printf 'baseline = long64\n[msr_load]\n0x10 5\n' > msr.vmcs
expect 0 "not representable in vmcs12, dropped: [msr_load]" -- $V convert msr.vmcs -o msr.vmcs12
cp cr3.vmcs12 badrev.vmcs12 && printf '\x01' | dd of=badrev.vmcs12 bs=1 count=1 conv=notrunc 2>/dev/null
expect 2 "vmxcc: badrev.vmcs12: vmcs12: wrong revision 0x11e57e01 (KVM's vmcs12 is 0x11e57ed0)" \
	-- $V convert --from vmcs12 badrev.vmcs12
head -c 1000 cr3.vmcs12 > short.vmcs12
expect 2 "vmxcc: short.vmcs12: short file: 1000 bytes, a vmcs12 is exactly 4096" -- $V convert --from vmcs12 short.vmcs12
cp cr3.nested badhdr.nested && printf '\x01' | dd of=badhdr.nested bs=1 seek=2 count=1 conv=notrunc 2>/dev/null
expect 2 "vmxcc: badhdr.nested: bad nested-state header: format 1 is not VMX (0)" -- $V convert --from nested badhdr.nested
expect 2 "unknown format 'xml'" -- $V convert cr3.vmcs --to xml

# --- back ends that are not built into this vmxcc (a back end is built in
# once its owner adds harness/backends/NAME.cmake)
for b in bochs kmod kvm; do
	[ -e "$SRC/harness/backends/$b.cmake" ] && continue
	msg="vmxcc: backend $b: not built: this vmxcc was built without harness/backends/$b.c"
	expect 2 "$msg" -- $V repro cr3.vmcs --backend $b
	expect 2 "$msg" -- $V replay cr3.vmcs --backend $b
	expect 2 "$msg" -- $V minimize cr3.vmcs --backend $b
	expect 2 "$msg" -- $V profile capture --backend $b
done
expect 2 "vmxcc: backend frob: unknown back end (known: bochs, kmod, kvm)" -- $V repro cr3.vmcs --backend frob
expect 2 "vmxcc: backend mutant: not available on this machine: test double asked to be absent" \
	-- $T repro cr3.vmcs --backend mutant:absent
expect 2 "--backend is required" -- $V repro cr3.vmcs

# --- repro (test double)
expect 0 "agree" -- $T repro cr3.vmcs --backend mutant
expect 0 "HOST_RIP                         case 0x3000, ran 0x5000" -- $T repro cr3.vmcs --backend mutant
expect 1 "diverge" -- $T repro cr3.vmcs --backend mutant,mutant:CTL_EXEC_CR3_TARGET_COUNT --records rec.jsonl
[ "$(wc -l < rec.jsonl)" = 1 ] || { echo "FAIL: one record expected"; fails=$((fails + 1)); }
expect 0 '"observed":"entered(18)"' -- cat rec.jsonl

# --- replay
mkdir corpus && cp cr3-expect.vmcs valid.vmcs cr3.vmcs12 corpus/
expect 0 '"agreement":"agree"' -- $T replay corpus --backend mutant
expect 0 '"expect":"pass"' -- $T replay corpus --backend mutant
expect 1 '"agreement":"diverge"' -- $T replay corpus --backend mutant:CTL_EXEC_CR3_TARGET_COUNT --records rec2.jsonl
[ "$(wc -l < rec2.jsonl)" = 2 ] || { echo "FAIL: two records expected"; fails=$((fails + 1)); }
expect 1 '"expect":"fail"' -- $T replay wrong-expect.vmcs --backend mutant
expect 0 '"agreement":"skipped"' -- $T replay corpus --backend mutant:skip
expect 1 '"agreement":"backend-error"' -- $T replay corpus --backend mutant:crash
expect 2 '"error":"unknown-field.vmcs:2: field GUEST_RIPP: unknown field"' -- $T replay unknown-field.vmcs corpus --backend mutant
$T replay corpus --backend mutant --out results.jsonl --batch 2 >/dev/null 2>&1
[ "$(wc -l < results.jsonl)" = 3 ] || { echo "FAIL: replay --out"; fails=$((fails + 1)); }
n=$((n + 1))

# --- minimize
cat > noisy.vmcs <<'X'
baseline = long64
CR3_TARGET_COUNT = 9
EXCEPTION_BITMAP = 0xffff
TSC_OFFSET = 0x1234
X
expect 0 "3 differences -> 1" -- $T minimize noisy.vmcs --backend mutant:CTL_EXEC_CR3_TARGET_COUNT
expect 0 "CR3_TARGET_COUNT                 0 -> 0x9" -- $T minimize noisy.vmcs --backend mutant:CTL_EXEC_CR3_TARGET_COUNT
$T minimize noisy.vmcs --backend mutant:CTL_EXEC_CR3_TARGET_COUNT -o small.vmcs 2>/dev/null
expect 0 "" -- diff -u - small.vmcs <<'X'
profile = synthetic-full
baseline = long64
CR3_TARGET_COUNT = 0x9
X
expect 0 "nothing to minimize" -- $T minimize noisy.vmcs --backend mutant
# Written on long64, but one MSR-load entry away from long64-msrload:
# that baseline is chosen and named, and entries are reverted one by one.
cat > msrnoisy.vmcs <<'X'
baseline = long64
VM_ENTRY_MSR_LOAD_ADDR = 0x9000
VM_ENTRY_MSR_LOAD_COUNT = 3
TSC_OFFSET = 5
[msr_load]
0xc0000082 0xffffffff81234000
0x175 0x8000
0xc0000103 1 0x1
0x10 0x55
X
expect 0 "baseline long64-msrload chosen: 4 differences (the case's baseline long64: 7)" -- \
	$T minimize msrnoisy.vmcs --backend mutant:MSR_ENT_RSVD
expect 0 "[msr_load] 2                     0xc0000103 0x1 0 -> 0xc0000103 0x1 0x1" -- \
	$T minimize msrnoisy.vmcs --backend mutant:MSR_ENT_RSVD
expect 0 "4 differences -> 1 (12 runs in 3 batches)" -- $T minimize msrnoisy.vmcs --backend mutant:MSR_ENT_RSVD
expect 0 "baseline long64 kept: 3 differences" -- $T minimize noisy.vmcs --backend mutant:CTL_EXEC_CR3_TARGET_COUNT

# --- read-back (on by default where the back end can)
expect 0 "expected (guest state saved by the VM exit): GUEST_RIP 0x6000->0x6003" -- \
	$T repro valid.vmcs --backend mutant
expect 1 "UNEXPECTED GUEST_CR0: the VMCS holds 0x33 where 0x80010033 was written" -- \
	$T repro valid.vmcs --backend mutant:trunc16=GUEST_CR0
expect 1 "model on the image as written: {entered}" -- $T repro valid.vmcs --backend mutant:trunc16=GUEST_CR0
out=$($T repro valid.vmcs --backend mutant:trunc16=GUEST_CR0 --no-readback 2>&1)
n=$((n + 1))
if [[ "$out" == *read-back* ]] || [[ "$out" != *"{entered}                            exit(33,qual=0)"* ]]; then
	echo "FAIL: repro --no-readback"; echo "$out" | sed 's/^/    /'; fails=$((fails + 1))
fi
# A back end that cannot read back: said once, then on without it.
out=$($T replay corpus --backend mutant-norb 2>&1 >/dev/null)
n=$((n + 1))
if [ "$out" != "vmxcc replay: read-back is not available with back end mutant-norb; continuing without it" ]; then
	echo "FAIL: replay on mutant-norb says once that read-back is not available:"; echo "$out" | sed 's/^/    /'
	fails=$((fails + 1))
fi
expect 0 "read-back is not available with back end mutant-norb; continuing without it" -- \
	$T repro valid.vmcs --backend mutant-norb
expect 0 "nothing to minimize" -- $T minimize valid.vmcs --backend mutant-norb
expect 0 "read-back is not available" -- $T minimize valid.vmcs --backend mutant-norb
out=$($T replay corpus --backend mutant-norb --no-readback 2>&1 >/dev/null)
n=$((n + 1))
[ -z "$out" ] || { echo "FAIL: --no-readback still talks: $out"; fails=$((fails + 1)); }
expect 1 '"readback":{"unexpected":[{"field":"GUEST_CR0","written":"0x80010033","read":"0x33"}]' -- \
	$T replay valid.vmcs --backend mutant:trunc16=GUEST_CR0 --records rb.jsonl
expect 0 '"corrected":true' -- cat rb.jsonl
expect 0 '"substituted":["GUEST_CR0"]' -- cat rb.jsonl
$T replay valid.vmcs --backend mutant:trunc16=GUEST_CR0 --records rb-off.jsonl --no-readback >/dev/null 2>&1
n=$((n + 1))
if grep -q readback rb-off.jsonl || ! grep -q '"model":"{entered}"' rb-off.jsonl; then
	echo "FAIL: replay --no-readback record"; fails=$((fails + 1))
fi
# Only expected differences: the replay line is as without read-back.
expect 0 '"failing_checks":[]}' -- $T replay valid.vmcs --backend mutant
# Minimization keeps the read-back finding: the clobbered field stays.
printf 'baseline = long64\nEXCEPTION_BITMAP = 0xffff\nTSC_OFFSET = 0x1234\n' > clobbered.vmcs
expect 0 "2 differences -> 1" -- $T minimize clobbered.vmcs --backend mutant:clobber=TSC_OFFSET
expect 0 "TSC_OFFSET                       0 -> 0x1234" -- $T minimize clobbered.vmcs --backend mutant:clobber=TSC_OFFSET
expect 0 "nothing to minimize" -- $T minimize clobbered.vmcs --backend mutant:clobber=TSC_OFFSET --no-readback

# --- bench
expect 0 "model evaluations" -- $V bench --seconds 0.1

# --- the shipped regression corpus passes on the model
if ls "$SRC"/corpora/regression/*.vmcs >/dev/null 2>&1; then
	expect 0 "" -- $V check "$SRC"/corpora/regression/*.vmcs
fi

echo "$((n - fails))/$n passed"
[ "$fails" = 0 ]
