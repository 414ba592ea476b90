// SPDX-License-Identifier: GPL-2.0
/* Tests for SDM 26.2.1.2 "VM-Exit Control Fields": one per rule. */
#include "controls_test.h"

#define V7 "{vmfail(7)}"

MUT(exit_must1, FLD(c, VM_EXIT_CONTROLS) &= ~BIT(0))
MUT(exit_may1, drop_may1(p, PMSR_EXIT, PMSR_TRUE_EXIT, VM_EXIT_SAVE_IA32_PAT);
    FLD(c, VM_EXIT_CONTROLS) |= VM_EXIT_SAVE_IA32_PAT)
/* The profile lacks "clear UINV" and user interrupts: only allowed-1 fails. */
MUT(exit_uinv_unsupported, drop_may1(p, PMSR_EXIT, PMSR_TRUE_EXIT, VM_EXIT_CLEAR_UINV);
    p->has_uintr = false; FLD(c, VM_EXIT_CONTROLS) |= VM_EXIT_CLEAR_UINV)
MUT(exit2_bit2, EXIT2_ON(c, BIT_ULL(2)))
MUT(exit2_not_activated, FLD(c, SECONDARY_VM_EXIT_CONTROLS) = ~0ull; FLD(c, CR3_TARGET_COUNT) = 5)
MUT(save_preempt, FLD(c, VM_EXIT_CONTROLS) |= VM_EXIT_SAVE_VMX_PREEMPTION_TIMER)
MUT(store_align, FLD(c, VM_EXIT_MSR_STORE_COUNT) = 1; FLD(c, VM_EXIT_MSR_STORE_ADDR) = 0x20008)
MUT(store_phys, FLD(c, VM_EXIT_MSR_STORE_COUNT) = 1; FLD(c, VM_EXIT_MSR_STORE_ADDR) = BEYOND_PHYS)
MUT(store_last_byte, FLD(c, VM_EXIT_MSR_STORE_COUNT) = 2;
    FLD(c, VM_EXIT_MSR_STORE_ADDR) = BEYOND_PHYS - 16)
MUT(load_align, FLD(c, VM_EXIT_MSR_LOAD_COUNT) = 3; FLD(c, VM_EXIT_MSR_LOAD_ADDR) = 0x20004)
MUT(load_last_byte, FLD(c, VM_EXIT_MSR_LOAD_COUNT) = 0x100000;
    FLD(c, VM_EXIT_MSR_LOAD_ADDR) = BEYOND_PHYS - 0x100000)
MUT(bndcfgs_no_mpx, p->has_mpx = false; FLD(c, VM_EXIT_CONTROLS) |= VM_EXIT_CLEAR_BNDCFGS)
MUT(rtit_no_pt, p->has_intel_pt = false; FLD(c, VM_EXIT_CONTROLS) |= VM_EXIT_CLEAR_IA32_RTIT_CTL)
MUT(conceal_no_pt, p->has_intel_pt = false; FLD(c, VM_EXIT_CONTROLS) |= VM_EXIT_PT_CONCEAL_PIP)
MUT(lbr_no_arch_lbr, p->has_arch_lbr = false; FLD(c, VM_EXIT_CONTROLS) |= VM_EXIT_CLEAR_IA32_LBR_CTL)
MUT(uinv_no_uintr, p->has_uintr = false; FLD(c, VM_EXIT_CONTROLS) |= VM_EXIT_CLEAR_UINV)
MUT(cet_no_cet, p->has_cet_ibt = p->has_cet_ss = false;
    FLD(c, VM_EXIT_CONTROLS) |= VM_EXIT_LOAD_CET_STATE)
MUT(pkrs_no_pks, p->has_pks = false; FLD(c, VM_EXIT_CONTROLS) |= VM_EXIT_LOAD_IA32_PKRS)
MUT(fred_no_fred, p->has_fred = false; EXIT2_ON(c, SECONDARY_VM_EXIT_SAVE_IA32_FRED))

CHECK_TEST_TABLE(controls_exit,
	{ "exit controls: TRUE default-1 bit 0 cleared", CTL_EXIT_RSVD, BL_LONG64, exit_must1, V7 },
	{ "exit controls: save IA32_PAT unsupported", CTL_EXIT_RSVD, BL_LONG64, exit_may1, V7 },
	{ "exit controls: clear UINV unsupported (feature rule not applied)", CTL_EXIT_RSVD, BL_LONG64, exit_uinv_unsupported, V7 },
	{ "secondary exit controls: bit 2", CTL_EXIT2_RSVD, BL_LONG64, exit2_bit2, V7 },
	{ "secondary exit controls: ignored when not activated", CTL_EXEC_CR3_TARGET_COUNT, BL_LONG64, exit2_not_activated, V7 },
	{ "save preemption timer without the timer", CTL_EXIT_SAVE_PREEMPT, BL_LONG64, save_preempt, V7 },
	{ "MSR-store address not 16-byte aligned", CTL_EXIT_MSR_STORE_ADDR, BL_LONG64, store_align, V7 },
	{ "MSR-store address beyond MAXPHYADDR", CTL_EXIT_MSR_STORE_ADDR, BL_LONG64, store_phys, V7 },
	{ "MSR-store area's last byte beyond MAXPHYADDR", CTL_EXIT_MSR_STORE_ADDR, BL_LONG64, store_last_byte, V7 },
	{ "exit MSR-load address not 16-byte aligned", CTL_EXIT_MSR_LOAD_ADDR, BL_LONG64, load_align, V7 },
	{ "exit MSR-load area's last byte beyond MAXPHYADDR", CTL_EXIT_MSR_LOAD_ADDR, BL_LONG64, load_last_byte, V7 },
	{ "clear BNDCFGS without MPX", CTL_EXIT_BNDCFGS_NEEDS_MPX, BL_LONG64, bndcfgs_no_mpx, V7 },
	{ "clear IA32_RTIT_CTL without Intel PT", CTL_EXIT_RTIT_NEEDS_PT, BL_LONG64, rtit_no_pt, V7 },
	{ "conceal VMX from PT (exit) without Intel PT", CTL_EXIT_RTIT_NEEDS_PT, BL_LONG64, conceal_no_pt, V7 },
	{ "clear IA32_LBR_CTL without arch LBRs", CTL_EXIT_LBR_NEEDS_ARCH_LBR, BL_LONG64, lbr_no_arch_lbr, V7 },
	{ "clear UINV without user interrupts", CTL_EXIT_UINV_NEEDS_UINTR, BL_LONG64, uinv_no_uintr, V7 },
	{ "load CET state (exit) without CET", CTL_EXIT_CET_NEEDS_CET, BL_LONG64, cet_no_cet, V7 },
	{ "load PKRS (exit) without PKS", CTL_EXIT_PKRS_NEEDS_PKS, BL_LONG64, pkrs_no_pks, V7 },
	{ "save FRED (exit) without FRED", CTL_EXIT2_FRED_NEEDS_FRED, BL_LONG64, fred_no_fred, V7 },
);
