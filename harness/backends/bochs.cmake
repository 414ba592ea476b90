# SPDX-License-Identifier: GPL-2.0
# Included by harness/CMakeLists.txt: the Bochs back end needs the probe's
# wire format and the path of the probe ROM the build produces.
target_include_directories(vmxcc_harness PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/../../probe/include ${CMAKE_CURRENT_LIST_DIR}/../../vmx_core/include)
target_compile_definitions(vmxcc_harness PRIVATE
  VMXCC_PROBE_DEFAULT="${CMAKE_BINARY_DIR}/probe/probe.rom")
add_dependencies(vmxcc_harness vmxcc_probe)
