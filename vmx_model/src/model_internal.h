/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the check files of the model.  Each check file implements one
 * SDM subsection as one function; each check is one self-naming line:
 *
 *	CC(v, CTL_EXEC_VPID_NONZERO, vpid == 0);
 *
 * CC() marks the check applied and, if the condition is true, failed.  A
 * check whose precondition does not hold (feature absent from the profile,
 * control off) is simply not reached: it is neither applied nor failed.
 */
#ifndef VMXCC_MODEL_INTERNAL_H
#define VMXCC_MODEL_INTERNAL_H

#include "vmxcc/arch.h"
#include "vmxcc/model.h"

static inline bool vmx_cc(struct vmx_verdict *v, enum vmx_check_id id, bool bad)
{
	uint64_t bit = 1ull << (id % 64);

	v->applied[id / 64] |= bit;
	if (bad)
		v->failed[id / 64] |= bit;
	return bad;
}

/* The model cannot tell whether this check fails (e.g. WRMSR of an MSR it
 * does not know): both outcomes are allowed. */
static inline void vmx_cc_uncertain(struct vmx_verdict *v, enum vmx_check_id id)
{
	uint64_t bit = 1ull << (id % 64);

	v->applied[id / 64] |= bit;
	v->uncertain[id / 64] |= bit;
}

#define CC(v, id, cond) vmx_cc((v), (id), !!(cond))

#define F(c, name) ((c)->f[VF_##name])

/* Canonical with respect to the processor's linear-address width. */
static inline bool vmx_is_canonical(const struct vmx_caps *caps, uint64_t a)
{
	unsigned int shift = 64 - caps->p.linear_width;

	return (uint64_t)((int64_t)(a << shift) >> shift) == a;
}

/* Physical address fits in MAXPHYADDR (and in 32 bits if IA32_VMX_BASIC[48]). */
static inline bool vmx_phys_ok(const struct vmx_caps *caps, uint64_t a)
{
	return (a & caps->phys_mask) == 0;
}

/* One function per SDM subsection, in architectural order.  Each records
 * every check it applies; none stops at the first failure. */
void vmx_check_basic(const struct vmx_caps *caps, const struct vmx_case *c, struct vmx_verdict *v);
void vmx_check_exec_controls(const struct vmx_caps *caps, const struct vmx_case *c, struct vmx_verdict *v);
void vmx_check_exit_controls(const struct vmx_caps *caps, const struct vmx_case *c, struct vmx_verdict *v);
void vmx_check_entry_controls(const struct vmx_caps *caps, const struct vmx_case *c, struct vmx_verdict *v);
void vmx_check_host_regs(const struct vmx_caps *caps, const struct vmx_case *c, struct vmx_verdict *v);
void vmx_check_host_segs(const struct vmx_caps *caps, const struct vmx_case *c, struct vmx_verdict *v);
void vmx_check_host_asz(const struct vmx_caps *caps, const struct vmx_case *c, struct vmx_verdict *v);
void vmx_check_guest_regs(const struct vmx_caps *caps, const struct vmx_case *c, struct vmx_verdict *v);
void vmx_check_guest_segs(const struct vmx_caps *caps, const struct vmx_case *c, struct vmx_verdict *v);
void vmx_check_guest_desc(const struct vmx_caps *caps, const struct vmx_case *c, struct vmx_verdict *v);
void vmx_check_guest_rip_rflags(const struct vmx_caps *caps, const struct vmx_case *c, struct vmx_verdict *v);
void vmx_check_guest_nonreg(const struct vmx_caps *caps, const struct vmx_case *c, struct vmx_verdict *v);
void vmx_check_guest_pdpte(const struct vmx_caps *caps, const struct vmx_case *c, struct vmx_verdict *v);
/* Walks the MSR-load entries in order; adds the exit-34 / entered outcomes. */
void vmx_check_msr_load(const struct vmx_caps *caps, const struct vmx_case *c, struct vmx_verdict *v);

#endif
