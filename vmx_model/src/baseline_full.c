// SPDX-License-Identifier: GPL-2.0
/*
 * BL_LONG64_FULL: the 64-bit guest of BL_LONG64 with most optional
 * VM-execution controls turned on and their pointers valid, so that a test
 * can break one rule of a feature without first having to enable it.
 * Every structure gets its own page below 1 MiB (back ends relocate them).
 */
#include "baseline_internal.h"

#define EPTP_WB_4LEVEL	0x1eull		/* memory type 6 (WB), walk length 4 */

int bl_build_long64_full(const struct vmx_caps *caps, struct vmx_case *c)
{
	const uint32_t pin = PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING |
			     PIN_BASED_VIRTUAL_NMIS | PIN_BASED_VMX_PREEMPTION_TIMER |
			     PIN_BASED_POSTED_INTR;
	const uint32_t proc = CPU_BASED_TPR_SHADOW | CPU_BASED_USE_IO_BITMAPS |
			      CPU_BASED_USE_MSR_BITMAPS;
	const uint32_t proc2 = SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES |
			       SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID |
			       SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY |
			       SECONDARY_EXEC_ENABLE_VMFUNC | SECONDARY_EXEC_SHADOW_VMCS |
			       SECONDARY_EXEC_ENABLE_PML;
	const uint32_t exit = VM_EXIT_ACK_INTR_ON_EXIT | VM_EXIT_SAVE_VMX_PREEMPTION_TIMER;
	const uint64_t ept_cap = caps->p.msr[PMSR_EPT_VPID_CAP];

	if ((caps->pin_may1 & pin) != pin || (caps->proc_may1 & proc) != proc ||
	    !(caps->proc_may1 & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ||
	    (caps->proc2_may1 & proc2) != proc2 || (caps->exit_may1 & exit) != exit ||
	    !(caps->vmfunc_may1 & 1) ||
	    !(ept_cap & VMX_EPT_MT_WB) || !(ept_cap & VMX_EPT_PWL4))
		return -1;

	bl_build_long64(caps, c);
	bl_controls(caps, c, pin, proc, proc2, exit, VM_ENTRY_IA32E_MODE);

	SET(IO_BITMAP_A, 0x10000);
	SET(IO_BITMAP_B, 0x11000);
	SET(MSR_BITMAP, 0x12000);
	/* TPR shadow with virtual-interrupt delivery: the TPR threshold is
	 * not used, VTPR 0. */
	SET(VIRTUAL_APIC_PAGE_ADDR, 0x13000);
	SET(TPR_THRESHOLD, 0);
	SET(APIC_ACCESS_ADDR, 0x14000);
	SET(POSTED_INTR_NV, 0xf2);
	SET(POSTED_INTR_DESC_ADDR, 0x15040);	/* 64-byte aligned */
	SET(EPT_POINTER, 0x16000 | EPTP_WB_4LEVEL);
	SET(VIRTUAL_PROCESSOR_ID, 1);
	SET(VM_FUNCTION_CONTROL, 1);		/* EPTP switching */
	SET(EPTP_LIST_ADDRESS, 0x17000);
	SET(VMREAD_BITMAP, 0x18000);
	SET(VMWRITE_BITMAP, 0x19000);
	SET(PML_ADDRESS, 0x1a000);
	SET(GUEST_PML_INDEX, 511);
	SET(VMX_PREEMPTION_TIMER_VALUE, 100000);
	return 0;
}
