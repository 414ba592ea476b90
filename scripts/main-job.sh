#!/bin/sh
# The README's main job: set up, build, run a short differential campaign of
# the model against the default back end (Bochs), and print where the HTML
# report is.
# SPDX-License-Identifier: GPL-2.0
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${VMXCC_BUILD:-$top/build}
out=${VMXCC_OUT:-$top/out/main-job}

"$top/scripts/install-deps.sh"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)"
exec "$build/harness/vmxcc" campaign --backend bochs --cores "$(nproc)" \
	--time "${VMXCC_TIME:-60}" --out "$out"
