/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers for the VMX-controls test tables (checks_controls_*.c). */
#ifndef VMXCC_CONTROLS_TEST_H
#define VMXCC_CONTROLS_TEST_H

#include "check_test.h"


/* vmx_profile_synthetic_full() has MAXPHYADDR 46. */
#define BEYOND_PHYS	(1ull << 46)

#define PROC2_ON(c, bits) (FLD(c, CPU_BASED_VM_EXEC_CONTROL) |= CPU_BASED_ACTIVATE_SECONDARY_CONTROLS, \
			   FLD(c, SECONDARY_VM_EXEC_CONTROL) |= (bits))
#define PROC3_ON(c, bits) (FLD(c, CPU_BASED_VM_EXEC_CONTROL) |= CPU_BASED_ACTIVATE_TERTIARY_CONTROLS, \
			   FLD(c, TERTIARY_VM_EXEC_CONTROL) |= (bits))
#define EXIT2_ON(c, bits) (FLD(c, VM_EXIT_CONTROLS) |= VM_EXIT_ACTIVATE_SECONDARY_CONTROLS, \
			   FLD(c, SECONDARY_VM_EXIT_CONTROLS) |= (bits))

/* Take a control's allowed-1 setting away from a 2x32-bit capability MSR
 * and, for the four with one, from its TRUE twin. */
static inline void drop_may1(struct vmx_profile *p, enum vmx_profile_msr m,
			     enum vmx_profile_msr true_m, uint32_t bit)
{
	p->msr[m] &= ~((uint64_t)bit << 32);
	if (true_m != m)
		p->msr[true_m] &= ~((uint64_t)bit << 32);
}

#endif
