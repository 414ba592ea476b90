/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Valid baseline cases: each passes every check for any consistent profile
 * that has the features it needs, and enters the guest.  Tests and fuzzers
 * start from a baseline and break exactly what they mean to break; the
 * compact case encoding names its baseline.
 */
#ifndef VMXCC_BASELINE_H
#define VMXCC_BASELINE_H

#include "case.h"
#include "profile.h"

enum vmx_baseline {
	BL_LONG64,		/* 64-bit guest, 64-bit host, no optional controls */
	BL_PAE32,		/* 32-bit PAE-paging guest, PDPTEs from guest CR3 */
	BL_PAE32_EPT,		/* 32-bit PAE guest with EPT: PDPTEs from the VMCS */
	BL_PROT32,		/* 32-bit protected mode, paging off */
	BL_REAL_UG,		/* unrestricted real-mode guest with EPT */
	BL_V86,			/* virtual-8086 guest */
	BL_LONG64_MSRLOAD,	/* BL_LONG64 with a valid VM-entry MSR-load list */
	BL_LONG64_FULL,		/* BL_LONG64 with EPT, VPID, TPR shadow, APICv, ... */
	BL_COUNT
};

extern const char *const vmx_baseline_names[BL_COUNT];

/* Baseline by name ("long64", ...); -1 if unknown. */
int vmx_baseline_by_name(const char *name);

/*
 * Build baseline @b for @caps into @c.  Returns 0, or -1 if the profile lacks
 * a feature the baseline needs (e.g. BL_REAL_UG without unrestricted guest).
 */
int vmx_baseline_build(enum vmx_baseline b, const struct vmx_caps *caps,
		       struct vmx_case *c);

#endif
