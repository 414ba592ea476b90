/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The silicon safety policy (docs/safety.md, "Silicon safety policy"): what
 * the kernel module does to a case before real hardware sees it.  Pure C on
 * the vmxcc headers, so the same code runs in the module and in a host-side
 * unit test.  It never hides a change: every value it alters is in the
 * returned image (the effective image the model judges), every alteration
 * sets a VMXCC_POL_* bit, and what it will not send becomes a skip reason.
 */
#ifndef VMXCC_POLICY_H
#define VMXCC_POLICY_H

#include "vmxcc/case.h"

/* Where the module's sandbox lives and what this CPU can do. */
struct vmxcc_policy_env {
	const uint64_t *good_host;	/* VF_COUNT values; HOST_* entries used */
	uint64_t phys_mask;		/* physical-address bits beyond MAXPHYADDR */
	uint64_t ept_root4, ept_root5;	/* sandbox EPT PML4 / PML5 (0: none) */
	uint64_t scratch;		/* page for relocated pointers */
	uint64_t exit_store;		/* VM-exit MSR-store area (one page) */
	uint64_t exit_load;		/* VM-exit MSR-load area: harmless entries */
	uint64_t ept_cap;		/* IA32_VMX_EPT_VPID_CAP */
	uint32_t pin_may1;		/* allowed-1 of the pin-based controls */
	uint32_t exit_may1;		/* allowed-1 of the primary VM-exit controls */
	uint64_t fs_base, gs_base;	/* host values for must-fail entries */
	bool host_fuzz;			/* module parameter host_fuzz=1 */
};

/*
 * Entries in the exit_store / exit_load areas: the largest recommended
 * maximum of any processor (IA32_VMX_MISC[27:25] = 7: 512 * 8).  Longer
 * lists are never sent: the processor would read past the area.
 */
#define VMXCC_POLICY_EXIT_MSRS	4096

enum vmxcc_policy_verdict {
	VMXCC_RUN,		/* run the returned image as is */
	VMXCC_EARLY_ONLY,	/* VMfail phase only; past it: skipped, @why */
	VMXCC_SKIP,		/* not sent at all: skipped, @why */
};

struct vmxcc_policy_out {
	struct vmx_case img;	/* the image to run */
	uint32_t changes;	/* VMXCC_POL_* */
	uint8_t verdict;	/* enum vmxcc_policy_verdict */
	const char *why;	/* EARLY_ONLY: the reason */
	uint32_t why_msr;	/* MSR index the reason names, or ~0u */
};

/*
 * Apply the policy to @c.  @host_as_given: the caller asked for its own
 * host-state fields (refused with -1 unless env->host_fuzz).
 */
int vmxcc_policy_apply(const struct vmxcc_policy_env *env,
		       const struct vmx_case *c, bool host_as_given,
		       struct vmxcc_policy_out *out);

/* Is @index on the VM-entry MSR-load allow-list (sent, restored after)? */
bool vmxcc_policy_msr_allowed(uint32_t index);
/* The allow-list itself, for the module's restore list and the docs test. */
extern const uint32_t vmxcc_policy_msr_allow[];
extern const unsigned int vmxcc_policy_msr_allow_count;

#endif
