// SPDX-License-Identifier: GPL-2.0
/*
 * Composition of the checks into outcomes (SDM Vol. 3C 26, "VM Entries"):
 *
 *  1. basic checks, in their fixed order: the first failure is the outcome;
 *  2. controls and host state: "may be performed in any order", so failing
 *     control checks allow VMfail 7, failing host checks allow VMfail 8, and
 *     both together allow either;
 *  3. guest state, only if 2 passed: VM exit 33 with the qualification of a
 *     failing check; several failing checks allow each of their
 *     qualifications (the guest-state checks are not ordered either);
 *  4. MSR loading, only if 3 passed: entries in order; the first failing
 *     entry i gives VM exit 34 with qualification i + 1;
 *  5. otherwise the entry succeeds.
 *
 * Every check of every class is still evaluated (MSR loading included: its
 * outcomes are set aside and count only if stage 4 is reached), so the
 * verdict lists all failing checks, not just those that decide the outcome.
 */
#include <string.h>

#include "model_internal.h"

const struct vmx_check_info vmx_checks[VMX_CHECK_COUNT] = {
#define CHECK(id, cls, qual, section, stmt) [id] = { #id, cls, qual, section, stmt },
#include "vmxcc/catalogue.def"
#undef CHECK
};

int vmx_check_by_name(const char *name)
{
	for (int i = 0; i < VMX_CHECK_COUNT; i++)
		if (strcmp(vmx_checks[i].id, name) == 0)
			return i;
	return -1;
}

/* Walks only the failed bits, which are few on any realistic case. */
static bool class_failed(const uint64_t *failed, enum vmx_check_class cls)
{
	for (int w = 0; w < VMX_CHECK_WORDS; w++) {
		uint64_t bits = failed[w];

		while (bits) {
			int b = __builtin_ctzll(bits);
			int id = w * 64 + b;

			if (vmx_checks[id].cls == cls)
				return true;
			bits &= bits - 1;
		}
	}
	return false;
}

/* First failing basic check in catalogue order (which is the SDM's order). */
static int first_basic_failure(const uint64_t *failed)
{
	for (int id = 0; id < VMX_CHECK_COUNT; id++) {
		if (vmx_checks[id].cls != CLS_BASIC)
			break;
		if ((failed[id / 64] >> (id % 64)) & 1)
			return id;
	}
	return -1;
}

static void add_guest_failures(const uint64_t *failed, const uint64_t *uncertain,
			       struct vmx_outcome_set *s)
{
	for (int w = 0; w < VMX_CHECK_WORDS; w++) {
		uint64_t bits = failed[w] | uncertain[w];

		while (bits) {
			int id = w * 64 + __builtin_ctzll(bits);

			if (vmx_checks[id].cls == CLS_GUEST)
				vmx_outcome_set_add(s, vo_entry_fail(EXIT_REASON_INVALID_GUEST_STATE,
								     vmx_checks[id].qual));
			bits &= bits - 1;
		}
	}
}

static void add_all(struct vmx_outcome_set *s, const struct vmx_outcome_set *from)
{
	for (uint32_t i = 0; i < from->n; i++)
		vmx_outcome_set_add(s, from->o[i]);
}

int vmx_model_eval(const struct vmx_caps *caps, const struct vmx_case *c,
		   struct vmx_verdict *v)
{
	return vmx_model_eval_except(caps, c, NULL, v);
}

int vmx_model_eval_except(const struct vmx_caps *caps, const struct vmx_case *c,
			  const uint64_t *ignore, struct vmx_verdict *v)
{
	uint64_t failed[VMX_CHECK_WORDS], uncertain[VMX_CHECK_WORDS];
	struct vmx_outcome_set msr;
	bool ctrl, host;
	int basic;

	/* Clear only what is read back: the outcome array is filled by count. */
	v->allowed.n = 0;
	memset(v->applied, 0, sizeof(v->applied));
	memset(v->failed, 0, sizeof(v->failed));
	memset(v->uncertain, 0, sizeof(v->uncertain));
	v->msr_fail_entry = -1;

	vmx_check_basic(caps, c, v);
	vmx_check_exec_controls(caps, c, v);
	vmx_check_exit_controls(caps, c, v);
	vmx_check_entry_controls(caps, c, v);
	vmx_check_host_regs(caps, c, v);
	vmx_check_host_segs(caps, c, v);
	vmx_check_host_asz(caps, c, v);
	vmx_check_guest_regs(caps, c, v);
	vmx_check_guest_segs(caps, c, v);
	vmx_check_guest_desc(caps, c, v);
	vmx_check_guest_rip_rflags(caps, c, v);
	vmx_check_guest_nonreg(caps, c, v);
	vmx_check_guest_pdpte(caps, c, v);
	vmx_check_msr_load(caps, c, v);
	/* Set its outcomes aside (only the used entries: this is the hot path). */
	msr.n = v->allowed.n;
	memcpy(msr.o, v->allowed.o, msr.n * sizeof(msr.o[0]));
	vmx_outcome_set_clear(&v->allowed);

	/* What decides the outcome: every failing check except ignored ones. */
	for (int w = 0; w < VMX_CHECK_WORDS; w++) {
		uint64_t keep = ignore ? ~ignore[w] : ~0ull;

		failed[w] = v->failed[w] & keep;
		uncertain[w] = v->uncertain[w] & keep;
	}

	basic = first_basic_failure(failed);
	if (basic >= 0) {
		uint8_t err = vmx_checks[basic].qual;

		vmx_outcome_set_add(&v->allowed, err ? vo_vmfail(err) : vo_vmfail_invalid());
		return 0;
	}

	ctrl = class_failed(failed, CLS_CTRL);
	host = class_failed(failed, CLS_HOST);
	if (ctrl)
		vmx_outcome_set_add(&v->allowed, vo_vmfail(VMXERR_ENTRY_INVALID_CONTROL_FIELD));
	if (host)
		vmx_outcome_set_add(&v->allowed, vo_vmfail(VMXERR_ENTRY_INVALID_HOST_STATE_FIELD));
	if (ctrl || host)
		return 0;

	add_guest_failures(failed, uncertain, &v->allowed);
	if (class_failed(failed, CLS_GUEST))
		return 0;
	/* A guest check the model cannot decide (uncertain, not failed) has
	 * added its exit above and lets the entry go on as well. */

	/* MSR loading adds exit-34 outcomes and, if it can complete, "entered". */
	add_all(&v->allowed, &msr);
	return 0;
}
