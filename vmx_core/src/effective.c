// SPDX-License-Identifier: GPL-2.0
/*
 * The effective image: what the core really puts in the VMCS and in memory
 * for a case.  Memory the checks read (MSR-load entries, PDPTEs, VTPR, the
 * link-pointer VMCS header) lives in environment pages, so valid addresses
 * are relocated there; invalid ones are kept (never dereferenced, and the
 * check that rejects them must still see them).  HOST_RIP/HOST_RSP point at
 * the core's exit path when that cannot change the outcome.
 */
#include "core_internal.h"
#include "vmxcc/arch.h"

#define F(c, name) ((c)->f[VF_##name])

static bool canonical(uint64_t a, unsigned int width)
{
	int64_t s = (int64_t)(a << (64 - width)) >> (64 - width);

	return (uint64_t)s == a;
}

/* Would the case's HOST_RIP pass the host address-space checks (26.2.4)? */
static bool host_rip_ok(const struct vmx_case *c, uint64_t rip, unsigned int width)
{
	if (F(c, VM_EXIT_CONTROLS) & VM_EXIT_HOST_ADDR_SPACE_SIZE)
		return canonical(rip, width);
	return (rip >> 32) == 0;
}

static bool addr_ok(const struct vmx_core_cpu *cpu, uint64_t a, uint64_t align)
{
	return !(a & (align - 1)) && !(a & cpu->phys_mask);
}

static bool secondary(const struct vmx_case *c, uint32_t bit)
{
	return (F(c, CPU_BASED_VM_EXEC_CONTROL) & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
	       (F(c, SECONDARY_VM_EXEC_CONTROL) & bit);
}

/* PAE paging without EPT: VM entry loads the PDPTEs from guest CR3. */
static bool reads_pdptes(const struct vmx_case *c)
{
	return (F(c, GUEST_CR0) & X86_CR0_PG) && (F(c, GUEST_CR4) & X86_CR4_PAE) &&
	       !(F(c, VM_ENTRY_CONTROLS) & VM_ENTRY_IA32E_MODE) &&
	       !secondary(c, SECONDARY_EXEC_ENABLE_EPT);
}

static enum vmx_core_skip relocate(const struct vmx_case *c, struct vmx_core_env *env,
			    struct vmx_case *eff)
{
	const struct vmx_core_cpu *cpu = env->cpu;
	uint64_t count = F(c, VM_ENTRY_MSR_LOAD_COUNT) & 0xffffffff;
	uint64_t a = F(c, VM_ENTRY_MSR_LOAD_ADDR);

	if (count && addr_ok(cpu, a, 16) && !((a + count * 16 - 1) & cpu->phys_mask)) {
		if (count * 16 > (uint64_t)env->msr_load_pages * 4096)
			return VMX_CORE_SKIP_MSR_AREA;
		F(eff, VM_ENTRY_MSR_LOAD_ADDR) = env->msr_load.phys;
	}
	if (reads_pdptes(c) && !(F(c, GUEST_CR3) & cpu->phys_mask))
		F(eff, GUEST_CR3) = env->pdpte.phys | (F(c, GUEST_CR3) & 0xfff);
	a = F(c, VIRTUAL_APIC_PAGE_ADDR);
	if ((F(c, CPU_BASED_VM_EXEC_CONTROL) & CPU_BASED_TPR_SHADOW) && addr_ok(cpu, a, 4096))
		F(eff, VIRTUAL_APIC_PAGE_ADDR) = env->vapic.phys;
	a = F(c, VMCS_LINK_POINTER);
	if (a != ~0ull && addr_ok(cpu, a, 4096))
		F(eff, VMCS_LINK_POINTER) = c->link_is_current ? env->vmcs->page.phys
							       : env->link.phys;
	return VMX_CORE_SKIP_NONE;
}

static void early_check_policy(struct vmx_core_env *env, struct vmx_case *eff)
{
	for (int f = 0; f < VF_COUNT; f++)
		if (vmx_core_field_group(f) == HOST)
			eff->f[f] = env->good_host[f];
	/* RFLAGS bit 1 clear: a guest-state failure is guaranteed, so entry
	 * can at most reach the consistency checks, never the guest.
	 */
	F(eff, GUEST_RFLAGS) &= ~2ull;
	F(eff, VM_ENTRY_MSR_LOAD_COUNT) = 0;
	eff->n_msr_load = 0;
}

/* *eff = *c without the unused tail of the MSR-load array (a case is
 * mostly that array; copying it whole would dominate a run).
 */
static void copy_case(struct vmx_case *eff, const struct vmx_case *c)
{
	uint32_t n = c->n_msr_load < VMX_CASE_MAX_MSR_LOAD ? c->n_msr_load
							   : VMX_CASE_MAX_MSR_LOAD;

	__builtin_memcpy(eff, c, __builtin_offsetof(struct vmx_case, msr_load));
	__builtin_memcpy(eff->msr_load, c->msr_load, n * sizeof(c->msr_load[0]));
	eff->n_msr_load = n;
}

enum vmx_core_skip vmx_core_build_effective(const struct vmx_case *c,
				     struct vmx_core_env *env,
				     struct vmx_case *eff)
{
	const struct vmx_core_cpu *cpu = env->cpu;
	uint64_t landing = (uint64_t)(uintptr_t)vmx_core_vmexit;
	enum vmx_core_skip why;

	copy_case(eff, c);
	for (int i = 0; i < cpu->n_absent; i++)
		eff->f[cpu->absent_list[i]] = 0;
	for (int i = 0; i < cpu->n_narrow; i++)
		eff->f[cpu->narrow_list[i]] &= vmx_core_field_mask(cpu->narrow_list[i]);
	why = relocate(c, env, eff);
	if (why)
		return why;
	if (env->policy == VMX_CORE_EARLY_CHECK)
		early_check_policy(env, eff);
	if (host_rip_ok(eff, F(eff, HOST_RIP), cpu->linear_width) &&
	    host_rip_ok(eff, landing, cpu->linear_width))
		F(eff, HOST_RIP) = landing;
	return VMX_CORE_SKIP_NONE;
}

/* The case's state outside f[] (small) and its given MSR-load entries. */
static void copy_state(struct vmx_case *eff, const struct vmx_case *c)
{
	uint32_t n = c->n_msr_load < VMX_CASE_MAX_MSR_LOAD ? c->n_msr_load
							   : VMX_CASE_MAX_MSR_LOAD;
	size_t off = __builtin_offsetof(struct vmx_case, instr);

	__builtin_memcpy((uint8_t *)eff + off, (const uint8_t *)c + off,
			 __builtin_offsetof(struct vmx_case, msr_load) - off);
	__builtin_memcpy(eff->msr_load, c->msr_load, n * sizeof(c->msr_load[0]));
	eff->n_msr_load = n;
}

/* Incremental vmx_core_build_effective: @eff holds the previous effective
 * image; only env->changed fields are redone, and the relocated ones only
 * when something relocation depends on changed.  @dirty receives the
 * fields whose effective value may differ from the previous image.
 */
enum vmx_core_skip vmx_core_update_effective(const struct vmx_case *c,
				      struct vmx_core_env *env,
				      struct vmx_case *eff, uint64_t *dirty)
{
	const struct vmx_core_cpu *cpu = env->cpu;
	uint64_t landing = (uint64_t)(uintptr_t)vmx_core_vmexit;
	bool redo = eff->link_is_current != c->link_is_current;

	copy_state(eff, c);
	for (int w = 0; w < VMX_CORE_FIELD_WORDS; w++) {
		uint64_t bits = env->changed[w];

		dirty[w] = bits;
		redo |= (bits & cpu->relocation_inputs[w]) != 0;
		while (bits) {
			int f = w * 64 + __builtin_ctzll(bits);

			bits &= bits - 1;
			if (f >= VF_COUNT)
				break;
			/* fields this VMCS lacks read as 0 */
			eff->f[f] = core_supported(cpu, f) ? c->f[f] & vmx_core_masks[f] : 0;
		}
	}
	if (!redo)
		return VMX_CORE_SKIP_NONE;
	for (int w = 0; w < VMX_CORE_FIELD_WORDS; w++)
		dirty[w] |= cpu->relocated[w];
	for (unsigned int i = 0; i < vmx_core_n_relocated; i++) {
		unsigned int f = vmx_core_relocated[i];

		eff->f[f] = core_supported(cpu, f) ? c->f[f] : 0;
	}
	if (relocate(c, env, eff))
		return VMX_CORE_SKIP_MSR_AREA;
	if (host_rip_ok(eff, F(eff, HOST_RIP), cpu->linear_width) &&
	    host_rip_ok(eff, landing, cpu->linear_width))
		F(eff, HOST_RIP) = landing;
	return VMX_CORE_SKIP_NONE;
}

/* Fill the environment pages the relocated fields point to. */
void vmx_core_fill_memory(const struct vmx_case *c, const struct vmx_case *eff,
			  struct vmx_core_env *env)
{
	if (F(eff, VM_ENTRY_MSR_LOAD_ADDR) == env->msr_load.phys &&
	    F(eff, VM_ENTRY_MSR_LOAD_COUNT)) {
		struct vmx_msr_entry *e = env->msr_load.virt;
		uint32_t n = F(eff, VM_ENTRY_MSR_LOAD_COUNT);

		for (uint32_t i = 0; i < n; i++)
			e[i] = vmx_case_msr_entry(eff, i);
	}
	if (F(eff, GUEST_CR3) != F(c, GUEST_CR3)) {
		uint64_t *p = (uint64_t *)((uint8_t *)env->pdpte.virt +
					   (F(c, GUEST_CR3) & 0xfe0));

		for (int i = 0; i < 4; i++)
			p[i] = c->pdpte[i];
	}
	if (F(eff, VIRTUAL_APIC_PAGE_ADDR) == env->vapic.phys)
		((volatile uint8_t *)env->vapic.virt)[0x80] = c->vtpr;
	if (F(eff, VMCS_LINK_POINTER) == env->link.phys && !c->link_is_current)
		*(volatile uint32_t *)env->link.virt =
			(c->link_revision & 0x7fffffff) | ((uint32_t)!!c->link_shadow << 31);
}
