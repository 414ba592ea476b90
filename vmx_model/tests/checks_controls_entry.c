// SPDX-License-Identifier: GPL-2.0
/* Tests for SDM 26.2.1.3 "VM-Entry Control Fields": one per rule. */
#include "controls_test.h"

#define V7 "{vmfail(7)}"
#define INJ(type, vec) (INTR_INFO_VALID | ((uint32_t)(type) << INTR_INFO_TYPE_SHIFT) | (vec))
#define INFO(c) FLD(c, VM_ENTRY_INTR_INFO_FIELD)

MUT(entry_must1, FLD(c, VM_ENTRY_CONTROLS) &= ~BIT(0))
MUT(entry_may1, FLD(c, VM_ENTRY_CONTROLS) |= BIT(24))
/* The profile lacks "load PKRS" and PKS: only allowed-1 fails. */
MUT(entry_pkrs_unsupported, drop_may1(p, PMSR_ENTRY, PMSR_TRUE_ENTRY, VM_ENTRY_LOAD_IA32_PKRS);
    p->has_pks = false; FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_LOAD_IA32_PKRS)
MUT(entry_smm, FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_SMM)
MUT(entry_deact_dual, FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_DEACT_DUAL_MONITOR)

/* Event injection (the synthetic profile has IA32_VMX_BASIC[56] and [58],
 * IA32_VMX_MISC[30], MTF and FRED) */
MUT(inj_not_valid_ignored, INFO(c) = ~INTR_INFO_VALID; FLD(c, CR3_TARGET_COUNT) = 5)
MUT(inj_type1, INFO(c) = INJ(INTR_TYPE_RESERVED, 0x20))
MUT(inj_type7_no_mtf, drop_may1(p, PMSR_PROCBASED, PMSR_TRUE_PROCBASED, CPU_BASED_MONITOR_TRAP_FLAG);
    p->has_fred = false; INFO(c) = INJ(INTR_TYPE_OTHER_EVENT, 0))
MUT(inj_nmi_vec3, INFO(c) = INJ(INTR_TYPE_NMI, 3))
MUT(inj_hw_vec32, INFO(c) = INJ(INTR_TYPE_HARD_EXCEPTION, 32))
MUT(inj_other_vec1, INFO(c) = INJ(INTR_TYPE_OTHER_EVENT, 1))
MUT(inj_other_vec3_fred, FLD(c, GUEST_CR4) |= X86_CR4_FRED;
    INFO(c) = INJ(INTR_TYPE_OTHER_EVENT, 3))
MUT(inj_errcode_nmi, INFO(c) = INJ(INTR_TYPE_NMI, 2) | INTR_INFO_DELIVER_CODE)
MUT(inj_gp_no_errcode_strict, p->msr[PMSR_BASIC] &= ~VMX_BASIC_NO_HW_ERRCODE_CC;
    INFO(c) = INJ(INTR_TYPE_HARD_EXCEPTION, 13))
MUT(inj_ud_errcode_strict, p->msr[PMSR_BASIC] &= ~VMX_BASIC_NO_HW_ERRCODE_CC;
    INFO(c) = INJ(INTR_TYPE_HARD_EXCEPTION, 6) | INTR_INFO_DELIVER_CODE)
MUT(inj_cp_errcode_strict, p->msr[PMSR_BASIC] &= ~VMX_BASIC_NO_HW_ERRCODE_CC;
    INFO(c) = INJ(INTR_TYPE_HARD_EXCEPTION, 21) | INTR_INFO_DELIVER_CODE)
/* IA32_VMX_BASIC[56]: #UD may carry an error code; only the CR3 count fails. */
MUT(inj_ud_errcode_relaxed, INFO(c) = INJ(INTR_TYPE_HARD_EXCEPTION, 6) | INTR_INFO_DELIVER_CODE;
    FLD(c, CR3_TARGET_COUNT) = 5)
/* Unrestricted real-mode guest: no error code even with BASIC[56]. */
MUT(inj_gp_errcode_real_mode, INFO(c) = INJ(INTR_TYPE_HARD_EXCEPTION, 13) | INTR_INFO_DELIVER_CODE)
MUT(inj_soft_errcode, INFO(c) = INJ(INTR_TYPE_SOFT_EXCEPTION, 3) | INTR_INFO_DELIVER_CODE;
    FLD(c, VM_ENTRY_INSTRUCTION_LEN) = 1)
MUT(inj_bit14, INFO(c) = INJ(INTR_TYPE_HARD_EXCEPTION, 6) | BIT(14))
MUT(inj_bit12, INFO(c) = INJ(INTR_TYPE_HARD_EXCEPTION, 6) | BIT(12))
MUT(inj_nested_nmi, INFO(c) = INJ(INTR_TYPE_NMI, 2) | INTR_INFO_NESTED_EXCEPTION)
MUT(inj_nested_unsupported, p->msr[PMSR_BASIC] &= ~VMX_BASIC_NESTED_EXCEPTION;
    INFO(c) = INJ(INTR_TYPE_HARD_EXCEPTION, 14) | INTR_INFO_NESTED_EXCEPTION)
MUT(inj_errcode_bit16, INFO(c) = INJ(INTR_TYPE_HARD_EXCEPTION, 13) | INTR_INFO_DELIVER_CODE;
    FLD(c, VM_ENTRY_EXCEPTION_ERROR_CODE) = 0x10000)
MUT(inj_soft_int_len16, INFO(c) = INJ(INTR_TYPE_SOFT_INTR, 0x80); FLD(c, VM_ENTRY_INSTRUCTION_LEN) = 16)
MUT(inj_priv_len0, p->msr[PMSR_MISC] &= ~VMX_MISC_ZERO_LEN_INJ;
    INFO(c) = INJ(INTR_TYPE_PRIV_SW_EXCEPTION, 1))
MUT(inj_fred_syscall_len16, FLD(c, GUEST_CR4) |= X86_CR4_FRED;
    INFO(c) = INJ(INTR_TYPE_OTHER_EVENT, 1); FLD(c, VM_ENTRY_INSTRUCTION_LEN) = 16)

/* From BL_LONG64_MSRLOAD: three valid entries at 0x9000. */
MUT(msr_load_align, FLD(c, VM_ENTRY_MSR_LOAD_ADDR) = 0x9008)
MUT(msr_load_phys, FLD(c, VM_ENTRY_MSR_LOAD_ADDR) |= BEYOND_PHYS)
MUT(msr_load_last_byte, FLD(c, VM_ENTRY_MSR_LOAD_ADDR) = BEYOND_PHYS - 32)

MUT(bndcfgs_no_mpx, p->has_mpx = false; FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_LOAD_BNDCFGS)
MUT(rtit_no_pt, p->has_intel_pt = false; FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_LOAD_IA32_RTIT_CTL)
MUT(conceal_no_pt, p->has_intel_pt = false; FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_PT_CONCEAL_PIP)
MUT(uinv_no_uintr, p->has_uintr = false; FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_LOAD_UINV)
MUT(cet_no_cet, p->has_cet_ibt = p->has_cet_ss = false;
    FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_LOAD_CET_STATE)
MUT(lbr_no_arch_lbr, p->has_arch_lbr = false; FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_LOAD_IA32_LBR_CTL)
MUT(pkrs_no_pks, p->has_pks = false; FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_LOAD_IA32_PKRS)
MUT(fred_no_fred, p->has_fred = false; FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_LOAD_IA32_FRED)

CHECK_TEST_TABLE(controls_entry,
	{ "entry controls: TRUE default-1 bit 0 cleared", CTL_ENT_RSVD, BL_LONG64, entry_must1, V7 },
	{ "entry controls: bit 24 unsupported", CTL_ENT_RSVD, BL_LONG64, entry_may1, V7 },
	{ "entry controls: load PKRS unsupported (feature rule not applied)", CTL_ENT_RSVD, BL_LONG64, entry_pkrs_unsupported, V7 },
	{ "entry to SMM outside SMM", CTL_ENT_SMM_OUTSIDE_SMM, BL_LONG64, entry_smm, V7 },
	{ "deactivate dual-monitor treatment outside SMM", CTL_ENT_DEACT_DUAL_OUTSIDE_SMM, BL_LONG64, entry_deact_dual, V7 },
	{ "injection fields ignored when not valid", CTL_EXEC_CR3_TARGET_COUNT, BL_LONG64, inj_not_valid_ignored, V7 },
	{ "injection type 1", CTL_ENT_INJ_TYPE, BL_LONG64, inj_type1, V7 },
	{ "injection type 7 without MTF or FRED", CTL_ENT_INJ_TYPE, BL_LONG64, inj_type7_no_mtf, V7 },
	{ "NMI with vector 3", CTL_ENT_INJ_VECTOR, BL_LONG64, inj_nmi_vec3, V7 },
	{ "hardware exception vector 32", CTL_ENT_INJ_VECTOR, BL_LONG64, inj_hw_vec32, V7 },
	{ "other event vector 1 without FRED guest", CTL_ENT_INJ_VECTOR, BL_LONG64, inj_other_vec1, V7 },
	{ "other event vector 3 with FRED guest", CTL_ENT_INJ_VECTOR, BL_LONG64, inj_other_vec3_fred, V7 },
	{ "error code with NMI (relaxed)", CTL_ENT_INJ_DELIVER_ERRCODE, BL_LONG64, inj_errcode_nmi, V7 },
	{ "#GP without error code (strict)", CTL_ENT_INJ_DELIVER_ERRCODE, BL_LONG64, inj_gp_no_errcode_strict, V7 },
	{ "#UD with error code (strict)", CTL_ENT_INJ_DELIVER_ERRCODE, BL_LONG64, inj_ud_errcode_strict, V7 },
	{ "#CP with error code (strict: not an error-code vector)", CTL_ENT_INJ_DELIVER_ERRCODE, BL_LONG64, inj_cp_errcode_strict, V7 },
	{ "#UD with error code allowed by IA32_VMX_BASIC[56]", CTL_EXEC_CR3_TARGET_COUNT, BL_LONG64, inj_ud_errcode_relaxed, V7 },
	{ "#GP with error code into real mode (relaxed)", CTL_ENT_INJ_DELIVER_ERRCODE, BL_REAL_UG, inj_gp_errcode_real_mode, V7 },
	{ "software exception with error code (relaxed)", CTL_ENT_INJ_DELIVER_ERRCODE, BL_LONG64, inj_soft_errcode, V7 },
	{ "interruption info bit 14", CTL_ENT_INJ_RSVD, BL_LONG64, inj_bit14, V7 },
	{ "interruption info bit 12", CTL_ENT_INJ_RSVD, BL_LONG64, inj_bit12, V7 },
	{ "nested-exception bit with NMI", CTL_ENT_INJ_NESTED_EXC, BL_LONG64, inj_nested_nmi, V7 },
	{ "nested-exception bit without IA32_VMX_BASIC[58]", CTL_ENT_INJ_NESTED_EXC, BL_LONG64, inj_nested_unsupported, V7 },
	{ "error code bit 16", CTL_ENT_INJ_ERRCODE_RSVD, BL_LONG64, inj_errcode_bit16, V7 },
	{ "software interrupt length 16", CTL_ENT_INJ_ILEN, BL_LONG64, inj_soft_int_len16, V7 },
	{ "privileged software exception length 0 without MISC[30]", CTL_ENT_INJ_ILEN, BL_LONG64, inj_priv_len0, V7 },
	{ "FRED SYSCALL injection length 16", CTL_ENT_INJ_ILEN, BL_LONG64, inj_fred_syscall_len16, V7 },
	{ "entry MSR-load address not 16-byte aligned", CTL_ENT_MSR_LOAD_ADDR, BL_LONG64_MSRLOAD, msr_load_align, V7 },
	{ "entry MSR-load address beyond MAXPHYADDR", CTL_ENT_MSR_LOAD_ADDR, BL_LONG64_MSRLOAD, msr_load_phys, V7 },
	{ "entry MSR-load area's last byte beyond MAXPHYADDR", CTL_ENT_MSR_LOAD_ADDR, BL_LONG64_MSRLOAD, msr_load_last_byte, V7 },
	{ "load BNDCFGS without MPX", CTL_ENT_BNDCFGS_NEEDS_MPX, BL_LONG64, bndcfgs_no_mpx, V7 },
	{ "load IA32_RTIT_CTL without Intel PT", CTL_ENT_RTIT_NEEDS_PT, BL_LONG64, rtit_no_pt, V7 },
	{ "conceal VMX from PT (entry) without Intel PT", CTL_ENT_RTIT_NEEDS_PT, BL_LONG64, conceal_no_pt, V7 },
	{ "load UINV without user interrupts", CTL_ENT_UINV_NEEDS_UINTR, BL_LONG64, uinv_no_uintr, V7 },
	{ "load CET state (entry) without CET", CTL_ENT_CET_NEEDS_CET, BL_LONG64, cet_no_cet, V7 },
	{ "load IA32_LBR_CTL without arch LBRs", CTL_ENT_LBR_NEEDS_ARCH_LBR, BL_LONG64, lbr_no_arch_lbr, V7 },
	{ "load PKRS (entry) without PKS", CTL_ENT_PKRS_NEEDS_PKS, BL_LONG64, pkrs_no_pks, V7 },
	{ "load FRED (entry) without FRED", CTL_ENT_FRED_NEEDS_FRED, BL_LONG64, fred_no_fred, V7 },
);
