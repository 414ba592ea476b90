// SPDX-License-Identifier: GPL-2.0
/*
 * The sandbox a case can touch (docs/safety.md): an EPT hierarchy mapping
 * every guest-physical address to one guest page, a page for relocated
 * pointer fields (bitmaps, PML, #VE information, posted-interrupt
 * descriptor), and VM-exit MSR-store/-load areas whose entries are
 * harmless.  Shared by all CPUs; the processor only writes the guest page,
 * the pointer page and the exit MSR-store area.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/io.h>
#include <asm/msr.h>

#include "vmxcc.h"

#define EPT_RWX		0x7ull
#define EPT_MT_WB	(6ull << 3)
#define BASIC_TRUE_CTLS	BIT_ULL(55)	/* IA32_VMX_BASIC */

enum {
	SB_PML5, SB_PML4, SB_PDPT, SB_PD, SB_PT, SB_GUEST, SB_POINTERS,
	SB_EXIT_STORE, SB_EXIT_LOAD, SB_PAGES
};

#define EXIT_AREA_ORDER	4	/* 16 pages: VMXCC_POLICY_EXIT_MSRS entries */

static struct vmx_core_page sb[SB_PAGES];

static unsigned int sb_order(int i)
{
	return i == SB_EXIT_STORE || i == SB_EXIT_LOAD ? EXIT_AREA_ORDER : 0;
}

static u64 sb_ept_cap;
static u32 sb_pin_may1, sb_exit_may1;

static void fill_table(struct vmx_core_page *t, u64 entry)
{
	u64 *e = t->virt;
	int i;

	for (i = 0; i < 512; i++)
		e[i] = entry;
}

static void fill_msr_area(struct vmx_core_page *pg, u32 index, u64 value)
{
	struct vmx_msr_entry *e = pg->virt;
	int i;

	for (i = 0; i < VMXCC_POLICY_EXIT_MSRS; i++) {
		e[i].index = index;
		e[i].reserved = 0;
		e[i].value = value;
	}
}

static void read_caps(void)
{
	u64 basic = 0, pin = 0, exit = 0;
	bool true_ctls;

	rdmsrl_safe(MSR_IA32_VMX_BASIC, &basic);
	true_ctls = basic & BASIC_TRUE_CTLS;
	rdmsrl_safe(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
				MSR_IA32_VMX_PINBASED_CTLS, &pin);
	rdmsrl_safe(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
				MSR_IA32_VMX_EXIT_CTLS, &exit);
	sb_pin_may1 = pin >> 32;
	sb_exit_may1 = exit >> 32;
	if (rdmsrl_safe(MSR_IA32_VMX_EPT_VPID_CAP, &sb_ept_cap))
		sb_ept_cap = 0;
}

int vmxcc_sandbox_alloc(void)
{
	u64 sysenter_cs = 0;
	int i;

	for (i = 0; i < SB_PAGES; i++) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_ZERO, sb_order(i));

		if (!p) {
			vmxcc_sandbox_free();
			return -ENOMEM;
		}
		sb[i].virt = page_address(p);
		sb[i].phys = page_to_phys(p);
	}
	fill_table(&sb[SB_PML5], sb[SB_PML4].phys | EPT_RWX);
	fill_table(&sb[SB_PML4], sb[SB_PDPT].phys | EPT_RWX);
	fill_table(&sb[SB_PDPT], sb[SB_PD].phys | EPT_RWX);
	fill_table(&sb[SB_PD], sb[SB_PT].phys | EPT_RWX);
	fill_table(&sb[SB_PT], sb[SB_GUEST].phys | EPT_RWX | EPT_MT_WB);
	/*
	 * Exit MSR-store: reading SYSENTER_CS cannot fail.  Exit MSR-load:
	 * loads the host's own SYSENTER_CS (restored after the attempt too).
	 */
	rdmsrl_safe(MSR_IA32_SYSENTER_CS, &sysenter_cs);
	fill_msr_area(&sb[SB_EXIT_STORE], MSR_IA32_SYSENTER_CS, 0);
	fill_msr_area(&sb[SB_EXIT_LOAD], MSR_IA32_SYSENTER_CS, sysenter_cs);
	read_caps();
	return 0;
}

void vmxcc_sandbox_free(void)
{
	int i;

	for (i = 0; i < SB_PAGES; i++) {
		if (sb[i].virt)
			free_pages((unsigned long)sb[i].virt, sb_order(i));
		sb[i].virt = NULL;
	}
}

void vmxcc_policy_env_fill(struct vmxcc_policy_env *pe, struct vmxcc_pcpu *p)
{
	pe->good_host = p->good_host;
	pe->phys_mask = p->core.phys_mask;
	pe->ept_root4 = sb[SB_PML4].phys;
	pe->ept_root5 = sb[SB_PML5].phys;
	pe->scratch = sb[SB_POINTERS].phys;
	pe->exit_store = sb[SB_EXIT_STORE].phys;
	pe->exit_load = sb[SB_EXIT_LOAD].phys;
	pe->ept_cap = sb_ept_cap;
	pe->pin_may1 = sb_pin_may1;
	pe->exit_may1 = sb_exit_may1;
	pe->fs_base = p->good_host[VF_HOST_FS_BASE];
	pe->gs_base = p->good_host[VF_HOST_GS_BASE];
	pe->host_fuzz = vmxcc_host_fuzz;
}
