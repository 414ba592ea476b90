// SPDX-License-Identifier: GPL-2.0
/*
 * Put back the host state a VM exit loads from the VMCS or clobbers: the
 * exit sets the GDTR and IDTR limits to FFFFH, the TR limit to 67H (Linux
 * needs its larger TSS limit back; "x86/kvm/vmx: Defer TR reload after VM
 * exit"), makes LDTR unusable and loads segment selectors, bases and some
 * MSRs from the host-state area, which in the probe is the case's own.
 */
#include "core_internal.h"

#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define TSS_TYPE_BUSY		0x2

static void reload_tr(const struct vmx_core_host *h)
{
	/* LTR needs an available TSS: clear the busy bit the first LTR set. */
	uint8_t *desc = (uint8_t *)h->gdt + (h->tr & ~7u);

	desc[5] &= ~TSS_TYPE_BUSY;
	vi_ltr(h->tr);
}

void vmx_core_restore_host(struct vmx_core_env *env)
{
	const struct vmx_core_host *h = &env->host;

	vi_lgdt(h->gdtr_base, h->gdtr_limit);
	vi_lidt(h->idtr_base, h->idtr_limit);
	/* Always: the exit left limit 67H and whatever TR the host-state
	 * area held (a fuzzed one in the probe); LTR is cheaper than asking
	 * the VMCS what it was.
	 */
	if (h->gdt && h->tr)
		reload_tr(h);
	if (h->ldtr)
		vi_lldt(h->ldtr);
	vi_load_ds(h->ds);
	vi_load_es(h->es);
	if (!h->no_fs_gs)
		vi_load_fs(h->fs);
	if (!env->wrmsr_safe)
		return;
	if (!h->no_fs_gs) {
		env->wrmsr_safe(env->ctx, MSR_FS_BASE, h->fs_base);
		env->wrmsr_safe(env->ctx, MSR_GS_BASE, h->gs_base);
		env->wrmsr_safe(env->ctx, MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	}
	for (uint32_t i = 0; i < h->n_msrs && i < 16; i++)
		env->wrmsr_safe(env->ctx, h->msrs[i].index, h->msrs[i].value);
}
