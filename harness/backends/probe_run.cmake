# SPDX-License-Identifier: GPL-2.0
# The probe runner shared by the back ends that boot the L1 probe (bochs,
# kvm): its sources, the probe's wire format and the probe ROM path.
# Included by their .cmake files; added once.
include_guard(GLOBAL)
target_sources(vmxcc_harness PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/probe_run.c
  ${CMAKE_CURRENT_LIST_DIR}/probe_run_proc.c
  ${CMAKE_CURRENT_LIST_DIR}/probe_run_wire.c)
target_include_directories(vmxcc_harness PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/../../probe/include ${CMAKE_CURRENT_LIST_DIR}/../../vmx_core/include)
target_compile_definitions(vmxcc_harness PRIVATE
  VMXCC_PROBE_DEFAULT="${CMAKE_BINARY_DIR}/probe/probe.rom")
add_dependencies(vmxcc_harness vmxcc_probe)
