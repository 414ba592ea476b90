/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Implementation rules: how an implementation is known to apply one
 * catalogue check differently from the SDM, as a predicate on the case.
 * They are not part of the model: vmx_model_eval() stays what the SDM says.
 * Known-deviations entries name them (harness/include/vmxcc/deviations.h),
 * so that a deviation explains exactly the cases the rule covers.
 *
 *  rejects  a stricter rule: the implementation rejects cases the SDM
 *           allows (Bochs requires a canonical guest SSP where the SDM asks
 *           for bits 63:N identical, has no IA32_DEBUGCTL MSR, ...).  A
 *           rejection has the outcome of the check the rule tightens
 *           (VMfail 7 or 8, exit 33 with its qualification, exit 34 with
 *           the rejected entry's number) and happens where that check's
 *           class is checked.
 *  skips    a narrower "not performed": the implementation skips the check
 *           only for the cases the rule covers (Bochs tests the data-
 *           segment DPL/RPL rule for types 0-10, not 11).  On an MSR-load
 *           check: it loads the entry the rule names although the SDM
 *           fails it (Bochs' IA32_XSS takes the CET bits).
 *
 * Each rule is written next to the check it concerns, with the same
 * preconditions.
 */
#ifndef VMXCC_IMPL_RULES_H
#define VMXCC_IMPL_RULES_H

#include "case.h"
#include "model.h"
#include "profile.h"

/*
 * Does the rule apply to @c?  -1: no.  Otherwise where: for a rule on an
 * MSR-load check, the 0-based number of the first entry it rejects (or,
 * skipping, loads); 0 for every other rule.
 */
typedef int64_t vmx_rule_fn(const struct vmx_caps *caps, const struct vmx_case *c);

enum vmx_rule_kind {
	VMX_RULE_REJECTS,	/* rejects cases the check allows */
	VMX_RULE_SKIPS,		/* does not perform the check on these cases */
};

struct vmx_impl_rule {
	const char *id;			/* stable name, e.g. "ssp-canonical" */
	enum vmx_check_id check;	/* the SDM check it concerns */
	enum vmx_rule_kind kind;
	const char *statement;		/* what the implementation does */
	vmx_rule_fn *applies;
};

extern const struct vmx_impl_rule vmx_impl_rules[];
extern const int vmx_impl_rule_count;

/* Rule by its id; NULL if there is none. */
const struct vmx_impl_rule *vmx_impl_rule_by_name(const char *name);

/* The rules, each in the file of the check it concerns. */
vmx_rule_fn vmx_rule_ssp_canonical;		/* checks_guest_rip_rflags.c */
vmx_rule_fn vmx_rule_s_cet_hi32;		/* checks_guest_regs.c */
vmx_rule_fn vmx_rule_cs_rpl_dpl;		/* checks_guest_segs.c */
vmx_rule_fn vmx_rule_data_type11_dpl;		/* checks_guest_segs.c */
vmx_rule_fn vmx_rule_no_debugctl;		/* checks_msr_load.c */
vmx_rule_fn vmx_rule_no_perf_global_ctrl;	/* checks_msr_load.c */
vmx_rule_fn vmx_rule_xss_cet_bits;		/* checks_msr_load.c */
vmx_rule_fn vmx_rule_exit_store_end32;		/* checks_controls_exit.c */
vmx_rule_fn vmx_rule_exit_load_end32;		/* checks_controls_exit.c */

#endif
