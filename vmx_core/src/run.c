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

/* Incremental write: the @dirty fields and those the VMCS may no longer
 * hold as written (forgotten after a VM exit), where the value differs
 * from the shadow.  The loop every case goes through: keep it tight.
 */
/* Inlined into both callers: a call costs the per-case path ~14 emulated
 * instructions. */
static __attribute__((always_inline)) inline enum vmx_core_skip
write_changed(struct vmx_core_env *env, const struct vmx_case *eff, const uint64_t *dirty)
{
	const struct vmx_core_cpu *cpu = env->cpu;
	struct vmx_core_vmcs *v = env->vmcs;

	for (int w = 0; w < VMX_CORE_FIELD_WORDS; w++) {
		uint64_t known = v->shadow_known[w];
		uint64_t bits = (dirty[w] | ~known) & cpu->write_bits[w];

		while (bits) {
			int f = w * 64 + __builtin_ctzll(bits);
			uint64_t val = eff->f[f];

			bits &= bits - 1;
			if (v->shadow[f] == val && ((known >> (f % 64)) & 1))
				continue;
			if (!vi_vmwrite_ok(vmx_core_encodings[f], val))
				return VMX_CORE_SKIP_VMWRITE;
			v->shadow[f] = val;
		}
		v->shadow_known[w] = known | cpu->write_bits[w];
	}
	return VMX_CORE_SKIP_NONE;
}

/* VMWRITE every field whose value differs from what the VMCS holds: the
 * incremental write with every field dirty. */
static enum vmx_core_skip write_fields(struct vmx_core_env *env, const struct vmx_case *eff)
{
	static const uint64_t all[VMX_CORE_FIELD_WORDS] = {
		[0 ... VMX_CORE_FIELD_WORDS - 1] = ~0ull
	};

	return write_changed(env, eff, all);
}

static void skip(struct vmx_core_result *r, enum vmx_core_skip why)
{
	r->outcome.kind = VO_SKIPPED;
	r->skip = why;
	r->skip_reason = vmx_core_skip_text[why];
}

/* Classify the instruction's result; RFLAGS first. */
static void classify(uint64_t ret, uint64_t reason, struct vmx_core_result *r)
{
	struct vmx_outcome *o = &r->outcome;

	if (ret & VMX_CORE_RSP_FAILED) {
		skip(r, VMX_CORE_SKIP_HOST_RSP);
		return;
	}
	if (ret & VMX_CORE_EXITED) {
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
	else
		skip(r, VMX_CORE_SKIP_FELL_THROUGH);
}

/* The implementation under test may itself be wrong about what a failed
 * entry leaves alone: spot-check the fields a VM exit would save first
 * (four VMREADs, far cheaper than rewriting ~70 guest fields) and trust
 * the guest-state area only if they are untouched.
 */
static bool guest_untouched(struct vmx_core_vmcs *v)
{
	static const enum vmx_field probe[] = {
		VF_GUEST_RIP, VF_GUEST_RSP, VF_GUEST_RFLAGS, VF_VM_ENTRY_INTR_INFO_FIELD,
	};

	for (unsigned int i = 0; i < VMX_CORE_ARRAY_SIZE(probe); i++)
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
 * long as the implementation really left them alone (guest_untouched).
 */
static void after_attempt(struct vmx_core_env *env, uint64_t ret, uint64_t reason,
			  bool launch)
{
	struct vmx_core_vmcs *v = env->vmcs;

	if (!(ret & VMX_CORE_EXITED))
		return;
	vmx_core_restore_host(env);
	if (reason & EXIT_REASON_ENTRY_FAIL_FLAG) {
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

/* VMLAUNCH/VMRESUME on env->vmcs; *@reason: the exit reason after a VM
 * exit.  HOST_RSP as written lands in @eff.
 */
static uint64_t attempt(struct vmx_core_env *env, struct vmx_case *eff,
			uint64_t mode, uint64_t *reason)
{
	uint64_t ret = vmx_core_vmenter(mode, vmx_core_field_encoding(VF_HOST_RSP),
					&eff->f[VF_HOST_RSP]);

	env->vmcs->shadow[VF_HOST_RSP] = eff->f[VF_HOST_RSP];

	*reason = ret & VMX_CORE_EXITED ? vmread_field(VF_VM_EXIT_REASON) : 0;
	after_attempt(env, ret, *reason, !(mode & MODE_RESUME));
	return ret;
}

/* Get env->vmcs launched by entering the environment's trivial guest. */
static int make_launched(struct vmx_core_env *env, struct vmx_case *scratch)
{
	uint64_t reason;

	if (!env->launch_prep)
		return -VMX_CORE_EPREP;
	if (vmx_core_build_effective(env->launch_prep, env, scratch))
		return -VMX_CORE_EPREP;
	vmx_core_fill_memory(env->launch_prep, scratch, env);
	if (write_fields(env, scratch))
		return -VMX_CORE_EPREP;
	attempt(env, scratch, 0, &reason);
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

/* VMREAD every field the VMCS has.  What was read is what the VMCS holds,
 * so it also becomes the shadow: after a VM exit the next case then writes
 * only the guest fields that really differ.  A field that no longer holds
 * the effective value is marked unknown: the next case must rewrite it
 * even if its own delta does not name it.
 */
static void read_back(struct vmx_core_env *env, struct vmx_core_result *r)
{
	const struct vmx_core_cpu *cpu = env->cpu;
	struct vmx_core_vmcs *v = env->vmcs;

	core_zero(r->readback_valid, sizeof(r->readback_valid));
	for (int f = 0; f < VF_COUNT; f++) {
		r->readback[f] = 0;
		if (!core_supported(cpu, f) ||
		    (vi_vmread(vmx_core_encodings[f], &r->readback[f]) &
		     (RFLAGS_CF | RFLAGS_ZF)))
			continue;
		bit_set(r->readback_valid, f);
		if (!bit_test(cpu->write_bits, f))
			continue;
		v->shadow[f] = r->readback[f];
		if (r->readback[f] == r->effective.f[f])
			bit_set(v->shadow_known, f);
		else
			bit_clear(v->shadow_known, f);
	}
}

/* The current VMCS has the shadow-VMCS indicator: switch to the env's
 * shadow VMCS for the attempt, then back.
 */
static int run_on_shadow(struct vmx_core_env *env, struct vmx_core_result *r,
			 uint64_t mode)
{
	struct vmx_core_page *s = &env->shadow_vmcs;
	uint64_t ret;

	*(volatile uint32_t *)s->virt = env->cpu->revision | (1u << 31);
	if (vi_vmptrld(s->phys) & (RFLAGS_CF | RFLAGS_ZF)) {
		skip(r, VMX_CORE_SKIP_NO_SHADOWING);
		return vmx_core_vmcs_load(env, env->vmcs);
	}
	env->cpu->current_vmcs = NULL;
	ret = vmx_core_vmenter(mode | MODE_NO_RSP, 0, NULL);
	classify(ret, ret & VMX_CORE_EXITED ? vmread_field(VF_VM_EXIT_REASON) : 0, r);
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
	uint64_t dirty[VMX_CORE_FIELD_WORDS];
	enum vmx_core_skip why;
	uint64_t ret, reason;
	bool prepared;
	int err;

	r->outcome = vo_vmfail_invalid();
	r->have_readback = false;
	r->rflags = 0;
	r->skip_reason = NULL;
	r->skip = VMX_CORE_SKIP_NONE;
	err = vmx_core_vmcs_load(env, env->vmcs);
	if (err)
		return err;
	/* Launch preparation uses r->effective as scratch: the next image
	 * must then be built in full.
	 */
	prepared = c->launch_state && !env->vmcs->launched;
	err = set_launch_state(env, c, &r->effective);
	if (err)
		return err;
	if (vmx_core_incremental(env) && !prepared) {
		why = vmx_core_update_effective(c, env, &r->effective, dirty);
		if (!why)
			why = write_changed(env, &r->effective, dirty);
	} else {
		why = vmx_core_build_effective(c, env, &r->effective);
		if (!why)
			why = write_fields(env, &r->effective);
	}
	if (why) {
		/* The image is (partly) not in the VMCS, yet the next case's
		 * delta is against this image: without this, a field this case
		 * changed back would stay as the case before left it.
		 */
		core_zero(env->vmcs->shadow_known, sizeof(env->vmcs->shadow_known));
		skip(r, why);
		return 0;
	}
	vmx_core_fill_memory(c, &r->effective, env);

	/* No current VMCS wins over a shadow VMCS as current: either way
	 * VMfailInvalid (SDM 26.1), and the case asks for no VMCS at all.
	 */
	if (c->no_current_vmcs) {
		/* VMCLEAR of the current VMCS leaves no current VMCS. */
		err = vmx_core_vmcs_clear(env, env->vmcs);
		if (err)
			return err;
		ret = vmx_core_vmenter(mode | MODE_NO_RSP, 0, NULL);
		classify(ret, ret & VMX_CORE_EXITED ? vmread_field(VF_VM_EXIT_REASON) : 0, r);
		err = vmx_core_vmcs_load(env, env->vmcs);
		goto no_rsp;
	}
	if (c->current_is_shadow) {
		err = run_on_shadow(env, r, mode);
		goto no_rsp;
	}
	ret = attempt(env, &r->effective, mode, &reason);
	classify(ret, reason, r);
	goto out;
no_rsp:
	/* HOST_RSP was not written: env->vmcs holds the last one that was. */
	r->effective.f[VF_HOST_RSP] = env->vmcs->shadow[VF_HOST_RSP];
out:
	if (!err && env->readback) {
		read_back(env, r);
		r->have_readback = true;
	}
	return err;
}
