// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU VMX state.  Everything here runs on the CPU it describes with
 * preemption (and around VMX instructions, interrupts) disabled.
 *
 * CR4.VMXE is set through the kernel's CR4 shadow before the core's VMXON,
 * so the kernel never writes CR4 without it while VMX is on (that would
 * #GP) and kvm_intel sees the CPU as busy; the emergency reboot path
 * (cpu_emergency_vmxoff) then also knows to leave VMX operation.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/io.h>
#include <asm/cpu_entry_area.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "vmxcc.h"

#define MSR_IA32_PKRS	0x6e1	/* not in 6.1's msr-index.h */

static DEFINE_PER_CPU(struct vmxcc_pcpu *, vmxcc_pcpus);

static int k_rdmsr_safe(void *ctx, u32 msr, u64 *val)
{
	return rdmsrl_safe(msr, val) ? -1 : 0;
}

static int k_wrmsr_safe(void *ctx, u32 msr, u64 val)
{
	return wrmsrl_safe(msr, val) ? -1 : 0;
}

static int page_alloc(struct vmx_core_page *pg, int node, unsigned int order)
{
	struct page *p = alloc_pages_node(node, GFP_KERNEL | __GFP_ZERO, order);

	if (!p)
		return -ENOMEM;
	pg->virt = page_address(p);
	pg->phys = page_to_phys(p);
	return 0;
}

static void page_free(struct vmx_core_page *pg, unsigned int order)
{
	if (pg->virt)
		free_pages((unsigned long)pg->virt, order);
	pg->virt = NULL;
}

static void pcpu_free(struct vmxcc_pcpu *p)
{
	page_free(&p->core.vmxon_region, 0);
	page_free(&p->vmcs.page, 0);
	page_free(&p->env.msr_load, VMXCC_MSR_LOAD_ORDER);
	page_free(&p->env.pdpte, 0);
	page_free(&p->env.vapic, 0);
	page_free(&p->env.link, 0);
	page_free(&p->env.shadow_vmcs, 0);
	kvfree(p);
}

static struct vmxcc_pcpu *pcpu_alloc(int cpu)
{
	int node = cpu_to_node(cpu);
	struct vmxcc_pcpu *p = kvzalloc_node(sizeof(*p), GFP_KERNEL, node);

	if (!p)
		return NULL;
	if (page_alloc(&p->core.vmxon_region, node, 0) ||
	    page_alloc(&p->vmcs.page, node, 0) ||
	    page_alloc(&p->env.msr_load, node, VMXCC_MSR_LOAD_ORDER) ||
	    page_alloc(&p->env.pdpte, node, 0) ||
	    page_alloc(&p->env.vapic, node, 0) ||
	    page_alloc(&p->env.link, node, 0) ||
	    page_alloc(&p->env.shadow_vmcs, node, 0)) {
		pcpu_free(p);
		return NULL;
	}
	p->core.id = cpu;
	p->vmcs.cpu = -1;
	p->env.ctx = p;
	p->env.rdmsr_safe = k_rdmsr_safe;
	p->env.wrmsr_safe = k_wrmsr_safe;
	p->env.cpu = &p->core;
	p->env.vmcs = &p->vmcs;
	p->env.msr_load_pages = 1u << VMXCC_MSR_LOAD_ORDER;
	p->env.good_host = p->good_host;
	return p;
}

int vmxcc_pcpu_alloc_all(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vmxcc_pcpu *p = pcpu_alloc(cpu);

		if (!p) {
			vmxcc_pcpu_free_all();
			return -ENOMEM;
		}
		per_cpu(vmxcc_pcpus, cpu) = p;
	}
	return 0;
}

void vmxcc_pcpu_free_all(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vmxcc_pcpu *p = per_cpu(vmxcc_pcpus, cpu);

		if (p)
			pcpu_free(p);
		per_cpu(vmxcc_pcpus, cpu) = NULL;
	}
}

struct vmxcc_pcpu *vmxcc_this_pcpu(void)
{
	return this_cpu_read(vmxcc_pcpus);
}

/*
 * Enter VMX operation on this CPU (preemption off).  -EBUSY when someone
 * else already set CR4.VMXE.
 */
int vmxcc_cpu_on(struct vmxcc_pcpu *p)
{
	unsigned long flags;
	int err;

	if (p->core.vmxon)
		return 0;
	if (__read_cr4() & X86_CR4_VMXE) {
		pr_err("CPU %d: CR4.VMXE already set: another hypervisor is using VMX\n",
		       smp_processor_id());
		return -EBUSY;
	}
	local_irq_save(flags);
	cr4_set_bits_irqsoff(X86_CR4_VMXE);
	err = vmx_core_cpu_on(&p->env);
	if (err)
		cr4_clear_bits_irqsoff(X86_CR4_VMXE);
	else
		vmx_core_vmcs_init(&p->env, &p->vmcs);
	local_irq_restore(flags);
	if (err) {
		pr_err("CPU %d: VMXON failed (core error %d)\n",
		       smp_processor_id(), -err);
		return -EIO;
	}
	return 0;
}

/* VMCLEAR every VMCS active here, VMXOFF (interrupts off). */
void vmxcc_cpu_off_this(void *unused)
{
	struct vmxcc_pcpu *p = vmxcc_this_pcpu();

	if (!p || !p->core.vmxon)
		return;
	vmx_core_cpu_off(&p->env);
	cr4_clear_bits_irqsoff(X86_CR4_VMXE);
}

static u64 msr_or_zero(u32 msr)
{
	u64 v;

	return rdmsrl_safe(msr, &v) ? 0 : v;
}

/*
 * Restored after every attempt: MSRs a VM entry or exit may load (guest
 * values by entry controls, host values by exit controls) and the MSR-load
 * allow-list.  Only MSRs that exist here.
 */
static const u32 restore_msrs[] = {
	MSR_EFER, MSR_IA32_CR_PAT, MSR_IA32_DEBUGCTLMSR, MSR_CORE_PERF_GLOBAL_CTRL,
	MSR_IA32_BNDCFGS, MSR_IA32_RTIT_CTL, MSR_IA32_S_CET, MSR_IA32_PKRS,
};

static void capture_restore_list(struct vmxcc_pcpu *p)
{
	struct vmx_core_host *h = &p->env.host;
	unsigned int i;
	u64 v;

	h->n_msrs = 0;
	for (i = 0; i < ARRAY_SIZE(restore_msrs); i++)
		if (!rdmsrl_safe(restore_msrs[i], &v) && h->n_msrs < 16) {
			h->msrs[h->n_msrs].index = restore_msrs[i];
			h->msrs[h->n_msrs++].value = v;
		}
	for (i = 0; i < vmxcc_policy_msr_allow_count; i++) {
		u32 m = vmxcc_policy_msr_allow[i];

		if (m == MSR_KERNEL_GS_BASE)	/* the core has its own slot */
			continue;
		if (!rdmsrl_safe(m, &v) && h->n_msrs < 16) {
			h->msrs[h->n_msrs].index = m;
			h->msrs[h->n_msrs++].value = v;
		}
	}
}

/*
 * The module's own host state (preemption off): the VMCS host-state area
 * for every case, and what the core puts back after each VM exit.
 */
void vmxcc_capture_host(struct vmxcc_pcpu *p)
{
	struct vmx_core_host *h = &p->env.host;
	int cpu = smp_processor_id();
	u64 *g = p->good_host;
	struct desc_ptr dt;
	u16 sel;

	memset(g, 0, sizeof(p->good_host));
	g[VF_HOST_CR0] = read_cr0();
	g[VF_HOST_CR3] = __read_cr3();
	g[VF_HOST_CR4] = cr4_read_shadow();
	g[VF_HOST_CS_SELECTOR] = __KERNEL_CS;
	g[VF_HOST_SS_SELECTOR] = __KERNEL_DS;
	g[VF_HOST_DS_SELECTOR] = __KERNEL_DS;
	g[VF_HOST_ES_SELECTOR] = __KERNEL_DS;
	g[VF_HOST_TR_SELECTOR] = GDT_ENTRY_TSS * 8;
	g[VF_HOST_TR_BASE] = (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss;
	native_store_gdt(&dt);
	g[VF_HOST_GDTR_BASE] = dt.address;
	h->gdtr_base = dt.address;
	h->gdtr_limit = dt.size;
	store_idt(&dt);
	g[VF_HOST_IDTR_BASE] = dt.address;
	h->idtr_base = dt.address;
	h->idtr_limit = dt.size;
	g[VF_HOST_FS_BASE] = msr_or_zero(MSR_FS_BASE);
	g[VF_HOST_GS_BASE] = msr_or_zero(MSR_GS_BASE);
	g[VF_HOST_IA32_SYSENTER_CS] = msr_or_zero(MSR_IA32_SYSENTER_CS);
	g[VF_HOST_IA32_SYSENTER_ESP] = msr_or_zero(MSR_IA32_SYSENTER_ESP);
	g[VF_HOST_IA32_SYSENTER_EIP] = msr_or_zero(MSR_IA32_SYSENTER_EIP);
	g[VF_HOST_IA32_EFER] = msr_or_zero(MSR_EFER);
	g[VF_HOST_IA32_PAT] = msr_or_zero(MSR_IA32_CR_PAT);
	g[VF_HOST_IA32_PERF_GLOBAL_CTRL] = msr_or_zero(MSR_CORE_PERF_GLOBAL_CTRL);
	g[VF_HOST_S_CET] = msr_or_zero(MSR_IA32_S_CET);
	g[VF_HOST_IA32_PKRS] = msr_or_zero(MSR_IA32_PKRS);

	h->fs_base = g[VF_HOST_FS_BASE];
	h->gs_base = g[VF_HOST_GS_BASE];
	h->kernel_gs_base = msr_or_zero(MSR_KERNEL_GS_BASE);
	h->tr_base = g[VF_HOST_TR_BASE];
	h->tr = GDT_ENTRY_TSS * 8;
	h->tr_limit = 0x67;
	/*
	 * No GDT for the core: TR is not reloaded after each exit.  The 0x67
	 * limit only matters to a task using an I/O bitmap; the ioctl calls
	 * invalidate_tss_limit() once per batch, which reloads TR lazily
	 * ("x86/kvm/vmx: Defer TR reload after VM exit").
	 */
	h->gdt = NULL;
	asm volatile("sldt %0" : "=r"(sel));
	h->ldtr = sel;
	savesegment(ds, sel);
	h->ds = sel;
	savesegment(es, sel);
	h->es = sel;
	savesegment(fs, sel);
	h->fs = sel;
	savesegment(gs, sel);
	h->gs = sel;
	capture_restore_list(p);
}
