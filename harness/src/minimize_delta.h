/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The differences between a case and a baseline, as the units delta
 * debugging keeps or reverts: one VMCS field, one [state] key, the
 * link-is-current flag, one PDPTE, or one MSR-load entry.
 */
#ifndef VMXCC_MINIMIZE_DELTA_H
#define VMXCC_MINIMIZE_DELTA_H

#include <stdint.h>

#include "vmxcc/case_file.h"

enum delta_kind { D_FIELD, D_STATE, D_LINK_CURRENT, D_PDPTE, D_MSR };

struct delta {
	uint8_t kind;		/* enum delta_kind */
	uint16_t idx;		/* field, state key, PDPTE or MSR-load entry */
};

#define DELTA_MAX (VF_COUNT + SK_COUNT + 1 + 4 + VMX_CASE_MAX_MSR_LOAD)

/* Fill @d with the differences of @c from @base; returns how many. */
int delta_list(const struct vmx_case *c, const struct vmx_case *base, struct delta *d);

/* @out = @base with the differences @d[0..n) taken from @c. */
void delta_apply(const struct vmx_case *c, const struct vmx_case *base,
		 const struct delta *d, int n, struct vmx_case *out);

#endif
