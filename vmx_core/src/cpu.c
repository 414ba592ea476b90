// SPDX-License-Identifier: GPL-2.0
/*
 * VMX operation on one CPU, and VMCS regions with KVM-style tracking of
 * where each one is active and whether it was launched ("KVM: VMX: Keep list
 * of loaded VMCSs, instead of vcpus"): a VMCS is VMCLEARed before it moves,
 * before it is freed, and at VMXOFF.
 */
#include "core_internal.h"
#include "vmxcc/arch.h"

#define FEATURE_CONTROL_LOCKED		(1ull << 0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX	(1ull << 2)
#define CPUID_1_ECX_VMX			(1u << 5)

static int enable_feature_control(struct vmx_core_env *env)
{
	uint64_t fc = 0;

	if (env->rdmsr_safe(env->ctx, MSR_IA32_FEATURE_CONTROL, &fc))
		return -VMX_CORE_EFEATCTL;
	if (fc & FEATURE_CONTROL_LOCKED)
		return (fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX) ? 0 : -VMX_CORE_EFEATCTL;
	/* Unlocked (no firmware ran, e.g. the probe's own ROM): allow VMX
	 * outside SMX and lock, or VMXON raises #GP.
	 */
	fc |= FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_OUTSIDE_SMX;
	if (!env->wrmsr_safe || env->wrmsr_safe(env->ctx, MSR_IA32_FEATURE_CONTROL, fc))
		return -VMX_CORE_EFEATCTL;
	return 0;
}

int vmx_core_cpu_on(struct vmx_core_env *env)
{
	struct vmx_core_cpu *cpu = env->cpu;
	uint32_t r[4];
	uint64_t basic;
	int err;

	vi_cpuid(1, 0, r);
	if (!(r[2] & CPUID_1_ECX_VMX))
		return -VMX_CORE_ENOVMX;
	err = enable_feature_control(env);
	if (err)
		return err;
	if (env->rdmsr_safe(env->ctx, MSR_IA32_VMX_BASIC, &basic))
		return -VMX_CORE_ENOVMX;
	cpu->revision = basic & VMX_BASIC_REVISION_MASK;

	vi_cpuid(0x80000000, 0, r);
	cpu->phys_mask = ~((1ull << 36) - 1);
	if (r[0] >= 0x80000008) {
		vi_cpuid(0x80000008, 0, r);
		cpu->phys_mask = ~((1ull << (r[0] & 0xff)) - 1);
	}
	vi_cpuid(0, 0, r);
	cpu->linear_width = 48;
	if (r[0] >= 7) {
		vi_cpuid(7, 0, r);
		if ((r[2] & (1u << 16)) && (vi_read_cr4() & X86_CR4_LA57))
			cpu->linear_width = 57;
	}

	*(volatile uint32_t *)cpu->vmxon_region.virt = cpu->revision;
	vi_write_cr4(vi_read_cr4() | X86_CR4_VMXE);
	if (vi_vmxon(cpu->vmxon_region.phys) & (RFLAGS_CF | RFLAGS_ZF)) {
		vi_write_cr4(vi_read_cr4() & ~X86_CR4_VMXE);
		return -VMX_CORE_EVMXON;
	}
	cpu->vmxon = true;
	cpu->current_vmcs = NULL;
	cpu->active = NULL;
	return 0;
}

void vmx_core_cpu_off(struct vmx_core_env *env)
{
	struct vmx_core_cpu *cpu = env->cpu;

	if (!cpu->vmxon)
		return;
	while (cpu->active)
		vmx_core_vmcs_clear(env, cpu->active);
	vi_vmxoff();
	vi_write_cr4(vi_read_cr4() & ~X86_CR4_VMXE);
	cpu->vmxon = false;
}

void vmx_core_vmcs_init(struct vmx_core_env *env, struct vmx_core_vmcs *v)
{
	core_zero(v->page.virt, 4096);
	*(volatile uint32_t *)v->page.virt = env->cpu->revision;
	v->cpu = -1;
	v->launched = false;
	v->shadow_valid = false;
	core_zero(v->shadow_known, sizeof(v->shadow_known));
	v->next_on_cpu = NULL;
	/* Initialise the launch state before the first VMPTRLD (SDM 25.11.3). */
	vi_vmclear(v->page.phys);
}

/* Which fields this processor's VMCS has: VMREAD fails (error 12) for the
 * others, and writing them would fail the same way.
 */
static void detect_supported(struct vmx_core_cpu *cpu)
{
	cpu->n_absent = cpu->n_narrow = 0;
	for (int f = 0; f < VF_COUNT; f++) {
		uint64_t v;

		if (vi_vmread(vmx_core_field_encoding(f), &v) & (RFLAGS_CF | RFLAGS_ZF)) {
			cpu->absent_list[cpu->n_absent++] = f;
			continue;
		}
		bit_set(cpu->supported, f);
		bit_set(cpu->group_bits[vmx_core_field_group(f)], f);
		if (vmx_core_field_mask(f) != ~0ull)
			cpu->narrow_list[cpu->n_narrow++] = f;
		if (vmx_core_field_group(f) != RO && f != VF_HOST_RSP)
			bit_set(cpu->write_bits, f);
	}
	for (unsigned int i = 0; i < vmx_core_n_relocated; i++)
		bit_set(cpu->relocated, vmx_core_relocated[i]);
	for (unsigned int i = 0; i < vmx_core_n_relocation_inputs; i++)
		bit_set(cpu->relocation_inputs, vmx_core_relocation_inputs[i]);
	cpu->supported_known = true;
}

int vmx_core_vmcs_load(struct vmx_core_env *env, struct vmx_core_vmcs *v)
{
	struct vmx_core_cpu *cpu = env->cpu;

	if (cpu->current_vmcs == v)
		return 0;
	if (v->cpu != -1 && v->cpu != cpu->id)
		return -VMX_CORE_EVMPTRLD;	/* still active elsewhere */
	if (vi_vmptrld(v->page.phys) & (RFLAGS_CF | RFLAGS_ZF))
		return -VMX_CORE_EVMPTRLD;
	if (v->cpu == -1) {
		v->cpu = cpu->id;
		v->next_on_cpu = cpu->active;
		cpu->active = v;
	}
	cpu->current_vmcs = v;
	if (!cpu->supported_known)
		detect_supported(cpu);
	return 0;
}

int vmx_core_vmcs_clear(struct vmx_core_env *env, struct vmx_core_vmcs *v)
{
	struct vmx_core_cpu *cpu = env->cpu;
	struct vmx_core_vmcs **pp;

	if (v->cpu != -1 && v->cpu != cpu->id)
		return -VMX_CORE_EVMCLEAR;
	if (vi_vmclear(v->page.phys) & (RFLAGS_CF | RFLAGS_ZF))
		return -VMX_CORE_EVMCLEAR;
	for (pp = &cpu->active; *pp; pp = &(*pp)->next_on_cpu)
		if (*pp == v) {
			*pp = v->next_on_cpu;
			break;
		}
	if (cpu->current_vmcs == v)
		cpu->current_vmcs = NULL;
	v->next_on_cpu = NULL;
	v->cpu = -1;
	v->launched = false;
	/* VMCLEAR writes the data back; the contents stay what we wrote. */
	return 0;
}
