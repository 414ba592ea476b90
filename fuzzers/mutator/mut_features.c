// SPDX-License-Identifier: GPL-2.0
/*
 * Feature recipes: turn a feature on *consistently* (every control it
 * depends on, every address it needs valid) so the checks behind it are
 * reached, e.g. EPT with a valid EPTP before unrestricted guest.  A recipe
 * gives up (-1) when the profile lacks what it needs.
 */
#include "mut_internal.h"

#define ON(field, bit) vmxfz_ctl_set(m, VF_##field, (bit), true)

static uint64_t page(struct vmxfz_ctx *m)
{
	return 0x10000ull + 0x1000ull * vmxfz_below(m->rng, 64);
}

static bool ept(struct vmxfz_ctx *m)
{
	uint64_t cap = m->caps->p.msr[PMSR_EPT_VPID_CAP];

	if (!ON(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_ENABLE_EPT))
		return false;
	FV(m->c, EPT_POINTER) = page(m) | (cap & VMX_EPT_MT_WB ? 6 : 0) | 3 << 3 |
				(cap & VMX_EPT_AD && vmxfz_chance(m->rng, 1, 2) ? 1 << 6 : 0);
	return true;
}

static bool unrestricted(struct vmxfz_ctx *m)
{
	if (!ept(m) || !ON(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_UNRESTRICTED_GUEST))
		return false;
	if (vmxfz_chance(m->rng, 1, 2))
		FV(m->c, GUEST_CR0) &= ~(X86_CR0_PG | (vmxfz_chance(m->rng, 1, 2) ? X86_CR0_PE : 0));
	return true;
}

static bool tpr_shadow(struct vmxfz_ctx *m)
{
	if (!ON(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_TPR_SHADOW))
		return false;
	FV(m->c, VIRTUAL_APIC_PAGE_ADDR) = page(m);
	FV(m->c, TPR_THRESHOLD) = vmxfz_below(m->rng, 16);
	m->c->vtpr = (uint8_t)vmxfz_next(m->rng);
	return true;
}

static bool apicv(struct vmxfz_ctx *m)
{
	if (!tpr_shadow(m))
		return false;
	if (vmxfz_chance(m->rng, 1, 2)) {
		if (!ON(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES))
			return false;
		FV(m->c, APIC_ACCESS_ADDR) = page(m);
	} else if (!ON(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE)) {
		return false;
	}
	ON(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_APIC_REGISTER_VIRT);
	if (vmxfz_chance(m->rng, 1, 2))
		return true;
	return ON(PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_EXT_INTR_MASK) &&
	       ON(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY);
}

static bool posted(struct vmxfz_ctx *m)
{
	if (!ON(PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_EXT_INTR_MASK) || !tpr_shadow(m) ||
	    !ON(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY) ||
	    !ON(VM_EXIT_CONTROLS, VM_EXIT_ACK_INTR_ON_EXIT) ||
	    !ON(PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_POSTED_INTR))
		return false;
	FV(m->c, POSTED_INTR_NV) = vmxfz_below(m->rng, 256);
	FV(m->c, POSTED_INTR_DESC_ADDR) = page(m) + 64 * vmxfz_below(m->rng, 64);
	return true;
}

static bool vnmi(struct vmxfz_ctx *m)
{
	if (!ON(PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_NMI_EXITING) ||
	    !ON(PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_VIRTUAL_NMIS))
		return false;
	if (vmxfz_chance(m->rng, 1, 2))
		ON(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_NMI_WINDOW_EXITING);
	return true;
}

static bool bitmaps(struct vmxfz_ctx *m)
{
	if (vmxfz_chance(m->rng, 1, 2)) {
		if (!ON(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_IO_BITMAPS))
			return false;
		FV(m->c, IO_BITMAP_A) = page(m);
		FV(m->c, IO_BITMAP_B) = page(m);
		return true;
	}
	if (!ON(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_MSR_BITMAPS))
		return false;
	FV(m->c, MSR_BITMAP) = page(m);
	return true;
}

static bool vpid(struct vmxfz_ctx *m)
{
	if (!ON(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_ENABLE_VPID))
		return false;
	FV(m->c, VIRTUAL_PROCESSOR_ID) = 1 + vmxfz_below(m->rng, 0xfffe);
	return true;
}

static bool pml(struct vmxfz_ctx *m)
{
	if (!ept(m) || !ON(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_ENABLE_PML))
		return false;
	FV(m->c, PML_ADDRESS) = page(m);
	return true;
}

static bool vmfunc(struct vmxfz_ctx *m)
{
	if (!ept(m) || !ON(VM_FUNCTION_CONTROL, 1))	/* EPTP switching */
		return false;
	FV(m->c, EPTP_LIST_ADDRESS) = page(m);
	return true;
}

static bool shadow_vmcs(struct vmxfz_ctx *m)
{
	if (!ON(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_SHADOW_VMCS))
		return false;
	FV(m->c, VMREAD_BITMAP) = page(m);
	FV(m->c, VMWRITE_BITMAP) = page(m);
	return true;
}

static bool misc_ept(struct vmxfz_ctx *m)
{
	static const uint32_t bits[] = {
		SECONDARY_EXEC_EPT_VIOLATION_VE, SECONDARY_EXEC_MODE_BASED_EPT_EXEC,
		SECONDARY_EXEC_SPP, SECONDARY_EXEC_PT_USE_GPA, SECONDARY_EXEC_TSC_SCALING,
	};
	uint32_t bit = bits[vmxfz_below(m->rng, sizeof(bits) / sizeof(bits[0]))];

	if (!ept(m) || !ON(SECONDARY_VM_EXEC_CONTROL, bit))
		return false;
	FV(m->c, VE_INFORMATION_ADDRESS) = page(m);
	FV(m->c, SPPT_POINTER) = page(m);
	FV(m->c, TSC_MULTIPLIER) = 1ull << 48;
	return true;
}

static bool tertiary(struct vmxfz_ctx *m)
{
	uint64_t bit = vmxfz_chance(m->rng, 1, 2) ? TERTIARY_EXEC_ENABLE_HLAT :
		       TERTIARY_EXEC_IPI_VIRT;

	if (bit == TERTIARY_EXEC_ENABLE_HLAT && !ept(m))
		return false;
	if (bit == TERTIARY_EXEC_IPI_VIRT && !apicv(m))
		return false;
	if (!ON(TERTIARY_VM_EXEC_CONTROL, bit))
		return false;
	FV(m->c, HLAT_POINTER) = page(m);
	FV(m->c, PID_POINTER_TABLE) = page(m);
	return true;
}

/* The exit MSR-store/-load lists: count and a 16-byte aligned address. */
static bool exit_lists(struct vmxfz_ctx *m)
{
	FV(m->c, VM_EXIT_MSR_STORE_COUNT) = 1 + vmxfz_below(m->rng, 4);
	FV(m->c, VM_EXIT_MSR_STORE_ADDR) = page(m) + 16 * vmxfz_below(m->rng, 8);
	FV(m->c, VM_EXIT_MSR_LOAD_COUNT) = 1 + vmxfz_below(m->rng, 4);
	FV(m->c, VM_EXIT_MSR_LOAD_ADDR) = page(m) + 16 * vmxfz_below(m->rng, 8);
	return true;
}

/* "Load X" entry/exit controls: their guest/host fields start at baseline
 * values (valid), the field and canonical operators then probe them. */
static bool load_controls(struct vmxfz_ctx *m)
{
	static const uint32_t entry[] = {
		VM_ENTRY_LOAD_DEBUG_CONTROLS, VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL,
		VM_ENTRY_LOAD_IA32_PAT, VM_ENTRY_LOAD_IA32_EFER, VM_ENTRY_LOAD_BNDCFGS,
		VM_ENTRY_LOAD_IA32_RTIT_CTL, VM_ENTRY_LOAD_UINV, VM_ENTRY_LOAD_CET_STATE,
		VM_ENTRY_LOAD_IA32_LBR_CTL, VM_ENTRY_LOAD_IA32_PKRS, VM_ENTRY_LOAD_IA32_FRED,
	};
	static const uint32_t exit[] = {
		VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL, VM_EXIT_LOAD_IA32_PAT,
		VM_EXIT_LOAD_IA32_EFER, VM_EXIT_CLEAR_BNDCFGS, VM_EXIT_CLEAR_IA32_RTIT_CTL,
		VM_EXIT_CLEAR_IA32_LBR_CTL, VM_EXIT_CLEAR_UINV, VM_EXIT_LOAD_CET_STATE,
		VM_EXIT_LOAD_IA32_PKRS, VM_EXIT_SAVE_VMX_PREEMPTION_TIMER,
	};

	if (vmxfz_chance(m->rng, 1, 6))
		return ON(SECONDARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_LOAD_IA32_FRED);
	if (vmxfz_chance(m->rng, 1, 2))
		return ON(VM_ENTRY_CONTROLS, entry[vmxfz_below(m->rng, sizeof(entry) / 4)]);
	if (vmxfz_chance(m->rng, 1, 4))
		ON(PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_VMX_PREEMPTION_TIMER);
	return ON(VM_EXIT_CONTROLS, exit[vmxfz_below(m->rng, sizeof(exit) / 4)]);
}

static bool cr3_targets(struct vmxfz_ctx *m)
{
	FV(m->c, CR3_TARGET_COUNT) = vmxfz_below(m->rng, m->caps->cr3_target_max + 2);
	return true;
}

static bool (*const recipes[])(struct vmxfz_ctx *m) = {
	ept, unrestricted, tpr_shadow, apicv, posted, vnmi, bitmaps, vpid,
	pml, vmfunc, shadow_vmcs, misc_ept, tertiary, exit_lists,
	load_controls, load_controls, cr3_targets,
};

int vmxfz_op_feature(struct vmxfz_ctx *m)
{
	int r = (int)vmxfz_below(m->rng, sizeof(recipes) / sizeof(recipes[0]));

	return recipes[r](m) ? 0 : -1;
}
