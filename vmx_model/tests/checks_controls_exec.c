// SPDX-License-Identifier: GPL-2.0
/* Tests for SDM 26.2.1.1 "VM-Execution Control Fields": one per rule. */
#include "controls_test.h"

#define V7 "{vmfail(7)}"

/* Control words against the capability MSRs */
MUT(pin_may1, FLD(c, PIN_BASED_VM_EXEC_CONTROL) |= BIT(31))
MUT(pin_must1, FLD(c, PIN_BASED_VM_EXEC_CONTROL) &= ~BIT(1))
MUT(proc_may1, FLD(c, CPU_BASED_VM_EXEC_CONTROL) |= BIT(0))
MUT(proc_must1, FLD(c, CPU_BASED_VM_EXEC_CONTROL) &= ~BIT(1))
/* The profile lacks PML: setting it (even without EPT) fails only the
 * allowed-1 check, the PML rules are not applied. */
MUT(proc2_no_pml, drop_may1(p, PMSR_PROCBASED2, PMSR_PROCBASED2, SECONDARY_EXEC_ENABLE_PML);
    PROC2_ON(c, SECONDARY_EXEC_ENABLE_PML); FLD(c, PML_ADDRESS) = 0x1001)
MUT(proc2_not_activated, FLD(c, SECONDARY_VM_EXEC_CONTROL) = ~0u; FLD(c, CR3_TARGET_COUNT) = 5)
MUT(proc3_may1, PROC3_ON(c, BIT_ULL(5)))
MUT(proc3_no_hlat, p->msr[PMSR_PROCBASED3] &= ~TERTIARY_EXEC_ENABLE_HLAT;
    PROC3_ON(c, TERTIARY_EXEC_ENABLE_HLAT); FLD(c, HLAT_POINTER) = 1)
MUT(proc3_not_activated, FLD(c, TERTIARY_VM_EXEC_CONTROL) = ~0ull; FLD(c, CR3_TARGET_COUNT) = 5)
MUT(proc3_activation_unsupported,
    drop_may1(p, PMSR_PROCBASED, PMSR_TRUE_PROCBASED, CPU_BASED_ACTIVATE_TERTIARY_CONTROLS);
    PROC3_ON(c, ~0ull))
MUT(cr3_count, FLD(c, CR3_TARGET_COUNT) = 5)
MUT(cr3_count_misc, p->msr[PMSR_MISC] &= ~(VMX_MISC_CR3_TARGETS_MASK << VMX_MISC_CR3_TARGETS_SHIFT);
    FLD(c, CR3_TARGET_COUNT) = 1)

/* Bitmaps */
MUT(io_a_align, FLD(c, IO_BITMAP_A) |= 0x800)
MUT(io_b_phys, FLD(c, IO_BITMAP_B) |= BEYOND_PHYS)
MUT(msr_bitmap_align, FLD(c, MSR_BITMAP) |= 0x8)
MUT(msr_bitmap_phys, FLD(c, MSR_BITMAP) |= 1ull << 63)
MUT(vmread_align, FLD(c, VMREAD_BITMAP) |= 0x10)
MUT(vmwrite_phys, FLD(c, VMWRITE_BITMAP) |= BEYOND_PHYS)

/* TPR shadow and APIC virtualization */
MUT(vapic_align, FLD(c, VIRTUAL_APIC_PAGE_ADDR) |= 0x80)
MUT(vapic_phys, FLD(c, VIRTUAL_APIC_PAGE_ADDR) |= BEYOND_PHYS)
MUT(tpr_threshold_hi, FLD(c, CPU_BASED_VM_EXEC_CONTROL) |= CPU_BASED_TPR_SHADOW;
    FLD(c, VIRTUAL_APIC_PAGE_ADDR) = 0x13000; FLD(c, TPR_THRESHOLD) = 0x10)
MUT(tpr_above_vtpr, FLD(c, CPU_BASED_VM_EXEC_CONTROL) |= CPU_BASED_TPR_SHADOW;
    FLD(c, VIRTUAL_APIC_PAGE_ADDR) = 0x13000; FLD(c, TPR_THRESHOLD) = 3; c->vtpr = 0x2f)
MUT(no_tpr_shadow_vid, FLD(c, CPU_BASED_VM_EXEC_CONTROL) &= ~CPU_BASED_TPR_SHADOW)
MUT(no_tpr_shadow_ipiv, PROC3_ON(c, TERTIARY_EXEC_IPI_VIRT); FLD(c, PID_POINTER_TABLE) = 0x1b000)
MUT(no_tpr_shadow_x2apic, PROC2_ON(c, SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE))
MUT(vnmi_no_nmi_exit, FLD(c, PIN_BASED_VM_EXEC_CONTROL) &= ~PIN_BASED_NMI_EXITING)
MUT(nmiwin_no_vnmi, FLD(c, CPU_BASED_VM_EXEC_CONTROL) |= CPU_BASED_NMI_WINDOW_EXITING)
MUT(apic_access_align, FLD(c, APIC_ACCESS_ADDR) |= 0x400)
MUT(apic_access_phys, FLD(c, APIC_ACCESS_ADDR) |= BEYOND_PHYS)
MUT(x2apic_and_apic_access, PROC2_ON(c, SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE))
MUT(vid_no_extint, FLD(c, PIN_BASED_VM_EXEC_CONTROL) &= ~PIN_BASED_EXT_INTR_MASK)

/* Posted interrupts and IPI virtualization */
MUT(pi_no_vid, FLD(c, SECONDARY_VM_EXEC_CONTROL) &= ~SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY)
MUT(pi_no_ack, FLD(c, VM_EXIT_CONTROLS) &= ~VM_EXIT_ACK_INTR_ON_EXIT)
MUT(pi_nv, FLD(c, POSTED_INTR_NV) = 0x1f2)
MUT(pi_desc_align, FLD(c, POSTED_INTR_DESC_ADDR) = 0x15048)
MUT(pi_desc_phys, FLD(c, POSTED_INTR_DESC_ADDR) |= BEYOND_PHYS)
/* The profile lacks posted interrupts: the bad vector is not checked. */
MUT(pi_unsupported, drop_may1(p, PMSR_PINBASED, PMSR_TRUE_PINBASED, PIN_BASED_POSTED_INTR);
    FLD(c, POSTED_INTR_NV) = 0x1f2)
MUT(pid_table_align, PROC3_ON(c, TERTIARY_EXEC_IPI_VIRT); FLD(c, PID_POINTER_TABLE) = 0x1b008)
MUT(pid_table_phys, PROC3_ON(c, TERTIARY_EXEC_IPI_VIRT); FLD(c, PID_POINTER_TABLE) = BEYOND_PHYS)
MUT(vpid_zero, FLD(c, VIRTUAL_PROCESSOR_ID) = 0)

/* EPTP */
MUT(eptp_mt_wc, FLD(c, EPT_POINTER) = (FLD(c, EPT_POINTER) & ~7ull) | 1)
MUT(eptp_mt_uc_unsupported, p->msr[PMSR_EPT_VPID_CAP] &= ~VMX_EPT_MT_UC;
    FLD(c, EPT_POINTER) &= ~7ull)
MUT(eptp_pwl2, FLD(c, EPT_POINTER) = (FLD(c, EPT_POINTER) & ~0x38ull) | (1 << 3))
MUT(eptp_pwl5_unsupported, p->msr[PMSR_EPT_VPID_CAP] &= ~VMX_EPT_PWL5;
    FLD(c, EPT_POINTER) = (FLD(c, EPT_POINTER) & ~0x38ull) | (4 << 3))
MUT(eptp_ad_unsupported, p->msr[PMSR_EPT_VPID_CAP] &= ~VMX_EPT_AD; FLD(c, EPT_POINTER) |= BIT(6))
MUT(eptp_sss_unsupported, p->msr[PMSR_EPT_VPID_CAP] &= ~VMX_EPT_SSS; FLD(c, EPT_POINTER) |= BIT(7))
MUT(eptp_bit8, FLD(c, EPT_POINTER) |= BIT(8))
MUT(eptp_phys, FLD(c, EPT_POINTER) |= BEYOND_PHYS)

/* Controls that need EPT, and their pointers */
MUT(pml_no_ept, PROC2_ON(c, SECONDARY_EXEC_ENABLE_PML); FLD(c, PML_ADDRESS) = 0x1a000)
MUT(pml_align, FLD(c, PML_ADDRESS) |= 0x100)
MUT(ug_no_ept, PROC2_ON(c, SECONDARY_EXEC_UNRESTRICTED_GUEST))
MUT(mbec_no_ept, PROC2_ON(c, SECONDARY_EXEC_MODE_BASED_EPT_EXEC))
MUT(spp_no_ept, PROC2_ON(c, SECONDARY_EXEC_SPP); FLD(c, SPPT_POINTER) = 0x1c000)
MUT(sppt_align, PROC2_ON(c, SECONDARY_EXEC_SPP); FLD(c, SPPT_POINTER) = 0x1c800)
MUT(sppt_phys, PROC2_ON(c, SECONDARY_EXEC_SPP); FLD(c, SPPT_POINTER) = BEYOND_PHYS)
MUT(vmfunc_rsvd, FLD(c, VM_FUNCTION_CONTROL) |= 2)
MUT(vmfunc_off_ignored, FLD(c, SECONDARY_VM_EXEC_CONTROL) &= ~SECONDARY_EXEC_ENABLE_VMFUNC;
    FLD(c, VM_FUNCTION_CONTROL) = ~0ull; FLD(c, VIRTUAL_PROCESSOR_ID) = 0)
MUT(eptp_switch_no_ept, PROC2_ON(c, SECONDARY_EXEC_ENABLE_VMFUNC);
    FLD(c, VM_FUNCTION_CONTROL) = 1; FLD(c, EPTP_LIST_ADDRESS) = 0x17000)
MUT(eptp_list_align, FLD(c, EPTP_LIST_ADDRESS) |= 0x1)
MUT(eptp_list_phys, FLD(c, EPTP_LIST_ADDRESS) |= BEYOND_PHYS)
MUT(ve_info_align, PROC2_ON(c, SECONDARY_EXEC_EPT_VIOLATION_VE);
    FLD(c, VE_INFORMATION_ADDRESS) = 0x1d010)
MUT(ve_info_phys, PROC2_ON(c, SECONDARY_EXEC_EPT_VIOLATION_VE);
    FLD(c, VE_INFORMATION_ADDRESS) = BEYOND_PHYS)
MUT(pt_gpa_no_ept, PROC2_ON(c, SECONDARY_EXEC_PT_USE_GPA);
    FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_LOAD_IA32_RTIT_CTL;
    FLD(c, VM_EXIT_CONTROLS) |= VM_EXIT_CLEAR_IA32_RTIT_CTL)
MUT(pt_gpa_no_rtit_load, PROC2_ON(c, SECONDARY_EXEC_PT_USE_GPA);
    FLD(c, VM_EXIT_CONTROLS) |= VM_EXIT_CLEAR_IA32_RTIT_CTL)
MUT(pt_gpa_no_rtit_clear, PROC2_ON(c, SECONDARY_EXEC_PT_USE_GPA);
    FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_LOAD_IA32_RTIT_CTL)
MUT(tsc_multiplier_zero, PROC2_ON(c, SECONDARY_EXEC_TSC_SCALING); FLD(c, TSC_MULTIPLIER) = 0)
MUT(hlat_no_ept, PROC3_ON(c, TERTIARY_EXEC_ENABLE_HLAT); FLD(c, HLAT_POINTER) = 0x1e000)
MUT(hlatp_bit0, PROC3_ON(c, TERTIARY_EXEC_ENABLE_HLAT); FLD(c, HLAT_POINTER) = 0x1e001)
MUT(hlatp_bit5, PROC3_ON(c, TERTIARY_EXEC_ENABLE_HLAT); FLD(c, HLAT_POINTER) = 0x1e020)
MUT(hlatp_phys, PROC3_ON(c, TERTIARY_EXEC_ENABLE_HLAT);
    FLD(c, HLAT_POINTER) = 0x1e018 | BEYOND_PHYS)

CHECK_TEST_TABLE(controls_exec,
	{ "pin-based: unsupported 1-setting", CTL_EXEC_PIN_RSVD, BL_LONG64, pin_may1, V7 },
	{ "pin-based: default-1 bit cleared", CTL_EXEC_PIN_RSVD, BL_LONG64, pin_must1, V7 },
	{ "primary: unsupported 1-setting", CTL_EXEC_PROC_RSVD, BL_LONG64, proc_may1, V7 },
	{ "primary: TRUE default-1 bit cleared", CTL_EXEC_PROC_RSVD, BL_LONG64, proc_must1, V7 },
	{ "secondary: PML not supported (PML rules not applied)", CTL_EXEC_PROC2_RSVD, BL_LONG64, proc2_no_pml, V7 },
	{ "secondary: ignored when not activated", CTL_EXEC_CR3_TARGET_COUNT, BL_LONG64, proc2_not_activated, V7 },
	{ "tertiary: unsupported bit 5", CTL_EXEC_PROC3_RSVD, BL_LONG64, proc3_may1, V7 },
	{ "tertiary: HLAT not supported (HLAT rules not applied)", CTL_EXEC_PROC3_RSVD, BL_LONG64, proc3_no_hlat, V7 },
	{ "tertiary: ignored when not activated", CTL_EXEC_CR3_TARGET_COUNT, BL_LONG64, proc3_not_activated, V7 },
	{ "tertiary: activation unsupported, words not checked", CTL_EXEC_PROC_RSVD, BL_LONG64, proc3_activation_unsupported, V7 },
	{ "CR3-target count 5 > 4", CTL_EXEC_CR3_TARGET_COUNT, BL_LONG64, cr3_count, V7 },
	{ "CR3-target count 1 > IA32_VMX_MISC[24:16] = 0", CTL_EXEC_CR3_TARGET_COUNT, BL_LONG64, cr3_count_misc, V7 },
	{ "I/O bitmap A not 4K aligned", CTL_EXEC_IO_BITMAP_ADDR, BL_LONG64_FULL, io_a_align, V7 },
	{ "I/O bitmap B beyond MAXPHYADDR", CTL_EXEC_IO_BITMAP_ADDR, BL_LONG64_FULL, io_b_phys, V7 },
	{ "MSR bitmap not 4K aligned", CTL_EXEC_MSR_BITMAP_ADDR, BL_LONG64_FULL, msr_bitmap_align, V7 },
	{ "MSR bitmap bit 63", CTL_EXEC_MSR_BITMAP_ADDR, BL_LONG64_FULL, msr_bitmap_phys, V7 },
	{ "VMREAD bitmap not 4K aligned", CTL_EXEC_VMCS_SHADOW_BITMAPS, BL_LONG64_FULL, vmread_align, V7 },
	{ "VMWRITE bitmap beyond MAXPHYADDR", CTL_EXEC_VMCS_SHADOW_BITMAPS, BL_LONG64_FULL, vmwrite_phys, V7 },
	{ "virtual-APIC page not 4K aligned", CTL_EXEC_VAPIC_ADDR, BL_LONG64_FULL, vapic_align, V7 },
	{ "virtual-APIC page beyond MAXPHYADDR", CTL_EXEC_VAPIC_ADDR, BL_LONG64_FULL, vapic_phys, V7 },
	{ "TPR threshold bit 4 without VID", CTL_EXEC_TPR_THRESHOLD_RSVD, BL_LONG64, tpr_threshold_hi, V7 },
	{ "TPR threshold 3 > VTPR[7:4] 2", CTL_EXEC_TPR_VTPR, BL_LONG64, tpr_above_vtpr, V7 },
	{ "VID without TPR shadow", CTL_EXEC_NO_TPR_SHADOW_APICV, BL_LONG64_FULL, no_tpr_shadow_vid, V7 },
	{ "IPI virtualization without TPR shadow", CTL_EXEC_NO_TPR_SHADOW_APICV, BL_LONG64, no_tpr_shadow_ipiv, V7 },
	{ "virtualize x2APIC mode without TPR shadow", CTL_EXEC_NO_TPR_SHADOW_APICV, BL_LONG64, no_tpr_shadow_x2apic, V7 },
	{ "virtual NMIs without NMI exiting", CTL_EXEC_VNMI_NEEDS_NMI_EXIT, BL_LONG64_FULL, vnmi_no_nmi_exit, V7 },
	{ "NMI-window exiting without virtual NMIs", CTL_EXEC_NMIWIN_NEEDS_VNMI, BL_LONG64, nmiwin_no_vnmi, V7 },
	{ "APIC-access page not 4K aligned", CTL_EXEC_APIC_ACCESS_ADDR, BL_LONG64_FULL, apic_access_align, V7 },
	{ "APIC-access page beyond MAXPHYADDR", CTL_EXEC_APIC_ACCESS_ADDR, BL_LONG64_FULL, apic_access_phys, V7 },
	{ "virtualize x2APIC mode with APIC accesses", CTL_EXEC_X2APIC_VS_APIC_ACCESS, BL_LONG64_FULL, x2apic_and_apic_access, V7 },
	{ "VID without external-interrupt exiting", CTL_EXEC_VID_NEEDS_EXTINT_EXIT, BL_LONG64_FULL, vid_no_extint, V7 },
	{ "posted interrupts without VID", CTL_EXEC_PI_NEEDS_VID, BL_LONG64_FULL, pi_no_vid, V7 },
	{ "posted interrupts without ack-on-exit", CTL_EXEC_PI_NEEDS_ACK_ON_EXIT, BL_LONG64_FULL, pi_no_ack, V7 },
	{ "posted-interrupt vector 0x1f2", CTL_EXEC_PI_NV, BL_LONG64_FULL, pi_nv, V7 },
	{ "PI descriptor not 64-byte aligned", CTL_EXEC_PI_DESC_ADDR, BL_LONG64_FULL, pi_desc_align, V7 },
	{ "PI descriptor beyond MAXPHYADDR", CTL_EXEC_PI_DESC_ADDR, BL_LONG64_FULL, pi_desc_phys, V7 },
	{ "posted interrupts unsupported (PI rules not applied)", CTL_EXEC_PIN_RSVD, BL_LONG64_FULL, pi_unsupported, V7 },
	{ "PID-pointer table not 4K aligned", CTL_EXEC_PID_TABLE_ADDR, BL_LONG64_FULL, pid_table_align, V7 },
	{ "PID-pointer table beyond MAXPHYADDR", CTL_EXEC_PID_TABLE_ADDR, BL_LONG64_FULL, pid_table_phys, V7 },
	{ "VPID 0", CTL_EXEC_VPID_NONZERO, BL_LONG64_FULL, vpid_zero, V7 },
	{ "EPTP memory type WC", CTL_EXEC_EPTP_MEMTYPE, BL_LONG64_FULL, eptp_mt_wc, V7 },
	{ "EPTP memory type UC unsupported", CTL_EXEC_EPTP_MEMTYPE, BL_LONG64_FULL, eptp_mt_uc_unsupported, V7 },
	{ "EPTP walk length 2", CTL_EXEC_EPTP_PWL, BL_LONG64_FULL, eptp_pwl2, V7 },
	{ "EPTP walk length 5 unsupported", CTL_EXEC_EPTP_PWL, BL_LONG64_FULL, eptp_pwl5_unsupported, V7 },
	{ "EPTP A/D without EPT_VPID_CAP[21]", CTL_EXEC_EPTP_AD, BL_LONG64_FULL, eptp_ad_unsupported, V7 },
	{ "EPTP bit 7 without EPT_VPID_CAP[23]", CTL_EXEC_EPTP_SSS, BL_LONG64_FULL, eptp_sss_unsupported, V7 },
	{ "EPTP bit 8", CTL_EXEC_EPTP_RSVD, BL_LONG64_FULL, eptp_bit8, V7 },
	{ "EPTP beyond MAXPHYADDR", CTL_EXEC_EPTP_RSVD, BL_LONG64_FULL, eptp_phys, V7 },
	{ "PML without EPT", CTL_EXEC_PML_NEEDS_EPT, BL_LONG64, pml_no_ept, V7 },
	{ "PML address not 4K aligned", CTL_EXEC_PML_ADDR, BL_LONG64_FULL, pml_align, V7 },
	{ "unrestricted guest without EPT", CTL_EXEC_UG_NEEDS_EPT, BL_LONG64, ug_no_ept, V7 },
	{ "mode-based execute control without EPT", CTL_EXEC_MBEC_NEEDS_EPT, BL_LONG64, mbec_no_ept, V7 },
	{ "SPP without EPT", CTL_EXEC_SPP_NEEDS_EPT, BL_LONG64, spp_no_ept, V7 },
	{ "SPPTP not 4K aligned", CTL_EXEC_SPPTP_ADDR, BL_LONG64_FULL, sppt_align, V7 },
	{ "SPPTP beyond MAXPHYADDR", CTL_EXEC_SPPTP_ADDR, BL_LONG64_FULL, sppt_phys, V7 },
	{ "VM-function control bit 1 unsupported", CTL_EXEC_VMFUNC_RSVD, BL_LONG64_FULL, vmfunc_rsvd, V7 },
	{ "VM-function controls ignored without enable VM functions", CTL_EXEC_VPID_NONZERO, BL_LONG64_FULL, vmfunc_off_ignored, V7 },
	{ "EPTP switching without EPT", CTL_EXEC_EPTP_SWITCH_NEEDS_EPT, BL_LONG64, eptp_switch_no_ept, V7 },
	{ "EPTP list not 4K aligned", CTL_EXEC_EPTP_LIST_ADDR, BL_LONG64_FULL, eptp_list_align, V7 },
	{ "EPTP list beyond MAXPHYADDR", CTL_EXEC_EPTP_LIST_ADDR, BL_LONG64_FULL, eptp_list_phys, V7 },
	{ "#VE information address not 4K aligned", CTL_EXEC_VE_INFO_ADDR, BL_LONG64_FULL, ve_info_align, V7 },
	{ "#VE information address beyond MAXPHYADDR", CTL_EXEC_VE_INFO_ADDR, BL_LONG64_FULL, ve_info_phys, V7 },
	{ "PT uses GPA without EPT", CTL_EXEC_PT_GPA_NEEDS_EPT, BL_LONG64, pt_gpa_no_ept, V7 },
	{ "PT uses GPA without load IA32_RTIT_CTL", CTL_EXEC_PT_GPA_NEEDS_RTIT_CTLS, BL_LONG64_FULL, pt_gpa_no_rtit_load, V7 },
	{ "PT uses GPA without clear IA32_RTIT_CTL", CTL_EXEC_PT_GPA_NEEDS_RTIT_CTLS, BL_LONG64_FULL, pt_gpa_no_rtit_clear, V7 },
	{ "TSC scaling with multiplier 0", CTL_EXEC_TSC_MULTIPLIER, BL_LONG64_FULL, tsc_multiplier_zero, V7 },
	{ "HLAT without EPT", CTL_EXEC_HLAT_NEEDS_EPT, BL_LONG64, hlat_no_ept, V7 },
	{ "HLATP bit 0", CTL_EXEC_HLATP, BL_LONG64_FULL, hlatp_bit0, V7 },
	{ "HLATP bit 5", CTL_EXEC_HLATP, BL_LONG64_FULL, hlatp_bit5, V7 },
	{ "HLATP beyond MAXPHYADDR", CTL_EXEC_HLATP, BL_LONG64_FULL, hlatp_phys, V7 },
);
