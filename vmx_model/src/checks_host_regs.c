// SPDX-License-Identifier: GPL-2.0
/*
 * SDM Vol. 3C 26.2.2 "Checks on Host Control Registers, MSRs, and SSP".
 * Every failure is VMfailValid with error 8 (invalid host-state field).
 */
#include "checks_hg.h"

/* CET: IA32_S_CET, SSP and IA32_INTERRUPT_SSP_TABLE_ADDR loaded on VM exit.
 * The canonical checks on SSP depend on the address-space size (26.2.4). */
static void host_cet(const struct vmx_caps *caps, const struct vmx_case *c,
		     struct vmx_verdict *v)
{
	uint64_t s_cet = F(c, HOST_S_CET);

	CC(v, HST_S_CET_CANON, !vmx_is_canonical(caps, s_cet));
	CC(v, HST_ISST_CANON, !vmx_is_canonical(caps, F(c, HOST_INTR_SSP_TABLE)));
	CC(v, HST_S_CET_RSVD, s_cet & hg_s_cet_rsvd(caps));
	CC(v, HST_S_CET_SUPPRESS_TRACKER,
	   (s_cet & (HG_CET_SUPPRESS | HG_CET_TRACKER)) == (HG_CET_SUPPRESS | HG_CET_TRACKER));
	CC(v, HST_SSP_ALIGN, F(c, HOST_SSP) & 3);
}

/* FRED MSRs loaded on VM exit to a 64-bit host. */
static void host_fred(const struct vmx_caps *caps, const struct vmx_case *c,
                      struct vmx_verdict *v)
{
	static const enum vmx_check_id ids[6] = {
		HST_FRED_CONFIG_RSVD, HST_FRED_CONFIG_CANON, HST_FRED_RSP_ALIGN,
		HST_FRED_RSP_CANON, HST_FRED_SSP_ALIGN, HST_FRED_SSP_CANON,
	};

	hg_fred_block(caps, c, v, VF_HOST_IA32_FRED_CONFIG, ids);
}

static void host_efer(const struct vmx_caps *caps, const struct vmx_case *c,
		      struct vmx_verdict *v, bool host64)
{
	uint64_t efer = F(c, HOST_IA32_EFER);

	CC(v, HST_EFER_RSVD, efer & ~caps->p.efer_allowed);
	CC(v, HST_EFER_LMA, !!(efer & EFER_LMA) != host64);
	CC(v, HST_EFER_LME, !!(efer & EFER_LME) != host64);
}

void vmx_check_host_regs(const struct vmx_caps *caps, const struct vmx_case *c,
			 struct vmx_verdict *v)
{
	uint64_t cr0 = F(c, HOST_CR0), cr4 = F(c, HOST_CR4);
	uint64_t exit = F(c, VM_EXIT_CONTROLS);
	uint64_t exit2 = exit & VM_EXIT_ACTIVATE_SECONDARY_CONTROLS ?
			 F(c, SECONDARY_VM_EXIT_CONTROLS) : 0;
	bool host64 = exit & VM_EXIT_HOST_ADDR_SPACE_SIZE;

	CC(v, HST_CR0_FIXED, ((~cr0 & caps->cr0_fixed0) | (cr0 & ~caps->cr0_fixed1)) &
			     ~HG_CR0_UNCHECKED);
	CC(v, HST_CR4_FIXED, (~cr4 & caps->cr4_fixed0) | (cr4 & ~caps->cr4_fixed1));
	if (hg_has_cet(caps))
		CC(v, HST_CET_NEEDS_WP, (cr4 & X86_CR4_CET) && !(cr0 & X86_CR0_WP));
	CC(v, HST_CR3_RSVD, hg_cr3_bad(caps, F(c, HOST_CR3)));
	CC(v, HST_SYSENTER_ESP_CANON, !vmx_is_canonical(caps, F(c, HOST_IA32_SYSENTER_ESP)));
	CC(v, HST_SYSENTER_EIP_CANON, !vmx_is_canonical(caps, F(c, HOST_IA32_SYSENTER_EIP)));

	if ((exit & VM_EXIT_LOAD_CET_STATE) && hg_has_cet(caps))
		host_cet(caps, c, v);
	if (exit & VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL)
		CC(v, HST_PERF_GLOBAL_RSVD,
		   F(c, HOST_IA32_PERF_GLOBAL_CTRL) & ~caps->p.perf_global_ctrl_allowed);
	if (exit & VM_EXIT_LOAD_IA32_PAT)
		CC(v, HST_PAT, !hg_pat_ok(F(c, HOST_IA32_PAT)));
	if (exit & VM_EXIT_LOAD_IA32_EFER)
		host_efer(caps, c, v, host64);
	if ((exit & VM_EXIT_LOAD_IA32_PKRS) && caps->p.has_pks)
		CC(v, HST_PKRS_RSVD, F(c, HOST_IA32_PKRS) >> 32);
	if ((exit2 & SECONDARY_VM_EXIT_LOAD_IA32_FRED) && caps->p.has_fred && host64)
		host_fred(caps, c, v);
}
