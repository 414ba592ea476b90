/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the three VMX-controls check files (SDM 26.2.1).
 *
 * Convention of those files: a rule's precondition ("if control X is 1")
 * reads the control word masked by what the profile allows, so a control
 * the processor does not support only ever fails its reserved-bit check and
 * never drags in the rules of the feature it would enable.  A requirement
 * ("then control Y must be 1") reads the raw word.
 */
#ifndef VMXCC_CHECKS_CONTROLS_H
#define VMXCC_CHECKS_CONTROLS_H

#include "model_internal.h"

/* A control word against its allowed-0 (must be 1) / allowed-1 settings. */
static inline bool ctl_word_bad(uint64_t val, uint64_t must1, uint64_t may1)
{
	return (val & must1) != must1 || (val & ~may1);
}

/* A pointer to a structure that must be aligned to @align bytes (a power of
 * two) and lie below MAXPHYADDR (below 4 GiB if IA32_VMX_BASIC[48]). */
static inline bool ctl_addr_bad(const struct vmx_caps *caps, uint64_t a,
				uint64_t align)
{
	return (a & (align - 1)) || !vmx_phys_ok(caps, a);
}

/* An MSR-store/-load area: 16-byte aligned, and its first and last bytes
 * below MAXPHYADDR.  The last byte is computed in 64 bits, wider than any
 * physical address, as the SDM says. */
static inline bool ctl_msr_area_bad(const struct vmx_caps *caps, uint64_t a,
				    uint32_t count)
{
	return ctl_addr_bad(caps, a, 16) ||
	       !vmx_phys_ok(caps, a + (uint64_t)count * 16 - 1);
}

/* The same as an implementation computes it that multiplies the 32-bit
 * count by 16 in 32 bits (a stricter rule, vmxcc/impl_rules.h): counts of
 * 10000000H and above wrap, and with a zero product the last byte is the
 * address minus 1. */
static inline bool ctl_msr_area_end32_bad(const struct vmx_caps *caps, uint64_t a,
					  uint32_t count)
{
	return ctl_addr_bad(caps, a, 16) ||
	       !vmx_phys_ok(caps, a + (uint32_t)(count * 16) - 1);
}

/* The processor-based control words as VM entry sees them.  Secondary and
 * tertiary controls read as 0 unless activated (SDM 24.6.2). */
struct ctl_proc_words {
	uint32_t proc;		/* primary, masked by allowed-1 */
	uint32_t proc2_raw;	/* secondary as written (0 if not activated) */
	uint32_t proc2;		/* secondary, masked by allowed-1 */
	uint64_t proc3_raw;
	uint64_t proc3;
};

static inline void ctl_proc_words(const struct vmx_caps *caps,
				  const struct vmx_case *c,
				  struct ctl_proc_words *w)
{
	w->proc = (uint32_t)F(c, CPU_BASED_VM_EXEC_CONTROL) & caps->proc_may1;
	w->proc2_raw = w->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS ?
		       (uint32_t)F(c, SECONDARY_VM_EXEC_CONTROL) : 0;
	w->proc2 = w->proc2_raw & caps->proc2_may1;
	w->proc3_raw = w->proc & CPU_BASED_ACTIVATE_TERTIARY_CONTROLS ?
		       F(c, TERTIARY_VM_EXEC_CONTROL) : 0;
	w->proc3 = w->proc3_raw & caps->proc3_may1;
}

#endif
