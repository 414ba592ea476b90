#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kmod end-to-end test: build an initramfs (busybox-static, the module, the
# msr driver, vmxcc-guest, the known-deviations file, init.sh), boot
# Debian's own kernel -- the linux-image matching the headers the module
# was built against -- and require "vmxcc-e2e: result PASS" on its console.
#   bochs: corei7_skylake_x, own boot ROM (kernel already decompressed)
#   qemu:  TCG, -cpu max (no VMX): the module must refuse cleanly
# usage: run-e2e.sh bochs|qemu KO GUEST_BIN LOADER_BIN WORKDIR [TIMEOUT_S]
set -eu
mode=$1 ko=$2 guest=$3 loader=$4 work=$5 timeout_s=${6:-600}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
kver=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
kernel=/boot/vmlinuz-$kver
msr=/lib/modules/$kver/kernel/arch/x86/kernel/msr.ko
for f in "$kernel" "$msr" /bin/busybox "$guest"; do
	[ -e "$f" ] || { echo "run-e2e: missing $f (install linux-image-$kver, busybox-static)"; exit 1; }
done
file -L /bin/busybox | grep -q "statically linked" ||
	{ echo "run-e2e: /bin/busybox is not static (install busybox-static)"; exit 1; }

mkdir -p "$work"
ir=$work/initramfs
rm -rf "$ir"
mkdir -p "$ir/bin" "$ir/lib" "$ir/proc" "$ir/sys" "$ir/dev" "$ir/tmp"
cp /bin/busybox "$guest" "$ir/bin/"
cp "$ko" "$msr" "$ir/lib/"
cp "$root/corpora/known-deviations/bochs.txt" "$ir/lib/known-deviations.txt"
cp "$here/init.sh" "$ir/init"
chmod +x "$ir/init"
(cd "$ir" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$work/initramfs.cpio.gz"

cmdline="console=ttyS0,115200 quiet cryptomgr.notests=1 mitigations=off panic=-1 reboot=t nokaslr vmxcc_mode=$mode ${VMXCC_E2E_ARGS:-}"
serial=$work/serial-$mode.txt
start=$(date +%s)
case $mode in
bochs)
	python3 "$here/../boot/mkdisk.py" --kernel "$kernel" --initrd "$work/initramfs.cpio.gz" \
		--cmdline "$cmdline" --megs 256 --out "$work/disk.img"
	"$here/../boot/run-bochs.sh" "$loader" "$work/disk.img" "$serial" "$timeout_s" \
		"${VMXCC_BOCHS_LOG:-/dev/null}" || true
	;;
qemu)
	: >"$serial"
	timeout -s KILL "$timeout_s" qemu-system-x86_64 -accel tcg -cpu max -m 512 \
		-display none -monitor none -no-reboot -serial "file:$serial" \
		-kernel "$kernel" -initrd "$work/initramfs.cpio.gz" -append "$cmdline" \
		</dev/null >/dev/null 2>&1 || true
	;;
*)
	echo "run-e2e: unknown mode $mode"; exit 2 ;;
esac
tr -d '\r' <"$serial" | grep -v "^\[ *[0-9.]*\] \(ACPI\|\[Firmware Bug\]\|Failed to access perfctr\)" || true
echo "run-e2e: $mode run took $(( $(date +%s) - start )) s"
grep -q "^vmxcc-e2e: result PASS" "$serial"
