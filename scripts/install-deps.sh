#!/bin/sh
# Install every Debian package vmxcc's build, tests and main job need.
# Idempotent and non-interactive: packages already present are skipped, so the
# README commands and .ci/run can call it every time.
# SPDX-License-Identifier: GPL-2.0
set -eu

# Grouped by the part that needs them; keep one package per line for diffs.
PKGS="
cmake
make
gcc
clang
llvm
libclang-rt-14-dev
pkg-config
libcmocka-dev
libjansson-dev
bochs
bochsbios
bochs-term
nasm
binutils
linux-headers-amd64
linux-image-amd64
busybox-static
cpio
xz-utils
zstd
kmod
qemu-system-x86
afl++
python3
python3-jinja2
python3-matplotlib
python3-pytest
chromium
"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done

if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
