// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for SDM 26.4 "Loading MSRs", from BL_LONG64_MSRLOAD (entries 1-3:
 * LSTAR, SYSENTER_ESP, TSC_AUX).  The qualification is the number of the
 * broken entry.
 */
#include "check_test.h"

#define MSR_IA32_XSS 0xda0

static void entry(struct vmx_case *c, int i, uint32_t index, uint64_t value)
{
	c->msr_load[i].index = index;
	c->msr_load[i].value = value;
}

static void count_over_max(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, VM_ENTRY_MSR_LOAD_COUNT) = 513;	/* IA32_VMX_MISC[27:25] = 0: 512 */
}
static void reserved_hi(struct vmx_case *c, struct vmx_profile *p)
{
	c->msr_load[1].reserved = 1;
}
static void fs_base(struct vmx_case *c, struct vmx_profile *p) { entry(c, 0, MSR_FS_BASE, 0); }
static void gs_base(struct vmx_case *c, struct vmx_profile *p) { entry(c, 2, MSR_GS_BASE, 0); }
static void x2apic_tpr(struct vmx_case *c, struct vmx_profile *p)
{
	c->x2apic_mode = 1;
	entry(c, 2, 0x808, 0);
}
static void x2apic_off(struct vmx_case *c, struct vmx_profile *p) { entry(c, 1, 0x8ff, 0); }
static void smm_monitor(struct vmx_case *c, struct vmx_profile *p)
{
	entry(c, 0, MSR_IA32_SMM_MONITOR_CTL, 0);
}
static void ucode_trig(struct vmx_case *c, struct vmx_profile *p)
{
	entry(c, 1, MSR_IA32_BIOS_UPDT_TRIG, 0x10000);
}
static void ucode_sign(struct vmx_case *c, struct vmx_profile *p)
{
	entry(c, 2, MSR_IA32_BIOS_SIGN_ID, 0);
}
static void unknown(struct vmx_case *c, struct vmx_profile *p) { entry(c, 0, 0x1234, 0); }
static void implicit_zero(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, VM_ENTRY_MSR_LOAD_COUNT) = 5;	/* entries 4 and 5 read as zero */
}
static void many_unknown(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, VM_ENTRY_MSR_LOAD_COUNT) = 40;
}
static void efer_rsvd(struct vmx_case *c, struct vmx_profile *p)
{
	entry(c, 1, MSR_IA32_EFER, EFER_SCE | EFER_LME | EFER_LMA | EFER_NX | BIT(1));
}
static void efer_lme_off(struct vmx_case *c, struct vmx_profile *p)
{
	entry(c, 1, MSR_IA32_EFER, EFER_SCE | EFER_LMA | EFER_NX);
}
static void pat_type2(struct vmx_case *c, struct vmx_profile *p)
{
	entry(c, 2, MSR_IA32_PAT, 0x0007040600070402ull);
}
static void pat_type8(struct vmx_case *c, struct vmx_profile *p)
{
	entry(c, 2, MSR_IA32_PAT, 0x0807040600070406ull);
}
static void lstar_noncanon(struct vmx_case *c, struct vmx_profile *p)
{
	entry(c, 0, MSR_LSTAR, 0x0000800000000000ull);
}
static void sysenter_eip_noncanon(struct vmx_case *c, struct vmx_profile *p)
{
	entry(c, 1, MSR_IA32_SYSENTER_EIP, 0x8000000000000000ull);
}
static void tsc_aux_hi(struct vmx_case *c, struct vmx_profile *p)
{
	entry(c, 2, MSR_TSC_AUX, 1ull << 32);
}
static void debugctl_bit2(struct vmx_case *c, struct vmx_profile *p)
{
	entry(c, 2, MSR_IA32_DEBUGCTL, BIT(2));
}
static void perf_global_bit8(struct vmx_case *c, struct vmx_profile *p)
{
	entry(c, 2, MSR_IA32_PERF_GLOBAL_CTRL, BIT(8));
}
static void xss_bit0(struct vmx_case *c, struct vmx_profile *p)
{
	entry(c, 2, MSR_IA32_XSS, BIT(0));
}

#define B BL_LONG64_MSRLOAD

CHECK_TEST_TABLE(msr_load,
	{ "MSR-load count 513 over 512", MSR_COUNT_OVER_MAX, B, count_over_max,
	  "{vmfail(7), exit(34,qual=*), exit(41,qual=*), entered}" },
	{ "entry 2 bits 63:32 set", MSR_ENT_RSVD, B, reserved_hi, "{exit(34,qual=2)}" },
	{ "entry 1 loads FS_BASE", MSR_ENT_FS_GS_BASE, B, fs_base, "{exit(34,qual=1)}" },
	{ "entry 3 loads GS_BASE", MSR_ENT_FS_GS_BASE, B, gs_base, "{exit(34,qual=3)}" },
	{ "entry 3 loads x2APIC TPR in x2APIC mode", MSR_ENT_X2APIC, B, x2apic_tpr, "{exit(34,qual=3)}" },
	{ "entry 2 loads MSR 8FFH in xAPIC mode", MSR_ENT_X2APIC, B, x2apic_off, "{exit(34,qual=2)}" },
	{ "entry 1 loads IA32_SMM_MONITOR_CTL", MSR_ENT_SMM_MONITOR_CTL, B, smm_monitor, "{exit(34,qual=1)}" },
	{ "entry 2 loads IA32_BIOS_UPDT_TRIG", MSR_ENT_UCODE, B, ucode_trig, "{exit(34,qual=2)}" },
	{ "entry 3 loads IA32_BIOS_SIGN_ID", MSR_ENT_UCODE, B, ucode_sign, "{exit(34,qual=3)}" },
	{ "entry 1 loads unknown MSR 1234H", MSR_ENT_UNKNOWN, B, unknown, "{exit(34,qual=1), entered}" },
	{ "entries 4-5 implicit zero (MSR 0)", MSR_ENT_UNKNOWN, B, implicit_zero,
	  "{exit(34,qual=4), exit(34,qual=5), entered}" },
	{ "37 implicit zero entries", MSR_ENT_UNKNOWN, B, many_unknown, "{exit(34,qual=*), entered}" },
	{ "EFER reserved bit 1", MSR_WR_EFER_RSVD, B, efer_rsvd, "{exit(34,qual=2)}" },
	{ "EFER.LME cleared under paging", MSR_WR_EFER_LME_PG, B, efer_lme_off, "{exit(34,qual=2)}" },
	{ "PAT entry 0 type 2", MSR_WR_PAT_TYPE, B, pat_type2, "{exit(34,qual=3)}" },
	{ "PAT entry 7 type 8", MSR_WR_PAT_TYPE, B, pat_type8, "{exit(34,qual=3)}" },
	{ "LSTAR non-canonical", MSR_WR_NONCANONICAL, B, lstar_noncanon, "{exit(34,qual=1)}" },
	{ "SYSENTER_EIP non-canonical", MSR_WR_NONCANONICAL, B, sysenter_eip_noncanon, "{exit(34,qual=2)}" },
	{ "TSC_AUX bit 32", MSR_WR_TSC_AUX_RSVD, B, tsc_aux_hi, "{exit(34,qual=3)}" },
	{ "DEBUGCTL bit 2", MSR_WR_DEBUGCTL_RSVD, B, debugctl_bit2, "{exit(34,qual=3)}" },
	{ "PERF_GLOBAL_CTRL bit 8", MSR_WR_PERF_GLOBAL_RSVD, B, perf_global_bit8, "{exit(34,qual=3)}" },
	{ "XSS bit 0", MSR_WR_XSS_RSVD, B, xss_bit0, "{exit(34,qual=3)}" },
);
