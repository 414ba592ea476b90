// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for SDM 26.2.2-26.2.4, the host-state checks: each breaks one
 * check of BL_LONG64 and expects VMfail 8.
 */
#include "check_test.h"


static void exit_on(struct vmx_case *c, uint32_t ctl)
{
	FLD(c, VM_EXIT_CONTROLS) |= ctl;
}

static void fred_exit_on(struct vmx_case *c)
{
	exit_on(c, VM_EXIT_ACTIVATE_SECONDARY_CONTROLS);
	FLD(c, SECONDARY_VM_EXIT_CONTROLS) |= SECONDARY_VM_EXIT_LOAD_IA32_FRED;
}

/* 26.2.2 control registers and MSRs */
MUT(cr0_no_pe, FLD(c, HOST_CR0) &= ~X86_CR0_PE)
MUT(cr4_no_vmxe, FLD(c, HOST_CR4) &= ~X86_CR4_VMXE)
MUT(cet_no_wp, FLD(c, HOST_CR4) |= X86_CR4_CET; FLD(c, HOST_CR0) &= ~X86_CR0_WP)
MUT(cr3_maxphy, FLD(c, HOST_CR3) |= 1ull << 46)
MUT(sysenter_esp, FLD(c, HOST_IA32_SYSENTER_ESP) = NONCANON)
MUT(sysenter_eip, FLD(c, HOST_IA32_SYSENTER_EIP) = NONCANON)
MUT(s_cet_canon, exit_on(c, VM_EXIT_LOAD_CET_STATE); FLD(c, HOST_S_CET) = NONCANON)
MUT(isst_canon, exit_on(c, VM_EXIT_LOAD_CET_STATE); FLD(c, HOST_INTR_SSP_TABLE) = NONCANON)
MUT(s_cet_rsvd, exit_on(c, VM_EXIT_LOAD_CET_STATE); FLD(c, HOST_S_CET) = 1ull << 6)
MUT(s_cet_supp_trk, exit_on(c, VM_EXIT_LOAD_CET_STATE); FLD(c, HOST_S_CET) = 3ull << 10)
MUT(ssp_align, exit_on(c, VM_EXIT_LOAD_CET_STATE); FLD(c, HOST_SSP) = 0x1002)
MUT(perf_rsvd, exit_on(c, VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL);
    FLD(c, HOST_IA32_PERF_GLOBAL_CTRL) = 1ull << 40)
MUT(pat_type2, exit_on(c, VM_EXIT_LOAD_IA32_PAT); FLD(c, HOST_IA32_PAT) = 0x0007040600070402ull)
MUT(pat_type8, exit_on(c, VM_EXIT_LOAD_IA32_PAT); FLD(c, HOST_IA32_PAT) = 0x0007040600080406ull)
MUT(efer_rsvd, exit_on(c, VM_EXIT_LOAD_IA32_EFER); FLD(c, HOST_IA32_EFER) |= 1ull << 1)
MUT(efer_lma, exit_on(c, VM_EXIT_LOAD_IA32_EFER); FLD(c, HOST_IA32_EFER) &= ~EFER_LMA)
MUT(efer_lme, exit_on(c, VM_EXIT_LOAD_IA32_EFER); FLD(c, HOST_IA32_EFER) &= ~EFER_LME)
MUT(pkrs_hi, exit_on(c, VM_EXIT_LOAD_IA32_PKRS); FLD(c, HOST_IA32_PKRS) = 1ull << 32)
MUT(fred_cfg_rsvd, fred_exit_on(c); FLD(c, HOST_IA32_FRED_CONFIG) = 1ull << 2)
MUT(fred_cfg_canon, fred_exit_on(c); FLD(c, HOST_IA32_FRED_CONFIG) = NONCANON)
MUT(fred_rsp_align, fred_exit_on(c); FLD(c, HOST_IA32_FRED_RSP2) = 0x1008)
MUT(fred_rsp_canon, fred_exit_on(c); FLD(c, HOST_IA32_FRED_RSP3) = NONCANON)
MUT(fred_ssp_align, fred_exit_on(c); FLD(c, HOST_IA32_FRED_SSP1) = 0x1004)
MUT(fred_ssp_canon, fred_exit_on(c); FLD(c, HOST_IA32_FRED_SSP2) = NONCANON)
/* 26.2.3 segment and descriptor-table registers */
MUT(ds_rpl, FLD(c, HOST_DS_SELECTOR) = 0x13)
MUT(tr_rpl, FLD(c, HOST_TR_SELECTOR) = 0x19)
MUT(fs_ti, FLD(c, HOST_FS_SELECTOR) = 0x04)
MUT(cs_null, FLD(c, HOST_CS_SELECTOR) = 0)
MUT(tr_null, FLD(c, HOST_TR_SELECTOR) = 0)
MUT(fs_base, FLD(c, HOST_FS_BASE) = NONCANON)
MUT(gs_base, FLD(c, HOST_GS_BASE) = NONCANON)
MUT(tr_base, FLD(c, HOST_TR_BASE) = NONCANON)
MUT(gdtr_base, FLD(c, HOST_GDTR_BASE) = NONCANON)
MUT(idtr_base, FLD(c, HOST_IDTR_BASE) = NONCANON)
/* 26.2.4 address-space size */
MUT(asz0, FLD(c, VM_EXIT_CONTROLS) &= ~VM_EXIT_HOST_ADDR_SPACE_SIZE)
MUT(asz1_no_pae, FLD(c, HOST_CR4) &= ~X86_CR4_PAE)
MUT(rip_canon, FLD(c, HOST_RIP) = NONCANON)
MUT(ssp_canon, exit_on(c, VM_EXIT_LOAD_CET_STATE); FLD(c, HOST_SSP) = NONCANON)

#define VMFAIL8 "{vmfail(8)}"
CHECK_TEST_TABLE(host,
	{ "host CR0.PE clear", HST_CR0_FIXED, BL_LONG64, cr0_no_pe, VMFAIL8 },
	{ "host CR4.VMXE clear", HST_CR4_FIXED, BL_LONG64, cr4_no_vmxe, VMFAIL8 },
	{ "host CR4.CET without CR0.WP", HST_CET_NEEDS_WP, BL_LONG64, cet_no_wp, VMFAIL8 },
	{ "host CR3 bit 46 (MAXPHYADDR 46)", HST_CR3_RSVD, BL_LONG64, cr3_maxphy, VMFAIL8 },
	{ "host SYSENTER_ESP non-canonical", HST_SYSENTER_ESP_CANON, BL_LONG64, sysenter_esp, VMFAIL8 },
	{ "host SYSENTER_EIP non-canonical", HST_SYSENTER_EIP_CANON, BL_LONG64, sysenter_eip, VMFAIL8 },
	{ "host S_CET non-canonical", HST_S_CET_CANON, BL_LONG64, s_cet_canon, VMFAIL8 },
	{ "host ISST address non-canonical", HST_ISST_CANON, BL_LONG64, isst_canon, VMFAIL8 },
	{ "host S_CET reserved bit 6", HST_S_CET_RSVD, BL_LONG64, s_cet_rsvd, VMFAIL8 },
	{ "host S_CET SUPPRESS and TRACKER", HST_S_CET_SUPPRESS_TRACKER, BL_LONG64, s_cet_supp_trk, VMFAIL8 },
	{ "host SSP bit 1", HST_SSP_ALIGN, BL_LONG64, ssp_align, VMFAIL8 },
	{ "host PERF_GLOBAL_CTRL bit 40", HST_PERF_GLOBAL_RSVD, BL_LONG64, perf_rsvd, VMFAIL8 },
	{ "host PAT byte 0 = 2", HST_PAT, BL_LONG64, pat_type2, VMFAIL8 },
	{ "host PAT byte 2 = 8", HST_PAT, BL_LONG64, pat_type8, VMFAIL8 },
	{ "host EFER reserved bit 1", HST_EFER_RSVD, BL_LONG64, efer_rsvd, VMFAIL8 },
	{ "host EFER.LMA clear with 64-bit host", HST_EFER_LMA, BL_LONG64, efer_lma, VMFAIL8 },
	{ "host EFER.LME clear with 64-bit host", HST_EFER_LME, BL_LONG64, efer_lme, VMFAIL8 },
	{ "host PKRS bit 32", HST_PKRS_RSVD, BL_LONG64, pkrs_hi, VMFAIL8 },
	{ "host FRED_CONFIG bit 2", HST_FRED_CONFIG_RSVD, BL_LONG64, fred_cfg_rsvd, VMFAIL8 },
	{ "host FRED_CONFIG non-canonical", HST_FRED_CONFIG_CANON, BL_LONG64, fred_cfg_canon, VMFAIL8 },
	{ "host FRED_RSP2 not 64-byte aligned", HST_FRED_RSP_ALIGN, BL_LONG64, fred_rsp_align, VMFAIL8 },
	{ "host FRED_RSP3 non-canonical", HST_FRED_RSP_CANON, BL_LONG64, fred_rsp_canon, VMFAIL8 },
	{ "host FRED_SSP1 not 8-byte aligned", HST_FRED_SSP_ALIGN, BL_LONG64, fred_ssp_align, VMFAIL8 },
	{ "host FRED_SSP2 non-canonical", HST_FRED_SSP_CANON, BL_LONG64, fred_ssp_canon, VMFAIL8 },
	{ "host DS selector RPL 3", HST_SEL_RPL, BL_LONG64, ds_rpl, VMFAIL8 },
	{ "host TR selector RPL 1", HST_SEL_RPL, BL_LONG64, tr_rpl, VMFAIL8 },
	{ "host FS selector TI", HST_SEL_TI, BL_LONG64, fs_ti, VMFAIL8 },
	{ "host CS selector null", HST_CS_SEL_NULL, BL_LONG64, cs_null, VMFAIL8 },
	{ "host TR selector null", HST_TR_SEL_NULL, BL_LONG64, tr_null, VMFAIL8 },
	{ "host FS base non-canonical", HST_FS_BASE_CANON, BL_LONG64, fs_base, VMFAIL8 },
	{ "host GS base non-canonical", HST_GS_BASE_CANON, BL_LONG64, gs_base, VMFAIL8 },
	{ "host TR base non-canonical", HST_TR_BASE_CANON, BL_LONG64, tr_base, VMFAIL8 },
	{ "host GDTR base non-canonical", HST_GDTR_BASE_CANON, BL_LONG64, gdtr_base, VMFAIL8 },
	{ "host IDTR base non-canonical", HST_IDTR_BASE_CANON, BL_LONG64, idtr_base, VMFAIL8 },
	{ "host address-space size 0 from IA-32e mode", HST_ASZ_HOST64, BL_LONG64, asz0, VMFAIL8 },
	{ "64-bit host without CR4.PAE", HST_ASZ1_PAE, BL_LONG64, asz1_no_pae, VMFAIL8 },
	{ "64-bit host RIP non-canonical", HST_ASZ1_RIP_CANON, BL_LONG64, rip_canon, VMFAIL8 },
	{ "64-bit host SSP non-canonical", HST_ASZ1_SSP_CANON, BL_LONG64, ssp_canon, VMFAIL8 },
);
