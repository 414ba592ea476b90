// SPDX-License-Identifier: GPL-2.0
/*
 * SDM 26.2.1.2 "VM-Exit Control Fields".  Every failure is VMfail 7.
 * The "posted interrupts need acknowledge-interrupt-on-exit" rule reads an
 * exit control but the SDM lists it with the execution controls, so it
 * lives in checks_controls_exec.c.
 */
#include "vmxcc/impl_rules.h"
#include "checks_controls.h"

/*
 * Controls that exist only with a CPU feature.  A real processor reports
 * their allowed-1 setting as 0 without the feature; a profile that allows
 * one anyway (e.g. hand-written, or a hypervisor whose CPUID and VMX MSRs
 * disagree) gets the failure named after the feature.
 */
static void check_features(const struct vmx_caps *caps, uint32_t exit,
			   uint64_t exit2, struct vmx_verdict *v)
{
	const struct vmx_profile *p = &caps->p;

	if (exit & VM_EXIT_CLEAR_BNDCFGS)
		CC(v, CTL_EXIT_BNDCFGS_NEEDS_MPX, !p->has_mpx);
	if (exit & (VM_EXIT_CLEAR_IA32_RTIT_CTL | VM_EXIT_PT_CONCEAL_PIP))
		CC(v, CTL_EXIT_RTIT_NEEDS_PT, !p->has_intel_pt);
	if (exit & VM_EXIT_CLEAR_IA32_LBR_CTL)
		CC(v, CTL_EXIT_LBR_NEEDS_ARCH_LBR, !p->has_arch_lbr);
	if (exit & VM_EXIT_CLEAR_UINV)
		CC(v, CTL_EXIT_UINV_NEEDS_UINTR, !p->has_uintr);
	if (exit & VM_EXIT_LOAD_CET_STATE)
		CC(v, CTL_EXIT_CET_NEEDS_CET, !p->has_cet_ibt && !p->has_cet_ss);
	if (exit & VM_EXIT_LOAD_IA32_PKRS)
		CC(v, CTL_EXIT_PKRS_NEEDS_PKS, !p->has_pks);
	if (exit2 & (SECONDARY_VM_EXIT_SAVE_IA32_FRED | SECONDARY_VM_EXIT_LOAD_IA32_FRED))
		CC(v, CTL_EXIT2_FRED_NEEDS_FRED, !p->has_fred);
}

void vmx_check_exit_controls(const struct vmx_caps *caps, const struct vmx_case *c,
			     struct vmx_verdict *v)
{
	uint32_t exit_raw = (uint32_t)F(c, VM_EXIT_CONTROLS);
	uint32_t exit = exit_raw & caps->exit_may1;
	uint32_t pin = (uint32_t)F(c, PIN_BASED_VM_EXEC_CONTROL) & caps->pin_may1;
	uint64_t exit2 = 0;
	uint32_t n;

	CC(v, CTL_EXIT_RSVD, ctl_word_bad(exit_raw, caps->exit_must1, caps->exit_may1));
	if (exit & VM_EXIT_ACTIVATE_SECONDARY_CONTROLS) {
		uint64_t exit2_raw = F(c, SECONDARY_VM_EXIT_CONTROLS);

		CC(v, CTL_EXIT2_RSVD, exit2_raw & ~caps->exit2_may1);
		exit2 = exit2_raw & caps->exit2_may1;
	}
	if (!(pin & PIN_BASED_VMX_PREEMPTION_TIMER))
		CC(v, CTL_EXIT_SAVE_PREEMPT, exit & VM_EXIT_SAVE_VMX_PREEMPTION_TIMER);

	n = (uint32_t)F(c, VM_EXIT_MSR_STORE_COUNT);
	if (n)
		CC(v, CTL_EXIT_MSR_STORE_ADDR, ctl_msr_area_bad(caps, F(c, VM_EXIT_MSR_STORE_ADDR), n));
	n = (uint32_t)F(c, VM_EXIT_MSR_LOAD_COUNT);
	if (n)
		CC(v, CTL_EXIT_MSR_LOAD_ADDR, ctl_msr_area_bad(caps, F(c, VM_EXIT_MSR_LOAD_ADDR), n));

	check_features(caps, exit, exit2, v);
}

/*
 * Rules "exit-msr-store-end-32bit" and "exit-msr-load-end-32bit"
 * (Bochs 2.7 multiplies the 32-bit count by 16 in 32 bits): same
 * preconditions as CTL_EXIT_MSR_STORE_ADDR and CTL_EXIT_MSR_LOAD_ADDR.
 */
int64_t vmx_rule_exit_store_end32(const struct vmx_caps *caps, const struct vmx_case *c)
{
	uint32_t n = (uint32_t)F(c, VM_EXIT_MSR_STORE_COUNT);

	return n && ctl_msr_area_end32_bad(caps, F(c, VM_EXIT_MSR_STORE_ADDR), n) ? 0 : -1;
}

int64_t vmx_rule_exit_load_end32(const struct vmx_caps *caps, const struct vmx_case *c)
{
	uint32_t n = (uint32_t)F(c, VM_EXIT_MSR_LOAD_COUNT);

	return n && ctl_msr_area_end32_bad(caps, F(c, VM_EXIT_MSR_LOAD_ADDR), n) ? 0 : -1;
}
