/* SPDX-License-Identifier: GPL-2.0 */
/* The CPUID facts of a profile, by position, for the diff printer. */
#ifndef VMXCC_PROFILE_INTERNAL_H
#define VMXCC_PROFILE_INTERNAL_H

#include <stdint.h>

#include "vmxcc/profile.h"

int vmx_profile_fact_count(void);
const char *vmx_profile_fact_key(int i);
uint64_t vmx_profile_fact_value(const struct vmx_profile *p, int i);

#endif
