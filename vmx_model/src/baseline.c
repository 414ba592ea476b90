// SPDX-License-Identifier: GPL-2.0
/*
 * Baseline cases.  Control words take the profile's must-be-1 bits plus
 * what the baseline needs, so a baseline is valid on every profile that
 * supports its features.  Physical addresses are small and page aligned:
 * back ends relocate them to their own pages anyway (effective image).
 */
#include <string.h>

#include "vmxcc/arch.h"
#include "vmxcc/baseline.h"
#include "baseline_internal.h"

const char *const vmx_baseline_names[BL_COUNT] = {
	[BL_LONG64] = "long64",
	[BL_PAE32] = "pae32",
	[BL_PAE32_EPT] = "pae32-ept",
	[BL_PROT32] = "prot32",
	[BL_REAL_UG] = "real-ug",
	[BL_V86] = "v86",
	[BL_LONG64_MSRLOAD] = "long64-msrload",
	[BL_LONG64_FULL] = "long64-full",
};

int vmx_baseline_by_name(const char *name)
{
	for (int i = 0; i < BL_COUNT; i++)
		if (vmx_baseline_names[i] && strcmp(vmx_baseline_names[i], name) == 0)
			return i;
	return -1;
}


/* 64-bit host state shared by every baseline. */
void bl_host64(const struct vmx_caps *caps, struct vmx_case *c)
{
	SET(HOST_CR0, (caps->cr0_fixed0 | X86_CR0_PE | X86_CR0_PG | X86_CR0_NE |
		       X86_CR0_WP | X86_CR0_ET | X86_CR0_MP) & caps->cr0_fixed1);
	SET(HOST_CR3, 0x2000);
	SET(HOST_CR4, (caps->cr4_fixed0 | X86_CR4_PAE) & caps->cr4_fixed1);
	SET(HOST_CS_SELECTOR, 0x08);
	SET(HOST_SS_SELECTOR, 0x10);
	SET(HOST_DS_SELECTOR, 0x10);
	SET(HOST_ES_SELECTOR, 0x10);
	SET(HOST_FS_SELECTOR, 0x00);
	SET(HOST_GS_SELECTOR, 0x00);
	SET(HOST_TR_SELECTOR, 0x18);
	SET(HOST_RIP, 0x3000);
	SET(HOST_RSP, 0x4000);
	SET(HOST_IA32_PAT, 0x0007040600070406ull);
	SET(HOST_IA32_EFER, EFER_SCE | EFER_LME | EFER_LMA | EFER_NX);
}

/* Control words: the profile's must-be-1 bits plus the ones asked for. */
void bl_controls(const struct vmx_caps *caps, struct vmx_case *c,
		     uint32_t pin, uint32_t proc, uint32_t proc2,
		     uint32_t exit, uint32_t entry)
{
	SET(PIN_BASED_VM_EXEC_CONTROL, caps->pin_must1 | pin);
	SET(CPU_BASED_VM_EXEC_CONTROL, caps->proc_must1 | proc |
	    (proc2 ? CPU_BASED_ACTIVATE_SECONDARY_CONTROLS : 0));
	SET(SECONDARY_VM_EXEC_CONTROL, proc2);
	SET(VM_EXIT_CONTROLS, caps->exit_must1 | exit | VM_EXIT_HOST_ADDR_SPACE_SIZE);
	SET(VM_ENTRY_CONTROLS, caps->entry_must1 | entry);
	SET(VMCS_LINK_POINTER, ~0ull);
	SET(CR3_TARGET_COUNT, 0);
}

void bl_flat_segs(struct vmx_case *c, uint32_t cs_ar, uint32_t data_ar)
{
	static const enum vmx_field sel[] = {
		VF_GUEST_ES_SELECTOR, VF_GUEST_CS_SELECTOR, VF_GUEST_SS_SELECTOR,
		VF_GUEST_DS_SELECTOR, VF_GUEST_FS_SELECTOR, VF_GUEST_GS_SELECTOR,
	};
	static const enum vmx_field lim[] = {
		VF_GUEST_ES_LIMIT, VF_GUEST_CS_LIMIT, VF_GUEST_SS_LIMIT,
		VF_GUEST_DS_LIMIT, VF_GUEST_FS_LIMIT, VF_GUEST_GS_LIMIT,
	};
	static const enum vmx_field ar[] = {
		VF_GUEST_ES_AR_BYTES, VF_GUEST_CS_AR_BYTES, VF_GUEST_SS_AR_BYTES,
		VF_GUEST_DS_AR_BYTES, VF_GUEST_FS_AR_BYTES, VF_GUEST_GS_AR_BYTES,
	};

	for (int i = 0; i < 6; i++) {
		c->f[sel[i]] = i == 1 ? 0x08 : 0x10;
		c->f[lim[i]] = 0xffffffff;
		c->f[ar[i]] = i == 1 ? cs_ar : data_ar;
	}
	SET(GUEST_LDTR_SELECTOR, 0);
	SET(GUEST_LDTR_AR_BYTES, VMX_AR_UNUSABLE);
	SET(GUEST_TR_SELECTOR, 0x18);
	SET(GUEST_TR_LIMIT, 0x67);
	SET(GUEST_TR_AR_BYTES, VMX_AR_P | 11);	/* busy 64-bit TSS */
	SET(GUEST_GDTR_LIMIT, 0x1f);
	SET(GUEST_IDTR_LIMIT, 0xfff);
}

int bl_build_long64(const struct vmx_caps *caps, struct vmx_case *c)
{
	bl_controls(caps, c, 0, 0, 0, 0, VM_ENTRY_IA32E_MODE);
	bl_host64(caps, c);
	SET(GUEST_CR0, (caps->cr0_fixed0 | X86_CR0_PE | X86_CR0_PG | X86_CR0_NE |
			X86_CR0_WP | X86_CR0_ET | X86_CR0_MP) & caps->cr0_fixed1);
	SET(GUEST_CR3, 0x5000);
	SET(GUEST_CR4, (caps->cr4_fixed0 | X86_CR4_PAE) & caps->cr4_fixed1);
	SET(GUEST_DR7, 0x400);
	SET(GUEST_RFLAGS, X86_RFLAGS_FIXED);
	SET(GUEST_RIP, 0x6000);
	SET(GUEST_RSP, 0x7000);
	SET(GUEST_IA32_PAT, 0x0007040600070406ull);
	SET(GUEST_IA32_EFER, EFER_SCE | EFER_LME | EFER_LMA | EFER_NX);
	/* L=1, P, S, code execute/read accessed; data read/write accessed, G, D/B */
	bl_flat_segs(c, VMX_AR_G | VMX_AR_L | VMX_AR_P | VMX_AR_S | 0xb,
		  VMX_AR_G | VMX_AR_DB | VMX_AR_P | VMX_AR_S | 0x3);
	SET(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	c->link_revision = caps->revision;
	return 0;
}

int vmx_baseline_build(enum vmx_baseline b, const struct vmx_caps *caps,
		       struct vmx_case *c)
{
	memset(c, 0, sizeof(*c));
	c->instr = VMX_VMLAUNCH;
	switch (b) {
	case BL_LONG64:
		return bl_build_long64(caps, c);
	case BL_PAE32:
		return bl_build_pae32(caps, c);
	case BL_PAE32_EPT:
		return bl_build_pae32_ept(caps, c);
	case BL_PROT32:
		return bl_build_prot32(caps, c);
	case BL_REAL_UG:
		return bl_build_real_ug(caps, c);
	case BL_V86:
		return bl_build_v86(caps, c);
	case BL_LONG64_MSRLOAD:
		return bl_build_long64_msrload(caps, c);
	case BL_LONG64_FULL:
		return bl_build_long64_full(caps, c);
	default:
		return -1;
	}
}
