# SPDX-License-Identifier: GPL-2.0
# Included by harness/CMakeLists.txt: the kmod back end speaks the module's
# ioctl ABI (kmod/include/uapi/vmxcc_ioctl.h).
target_include_directories(vmxcc_harness PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/../../kmod/include/uapi)
