# SPDX-License-Identifier: GPL-2.0
# Included by harness/CMakeLists.txt: the Bochs back end is built on the
# probe runner (probe_run.cmake).
include(${CMAKE_CURRENT_LIST_DIR}/probe_run.cmake)
