// SPDX-License-Identifier: GPL-2.0
/*
 * One case: effective image, launch state, the entry attempt, its
 * classification (RFLAGS first: after a VMfail the exit-reason field still
 * holds an older value), read-back and host-state restore.
 */
#include "core_internal.h"
#include "vmxcc/arch.h"

#define MODE_RESUME	1ull
#define MODE_MOVSS	2ull
#define MODE_NO_RSP	4ull

static void forget_fields(struct vmx_core_env *env, uint8_t group)
{
	for (int w = 0; w < VMX_CORE_FIELD_WORDS; w++)
		env->vmcs->shadow_known[w] &= ~env->cpu->group_bits[group][w];
}

static const char *write_one(struct vmx_core_vmcs *v, int f, uint64_t val)
{
	if (v->shadow[f] == val && bit_test(v->shadow_known, f))
		return NULL;
	if (vi_vmwrite(vmx_core_encodings[f], val) & (RFLAGS_CF | RFLAGS_ZF))
		return "VMWRITE failed";
	v->shadow[f] = val;
	bit_set(v->shadow_known, f);
	return NULL;
}

/* Incremental write: fields that changed, were relocated, or that the VMCS
 * may no longer hold (forgotten after a VM exit). */
static const char *write_changed(struct vmx_core_env *env, const struct vmx_case *eff)
{
	const struct vmx_core_cpu *cpu = env->cpu;
	struct vmx_core_vmcs *v = env->vmcs;
	uint64_t extra[VMX_CORE_FIELD_WORDS] = { 0 };
	const char *why;

#define MARK(n) bit_set(extra, VF_##n);
	VMX_CORE_RELOCATED(MARK)
#undef MARK
	for (int w = 0; w < VMX_CORE_FIELD_WORDS; w++) {
		uint64_t bits = (env->changed[w] | extra[w] | ~v->shadow_known[w]) &
				cpu->write_bits[w];

		while (bits) {
			int f = w * 64 + __builtin_ctzll(bits);

			bits &= bits - 1;
			why = write_one(v, f, eff->f[f]);
			if (why)
				return why;
		}
	}
	return NULL;
}

/* VMWRITE every field whose value differs from what the VMCS holds. */
static const char *write_fields(struct vmx_core_env *env, const struct vmx_case *eff)
{
	const struct vmx_core_cpu *cpu = env->cpu;
	struct vmx_core_vmcs *v = env->vmcs;

	for (int i = 0; i < cpu->n_write; i++) {
		int f = cpu->write_list[i];
		uint64_t val = eff->f[f];

		if (v->shadow[f] == val && bit_test(v->shadow_known, f))
			continue;
		if (vi_vmwrite(vmx_core_encodings[f], val) & (RFLAGS_CF | RFLAGS_ZF))
			return "VMWRITE failed";
		v->shadow[f] = val;
		bit_set(v->shadow_known, f);
	}
	return NULL;
}

/* Classify the instruction's result; RFLAGS first. */
static void classify(uint64_t ret, struct vmx_core_result *r)
{
	struct vmx_outcome *o = &r->outcome;

	if (ret & VMX_CORE_RSP_FAILED) {
		o->kind = VO_SKIPPED;
		r->skip_reason = "VMWRITE of HOST_RSP failed";
		return;
	}
	if (ret & VMX_CORE_EXITED) {
		uint64_t reason = vmread_field(VF_VM_EXIT_REASON);

		if (reason & EXIT_REASON_ENTRY_FAIL_FLAG) {
			*o = vo_entry_fail(reason & 0xffff,
					   vmread_field(VF_EXIT_QUALIFICATION));
		} else {
			*o = vo_entered();
			o->reason = reason & 0xffff;
		}
		return;
	}
	r->rflags = ret;
	if (ret & RFLAGS_CF)
		*o = vo_vmfail_invalid();
	else if (ret & RFLAGS_ZF)
		*o = vo_vmfail(vmread_field(VF_VM_INSTRUCTION_ERROR));
	else {
		o->kind = VO_SKIPPED;
		r->skip_reason = "VMLAUNCH/VMRESUME fell through without CF or ZF";
	}
}

/* The implementation under test may itself be wrong about what a failed
 * entry leaves alone: spot-check the fields a VM exit would save first
 * (four VMREADs, far cheaper than rewriting ~70 guest fields) and trust
 * the guest-state area only if they are untouched. */
static bool guest_untouched(struct vmx_core_vmcs *v)
{
	static const enum vmx_field probe[] = {
		VF_GUEST_RIP, VF_GUEST_RSP, VF_GUEST_RFLAGS, VF_VM_ENTRY_INTR_INFO_FIELD,
	};

	for (unsigned int i = 0; i < sizeof(probe) / sizeof(probe[0]); i++)
		if (!bit_test(v->shadow_known, probe[i]) ||
		    vmread_field(probe[i]) != v->shadow[probe[i]])
			return false;
	return true;
}

/* After the attempt: what the VMCS now holds is partly unknown.  A VM exit
 * saves the guest state and clears the valid bit of the VM-entry
 * interruption information; a VM-entry failure (exit reason bit 31: invalid
 * guest state, MSR loading, machine check) modifies neither (SDM "VM-Entry
 * Failures During or After Loading Guest State"; Bochs' VMexit() skips the
 * save for those reasons too), so its guest fields need no rewrite -- as
 * long as the implementation really left them alone (guest_untouched). */
static void after_attempt(struct vmx_core_env *env, uint64_t ret, bool launch)
{
	struct vmx_core_vmcs *v = env->vmcs;

	forget_fields(env, RO);
	if (!(ret & VMX_CORE_EXITED))
		return;
	vmx_core_restore_host(env);
	if (vmread_field(VF_VM_EXIT_REASON) & EXIT_REASON_ENTRY_FAIL_FLAG) {
		/* A failed entry never launches the VMCS. */
		if (!guest_untouched(v))
			forget_fields(env, GUEST);
		return;
	}
	forget_fields(env, GUEST);
	bit_clear(v->shadow_known, VF_VM_ENTRY_INTR_INFO_FIELD);
	if (launch)
		v->launched = true;
}

static uint64_t attempt(struct vmx_core_env *env, const struct vmx_case *eff,
			uint64_t mode)
{
	uint64_t ret = vmx_core_vmenter(mode, vmx_core_field_encoding(VF_HOST_RSP));

	after_attempt(env, ret, !(mode & MODE_RESUME));
	return ret;
}

/* Get env->vmcs launched by entering the environment's trivial guest. */
static int make_launched(struct vmx_core_env *env, struct vmx_case *scratch)
{
	if (!env->launch_prep)
		return -VMX_CORE_EPREP;
	if (vmx_core_build_effective(env->launch_prep, env, scratch))
		return -VMX_CORE_EPREP;
	vmx_core_fill_memory(env->launch_prep, scratch, env);
	if (write_fields(env, scratch))
		return -VMX_CORE_EPREP;
	attempt(env, scratch, 0);
	return env->vmcs->launched ? 0 : -VMX_CORE_EPREP;
}

static int set_launch_state(struct vmx_core_env *env, const struct vmx_case *c,
			    struct vmx_case *scratch)
{
	int err;

	if (c->launch_state && !env->vmcs->launched)
		return make_launched(env, scratch);
	if (!c->launch_state && env->vmcs->launched) {
		err = vmx_core_vmcs_clear(env, env->vmcs);
		if (err)
			return err;
		return vmx_core_vmcs_load(env, env->vmcs);
	}
	return 0;
}

static void read_back(struct vmx_core_env *env, struct vmx_core_result *r)
{
	for (int f = 0; f < VF_COUNT; f++) {
		r->readback[f] = 0;
		if (vmx_core_field_supported(env->cpu, f))
			vi_vmread(vmx_core_field_encoding(f), &r->readback[f]);
	}
}

/* The current VMCS has the shadow-VMCS indicator: switch to the env's
 * shadow VMCS for the attempt, then back. */
static int run_on_shadow(struct vmx_core_env *env, struct vmx_core_result *r,
			 uint64_t mode)
{
	struct vmx_core_page *s = &env->shadow_vmcs;
	uint64_t ret;

	*(volatile uint32_t *)s->virt = env->cpu->revision | (1u << 31);
	if (vi_vmptrld(s->phys) & (RFLAGS_CF | RFLAGS_ZF)) {
		r->outcome.kind = VO_SKIPPED;
		r->skip_reason = "VMPTRLD of a shadow VMCS refused (no VMCS shadowing)";
		return vmx_core_vmcs_load(env, env->vmcs);
	}
	env->cpu->current_vmcs = NULL;
	ret = vmx_core_vmenter(mode | MODE_NO_RSP, vmx_core_field_encoding(VF_HOST_RSP));
	classify(ret, r);
	if (ret & VMX_CORE_EXITED)
		vmx_core_restore_host(env);
	vi_vmclear(s->phys);
	return vmx_core_vmcs_load(env, env->vmcs);
}

int vmx_core_run_case(const struct vmx_case *c, struct vmx_core_env *env,
		      struct vmx_core_result *r)
{
	uint64_t mode = (c->instr == VMX_VMRESUME ? MODE_RESUME : 0) |
			(c->movss_blocking ? MODE_MOVSS : 0);
	const char *why;
	uint64_t ret;
	bool prepared;
	int err;

	r->outcome = vo_vmfail_invalid();
	r->rflags = 0;
	r->skip_reason = NULL;
	err = vmx_core_vmcs_load(env, env->vmcs);
	if (err)
		return err;
	/* Launch preparation uses r->effective as scratch: the next image
	 * must then be built in full. */
	prepared = c->launch_state && !env->vmcs->launched;
	err = set_launch_state(env, c, &r->effective);
	if (err)
		return err;
	if (vmx_core_incremental(env) && !prepared) {
		why = vmx_core_update_effective(c, env, &r->effective);
		if (!why)
			why = write_changed(env, &r->effective);
	} else {
		why = vmx_core_build_effective(c, env, &r->effective);
		if (!why)
			why = write_fields(env, &r->effective);
	}
	if (why) {
		r->outcome.kind = VO_SKIPPED;
		r->skip_reason = why;
		return 0;
	}
	vmx_core_fill_memory(c, &r->effective, env);

	if (c->current_is_shadow)
		return run_on_shadow(env, r, mode);
	if (c->no_current_vmcs) {
		/* VMCLEAR of the current VMCS leaves no current VMCS. */
		err = vmx_core_vmcs_clear(env, env->vmcs);
		if (err)
			return err;
		ret = vmx_core_vmenter(mode | MODE_NO_RSP, vmx_core_field_encoding(VF_HOST_RSP));
		classify(ret, r);
		return vmx_core_vmcs_load(env, env->vmcs);
	}
	ret = attempt(env, &r->effective, mode);
	classify(ret, r);
	r->effective.f[VF_HOST_RSP] = vmread_field(VF_HOST_RSP);
	if (env->readback)
		read_back(env, r);
	return 0;
}
