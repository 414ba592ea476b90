// SPDX-License-Identifier: GPL-2.0
/*
 * SDM 26.2.1.3 "VM-Entry Control Fields".  Every failure is VMfail 7.
 *
 * Event injection is one SDM bullet with several requirements; each is its
 * own check.  FRED adds two things (FRED specification, as KVM and Bochs
 * implement it): bit 13 "nested exception" of the interruption information,
 * allowed when IA32_VMX_BASIC[58] is 1 for hardware exceptions, and "other
 * event" vectors 1 (SYSCALL) and 2 (SYSENTER) for a guest with CR4.FRED = 1.
 */
#include "checks_controls.h"

/*
 * #DF, #TS, #NP, #SS, #GP, #PF, #AC.  The current SDM still lists exactly
 * these (its "must be 0" half names 0-7, 9, 15, 16 and 18-31), so #CP (21)
 * must be injected without an error code unless IA32_VMX_BASIC[56] is 1.
 */
#define ERRCODE_VECTORS		0x27d00u
#define INTR_INFO_RSVD		0x7fffd000u	/* bits 30:14 and 12 */

static bool vector_has_errcode(uint32_t vec)
{
	return vec < 32 && ((ERRCODE_VECTORS >> vec) & 1);
}

static bool vector_bad(uint32_t type, uint32_t vec, bool fred)
{
	switch (type) {
	case INTR_TYPE_NMI:
		return vec != 2;
	case INTR_TYPE_HARD_EXCEPTION:
		return vec > 31;
	default:	/* INTR_TYPE_OTHER_EVENT: 0 = pending MTF VM exit */
		return fred ? vec > 2 : vec != 0;
	}
}

static void check_injection(const struct vmx_caps *caps, const struct vmx_case *c,
			    uint32_t info, struct vmx_verdict *v)
{
	struct ctl_proc_words w;
	uint32_t type = (info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;
	uint32_t vec = info & INTR_INFO_VECTOR_MASK;
	uint32_t len = (uint32_t)F(c, VM_ENTRY_INSTRUCTION_LEN);
	bool deliver = info & INTR_INFO_DELIVER_CODE;
	bool hw = type == INTR_TYPE_HARD_EXCEPTION;
	bool mtf = caps->proc_may1 & CPU_BASED_MONITOR_TRAP_FLAG;
	/* KVM and Bochs key the FRED event types on guest CR4.FRED alone;
	 * CR4.FRED = 1 outside IA-32e mode fails a guest-state check anyway. */
	bool fred = caps->p.has_fred && (F(c, GUEST_CR4) & X86_CR4_FRED);
	bool prot;

	ctl_proc_words(caps, c, &w);
	/* "unrestricted guest" = 0 or CR0.PE = 1: an exception would push an
	 * error code; in real mode it never does. */
	prot = !(w.proc2 & SECONDARY_EXEC_UNRESTRICTED_GUEST) || (F(c, GUEST_CR0) & X86_CR0_PE);

	CC(v, CTL_ENT_INJ_TYPE, type == INTR_TYPE_RESERVED ||
	   (type == INTR_TYPE_OTHER_EVENT && !mtf && !caps->p.has_fred));
	if (type == INTR_TYPE_NMI || hw || type == INTR_TYPE_OTHER_EVENT)
		CC(v, CTL_ENT_INJ_VECTOR, vector_bad(type, vec, fred));

	if (caps->relaxed_errcode)	/* IA32_VMX_BASIC[56]: only the "must be 0" half */
		CC(v, CTL_ENT_INJ_DELIVER_ERRCODE, deliver && (!hw || !prot));
	else
		CC(v, CTL_ENT_INJ_DELIVER_ERRCODE,
		   deliver != (hw && prot && vector_has_errcode(vec)));

	CC(v, CTL_ENT_INJ_RSVD, info & INTR_INFO_RSVD);
	if (info & INTR_INFO_NESTED_EXCEPTION)
		CC(v, CTL_ENT_INJ_NESTED_EXC,
		   !(caps->p.msr[PMSR_BASIC] & VMX_BASIC_NESTED_EXCEPTION) || !hw);
	if (deliver)
		CC(v, CTL_ENT_INJ_ERRCODE_RSVD, F(c, VM_ENTRY_EXCEPTION_ERROR_CODE) & 0xffff0000ull);

	if (type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_PRIV_SW_EXCEPTION ||
	    type == INTR_TYPE_SOFT_EXCEPTION)
		CC(v, CTL_ENT_INJ_ILEN, len > 15 ||
		   (len == 0 && !(caps->p.msr[PMSR_MISC] & VMX_MISC_ZERO_LEN_INJ)));
	else if (type == INTR_TYPE_OTHER_EVENT && fred && (vec == 1 || vec == 2))
		CC(v, CTL_ENT_INJ_ILEN, len > 15);
}

/* Controls that exist only with a CPU feature (see checks_controls_exit.c). */
static void check_features(const struct vmx_caps *caps, uint32_t entry,
			   struct vmx_verdict *v)
{
	const struct vmx_profile *p = &caps->p;

	if (entry & VM_ENTRY_LOAD_BNDCFGS)
		CC(v, CTL_ENT_BNDCFGS_NEEDS_MPX, !p->has_mpx);
	if (entry & (VM_ENTRY_LOAD_IA32_RTIT_CTL | VM_ENTRY_PT_CONCEAL_PIP))
		CC(v, CTL_ENT_RTIT_NEEDS_PT, !p->has_intel_pt);
	if (entry & VM_ENTRY_LOAD_UINV)
		CC(v, CTL_ENT_UINV_NEEDS_UINTR, !p->has_uintr);
	if (entry & VM_ENTRY_LOAD_CET_STATE)
		CC(v, CTL_ENT_CET_NEEDS_CET, !p->has_cet_ibt && !p->has_cet_ss);
	if (entry & VM_ENTRY_LOAD_IA32_LBR_CTL)
		CC(v, CTL_ENT_LBR_NEEDS_ARCH_LBR, !p->has_arch_lbr);
	if (entry & VM_ENTRY_LOAD_IA32_PKRS)
		CC(v, CTL_ENT_PKRS_NEEDS_PKS, !p->has_pks);
	if (entry & VM_ENTRY_LOAD_IA32_FRED)
		CC(v, CTL_ENT_FRED_NEEDS_FRED, !p->has_fred);
}

void vmx_check_entry_controls(const struct vmx_caps *caps, const struct vmx_case *c,
			      struct vmx_verdict *v)
{
	uint32_t entry_raw = (uint32_t)F(c, VM_ENTRY_CONTROLS);
	uint32_t entry = entry_raw & caps->entry_may1;
	uint32_t info = (uint32_t)F(c, VM_ENTRY_INTR_INFO_FIELD);
	uint32_t n = (uint32_t)F(c, VM_ENTRY_MSR_LOAD_COUNT);

	CC(v, CTL_ENT_RSVD, ctl_word_bad(entry_raw, caps->entry_must1, caps->entry_may1));
	/* The model's VM entries never execute in SMM (struct vmx_case has no
	 * SMM state), so both SMM-only controls must be 0. */
	CC(v, CTL_ENT_SMM_OUTSIDE_SMM, entry & VM_ENTRY_SMM);
	CC(v, CTL_ENT_DEACT_DUAL_OUTSIDE_SMM, entry & VM_ENTRY_DEACT_DUAL_MONITOR);
	if (info & INTR_INFO_VALID)
		check_injection(caps, c, info, v);
	if (n)
		CC(v, CTL_ENT_MSR_LOAD_ADDR, ctl_msr_area_bad(caps, F(c, VM_ENTRY_MSR_LOAD_ADDR), n));
	check_features(caps, entry, v);
}
