#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# /init of the kmod end-to-end initramfs.  The kernel passes vmxcc_mode=
# (bochs: the module must load and pass every test; qemu: no VMX, the
# module must refuse cleanly) and vmxcc_fuzz=, vmxcc_fuzz_rb=, vmxcc_bad_s=, vmxcc_bad_calls=,
# vmxcc_bench=, vmxcc_trace= (see vmxcc-guest).
# Every requirement prints "vmxcc-e2e: ok|FAIL <what>"; the host script
# looks for the final "vmxcc-e2e: result PASS".
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
export PATH=/bin
fails=0
req() {	# req WHAT COMMAND...: run, record the verdict
	what=$1
	shift
	if "$@"; then echo "vmxcc-e2e: ok $what"; else echo "vmxcc-e2e: FAIL $what"; fails=$((fails + 1)); fi
}
dmesg_clean() {
	if dmesg | grep -E "WARNING|BUG:|Oops|general protection|Call Trace|RIP:" >/tmp/bad; then
		cat /tmp/bad
		return 1
	fi
	return 0
}
echo "vmxcc-e2e: start mode=$vmxcc_mode kernel=$(uname -r)"
insmod /lib/msr.ko 2>/dev/null
dmesg -c >/dev/null		# judge only what happens from here on

if [ "$vmxcc_mode" = qemu ]; then
	req "module refuses to load without VMX" sh -c '! insmod /lib/vmxcc.ko'
	dmesg | grep "vmxcc:" | sed 's/^/dmesg: /'
	req "refusal names the missing CPUID bit" sh -c 'dmesg | grep -q "vmxcc: this CPU has no VMX (CPUID.1:ECX.VMX"'
	req "no /dev/vmxcc" sh -c '! test -e /dev/vmxcc'
	req "back end says why it is absent" /bin/vmxcc-guest absent
else
	req "module loads" insmod /lib/vmxcc.ko
	dmesg | grep "vmxcc:" | sed 's/^/dmesg: /'
	req "/dev/vmxcc is root-only 0600" sh -c 'test "$(stat -c "%F %a %u %g" /dev/vmxcc)" = "character special file 600 0 0"'
	req "profile capture" /bin/vmxcc-guest profile
	req "replay of the model's tests: every outcome allowed" /bin/vmxcc-guest replay /lib/known-deviations.txt
	req "read-back: same outcomes, unchanged fields read as written, no kernel address" \
		/bin/vmxcc-guest readback /lib/known-deviations.txt
	req "batch ABI: versions, read-back flag, sizes and buffers" /bin/vmxcc-guest abi
	req "fuzzed batches leave host MSRs and descriptor tables unchanged" \
		/bin/vmxcc-guest fuzz "${vmxcc_fuzz:-20000}" 12345 /lib/known-deviations.txt
	req "fuzzed batches with read-back: host unchanged, every attempt read back, no kernel address" \
		/bin/vmxcc-guest fuzz "${vmxcc_fuzz_rb:-4000}" 54321 /lib/known-deviations.txt readback
	req "malformed-ioctl fuzzer" /bin/vmxcc-guest badioctl "${vmxcc_bad_s:-60}" "${vmxcc_bad_calls:-20000}" 777
	req "benchmark" /bin/vmxcc-guest bench "${vmxcc_bench:-20000}"
	req "module unloads" rmmod vmxcc
	dmesg | grep "vmxcc:" | sed 's/^/dmesg: /'
fi
req "dmesg has no oops or warning" dmesg_clean
if [ $fails = 0 ]; then echo "vmxcc-e2e: result PASS"; else echo "vmxcc-e2e: result FAIL ($fails)"; fi
sleep 0.3
reboot -f
