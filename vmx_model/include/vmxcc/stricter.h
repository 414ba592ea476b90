/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stricter rules: checks an implementation is known to make although the
 * SDM allows the case (Bochs requires a canonical guest SSP where the SDM
 * asks for bits 63:N identical, has no IA32_DEBUGCTL MSR, ...).  They are
 * not part of the model: vmx_model_eval() stays what the SDM says.  A
 * known-deviations entry of kind "stricter" names one
 * (harness/include/vmxcc/deviations.h), so that exactly the cases the rule
 * rejects count as known.
 *
 * Each rule tightens one catalogue check: a rejection has that check's
 * outcome (VMfail 7 or 8, exit 33 with its qualification, exit 34 with the
 * rejected entry's number), happens where that check's class is checked,
 * and the rule is written next to the check, with the same preconditions.
 */
#ifndef VMXCC_STRICTER_H
#define VMXCC_STRICTER_H

#include "case.h"
#include "model.h"
#include "profile.h"

/*
 * Does the rule reject @c?  -1: no.  Otherwise where: the 0-based number
 * of the rejected MSR-load entry for a rule tightening an MSR-load check,
 * 0 for every other rule.
 */
typedef int64_t vmx_stricter_fn(const struct vmx_caps *caps, const struct vmx_case *c);

struct vmx_stricter_rule {
	const char *id;			/* stable name, e.g. "ssp-canonical" */
	enum vmx_check_id check;	/* the SDM check it tightens */
	const char *statement;		/* what the implementation requires */
	vmx_stricter_fn *rejects;
};

extern const struct vmx_stricter_rule vmx_stricter_rules[];
extern const int vmx_stricter_rule_count;

/* Rule by its id; NULL if there is none. */
const struct vmx_stricter_rule *vmx_stricter_by_name(const char *name);

/* The rules, each in the file of the check it tightens. */
vmx_stricter_fn vmx_stricter_ssp_canonical;		/* checks_guest_rip_rflags.c */
vmx_stricter_fn vmx_stricter_cs_rpl_dpl;		/* checks_guest_segs.c */
vmx_stricter_fn vmx_stricter_no_debugctl;		/* checks_msr_load.c */
vmx_stricter_fn vmx_stricter_no_perf_global_ctrl;	/* checks_msr_load.c */
vmx_stricter_fn vmx_stricter_exit_store_end32;		/* checks_controls_exit.c */
vmx_stricter_fn vmx_stricter_exit_load_end32;		/* checks_controls_exit.c */

#endif
