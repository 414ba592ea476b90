// SPDX-License-Identifier: GPL-2.0
/*
 * The silicon safety policy.  Rules, in the order applied (the reasons are
 * in docs/safety.md):
 *   1. host-state fields are the module's own (unless host_fuzz opt-in);
 *   2. the VMX-preemption timer is activated with value 0, so a guest that
 *      enters executes no instruction (SDM "VMX-Preemption Timer": the exit
 *      follows event injection and beats NMIs and external interrupts);
 *   1b. the VM exit loads the host's EFER, PAT, PERF_GLOBAL_CTRL, CET state
 *      and PKRS from the module's host state wherever the CPU can: without
 *      that, guest values (or, in Bochs, a cleared EFER.NXE) survive the
 *      exit and the host faults before the module can restore them;
 *   2b. external-interrupt exiting is forced on, so a host interrupt that
 *      arrives anyway ends the guest instead of being delivered (and
 *      acknowledged) through the sandbox; "acknowledge interrupt on exit"
 *      would take the host's interrupt: VMfail phase only;
 *   3. a valid EPTP is pointed at the sandbox EPT (every guest-physical
 *      address maps to one scratch page); an invalid one is kept, it is
 *      never used;
 *   4. without EPT, an injected event or pending debug exception would be
 *      delivered through guest paging into host memory: VMfail phase only;
 *   5. wait-for-SIPI: the timer does not count there, nothing would end the
 *      guest: VMfail phase only;
 *   6. other host-physical pointers, when usable, go to module pages;
 *   7. VM-entry MSR-load entries must be on the allow-list (restored after
 *      each attempt); FS/GS base entries, which must fail, are sent with the
 *      host's own value; anything else: VMfail phase only.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#else
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#include "vmxcc_policy.h"
#include "vmxcc/arch.h"
#include "vmxcc_ioctl.h"

#define F(c, name)	((c)->f[VF_##name])
#define PAGE_MASK_4K	0xfffull

#define MSR_SYSENTER_CS		0x174
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_TSC_AUX		0xc0000103

/*
 * MSRs the kernel does not use while the module runs with interrupts off
 * (system-call entry points and the user GS base), restored from the values
 * saved before every attempt.  Nothing that changes memory types, paging,
 * APIC state, microcode or SMM.
 */
const uint32_t vmxcc_policy_msr_allow[] = {
	MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
	MSR_KERNEL_GS_BASE, MSR_TSC_AUX,
};

const unsigned int vmxcc_policy_msr_allow_count =
	ARRAY_SIZE(vmxcc_policy_msr_allow);

bool vmxcc_policy_msr_allowed(uint32_t index)
{
	unsigned int i;

	for (i = 0; i < vmxcc_policy_msr_allow_count; i++)
		if (vmxcc_policy_msr_allow[i] == index)
			return true;
	return false;
}

/*
 * Field widths (the policy judges what the VMWRITE will really hold) and
 * groups, from the one field table.
 */
static const struct {
	uint8_t width;
	uint8_t group;
} fields[VF_COUNT] = {
#define FIELD(n, enc, w, g, ...) \
	[VF_##n] = { w, g },
#include "vmxcc/fields.def"
#undef FIELD
};

static void truncate_to_width(struct vmx_case *c)
{
	int f;

	for (f = 0; f < VF_COUNT; f++) {
		if (fields[f].width == W16)
			c->f[f] &= 0xffff;
		else if (fields[f].width == W32)
			c->f[f] &= 0xffffffff;
	}
}

static bool usable(const struct vmxcc_policy_env *env, uint64_t a,
		   uint64_t align)
{
	return !(a & (align - 1)) && !(a & env->phys_mask);
}

static bool secondary(const struct vmx_case *c, uint32_t bit)
{
	return (F(c, CPU_BASED_VM_EXEC_CONTROL) &
		CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
	       (F(c, SECONDARY_VM_EXEC_CONTROL) & bit);
}

static void limit(struct vmxcc_policy_out *out, uint8_t verdict,
		  const char *why, uint32_t msr)
{
	if (out->verdict >= verdict)
		return;			/* keep the strictest, first reason */
	out->verdict = verdict;
	out->why = why;
	out->why_msr = msr;
}

static void early_only(struct vmxcc_policy_out *out, const char *why,
		       uint32_t msr)
{
	limit(out, VMXCC_EARLY_ONLY, why, msr);
}

static void host_state(const struct vmxcc_policy_env *env,
		       struct vmxcc_policy_out *out)
{
	int f;

	for (f = 0; f < VF_COUNT; f++) {
		if (fields[f].group != HOST || f == VF_HOST_RIP ||
		    f == VF_HOST_RSP)
			continue;
		if (out->img.f[f] != env->good_host[f])
			out->changes |= VMXCC_POL_HOST;
		out->img.f[f] = env->good_host[f];
	}
}

static void host_loads_on_exit(const struct vmxcc_policy_env *env,
			       struct vmxcc_policy_out *out)
{
	const uint64_t loads = VM_EXIT_LOAD_IA32_EFER | VM_EXIT_LOAD_IA32_PAT |
			       VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL |
			       VM_EXIT_LOAD_CET_STATE | VM_EXIT_LOAD_IA32_PKRS;
	uint64_t add = loads & env->exit_may1 & ~F(&out->img, VM_EXIT_CONTROLS);

	if (!add)
		return;
	F(&out->img, VM_EXIT_CONTROLS) |= add;
	out->changes |= VMXCC_POL_EXIT_LOADS;
}

static void preemption_timer(const struct vmxcc_policy_env *env,
			     struct vmxcc_policy_out *out)
{
	struct vmx_case *c = &out->img;

	if (!(env->pin_may1 & PIN_BASED_VMX_PREEMPTION_TIMER)) {
		early_only(out, "no VMX-preemption timer to stop an entered guest", ~0u);
		return;
	}
	if (!(F(c, PIN_BASED_VM_EXEC_CONTROL) & PIN_BASED_VMX_PREEMPTION_TIMER) ||
	    F(c, VMX_PREEMPTION_TIMER_VALUE))
		out->changes |= VMXCC_POL_TIMER;
	F(c, PIN_BASED_VM_EXEC_CONTROL) |= PIN_BASED_VMX_PREEMPTION_TIMER;
	F(c, VMX_PREEMPTION_TIMER_VALUE) = 0;
}

static void intr_exiting(const struct vmxcc_policy_env *env,
			 struct vmxcc_policy_out *out)
{
	struct vmx_case *c = &out->img;
	uint64_t pin = F(c, PIN_BASED_VM_EXEC_CONTROL);

	if (F(c, VM_EXIT_CONTROLS) & VM_EXIT_ACK_INTR_ON_EXIT) {
		early_only(out, "acknowledge interrupt on exit would take a host interrupt",
			   ~0u);
		return;
	}
	if (pin & PIN_BASED_EXT_INTR_MASK)
		return;
	/* Their checks read this control: forcing it would hide a failure. */
	if ((pin & PIN_BASED_POSTED_INTR) ||
	    secondary(c, SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY)) {
		early_only(out,
			   "external-interrupt exiting is off with posted interrupts or virtual-interrupt delivery",
			   ~0u);
		return;
	}
	if (!(env->pin_may1 & PIN_BASED_EXT_INTR_MASK)) {
		early_only(out, "no external-interrupt exiting on this CPU", ~0u);
		return;
	}
	F(c, PIN_BASED_VM_EXEC_CONTROL) |= PIN_BASED_EXT_INTR_MASK;
	out->changes |= VMXCC_POL_INTR_EXITING;
}

/* An EPTP the processor would accept (SDM "VM-Execution Control Fields"). */
static uint64_t ept_root(const struct vmxcc_policy_env *env, uint64_t eptp)
{
	uint64_t mt = eptp & 7, walk = (eptp >> 3) & 7;

	if (!(mt == 0 && (env->ept_cap & VMX_EPT_MT_UC)) &&
	    !(mt == 6 && (env->ept_cap & VMX_EPT_MT_WB)))
		return 0;
	if ((eptp & (1ull << 6)) && !(env->ept_cap & VMX_EPT_AD))
		return 0;
	if ((eptp & 0xf00) || (eptp & env->phys_mask))
		return 0;
	if (walk == 3 && (env->ept_cap & VMX_EPT_PWL4))
		return env->ept_root4;
	if (walk == 4 && (env->ept_cap & VMX_EPT_PWL5))
		return env->ept_root5;
	return 0;
}

static void guest_memory(const struct vmxcc_policy_env *env,
			 struct vmxcc_policy_out *out)
{
	struct vmx_case *c = &out->img;
	uint64_t root;

	if (secondary(c, SECONDARY_EXEC_ENABLE_EPT)) {
		root = ept_root(env, F(c, EPT_POINTER));
		if (root) {
			F(c, EPT_POINTER) = root | (F(c, EPT_POINTER) & PAGE_MASK_4K);
			out->changes |= VMXCC_POL_EPT_SANDBOX;
		}
		return;
	}
	if (F(c, VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID)
		early_only(out, "event injection without EPT would write host memory", ~0u);
	else if (F(c, GUEST_PENDING_DBG_EXCEPTIONS))
		early_only(out,
			   "pending debug exceptions without EPT would write host memory",
			   ~0u);
}

/* Pointer fields and the alignment the processor requires of each. */
static const struct { uint16_t field; uint16_t align; } pointers[] = {
	{ VF_IO_BITMAP_A, 4096 }, { VF_IO_BITMAP_B, 4096 },
	{ VF_MSR_BITMAP, 4096 }, { VF_APIC_ACCESS_ADDR, 4096 },
	{ VF_POSTED_INTR_DESC_ADDR, 64 }, { VF_PML_ADDRESS, 4096 },
	{ VF_EPTP_LIST_ADDRESS, 4096 }, { VF_VMREAD_BITMAP, 4096 },
	{ VF_VMWRITE_BITMAP, 4096 }, { VF_VE_INFORMATION_ADDRESS, 4096 },
	{ VF_XSS_EXIT_BITMAP, 4096 }, { VF_ENCLS_EXITING_BITMAP, 4096 },
	{ VF_ENCLV_EXITING_BITMAP, 4096 }, { VF_SPPT_POINTER, 4096 },
	{ VF_PCONFIG_EXITING_BITMAP, 4096 }, { VF_HLAT_POINTER, 4096 },
	{ VF_PID_POINTER_TABLE, 4096 }, { VF_EXECUTIVE_VMCS_POINTER, 4096 },
};

static void relocate(struct vmxcc_policy_out *out, int f, uint64_t page)
{
	uint64_t v = out->img.f[f];
	uint64_t nv = page | (v & PAGE_MASK_4K);

	if (nv != v)
		out->changes |= VMXCC_POL_POINTERS;
	out->img.f[f] = nv;
}

/*
 * Every VM exit, including the exit of a failed VM entry, stores guest MSRs
 * to the VM-exit MSR-store area and loads host MSRs from the VM-exit
 * MSR-load area: both must be the module's, in either phase.  A list the
 * VMfail checks reject (misaligned, or reaching beyond MAXPHYADDR) is kept.
 */
static void exit_msr_list(const struct vmxcc_policy_env *env,
			  struct vmxcc_policy_out *out, int field, uint64_t n,
			  uint64_t area, const char *too_long)
{
	uint64_t a = out->img.f[field];

	if (!n || !usable(env, a, 16) || ((a + n * 16 - 1) & env->phys_mask))
		return;
	if (n > VMXCC_POLICY_EXIT_MSRS)
		limit(out, VMXCC_SKIP, too_long, ~0u);
	else
		relocate(out, field, area);
}

static void pointers_to_sandbox(const struct vmxcc_policy_env *env,
				struct vmxcc_policy_out *out)
{
	struct vmx_case *c = &out->img;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pointers); i++)
		if (usable(env, c->f[pointers[i].field], pointers[i].align))
			relocate(out, pointers[i].field, env->scratch);

	exit_msr_list(env, out, VF_VM_EXIT_MSR_STORE_ADDR,
		      F(c, VM_EXIT_MSR_STORE_COUNT) & 0xffffffff, env->exit_store,
		      "VM-exit MSR-store count above 4096 (any processor's recommended maximum)");
	exit_msr_list(env, out, VF_VM_EXIT_MSR_LOAD_ADDR,
		      F(c, VM_EXIT_MSR_LOAD_COUNT) & 0xffffffff, env->exit_load,
		      "VM-exit MSR-load count above 4096 (any processor's recommended maximum)");
}

static void msr_load_list(const struct vmxcc_policy_env *env,
			  struct vmxcc_policy_out *out)
{
	struct vmx_case *c = &out->img;
	uint64_t n = F(c, VM_ENTRY_MSR_LOAD_COUNT) & 0xffffffff;
	uint64_t i;

	if (!n || !usable(env, F(c, VM_ENTRY_MSR_LOAD_ADDR), 16))
		return;			/* nothing will be read */
	for (i = 0; i < n; i++) {
		struct vmx_msr_entry e = vmx_case_msr_entry(c, i);

		if (vmxcc_policy_msr_allowed(e.index))
			continue;
		if ((e.index == MSR_FS_BASE || e.index == MSR_GS_BASE) &&
		    i < c->n_msr_load) {
			/*
			 * Must fail (SDM); if a processor got it wrong, the
			 * host's own value makes the mistake harmless.
			 */
			uint64_t host = e.index == MSR_FS_BASE ? env->fs_base
							       : env->gs_base;
			if (c->msr_load[i].value != host)
				out->changes |= VMXCC_POL_MSR_VALUE;
			c->msr_load[i].value = host;
			continue;
		}
		early_only(out, "VM-entry MSR-load entry not on the allow-list",
			   e.index);
		return;
	}
}

int vmxcc_policy_apply(const struct vmxcc_policy_env *env,
		       const struct vmx_case *c, bool host_as_given,
		       struct vmxcc_policy_out *out)
{
	if (host_as_given && !env->host_fuzz)
		return -1;
	out->img = *c;
	/*
	 * A VMWRITE keeps only the field's width: decide on those bits (an
	 * activity state of 0x100000003 is wait-for-SIPI once written).
	 */
	truncate_to_width(&out->img);
	out->changes = 0;
	out->verdict = VMXCC_RUN;
	out->why = NULL;
	out->why_msr = ~0u;

	if (!host_as_given) {
		host_state(env, out);
		host_loads_on_exit(env, out);
	}
	preemption_timer(env, out);
	intr_exiting(env, out);
	guest_memory(env, out);
	if (F(&out->img, GUEST_ACTIVITY_STATE) == GUEST_ACTIVITY_WAIT_SIPI)
		early_only(out, "wait-for-SIPI guest: the preemption timer cannot end it", ~0u);
	pointers_to_sandbox(env, out);
	msr_load_list(env, out);
	return 0;
}
