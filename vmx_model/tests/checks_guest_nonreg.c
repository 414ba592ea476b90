// SPDX-License-Identifier: GPL-2.0
/* Tests for SDM 26.3.1.5 (non-register state) and 26.3.1.6 (PDPTEs). */
#include "check_test.h"

#define INJ(type, vector) (INTR_INFO_VALID | ((type) << INTR_INFO_TYPE_SHIFT) | (vector))
#define LINK_OK 0x8000ull

static void set_if(struct vmx_case *c) { FLD(c, GUEST_RFLAGS) |= X86_RFLAGS_IF; }

/* Activity state */
static void act_4(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_ACTIVITY_STATE) = 4;
}
static void act_hlt_unsupported(struct vmx_case *c, struct vmx_profile *p)
{
	p->msr[PMSR_MISC] &= ~VMX_MISC_ACT_HLT;
	FLD(c, GUEST_ACTIVITY_STATE) = GUEST_ACTIVITY_HLT;
}
static void act_sipi_unsupported(struct vmx_case *c, struct vmx_profile *p)
{
	p->msr[PMSR_MISC] &= ~VMX_MISC_ACT_WAIT_SIPI;
	FLD(c, GUEST_ACTIVITY_STATE) = GUEST_ACTIVITY_WAIT_SIPI;
}
static void shutdown_unsupported(struct vmx_case *c, struct vmx_profile *p)
{
	p->msr[PMSR_MISC] &= ~VMX_MISC_ACT_SHUTDOWN;
	FLD(c, GUEST_ACTIVITY_STATE) = GUEST_ACTIVITY_SHUTDOWN;
}
static void hlt_dpl3(struct vmx_case *c, struct vmx_profile *p)	/* v86: SS.DPL = 3 */
{
	FLD(c, GUEST_ACTIVITY_STATE) = GUEST_ACTIVITY_HLT;
}
static void hlt_sti(struct vmx_case *c, struct vmx_profile *p)
{
	set_if(c);
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_STI;
	FLD(c, GUEST_ACTIVITY_STATE) = GUEST_ACTIVITY_HLT;
}
static void shutdown_movss(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_MOV_SS;
	FLD(c, GUEST_ACTIVITY_STATE) = GUEST_ACTIVITY_SHUTDOWN;
}
static void hlt_inject_ud(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_ACTIVITY_STATE) = GUEST_ACTIVITY_HLT;
	FLD(c, VM_ENTRY_INTR_INFO_FIELD) = INJ(INTR_TYPE_HARD_EXCEPTION, 6);
}
static void hlt_inject_int3(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_ACTIVITY_STATE) = GUEST_ACTIVITY_HLT;
	FLD(c, VM_ENTRY_INTR_INFO_FIELD) = INJ(INTR_TYPE_SOFT_EXCEPTION, 3);
	FLD(c, VM_ENTRY_INSTRUCTION_LEN) = 1;
}
static void shutdown_inject_extint(struct vmx_case *c, struct vmx_profile *p)
{
	set_if(c);
	FLD(c, GUEST_ACTIVITY_STATE) = GUEST_ACTIVITY_SHUTDOWN;
	FLD(c, VM_ENTRY_INTR_INFO_FIELD) = INJ(INTR_TYPE_EXT_INTR, 0x20);
}
static void shutdown_inject_db(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_ACTIVITY_STATE) = GUEST_ACTIVITY_SHUTDOWN;
	FLD(c, VM_ENTRY_INTR_INFO_FIELD) = INJ(INTR_TYPE_HARD_EXCEPTION, 1);
}
static void sipi_inject_nmi(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_ACTIVITY_STATE) = GUEST_ACTIVITY_WAIT_SIPI;
	FLD(c, VM_ENTRY_INTR_INFO_FIELD) = INJ(INTR_TYPE_NMI, 2);
}

/* Interruptibility state */
static void int_bit5(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = BIT(5);
}
static void int_sti_movss(struct vmx_case *c, struct vmx_profile *p)
{
	set_if(c);
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS;
}
static void int_sti_if0(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_STI;
}
static void extint_movss(struct vmx_case *c, struct vmx_profile *p)
{
	set_if(c);
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_MOV_SS;
	FLD(c, VM_ENTRY_INTR_INFO_FIELD) = INJ(INTR_TYPE_EXT_INTR, 0x20);
}
static void extint_sti(struct vmx_case *c, struct vmx_profile *p)
{
	set_if(c);
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_STI;
	FLD(c, VM_ENTRY_INTR_INFO_FIELD) = INJ(INTR_TYPE_EXT_INTR, 0x20);
}
static void nmi_movss(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_MOV_SS;
	FLD(c, VM_ENTRY_INTR_INFO_FIELD) = INJ(INTR_TYPE_NMI, 2);
}
static void nmi_sti(struct vmx_case *c, struct vmx_profile *p)
{
	set_if(c);
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_STI;
	FLD(c, VM_ENTRY_INTR_INFO_FIELD) = INJ(INTR_TYPE_NMI, 2);
}
static void int_smi(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_SMI;
}
static void vnmi_blocked_nmi(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, PIN_BASED_VM_EXEC_CONTROL) |= PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS;
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_NMI;
	FLD(c, VM_ENTRY_INTR_INFO_FIELD) = INJ(INTR_TYPE_NMI, 2);
}
static void enclave_no_sgx(struct vmx_case *c, struct vmx_profile *p)
{
	p->has_enclave_intr = false;
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_ENCLAVE_INTR;
}
static void enclave_movss(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_ENCLAVE_INTR | GUEST_INTR_STATE_MOV_SS;
}

/* Pending debug exceptions */
static void pde_bit4(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_PENDING_DBG_EXCEPTIONS) = BIT(4);
}
static void pde_bit63(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_PENDING_DBG_EXCEPTIONS) = BIT_ULL(63);
}
static void bs_missing_sti_tf(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_RFLAGS) |= X86_RFLAGS_IF | X86_RFLAGS_TF;
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_STI;
}
static void bs_missing_hlt_tf(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_RFLAGS) |= X86_RFLAGS_TF;
	FLD(c, GUEST_ACTIVITY_STATE) = GUEST_ACTIVITY_HLT;
}
static void bs_set_movss_no_tf(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_MOV_SS;
	FLD(c, GUEST_PENDING_DBG_EXCEPTIONS) = BIT(14);
}
static void bs_set_tf_btf(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_RFLAGS) |= X86_RFLAGS_TF;
	FLD(c, GUEST_IA32_DEBUGCTL) = BIT(1);
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_MOV_SS;
	FLD(c, GUEST_PENDING_DBG_EXCEPTIONS) = BIT(14);
}
static void rtm_unsupported(struct vmx_case *c, struct vmx_profile *p)
{
	p->has_rtm = false;
	FLD(c, GUEST_PENDING_DBG_EXCEPTIONS) = BIT(16) | BIT(12);
}
static void rtm_without_bit12(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_PENDING_DBG_EXCEPTIONS) = BIT(16);
}
static void rtm_with_b0(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_PENDING_DBG_EXCEPTIONS) = BIT(16) | BIT(12) | BIT(0);
}
static void rtm_movss(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) = GUEST_INTR_STATE_MOV_SS;
	FLD(c, GUEST_PENDING_DBG_EXCEPTIONS) = BIT(16) | BIT(12);
}

/* VMCS link pointer */
static void link_unaligned(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, VMCS_LINK_POINTER) = LINK_OK | 0x10;
}
static void link_beyond_maxphyaddr(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, VMCS_LINK_POINTER) = BIT_ULL(46) | LINK_OK;	/* synthetic MAXPHYADDR 46 */
}
static void link_above_4g_addr32(struct vmx_case *c, struct vmx_profile *p)
{
	p->msr[PMSR_BASIC] |= VMX_BASIC_32BIT_PHYS;
	FLD(c, VMCS_LINK_POINTER) = BIT_ULL(32) | LINK_OK;
}
static void link_bad_revision(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, VMCS_LINK_POINTER) = LINK_OK;
	c->link_revision ^= 0x10;
}
static void link_shadow_without_shadowing(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, VMCS_LINK_POINTER) = LINK_OK;
	c->link_shadow = 1;
}
static void link_ordinary_with_shadowing(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, CPU_BASED_VM_EXEC_CONTROL) |= CPU_BASED_ACTIVATE_SECONDARY_CONTROLS;
	FLD(c, SECONDARY_VM_EXEC_CONTROL) |= SECONDARY_EXEC_SHADOW_VMCS;
	FLD(c, VMREAD_BITMAP) = 0xa000;
	FLD(c, VMWRITE_BITMAP) = 0xb000;
	FLD(c, VMCS_LINK_POINTER) = LINK_OK;
	c->link_shadow = 0;
}
static void link_is_current(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, VMCS_LINK_POINTER) = LINK_OK;
	c->link_is_current = 1;
}

/* PDPTEs */
static void pdpte_cr3_bit5(struct vmx_case *c, struct vmx_profile *p)
{
	c->pdpte[2] |= BIT(5);
}
static void pdpte_cr3_beyond_maxphy(struct vmx_case *c, struct vmx_profile *p)
{
	c->pdpte[0] |= BIT_ULL(46);
}
static void pdpte_vmcs_bit1(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_PDPTR3) |= BIT(1);
}
static void pdpte_vmcs_beyond_maxphy(struct vmx_case *c, struct vmx_profile *p)
{
	FLD(c, GUEST_PDPTR1) |= BIT_ULL(50);
}

#define Q0 "{exit(33,qual=0)}"
#define Q2 "{exit(33,qual=2)}"
#define Q4 "{exit(33,qual=4)}"

CHECK_TEST_TABLE(guest_nonreg,
	{ "activity state 4", GST_ACT_VALID, BL_LONG64, act_4, Q0 },
	{ "HLT not in IA32_VMX_MISC", GST_ACT_VALID, BL_LONG64, act_hlt_unsupported, Q0 },
	{ "wait-for-SIPI not in IA32_VMX_MISC", GST_ACT_VALID, BL_LONG64, act_sipi_unsupported, Q0 },
	{ "shutdown not in IA32_VMX_MISC", GST_ACT_VALID, BL_LONG64, shutdown_unsupported, Q0 },
	{ "HLT with SS.DPL 3 (v86)", GST_ACT_HLT_SS_DPL, BL_V86, hlt_dpl3, Q0 },
	{ "HLT with STI blocking", GST_ACT_BLOCKING_NOT_ACTIVE, BL_LONG64, hlt_sti, Q0 },
	{ "shutdown with MOV-SS blocking", GST_ACT_BLOCKING_NOT_ACTIVE, BL_LONG64, shutdown_movss, Q0 },
	{ "HLT injecting #UD", GST_ACT_INJ_HLT, BL_LONG64, hlt_inject_ud, Q0 },
	{ "HLT injecting INT3", GST_ACT_INJ_HLT, BL_LONG64, hlt_inject_int3, Q0 },
	{ "shutdown injecting an external interrupt", GST_ACT_INJ_SHUTDOWN, BL_LONG64, shutdown_inject_extint, Q0 },
	{ "shutdown injecting #DB", GST_ACT_INJ_SHUTDOWN, BL_LONG64, shutdown_inject_db, Q0 },
	{ "wait-for-SIPI injecting an NMI", GST_ACT_INJ_WAIT_SIPI, BL_LONG64, sipi_inject_nmi, Q0 },
	{ "interruptibility bit 5", GST_INT_RSVD, BL_LONG64, int_bit5, Q0 },
	{ "STI and MOV-SS blocking", GST_INT_STI_AND_MOVSS, BL_LONG64, int_sti_movss, Q0 },
	{ "STI blocking with IF 0", GST_INT_STI_IF0, BL_LONG64, int_sti_if0, Q0 },
	{ "external interrupt under MOV-SS blocking", GST_INT_EXTINT_BLOCKED, BL_LONG64, extint_movss, Q0 },
	{ "external interrupt under STI blocking", GST_INT_EXTINT_BLOCKED, BL_LONG64, extint_sti, Q0 },
	{ "NMI under MOV-SS blocking", GST_INT_NMI_MOVSS, BL_LONG64, nmi_movss, Q0 },
	{ "NMI under STI blocking (implementation-specific)", GST_INT_NMI_STI, BL_LONG64, nmi_sti,
	  "{exit(33,qual=3), entered}" },
	{ "SMI blocking outside SMM", GST_INT_SMI_OUTSIDE_SMM, BL_LONG64, int_smi, Q0 },
	{ "virtual NMIs: NMI injected under NMI blocking", GST_INT_VNMI_BLOCKED, BL_LONG64, vnmi_blocked_nmi, Q0 },
	{ "enclave interruption without SGX", GST_INT_ENCLAVE_NO_SGX, BL_LONG64, enclave_no_sgx, Q0 },
	{ "enclave interruption with MOV-SS blocking", GST_INT_ENCLAVE_MOVSS, BL_LONG64, enclave_movss, Q0 },
	{ "pending debug bit 4", GST_PDE_RSVD, BL_LONG64, pde_bit4, Q0 },
	{ "pending debug bit 63", GST_PDE_RSVD, BL_LONG64, pde_bit63, Q0 },
	{ "STI blocking, TF 1, BTF 0, BS 0", GST_PDE_BS_SET, BL_LONG64, bs_missing_sti_tf, Q0 },
	{ "HLT, TF 1, BTF 0, BS 0", GST_PDE_BS_SET, BL_LONG64, bs_missing_hlt_tf, Q0 },
	{ "MOV-SS blocking, TF 0, BS 1", GST_PDE_BS_CLEAR, BL_LONG64, bs_set_movss_no_tf, Q0 },
	{ "MOV-SS blocking, TF 1, BTF 1, BS 1", GST_PDE_BS_CLEAR, BL_LONG64, bs_set_tf_btf, Q0 },
	{ "RTM bit without RTM", GST_PDE_RTM_NO_RTM, BL_LONG64, rtm_unsupported, Q0 },
	{ "RTM bit without bit 12", GST_PDE_RTM_BITS, BL_LONG64, rtm_without_bit12, Q0 },
	{ "RTM bit with B0", GST_PDE_RTM_BITS, BL_LONG64, rtm_with_b0, Q0 },
	{ "RTM bit with MOV-SS blocking", GST_PDE_RTM_MOVSS, BL_LONG64, rtm_movss, Q0 },
	{ "link pointer not page aligned", GST_LINK_ALIGN, BL_LONG64, link_unaligned, Q4 },
	{ "link pointer beyond MAXPHYADDR", GST_LINK_PHYS, BL_LONG64, link_beyond_maxphyaddr, Q4 },
	{ "link pointer above 4 GiB with IA32_VMX_BASIC[48]", GST_LINK_PHYS, BL_LONG64, link_above_4g_addr32, Q4 },
	{ "link VMCS with a wrong revision", GST_LINK_REVISION, BL_LONG64, link_bad_revision, Q4 },
	{ "link VMCS is a shadow VMCS, shadowing off", GST_LINK_SHADOW, BL_LONG64, link_shadow_without_shadowing, Q4 },
	{ "link VMCS is ordinary, shadowing on", GST_LINK_SHADOW, BL_LONG64, link_ordinary_with_shadowing, Q4 },
	{ "link pointer is the current VMCS", GST_LINK_CURRENT, BL_LONG64, link_is_current, Q4 },
	{ "PDPTE at CR3 with bit 5", GST_PDPTE_CR3_RSVD, BL_PAE32, pdpte_cr3_bit5, Q2 },
	{ "PDPTE at CR3 beyond MAXPHYADDR", GST_PDPTE_CR3_RSVD, BL_PAE32, pdpte_cr3_beyond_maxphy, Q2 },
	{ "PDPTE field with bit 1", GST_PDPTE_VMCS_RSVD, BL_PAE32_EPT, pdpte_vmcs_bit1, Q2 },
	{ "PDPTE field beyond MAXPHYADDR", GST_PDPTE_VMCS_RSVD, BL_PAE32_EPT, pdpte_vmcs_beyond_maxphy, Q2 },
);
