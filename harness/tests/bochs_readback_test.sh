#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Read-back end to end under Bochs (the real vmxcc, the L1 probe in Bochs):
# the regression corpus reads back with no unexpected difference, the SDM's
# expected differences show up where they must (a VM exit clears the
# injection's valid bit; a VM-entry failure leaves it), records carry it.
# Exit 77 (skipped) only when the Bochs back end cannot run here.
#   bochs_readback_test.sh VMXCC SOURCE_DIR TMPDIR
set -u
V=$1 SRC=$2 TMP=$3
rm -rf "$TMP" && mkdir -p "$TMP" && cd "$TMP" || exit 2
fails=0 n=0

printf 'baseline = long64\n' > valid.vmcs
out=$("$V" repro valid.vmcs --backend bochs 2>&1)
if [[ "$out" == *"not available on this machine"* || "$out" == *"not built"* ]]; then
	echo "SKIP: $out"
	exit 77
fi

# expect CODE 'substring' 'substring that must not appear' -- command...
expect() {
	local code=$1 want=$2 unwanted=$3 out rc
	shift 4
	out=$("$@" 2>&1)
	rc=$?
	n=$((n + 1))
	if [ "$rc" != "$code" ] || [[ "$out" != *"$want"* ]] ||
	   { [ -n "$unwanted" ] && [[ "$out" == *"$unwanted"* ]]; }; then
		echo "FAIL: $*"
		echo "  wanted exit $code, '$want' and not '$unwanted'; got exit $rc and:"
		echo "$out" | sed 's/^/    /'
		fails=$((fails + 1))
	fi
}

# The regression corpus: read back, nothing unexpected, never "not available".
for f in "$SRC"/corpora/regression/*.vmcs; do
	expect 0 "read-back (the VMCS after the attempt) vs written:" "UNEXPECTED" -- \
		"$V" repro "$f" --backend bochs
	expect 0 "expected (exit information): " "not available" -- "$V" repro "$f" --backend bochs
done
expect 0 '"expect":"pass"' '"readback"' -- "$V" replay "$SRC/corpora/regression" --backend bochs
expect 0 "agree" "read-back" -- "$V" repro valid.vmcs --backend bochs --no-readback

# An injected NMI: the entry succeeds, the exit clears the valid bit.
printf 'baseline = long64\nVM_ENTRY_INTR_INFO_FIELD = 0x80000202\n' > nmi.vmcs
expect 0 "expected (the VM exit clears the valid bit): VM_ENTRY_INTR_INFO_FIELD 0x80000202->0x202" \
	"UNEXPECTED" -- "$V" repro nmi.vmcs --backend bochs
# The same with invalid guest RFLAGS: a VM-entry failure leaves it alone.
printf 'baseline = long64\nVM_ENTRY_INTR_INFO_FIELD = 0x80000202\nGUEST_RFLAGS = 0\n' > nmi33.vmcs
expect 0 "VM_EXIT_REASON 0->0x80000021" "VM_ENTRY_INTR_INFO_FIELD" -- "$V" repro nmi33.vmcs --backend bochs

# A Bochs divergence (it enters with a non-canonical guest RIP): its
# record carries the read-back, which holds no finding.
printf 'baseline = long64\nGUEST_RIP = 0x1000000000000\n' > rip.vmcs
expect 1 '"agreement":"diverge"' "" -- "$V" replay rip.vmcs --backend bochs --known none --records rec.jsonl
expect 0 '"readback":{"corrected":false,"expected":' "" -- cat rec.jsonl
expect 0 '"unexpected":[]' "" -- cat rec.jsonl

echo "$((n - fails))/$n passed"
[ "$fails" = 0 ]
