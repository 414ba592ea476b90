// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for SDM 26.3.1.1, the checks on guest control registers, debug
 * registers and MSRs: each breaks one check and expects a VM exit with
 * basic reason 33, qualification 0.
 */
#include "check_test.h"


static void entry_on(struct vmx_case *c, uint32_t ctl)
{
	FLD(c, VM_ENTRY_CONTROLS) |= ctl;
}

/* BL_LONG64 as a 32-bit guest with 32-bit (non-PAE) paging. */
static void legacy_paging(struct vmx_case *c)
{
	FLD(c, VM_ENTRY_CONTROLS) &= ~VM_ENTRY_IA32E_MODE;
	FLD(c, GUEST_CR4) &= ~X86_CR4_PAE;
}

MUT(cr0_no_ne, FLD(c, GUEST_CR0) &= ~X86_CR0_NE)
/* 32-bit protected mode without paging needs "unrestricted guest". */
MUT(cr0_no_pg_no_ug, FLD(c, VM_ENTRY_CONTROLS) &= ~VM_ENTRY_IA32E_MODE;
    FLD(c, GUEST_CR0) &= ~X86_CR0_PG)
MUT(cr0_pg_no_pe, ug_on(c); FLD(c, GUEST_CR0) &= ~X86_CR0_PE)
MUT(cr4_no_vmxe, FLD(c, GUEST_CR4) &= ~X86_CR4_VMXE)
MUT(cet_no_wp, FLD(c, GUEST_CR4) |= X86_CR4_CET; FLD(c, GUEST_CR0) &= ~X86_CR0_WP)
MUT(debugctl_rsvd, entry_on(c, VM_ENTRY_LOAD_DEBUG_CONTROLS); FLD(c, GUEST_IA32_DEBUGCTL) = 1ull << 2)
MUT(ia32e_no_pg, ug_on(c); FLD(c, GUEST_CR0) &= ~X86_CR0_PG)
MUT(ia32e_no_pae, FLD(c, GUEST_CR4) &= ~X86_CR4_PAE)
MUT(legacy_pcide, legacy_paging(c); FLD(c, GUEST_CR4) |= X86_CR4_PCIDE)
MUT(legacy_fred, legacy_paging(c); FLD(c, GUEST_CR4) |= X86_CR4_FRED)
MUT(cr3_maxphy, FLD(c, GUEST_CR3) |= 1ull << 46)
MUT(cr3_bit63, FLD(c, GUEST_CR3) |= 1ull << 63)
MUT(dr7_hi, entry_on(c, VM_ENTRY_LOAD_DEBUG_CONTROLS); FLD(c, GUEST_DR7) |= 1ull << 32)
MUT(sysenter_esp, FLD(c, GUEST_SYSENTER_ESP) = NONCANON)
MUT(sysenter_eip, FLD(c, GUEST_SYSENTER_EIP) = NONCANON)
MUT(s_cet_canon, entry_on(c, VM_ENTRY_LOAD_CET_STATE); FLD(c, GUEST_S_CET) = NONCANON)
MUT(isst_canon, entry_on(c, VM_ENTRY_LOAD_CET_STATE); FLD(c, GUEST_INTR_SSP_TABLE) = NONCANON)
MUT(perf_rsvd, entry_on(c, VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL);
    FLD(c, GUEST_IA32_PERF_GLOBAL_CTRL) = 1ull << 40)
MUT(pat_type3, entry_on(c, VM_ENTRY_LOAD_IA32_PAT); FLD(c, GUEST_IA32_PAT) = 0x0007040600070403ull)
MUT(pat_type_ff, entry_on(c, VM_ENTRY_LOAD_IA32_PAT); FLD(c, GUEST_IA32_PAT) = 0xff07040600070406ull)
MUT(efer_rsvd, entry_on(c, VM_ENTRY_LOAD_IA32_EFER); FLD(c, GUEST_IA32_EFER) |= 1ull << 1)
/* LMA and LME both clear: only LMA disagrees with "IA-32e mode guest". */
MUT(efer_lma, entry_on(c, VM_ENTRY_LOAD_IA32_EFER);
    FLD(c, GUEST_IA32_EFER) &= ~(EFER_LMA | EFER_LME))
MUT(efer_lme, entry_on(c, VM_ENTRY_LOAD_IA32_EFER); FLD(c, GUEST_IA32_EFER) &= ~EFER_LME)
MUT(bndcfgs_rsvd, entry_on(c, VM_ENTRY_LOAD_BNDCFGS); FLD(c, GUEST_BNDCFGS) = 1ull << 2)
MUT(bndcfgs_canon, entry_on(c, VM_ENTRY_LOAD_BNDCFGS); FLD(c, GUEST_BNDCFGS) = NONCANON | 1)
MUT(rtit_rsvd, entry_on(c, VM_ENTRY_LOAD_IA32_RTIT_CTL); FLD(c, GUEST_IA32_RTIT_CTL) = 1ull << 18)
MUT(s_cet_rsvd, entry_on(c, VM_ENTRY_LOAD_CET_STATE); FLD(c, GUEST_S_CET) = 1ull << 9)
MUT(s_cet_supp_trk, entry_on(c, VM_ENTRY_LOAD_CET_STATE); FLD(c, GUEST_S_CET) = 3ull << 10)
MUT(lbr_rsvd, entry_on(c, VM_ENTRY_LOAD_IA32_LBR_CTL); FLD(c, GUEST_IA32_LBR_CTL) = 1ull << 4)
MUT(pkrs_hi, entry_on(c, VM_ENTRY_LOAD_IA32_PKRS); FLD(c, GUEST_IA32_PKRS) = 1ull << 63)
MUT(uinv_hi, entry_on(c, VM_ENTRY_LOAD_UINV); FLD(c, GUEST_UINV) = 0x100)
MUT(fred_cfg_rsvd, entry_on(c, VM_ENTRY_LOAD_IA32_FRED); FLD(c, GUEST_IA32_FRED_CONFIG) = 1ull << 11)
MUT(fred_cfg_canon, entry_on(c, VM_ENTRY_LOAD_IA32_FRED); FLD(c, GUEST_IA32_FRED_CONFIG) = NONCANON)
MUT(fred_rsp_align, entry_on(c, VM_ENTRY_LOAD_IA32_FRED); FLD(c, GUEST_IA32_FRED_RSP1) = 0x1020)
MUT(fred_rsp_canon, entry_on(c, VM_ENTRY_LOAD_IA32_FRED); FLD(c, GUEST_IA32_FRED_RSP2) = NONCANON)
MUT(fred_ssp_align, entry_on(c, VM_ENTRY_LOAD_IA32_FRED); FLD(c, GUEST_IA32_FRED_SSP3) = 0x1001)
MUT(fred_ssp_canon, entry_on(c, VM_ENTRY_LOAD_IA32_FRED); FLD(c, GUEST_IA32_FRED_SSP1) = NONCANON)

#define EXIT33 "{exit(33,qual=0)}"
CHECK_TEST_TABLE(guest_regs,
	{ "guest CR0.NE clear", GST_CR0_FIXED, BL_LONG64, cr0_no_ne, EXIT33 },
	{ "guest CR0.PG clear without unrestricted guest", GST_CR0_PE_PG_FIXED, BL_LONG64, cr0_no_pg_no_ug, EXIT33 },
	{ "guest CR0.PG without CR0.PE (unrestricted)", GST_CR0_PG_NO_PE, BL_LONG64, cr0_pg_no_pe, EXIT33 },
	{ "guest CR4.VMXE clear", GST_CR4_FIXED, BL_LONG64, cr4_no_vmxe, EXIT33 },
	{ "guest CR4.CET without CR0.WP", GST_CET_NEEDS_WP, BL_LONG64, cet_no_wp, EXIT33 },
	{ "guest DEBUGCTL reserved bit 2", GST_DEBUGCTL_RSVD, BL_LONG64, debugctl_rsvd, EXIT33 },
	{ "IA-32e guest without CR0.PG (unrestricted)", GST_IA32E_NO_PG, BL_LONG64, ia32e_no_pg, EXIT33 },
	{ "IA-32e guest without CR4.PAE", GST_IA32E_NO_PAE, BL_LONG64, ia32e_no_pae, EXIT33 },
	{ "32-bit guest with CR4.PCIDE", GST_NON_IA32E_PCIDE, BL_LONG64, legacy_pcide, EXIT33 },
	{ "32-bit guest with CR4.FRED", GST_NON_IA32E_FRED, BL_LONG64, legacy_fred, EXIT33 },
	{ "guest CR3 bit 46 (MAXPHYADDR 46)", GST_CR3_RSVD, BL_LONG64, cr3_maxphy, EXIT33 },
	{ "guest CR3 bit 63", GST_CR3_RSVD, BL_LONG64, cr3_bit63, EXIT33 },
	{ "guest DR7 bit 32", GST_DR7_HI32, BL_LONG64, dr7_hi, EXIT33 },
	{ "guest SYSENTER_ESP non-canonical", GST_SYSENTER_ESP_CANON, BL_LONG64, sysenter_esp, EXIT33 },
	{ "guest SYSENTER_EIP non-canonical", GST_SYSENTER_EIP_CANON, BL_LONG64, sysenter_eip, EXIT33 },
	{ "guest S_CET non-canonical", GST_S_CET_CANON, BL_LONG64, s_cet_canon, EXIT33 },
	{ "guest ISST address non-canonical", GST_ISST_CANON, BL_LONG64, isst_canon, EXIT33 },
	{ "guest PERF_GLOBAL_CTRL bit 40", GST_PERF_GLOBAL_RSVD, BL_LONG64, perf_rsvd, EXIT33 },
	{ "guest PAT byte 0 = 3", GST_PAT, BL_LONG64, pat_type3, EXIT33 },
	{ "guest PAT byte 7 = FFH", GST_PAT, BL_LONG64, pat_type_ff, EXIT33 },
	{ "guest EFER reserved bit 1", GST_EFER_RSVD, BL_LONG64, efer_rsvd, EXIT33 },
	{ "guest EFER.LMA clear in IA-32e guest", GST_EFER_LMA, BL_LONG64, efer_lma, EXIT33 },
	{ "guest EFER.LME != LMA with paging", GST_EFER_LME, BL_LONG64, efer_lme, EXIT33 },
	{ "guest BNDCFGS reserved bit 2", GST_BNDCFGS_RSVD, BL_LONG64, bndcfgs_rsvd, EXIT33 },
	{ "guest BNDCFGS base non-canonical", GST_BNDCFGS_CANON, BL_LONG64, bndcfgs_canon, EXIT33 },
	{ "guest RTIT_CTL reserved bit 18", GST_RTIT_CTL_RSVD, BL_LONG64, rtit_rsvd, EXIT33 },
	{ "guest S_CET reserved bit 9", GST_S_CET_RSVD, BL_LONG64, s_cet_rsvd, EXIT33 },
	{ "guest S_CET SUPPRESS and TRACKER", GST_S_CET_SUPPRESS_TRACKER, BL_LONG64, s_cet_supp_trk, EXIT33 },
	{ "guest LBR_CTL reserved bit 4", GST_LBR_CTL_RSVD, BL_LONG64, lbr_rsvd, EXIT33 },
	{ "guest PKRS bit 63", GST_PKRS_RSVD, BL_LONG64, pkrs_hi, EXIT33 },
	{ "guest UINV bit 8", GST_UINV_RSVD, BL_LONG64, uinv_hi, EXIT33 },
	{ "guest FRED_CONFIG bit 11", GST_FRED_CONFIG_RSVD, BL_LONG64, fred_cfg_rsvd, EXIT33 },
	{ "guest FRED_CONFIG non-canonical", GST_FRED_CONFIG_CANON, BL_LONG64, fred_cfg_canon, EXIT33 },
	{ "guest FRED_RSP1 not 64-byte aligned", GST_FRED_RSP_ALIGN, BL_LONG64, fred_rsp_align, EXIT33 },
	{ "guest FRED_RSP2 non-canonical", GST_FRED_RSP_CANON, BL_LONG64, fred_rsp_canon, EXIT33 },
	{ "guest FRED_SSP3 not 8-byte aligned", GST_FRED_SSP_ALIGN, BL_LONG64, fred_ssp_align, EXIT33 },
	{ "guest FRED_SSP1 non-canonical", GST_FRED_SSP_CANON, BL_LONG64, fred_ssp_canon, EXIT33 },
);
