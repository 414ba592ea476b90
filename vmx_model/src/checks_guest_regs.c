// SPDX-License-Identifier: GPL-2.0
/*
 * SDM Vol. 3C 26.3.1.1 "Checks on Guest Control Registers, Debug
 * Registers, and MSRs".  Every failure is a VM exit with basic reason 33
 * (invalid guest state), exit qualification 0.
 */
#include "vmxcc/impl_rules.h"
#include "checks_hg.h"

/* IA32_LBR_CTL: LBREn, OS, USR, CALL_STACK (3:0) and the branch-type
 * filters (22:16); all other bits are reserved.  CPUID.1CH may enumerate
 * fewer of them; the profile does not carry that leaf. */
#define HG_LBR_CTL_VALID	0x7f000full
/* IA32_RTIT_CTL bits reserved on every Intel PT implementation (18, 23,
 * 31:28, 55:48, 63:57), and the bits every implementation has (TraceEn,
 * OS, User, TSCEn, BranchEn).  Any other bit depends on CPUID.14H, which
 * the profile does not carry: the model leaves such a value undecided. */
#define HG_RTIT_RSVD_ALWAYS	0xfeff0000f0840000ull
#define HG_RTIT_ALWAYS_OK	0x240dull
#define HG_BNDCFGS_RSVD		0xffcull

static void guest_cr(const struct vmx_caps *caps, const struct vmx_case *c,
		     struct vmx_verdict *v, bool ia32e)
{
	uint64_t cr0 = F(c, GUEST_CR0), cr4 = F(c, GUEST_CR4);
	uint64_t pe_pg = X86_CR0_PE | X86_CR0_PG;

	CC(v, GST_CR0_FIXED, ((~cr0 & caps->cr0_fixed0 & ~pe_pg) | (cr0 & ~caps->cr0_fixed1)) &
			     ~HG_CR0_UNCHECKED);
	if (!hg_unrestricted(c))
		CC(v, GST_CR0_PE_PG_FIXED, ~cr0 & caps->cr0_fixed0 & pe_pg);
	CC(v, GST_CR0_PG_NO_PE, (cr0 & X86_CR0_PG) && !(cr0 & X86_CR0_PE));
	CC(v, GST_CR4_FIXED, (~cr4 & caps->cr4_fixed0) | (cr4 & ~caps->cr4_fixed1));
	if (hg_has_cet(caps))
		CC(v, GST_CET_NEEDS_WP, (cr4 & X86_CR4_CET) && !(cr0 & X86_CR0_WP));
	if (ia32e) {
		CC(v, GST_IA32E_NO_PG, !(cr0 & X86_CR0_PG));
		CC(v, GST_IA32E_NO_PAE, !(cr4 & X86_CR4_PAE));
	} else {
		CC(v, GST_NON_IA32E_PCIDE, cr4 & X86_CR4_PCIDE);
		if (caps->p.has_fred)
			CC(v, GST_NON_IA32E_FRED, cr4 & X86_CR4_FRED);
	}
	CC(v, GST_CR3_RSVD, hg_cr3_bad(caps, F(c, GUEST_CR3)));
}

static void guest_efer(const struct vmx_caps *caps, const struct vmx_case *c,
		       struct vmx_verdict *v, bool ia32e)
{
	uint64_t efer = F(c, GUEST_IA32_EFER);
	bool lma = efer & EFER_LMA;

	CC(v, GST_EFER_RSVD, efer & ~caps->p.efer_allowed);
	CC(v, GST_EFER_LMA, lma != ia32e);
	if (F(c, GUEST_CR0) & X86_CR0_PG)
		CC(v, GST_EFER_LME, lma != !!(efer & EFER_LME));
}

static void guest_cet(const struct vmx_caps *caps, const struct vmx_case *c,
		      struct vmx_verdict *v)
{
	uint64_t s_cet = F(c, GUEST_S_CET);

	CC(v, GST_S_CET_CANON, !vmx_is_canonical(caps, s_cet));
	CC(v, GST_ISST_CANON, !vmx_is_canonical(caps, F(c, GUEST_INTR_SSP_TABLE)));
	CC(v, GST_S_CET_RSVD, s_cet & hg_s_cet_rsvd(caps));
	CC(v, GST_S_CET_SUPPRESS_TRACKER,
	   (s_cet & (HG_CET_SUPPRESS | HG_CET_TRACKER)) == (HG_CET_SUPPRESS | HG_CET_TRACKER));
}

static void guest_rtit(const struct vmx_case *c, struct vmx_verdict *v)
{
	uint64_t ctl = F(c, GUEST_IA32_RTIT_CTL);

	if (CC(v, GST_RTIT_CTL_RSVD, ctl & HG_RTIT_RSVD_ALWAYS))
		return;
	if (ctl & ~HG_RTIT_ALWAYS_OK)
		vmx_cc_uncertain(v, GST_RTIT_CTL_RSVD);
}

/* FRED MSRs loaded on VM entry to an IA-32e-mode guest. */
static void guest_fred(const struct vmx_caps *caps, const struct vmx_case *c,
                       struct vmx_verdict *v)
{
	static const enum vmx_check_id ids[6] = {
		GST_FRED_CONFIG_RSVD, GST_FRED_CONFIG_CANON, GST_FRED_RSP_ALIGN,
		GST_FRED_RSP_CANON, GST_FRED_SSP_ALIGN, GST_FRED_SSP_CANON,
	};

	hg_fred_block(caps, c, v, VF_GUEST_IA32_FRED_CONFIG, ids);
}

/* MSR fields loaded under a VM-entry control; each only where the profile
 * has the feature (else the control itself is rejected as a VMfail 7). */
static void guest_msrs(const struct vmx_caps *caps, const struct vmx_case *c,
		       struct vmx_verdict *v, uint64_t entry, bool ia32e)
{
	const struct vmx_profile *p = &caps->p;

	if (entry & VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL)
		CC(v, GST_PERF_GLOBAL_RSVD,
		   F(c, GUEST_IA32_PERF_GLOBAL_CTRL) & ~p->perf_global_ctrl_allowed);
	if (entry & VM_ENTRY_LOAD_IA32_PAT)
		CC(v, GST_PAT, !hg_pat_ok(F(c, GUEST_IA32_PAT)));
	if (entry & VM_ENTRY_LOAD_IA32_EFER)
		guest_efer(caps, c, v, ia32e);
	if ((entry & VM_ENTRY_LOAD_BNDCFGS) && p->has_mpx) {
		CC(v, GST_BNDCFGS_RSVD, F(c, GUEST_BNDCFGS) & HG_BNDCFGS_RSVD);
		CC(v, GST_BNDCFGS_CANON, !vmx_is_canonical(caps, F(c, GUEST_BNDCFGS) & ~0xfffull));
	}
	if ((entry & VM_ENTRY_LOAD_IA32_RTIT_CTL) && p->has_intel_pt)
		guest_rtit(c, v);
	if ((entry & VM_ENTRY_LOAD_CET_STATE) && hg_has_cet(caps))
		guest_cet(caps, c, v);
	if ((entry & VM_ENTRY_LOAD_IA32_LBR_CTL) && p->has_arch_lbr)
		CC(v, GST_LBR_CTL_RSVD, F(c, GUEST_IA32_LBR_CTL) & ~HG_LBR_CTL_VALID);
	if ((entry & VM_ENTRY_LOAD_IA32_PKRS) && p->has_pks)
		CC(v, GST_PKRS_RSVD, F(c, GUEST_IA32_PKRS) >> 32);
	if ((entry & VM_ENTRY_LOAD_UINV) && p->has_uintr)
		CC(v, GST_UINV_RSVD, F(c, GUEST_UINV) & 0xff00);
	if ((entry & VM_ENTRY_LOAD_IA32_FRED) && p->has_fred && ia32e)
		guest_fred(caps, c, v);
}

void vmx_check_guest_regs(const struct vmx_caps *caps, const struct vmx_case *c,
			  struct vmx_verdict *v)
{
	uint64_t entry = F(c, VM_ENTRY_CONTROLS);
	bool ia32e = entry & VM_ENTRY_IA32E_MODE;

	guest_cr(caps, c, v, ia32e);
	if (entry & VM_ENTRY_LOAD_DEBUG_CONTROLS) {
		CC(v, GST_DEBUGCTL_RSVD, F(c, GUEST_IA32_DEBUGCTL) & ~caps->p.debugctl_allowed);
		CC(v, GST_DR7_HI32, F(c, GUEST_DR7) >> 32);
	}
	CC(v, GST_SYSENTER_ESP_CANON, !vmx_is_canonical(caps, F(c, GUEST_SYSENTER_ESP)));
	CC(v, GST_SYSENTER_EIP_CANON, !vmx_is_canonical(caps, F(c, GUEST_SYSENTER_EIP)));
	guest_msrs(caps, c, v, entry, ia32e);
}

/*
 * Rule "s-cet-hi32" (Bochs 2.7, a stricter one): with "load CET state" and
 * "IA-32e mode guest" 0, guest IA32_S_CET bits 63:32 must be 0, the host's
 * rule for "host address-space size" 0 applied to the guest, where the SDM
 * asks only for a canonical value.  Same preconditions as guest_cet().
 */
int64_t vmx_rule_s_cet_hi32(const struct vmx_caps *caps, const struct vmx_case *c)
{
	if (!(F(c, VM_ENTRY_CONTROLS) & VM_ENTRY_LOAD_CET_STATE) || !hg_has_cet(caps) ||
	    hg_ia32e_guest(c))
		return -1;
	return F(c, GUEST_S_CET) >> 32 ? 0 : -1;
}
