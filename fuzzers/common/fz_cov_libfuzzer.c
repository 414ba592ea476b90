// SPDX-License-Identifier: GPL-2.0
/*
 * Check coverage for libFuzzer: one extra counter per check id x outcome.
 * libFuzzer clears the section before every input and treats a counter
 * that becomes non-zero as a new feature, exactly like an edge.
 */
#include <string.h>

#include "fz_common.h"

__attribute__((section("__libfuzzer_extra_counters"), used))
static uint8_t vmxfz_counters[VMXFZ_N_FEATURES];

void vmxfz_cov_report(const struct vmx_verdict *v)
{
	vmxfz_features(v, vmxfz_counters);
}
