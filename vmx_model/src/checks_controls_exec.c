// SPDX-License-Identifier: GPL-2.0
/*
 * SDM 26.2.1.1 "VM-Execution Control Fields".  Every failure is VMfail 7.
 * See checks_controls.h for how preconditions and requirements read the
 * control words, and docs/model-notes-controls.md for the rules that differ
 * between the SDM, KVM and Bochs.
 */
#include "checks_controls.h"

/* EPTP layout (SDM 24.6.11) */
#define EPTP_MT_MASK		0x7ull
#define EPTP_MT_UC		0
#define EPTP_MT_WB		6
#define EPTP_PWL_SHIFT		3
#define EPTP_PWL_MASK		0x7ull
#define EPTP_AD			BIT_ULL(6)
#define EPTP_SSS		BIT_ULL(7)
#define EPTP_RSVD_LOW		0xf00ull	/* bits 11:8 */
/* HLATP: bits 4:3 are the PWT/PCD-style attribute bits, the rest of 11:0
 * is reserved. */
#define HLATP_RSVD_LOW		0xfe7ull
#define VMFUNC_EPTP_SWITCHING	BIT_ULL(0)

#define PAGE_BAD(caps, c, name)	ctl_addr_bad((caps), F(c, name), 4096)

/* The control words themselves against the capability MSRs. */
static void check_words(const struct vmx_caps *caps, const struct vmx_case *c,
			const struct ctl_proc_words *w, struct vmx_verdict *v)
{
	CC(v, CTL_EXEC_PIN_RSVD, ctl_word_bad((uint32_t)F(c, PIN_BASED_VM_EXEC_CONTROL),
					      caps->pin_must1, caps->pin_may1));
	CC(v, CTL_EXEC_PROC_RSVD, ctl_word_bad((uint32_t)F(c, CPU_BASED_VM_EXEC_CONTROL),
					       caps->proc_must1, caps->proc_may1));
	/* Secondary controls have no allowed-0 bits the model must enforce:
	 * profile.c rejects a profile whose IA32_VMX_PROCBASED_CTLS2 has any. */
	if (w->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)
		CC(v, CTL_EXEC_PROC2_RSVD, w->proc2_raw & ~caps->proc2_may1);
	if (w->proc & CPU_BASED_ACTIVATE_TERTIARY_CONTROLS)
		CC(v, CTL_EXEC_PROC3_RSVD, w->proc3_raw & ~caps->proc3_may1);
	CC(v, CTL_EXEC_CR3_TARGET_COUNT, (uint32_t)F(c, CR3_TARGET_COUNT) > caps->cr3_target_max);
}

static void check_bitmaps(const struct vmx_caps *caps, const struct vmx_case *c,
			  const struct ctl_proc_words *w, struct vmx_verdict *v)
{
	if (w->proc & CPU_BASED_USE_IO_BITMAPS)
		CC(v, CTL_EXEC_IO_BITMAP_ADDR, PAGE_BAD(caps, c, IO_BITMAP_A) ||
					       PAGE_BAD(caps, c, IO_BITMAP_B));
	if (w->proc & CPU_BASED_USE_MSR_BITMAPS)
		CC(v, CTL_EXEC_MSR_BITMAP_ADDR, PAGE_BAD(caps, c, MSR_BITMAP));
	if (w->proc2 & SECONDARY_EXEC_SHADOW_VMCS)
		CC(v, CTL_EXEC_VMCS_SHADOW_BITMAPS, PAGE_BAD(caps, c, VMREAD_BITMAP) ||
						    PAGE_BAD(caps, c, VMWRITE_BITMAP));
}

/* TPR shadow, APIC virtualization, posted interrupts, IPI virtualization,
 * virtual NMIs. */
static void check_apic(const struct vmx_caps *caps, const struct vmx_case *c,
		       const struct ctl_proc_words *w, struct vmx_verdict *v)
{
	uint32_t pin = (uint32_t)F(c, PIN_BASED_VM_EXEC_CONTROL) & caps->pin_may1;
	uint32_t pin_raw = (uint32_t)F(c, PIN_BASED_VM_EXEC_CONTROL);
	uint32_t threshold = (uint32_t)F(c, TPR_THRESHOLD);
	bool vid = w->proc2 & SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY;
	bool apic_access = w->proc2 & SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES;

	if (w->proc & CPU_BASED_TPR_SHADOW) {
		CC(v, CTL_EXEC_VAPIC_ADDR, PAGE_BAD(caps, c, VIRTUAL_APIC_PAGE_ADDR));
		if (!vid)
			CC(v, CTL_EXEC_TPR_THRESHOLD_RSVD, threshold & ~0xfu);
		if (!vid && !apic_access)
			CC(v, CTL_EXEC_TPR_VTPR, (threshold & 0xf) > (uint32_t)(c->vtpr >> 4));
	} else {
		CC(v, CTL_EXEC_NO_TPR_SHADOW_APICV,
		   (w->proc2 & (SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE |
				SECONDARY_EXEC_APIC_REGISTER_VIRT |
				SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY)) ||
		   (w->proc3 & TERTIARY_EXEC_IPI_VIRT));
	}

	if (!(pin & PIN_BASED_NMI_EXITING))
		CC(v, CTL_EXEC_VNMI_NEEDS_NMI_EXIT, pin & PIN_BASED_VIRTUAL_NMIS);
	if (!(pin & PIN_BASED_VIRTUAL_NMIS))
		CC(v, CTL_EXEC_NMIWIN_NEEDS_VNMI, w->proc & CPU_BASED_NMI_WINDOW_EXITING);

	if (apic_access)
		CC(v, CTL_EXEC_APIC_ACCESS_ADDR, PAGE_BAD(caps, c, APIC_ACCESS_ADDR));
	if (w->proc2 & SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE)
		CC(v, CTL_EXEC_X2APIC_VS_APIC_ACCESS, apic_access);
	if (vid)
		CC(v, CTL_EXEC_VID_NEEDS_EXTINT_EXIT, !(pin_raw & PIN_BASED_EXT_INTR_MASK));

	if (pin & PIN_BASED_POSTED_INTR) {
		CC(v, CTL_EXEC_PI_NEEDS_VID,
		   !(w->proc2_raw & SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY));
		CC(v, CTL_EXEC_PI_NEEDS_ACK_ON_EXIT,
		   !(F(c, VM_EXIT_CONTROLS) & VM_EXIT_ACK_INTR_ON_EXIT));
		CC(v, CTL_EXEC_PI_NV, F(c, POSTED_INTR_NV) & 0xff00);
		CC(v, CTL_EXEC_PI_DESC_ADDR, ctl_addr_bad(caps, F(c, POSTED_INTR_DESC_ADDR), 64));
	}
	if (w->proc3 & TERTIARY_EXEC_IPI_VIRT)
		CC(v, CTL_EXEC_PID_TABLE_ADDR, PAGE_BAD(caps, c, PID_POINTER_TABLE));

	if (w->proc2 & SECONDARY_EXEC_ENABLE_VPID)
		CC(v, CTL_EXEC_VPID_NONZERO, (F(c, VIRTUAL_PROCESSOR_ID) & 0xffff) == 0);
}

static void check_eptp(const struct vmx_caps *caps, uint64_t eptp,
		       struct vmx_verdict *v)
{
	uint64_t cap = caps->p.msr[PMSR_EPT_VPID_CAP];
	uint64_t mt = eptp & EPTP_MT_MASK;
	uint64_t pwl = (eptp >> EPTP_PWL_SHIFT) & EPTP_PWL_MASK;

	CC(v, CTL_EXEC_EPTP_MEMTYPE, !((mt == EPTP_MT_UC && (cap & VMX_EPT_MT_UC)) ||
				       (mt == EPTP_MT_WB && (cap & VMX_EPT_MT_WB))));
	CC(v, CTL_EXEC_EPTP_PWL, !((pwl == 3 && (cap & VMX_EPT_PWL4)) ||
				   (pwl == 4 && (cap & VMX_EPT_PWL5))));
	if (eptp & EPTP_AD)
		CC(v, CTL_EXEC_EPTP_AD, !(cap & VMX_EPT_AD));
	if (eptp & EPTP_SSS)
		CC(v, CTL_EXEC_EPTP_SSS, !(cap & VMX_EPT_SSS));
	CC(v, CTL_EXEC_EPTP_RSVD, (eptp & EPTP_RSVD_LOW) || !vmx_phys_ok(caps, eptp));
}

/* EPT and the controls that build on it. */
static void check_ept(const struct vmx_caps *caps, const struct vmx_case *c,
		      const struct ctl_proc_words *w, struct vmx_verdict *v)
{
	bool ept_raw = w->proc2_raw & SECONDARY_EXEC_ENABLE_EPT;

	if (w->proc2 & SECONDARY_EXEC_ENABLE_EPT)
		check_eptp(caps, F(c, EPT_POINTER), v);
	if (w->proc2 & SECONDARY_EXEC_ENABLE_PML) {
		CC(v, CTL_EXEC_PML_NEEDS_EPT, !ept_raw);
		CC(v, CTL_EXEC_PML_ADDR, PAGE_BAD(caps, c, PML_ADDRESS));
	}
	if (w->proc2 & SECONDARY_EXEC_UNRESTRICTED_GUEST)
		CC(v, CTL_EXEC_UG_NEEDS_EPT, !ept_raw);
	if (w->proc2 & SECONDARY_EXEC_MODE_BASED_EPT_EXEC)
		CC(v, CTL_EXEC_MBEC_NEEDS_EPT, !ept_raw);
	if (w->proc2 & SECONDARY_EXEC_SPP) {
		CC(v, CTL_EXEC_SPP_NEEDS_EPT, !ept_raw);
		CC(v, CTL_EXEC_SPPTP_ADDR, PAGE_BAD(caps, c, SPPT_POINTER));
	}
	if (w->proc2 & SECONDARY_EXEC_ENABLE_VMFUNC) {
		uint64_t vmfunc = F(c, VM_FUNCTION_CONTROL);

		CC(v, CTL_EXEC_VMFUNC_RSVD, vmfunc & ~caps->vmfunc_may1);
		if (vmfunc & caps->vmfunc_may1 & VMFUNC_EPTP_SWITCHING) {
			CC(v, CTL_EXEC_EPTP_SWITCH_NEEDS_EPT, !ept_raw);
			CC(v, CTL_EXEC_EPTP_LIST_ADDR, PAGE_BAD(caps, c, EPTP_LIST_ADDRESS));
		}
	}
	if (w->proc2 & SECONDARY_EXEC_EPT_VIOLATION_VE)
		CC(v, CTL_EXEC_VE_INFO_ADDR, PAGE_BAD(caps, c, VE_INFORMATION_ADDRESS));
	if (w->proc2 & SECONDARY_EXEC_PT_USE_GPA) {
		CC(v, CTL_EXEC_PT_GPA_NEEDS_EPT, !ept_raw);
		CC(v, CTL_EXEC_PT_GPA_NEEDS_RTIT_CTLS,
		   !(F(c, VM_ENTRY_CONTROLS) & VM_ENTRY_LOAD_IA32_RTIT_CTL) ||
		   !(F(c, VM_EXIT_CONTROLS) & VM_EXIT_CLEAR_IA32_RTIT_CTL));
	}
	if (w->proc3 & TERTIARY_EXEC_ENABLE_HLAT) {
		uint64_t hlatp = F(c, HLAT_POINTER);

		CC(v, CTL_EXEC_HLAT_NEEDS_EPT, !ept_raw);
		CC(v, CTL_EXEC_HLATP, (hlatp & HLATP_RSVD_LOW) || !vmx_phys_ok(caps, hlatp));
	}
}

void vmx_check_exec_controls(const struct vmx_caps *caps, const struct vmx_case *c,
			     struct vmx_verdict *v)
{
	struct ctl_proc_words w;

	ctl_proc_words(caps, c, &w);
	check_words(caps, c, &w, v);
	check_bitmaps(caps, c, &w, v);
	check_apic(caps, c, &w, v);
	check_ept(caps, c, &w, v);
	if (w.proc2 & SECONDARY_EXEC_TSC_SCALING)
		CC(v, CTL_EXEC_TSC_MULTIPLIER, F(c, TSC_MULTIPLIER) == 0);
}
