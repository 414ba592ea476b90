// SPDX-License-Identifier: GPL-2.0
/* Placeholder table: filled in with the checks of this group. */
#include "check_test.h"

const struct check_test check_tests_controls_exec[1];
const size_t n_check_tests_controls_exec = 0;
