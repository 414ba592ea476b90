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

/* CR4 features whose checks need more than the bit (CET with CR0.WP, FRED
 * with its stack levels and segment rules, PKS, PCID in 32-bit modes). */
static bool cr4_feature(struct vmxfz_ctx *m)
{
	static const uint64_t bits[] = {
		X86_CR4_CET, X86_CR4_FRED, X86_CR4_PKS, X86_CR4_PCIDE, X86_CR4_UINTR,
		X86_CR4_LASS, X86_CR4_LA57,
	};
	uint64_t bit = bits[vmxfz_below(m->rng, sizeof(bits) / sizeof(bits[0]))];
	bool host = vmxfz_chance(m->rng, 1, 3);
	uint64_t *cr4 = host ? &FV(m->c, HOST_CR4) : &FV(m->c, GUEST_CR4);
	uint64_t *cr0 = host ? &FV(m->c, HOST_CR0) : &FV(m->c, GUEST_CR0);

	if (!(m->caps->cr4_fixed1 & bit))
		return false;
	*cr4 |= bit;
	if (bit == X86_CR4_CET && vmxfz_chance(m->rng, 1, 2))
		*cr0 &= ~X86_CR0_WP;
	if (bit == X86_CR4_FRED && !host && vmxfz_chance(m->rng, 1, 2))
		ON(VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_IA32_FRED);
	if (bit == X86_CR4_FRED && !host && vmxfz_chance(m->rng, 1, 2))
		FV(m->c, GUEST_RFLAGS) |= 3ull << 12;			/* IOPL 3 */
	if (bit == X86_CR4_CET && vmxfz_chance(m->rng, 1, 2))
		ON(VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_CET_STATE);
	if (bit == X86_CR4_CET && vmxfz_chance(m->rng, 1, 2))	/* SUPPRESS + TRACKER */
		FV(m->c, GUEST_S_CET) |= 1ull << 10 | 1ull << 11;
	return true;
}

static bool (*const recipes[])(struct vmxfz_ctx *m) = {
	cr4_feature, cr4_feature,
	ept, unrestricted, tpr_shadow, apicv, posted, vnmi, bitmaps, vpid,
	pml, vmfunc, shadow_vmcs, misc_ept, tertiary, exit_lists,
	load_controls, load_controls, cr3_targets,
};

int vmxfz_op_feature(struct vmxfz_ctx *m)
{
	int r = (int)vmxfz_below(m->rng, sizeof(recipes) / sizeof(recipes[0]));

	return recipes[r](m) ? 0 : -1;
}

/*
 * State loaded by a "load X" control: the control is turned on and the
 * field gets a value its check looks at (a reserved bit, a non-canonical
 * or misaligned address, a bad PAT type, EFER.LMA/LME against the mode).
 * The pairs say which control loads which field.
 */
struct loaded {
	enum vmx_field f;
	enum vmx_field ctl;
	uint64_t bit;
};

static const struct loaded loaded[] = {
	{ VF_GUEST_IA32_DEBUGCTL, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_DEBUG_CONTROLS },
	{ VF_GUEST_DR7, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_DEBUG_CONTROLS },
	{ VF_GUEST_IA32_PAT, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_IA32_PAT },
	{ VF_GUEST_IA32_EFER, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_IA32_EFER },
	{ VF_GUEST_IA32_PERF_GLOBAL_CTRL, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL },
	{ VF_GUEST_BNDCFGS, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_BNDCFGS },
	{ VF_GUEST_IA32_RTIT_CTL, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_IA32_RTIT_CTL },
	{ VF_GUEST_IA32_LBR_CTL, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_IA32_LBR_CTL },
	{ VF_GUEST_IA32_PKRS, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_IA32_PKRS },
	{ VF_GUEST_UINV, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_UINV },
	{ VF_GUEST_S_CET, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_CET_STATE },
	{ VF_GUEST_SSP, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_CET_STATE },
	{ VF_GUEST_INTR_SSP_TABLE, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_CET_STATE },
	{ VF_GUEST_IA32_FRED_CONFIG, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_IA32_FRED },
	{ VF_GUEST_IA32_FRED_RSP1, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_IA32_FRED },
	{ VF_GUEST_IA32_FRED_RSP3, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_IA32_FRED },
	{ VF_GUEST_IA32_FRED_SSP2, VF_VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_IA32_FRED },
	{ VF_HOST_IA32_PAT, VF_VM_EXIT_CONTROLS, VM_EXIT_LOAD_IA32_PAT },
	{ VF_HOST_IA32_EFER, VF_VM_EXIT_CONTROLS, VM_EXIT_LOAD_IA32_EFER },
	{ VF_HOST_IA32_PERF_GLOBAL_CTRL, VF_VM_EXIT_CONTROLS, VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL },
	{ VF_HOST_IA32_PKRS, VF_VM_EXIT_CONTROLS, VM_EXIT_LOAD_IA32_PKRS },
	{ VF_HOST_S_CET, VF_VM_EXIT_CONTROLS, VM_EXIT_LOAD_CET_STATE },
	{ VF_HOST_SSP, VF_VM_EXIT_CONTROLS, VM_EXIT_LOAD_CET_STATE },
	{ VF_HOST_INTR_SSP_TABLE, VF_VM_EXIT_CONTROLS, VM_EXIT_LOAD_CET_STATE },
	{ VF_HOST_IA32_FRED_CONFIG, VF_SECONDARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_LOAD_IA32_FRED },
	{ VF_HOST_IA32_FRED_RSP2, VF_SECONDARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_LOAD_IA32_FRED },
	{ VF_HOST_IA32_FRED_SSP1, VF_SECONDARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_LOAD_IA32_FRED },
};

static uint64_t loaded_value(struct vmxfz_ctx *m, uint64_t old)
{
	switch (vmxfz_below(m->rng, 7)) {
	case 0: return old ^ 1ull << vmxfz_below(m->rng, 64);		/* one bit */
	case 1: return 0x0000800000000000ull;				/* non-canonical */
	case 2: return old | (1 + vmxfz_below(m->rng, 7));		/* misaligned */
	case 3: return (old & ~0xffull) | (2 + vmxfz_below(m->rng, 2));	/* PAT type 2/3 */
	case 4: return old ^ (vmxfz_chance(m->rng, 1, 2) ? EFER_LMA : EFER_LME);
	case 5: return vmxfz_chance(m->rng, 1, 2) ? 0 : 3ull << 10;	/* S_CET SUPPRESS|TRACKER */
	default: return old | 1ull << (32 + vmxfz_below(m->rng, 32));
	}
}

int vmxfz_op_loadstate(struct vmxfz_ctx *m)
{
	const struct loaded *l = &loaded[vmxfz_below(m->rng, sizeof(loaded) / sizeof(loaded[0]))];
	bool host = vmx_fields[l->f].group == HOST;

	if (!vmxfz_ctl_set(m, l->ctl, l->bit, true))
		return -1;
	if (!m->violate && vmxfz_chance(m->rng, 1, 4))
		return 0;	/* loaded with its (valid) baseline value */
	m->c->f[l->f] = loaded_value(m, m->c->f[l->f]) & vmx_field_mask(l->f);
	return 1 << (host ? VC_HOST : VC_GUEST);
}
