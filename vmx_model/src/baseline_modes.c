// SPDX-License-Identifier: GPL-2.0
/*
 * Baselines for the guest operating modes other than 64-bit, and the 64-bit
 * baseline with a VM-entry MSR-load list.  All keep the 64-bit host of
 * bl_host64(); the guest side is built to pass every check of SDM 26.3.
 */
#include "baseline_internal.h"

#define PAT_DEFAULT	0x0007040600070406ull
#define EPTP_WB_4LEVEL	((3ull << 3) | 6)	/* page-walk length 4, write-back */

/* Guest CR0: the fixed bits (PE/PG freed by unrestricted guest) plus @want. */
static uint64_t guest_cr0(const struct vmx_caps *caps, uint64_t want, bool ug)
{
	uint64_t fixed0 = caps->cr0_fixed0;

	if (ug)
		fixed0 &= ~(X86_CR0_PE | X86_CR0_PG);
	return (fixed0 | want) & caps->cr0_fixed1;
}

/* State every non-64-bit guest here shares: registers, non-register state. */
static void guest_common32(const struct vmx_caps *caps, struct vmx_case *c, uint64_t cr4)
{
	SET(GUEST_CR3, 0x5000);
	SET(GUEST_CR4, (caps->cr4_fixed0 | cr4) & caps->cr4_fixed1);
	SET(GUEST_DR7, 0x400);
	SET(GUEST_RFLAGS, X86_RFLAGS_FIXED);
	SET(GUEST_RIP, 0x6000);
	SET(GUEST_RSP, 0x7000);
	SET(GUEST_IA32_PAT, PAT_DEFAULT);
	SET(GUEST_IA32_EFER, 0);
	SET(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	c->link_revision = caps->revision;
}

/* Flat 4 GiB 32-bit code and data segments, busy 32-bit TSS. */
static void flat32_segs(struct vmx_case *c)
{
	bl_flat_segs(c, VMX_AR_G | VMX_AR_DB | VMX_AR_P | VMX_AR_S | 0xb,
		     VMX_AR_G | VMX_AR_DB | VMX_AR_P | VMX_AR_S | 0x3);
}

/* Segment register i of ES, CS, SS, DS, FS, GS. */
static void set_seg(struct vmx_case *c, int i, uint16_t sel, uint64_t base,
		    uint32_t limit, uint32_t ar)
{
	static const enum vmx_field f[6][4] = {
		{ VF_GUEST_ES_SELECTOR, VF_GUEST_ES_BASE, VF_GUEST_ES_LIMIT, VF_GUEST_ES_AR_BYTES },
		{ VF_GUEST_CS_SELECTOR, VF_GUEST_CS_BASE, VF_GUEST_CS_LIMIT, VF_GUEST_CS_AR_BYTES },
		{ VF_GUEST_SS_SELECTOR, VF_GUEST_SS_BASE, VF_GUEST_SS_LIMIT, VF_GUEST_SS_AR_BYTES },
		{ VF_GUEST_DS_SELECTOR, VF_GUEST_DS_BASE, VF_GUEST_DS_LIMIT, VF_GUEST_DS_AR_BYTES },
		{ VF_GUEST_FS_SELECTOR, VF_GUEST_FS_BASE, VF_GUEST_FS_LIMIT, VF_GUEST_FS_AR_BYTES },
		{ VF_GUEST_GS_SELECTOR, VF_GUEST_GS_BASE, VF_GUEST_GS_LIMIT, VF_GUEST_GS_AR_BYTES },
	};

	c->f[f[i][0]] = sel;
	c->f[f[i][1]] = base;
	c->f[f[i][2]] = limit;
	c->f[f[i][3]] = ar;
}

static bool has_ept_wb4(const struct vmx_caps *caps)
{
	uint64_t cap = caps->p.msr[PMSR_EPT_VPID_CAP];

	return (caps->proc2_may1 & SECONDARY_EXEC_ENABLE_EPT) &&
	       (cap & VMX_EPT_PWL4) && (cap & VMX_EPT_MT_WB);
}

static bool has_ug(const struct vmx_caps *caps)
{
	return has_ept_wb4(caps) && (caps->proc2_may1 & SECONDARY_EXEC_UNRESTRICTED_GUEST);
}

int bl_build_pae32(const struct vmx_caps *caps, struct vmx_case *c)
{
	bl_controls(caps, c, 0, 0, 0, 0, 0);
	bl_host64(caps, c);
	SET(GUEST_CR0, guest_cr0(caps, X86_CR0_PE | X86_CR0_PG | X86_CR0_NE | X86_CR0_WP |
				 X86_CR0_ET | X86_CR0_MP, false));
	guest_common32(caps, c, X86_CR4_PAE);
	flat32_segs(c);
	/* Four present page directories, write-back, no reserved bit. */
	for (int i = 0; i < 4; i++)
		c->pdpte[i] = (0x10000ull + 0x1000ull * i) | 1;
	return 0;
}

int bl_build_pae32_ept(const struct vmx_caps *caps, struct vmx_case *c)
{
	if (!has_ept_wb4(caps))
		return -1;
	bl_controls(caps, c, 0, 0, SECONDARY_EXEC_ENABLE_EPT, 0, 0);
	bl_host64(caps, c);
	SET(EPT_POINTER, 0x8000 | EPTP_WB_4LEVEL);
	SET(GUEST_CR0, guest_cr0(caps, X86_CR0_PE | X86_CR0_PG | X86_CR0_NE | X86_CR0_WP |
				 X86_CR0_ET | X86_CR0_MP, false));
	guest_common32(caps, c, X86_CR4_PAE);
	flat32_segs(c);
	SET(GUEST_PDPTR0, 0x10001);
	SET(GUEST_PDPTR1, 0x11001);
	SET(GUEST_PDPTR2, 0x12001);
	SET(GUEST_PDPTR3, 0x13001);
	return 0;
}

/* Controls, host state and EPT of a guest that runs with paging off. */
static int ug_controls(const struct vmx_caps *caps, struct vmx_case *c)
{
	if (!has_ug(caps))
		return -1;
	bl_controls(caps, c, 0, 0, SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST,
		    0, 0);
	bl_host64(caps, c);
	SET(EPT_POINTER, 0x8000 | EPTP_WB_4LEVEL);
	return 0;
}

/* Paging off needs "unrestricted guest" (CR0.PG is fixed to 1 otherwise). */
int bl_build_prot32(const struct vmx_caps *caps, struct vmx_case *c)
{
	if (ug_controls(caps, c))
		return -1;
	SET(GUEST_CR0, guest_cr0(caps, X86_CR0_PE | X86_CR0_NE | X86_CR0_ET | X86_CR0_MP, true));
	guest_common32(caps, c, 0);
	flat32_segs(c);
	return 0;
}

/* Real-address mode: 64 KiB segments at selector 0, DPL 0. */
int bl_build_real_ug(const struct vmx_caps *caps, struct vmx_case *c)
{
	if (ug_controls(caps, c))
		return -1;
	SET(GUEST_CR0, guest_cr0(caps, X86_CR0_NE | X86_CR0_ET, true));
	guest_common32(caps, c, 0);
	flat32_segs(c);
	for (int i = 0; i < 6; i++)
		set_seg(c, i, 0, 0, 0xffff, VMX_AR_P | VMX_AR_S | (i == 1 ? 0xb : 0x3));
	SET(GUEST_IDTR_LIMIT, 0x3ff);
	return 0;
}

/* Virtual-8086 mode under 32-bit (non-PAE) paging: base = selector << 4,
 * limit FFFFH, access rights F3H for all six segments. */
int bl_build_v86(const struct vmx_caps *caps, struct vmx_case *c)
{
	bl_controls(caps, c, 0, 0, 0, 0, 0);
	bl_host64(caps, c);
	SET(GUEST_CR0, guest_cr0(caps, X86_CR0_PE | X86_CR0_PG | X86_CR0_NE | X86_CR0_WP |
				 X86_CR0_ET | X86_CR0_MP, false));
	guest_common32(caps, c, 0);
	flat32_segs(c);
	for (int i = 0; i < 6; i++) {
		uint16_t sel = i == 1 ? 0x100 : 0x200;	/* CS : the others */

		set_seg(c, i, sel, (uint64_t)sel << 4, 0xffff, 0xf3);
	}
	SET(GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_VM);
	SET(GUEST_RIP, 0x100);
	SET(GUEST_RSP, 0xff0);
	return 0;
}

/* BL_LONG64 loading three MSRs whose WRMSR rules the model knows. */
int bl_build_long64_msrload(const struct vmx_caps *caps, struct vmx_case *c)
{
	static const struct vmx_msr_entry list[] = {
		{ MSR_LSTAR, 0, 0xffffffff81000000ull },
		{ MSR_IA32_SYSENTER_ESP, 0, 0x8000 },
		{ MSR_TSC_AUX, 0, 1 },
	};

	if (bl_build_long64(caps, c))
		return -1;
	SET(VM_ENTRY_MSR_LOAD_ADDR, 0x9000);
	SET(VM_ENTRY_MSR_LOAD_COUNT, 3);
	c->n_msr_load = 3;
	for (int i = 0; i < 3; i++)
		c->msr_load[i] = list[i];
	return 0;
}
