#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Boot a disk image made by mkdisk.py in Bochs (corei7_skylake_x: VMX, and a
# model Debian's kernel boots on; tigerlake hangs it) with the loader ROM.
# The guest's serial console goes to SERIAL.  Exit code: Bochs' own (1 on
# any power-off or panic: judge by SERIAL), 137 when TIMEOUT_S ran out.
# usage: run-bochs.sh LOADER.bin DISK.img SERIAL.txt TIMEOUT_S [LOG]
set -eu
rom=$1 disk=$2 serial=$3 timeout_s=$4 log=${5:-/dev/null}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/bochsrc" <<EOR
romimage: file=$rom
cpu: model=corei7_skylake_x, count=1, ips=100000000, reset_on_triple_fault=0, ignore_bad_msrs=1
megs: 256
clock: sync=none
ata0-master: type=disk, path=$disk, mode=flat
com1: enabled=1, mode=file, dev=$serial
port_e9_hack: enabled=1
display_library: term
speaker: enabled=0
log: $log
panic: action=fatal
error: action=report
EOR
printf 'c\nquit\n' >"$dir/rc"
: >"$serial"
# The term display ignores SIGTERM: only SIGKILL ends a hung run.
rc=0
TERM=dumb timeout -s KILL "$timeout_s" bochs -q -unlock -f "$dir/bochsrc" \
	-rc "$dir/rc" </dev/null >"$dir/out" 2>&1 || rc=$?
grep -a "^vmxcc-boot" "$dir/out" || true
rm -f "$disk.lock"
exit $rc
