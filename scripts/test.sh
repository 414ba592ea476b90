#!/bin/sh
# The README's test command: install what is needed, build everything, run
# every test (model, harness, back ends present here, reports, CI gate).
# SPDX-License-Identifier: GPL-2.0
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${VMXCC_BUILD:-$top/build}

"$top/scripts/install-deps.sh"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)"
cd "$build"
# Skipped tests (SKIP_RETURN_CODE) are reported as skipped, never as passed.
ctest --output-on-failure -j "$(nproc)" ${VMXCC_CTEST_ARGS:-}
