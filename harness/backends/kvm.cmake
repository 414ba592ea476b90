# SPDX-License-Identifier: GPL-2.0
# Included by harness/CMakeLists.txt: the kvm back end runs the L1 probe
# under QEMU through the probe runner (probe_run.cmake); its host checks
# need only <linux/kvm.h> from linux-libc-dev.
include(${CMAKE_CURRENT_LIST_DIR}/probe_run.cmake)
