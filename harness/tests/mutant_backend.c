// SPDX-License-Identifier: GPL-2.0
/*
 * "mutant": a test double of a back end, linked only into test binaries.
 * It answers with the reference model's own outcome, except that it
 * ignores one named check (a simulated implementation bug), and it
 * "relocates" HOST_RIP like a real back end does, so the effective image
 * differs from the case.  Arguments: "mutant" (faithful), "mutant:CHECK_ID"
 * (ignores that check), "mutant:skip", "mutant:crash", "mutant:absent"
 * (cannot open: not available on this machine).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/arch.h"
#include "vmxcc/backend_session.h"
#include "vmxcc/model.h"

#define MUTANT_HOST_RIP 0x5000

struct vmx_backend {
	char arg[64];
	int ignore;		/* check id, or -1 */
	struct vmx_caps caps;
};

static struct vmx_backend *mutant_open(const char *arg, char *err, size_t errlen)
{
	struct vmx_backend *b;
	struct vmx_profile p;

	if (arg && strcmp(arg, "absent") == 0) {
		snprintf(err, errlen, "not available on this machine: test double asked to be absent");
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	snprintf(b->arg, sizeof(b->arg), "%s", arg ? arg : "");
	b->ignore = arg ? vmx_check_by_name(arg) : -1;
	if (arg && b->ignore < 0 && strcmp(arg, "skip") && strcmp(arg, "crash")) {
		snprintf(err, errlen, "mutant: unknown argument %s", arg);
		free(b);
		return NULL;
	}
	vmx_profile_synthetic_full(&p);
	vmx_caps_from_profile(&b->caps, &p, err, errlen);
	return b;
}

static int mutant_profile(struct vmx_backend *b, struct vmx_profile *p, char *err, size_t errlen)
{
	vmx_profile_synthetic_full(p);
	snprintf(p->name, sizeof(p->name), "mutant");
	return 0;
}

static bool class_fails(const struct vmx_verdict *v, int cls, int *first)
{
	for (int id = 0; id < VMX_CHECK_COUNT; id++)
		if (vmx_checks[id].cls == cls && vmx_verdict_failed(v, id)) {
			*first = id;
			return true;
		}
	return false;
}

/* The outcome of the remaining failures, in the SDM's order of classes
 * (a deterministic choice where the model allows several). */
static struct vmx_outcome first_outcome(const struct vmx_verdict *v)
{
	struct vmx_outcome o = vo_entered();
	int id;

	o.reason = 18;		/* the guest's VMCALL */
	if (class_fails(v, CLS_BASIC, &id))
		return vmx_checks[id].qual ? vo_vmfail(vmx_checks[id].qual) : vo_vmfail_invalid();
	if (class_fails(v, CLS_CTRL, &id))
		return vo_vmfail(VMXERR_ENTRY_INVALID_CONTROL_FIELD);
	if (class_fails(v, CLS_HOST, &id))
		return vo_vmfail(VMXERR_ENTRY_INVALID_HOST_STATE_FIELD);
	if (class_fails(v, CLS_GUEST, &id))
		return vo_entry_fail(EXIT_REASON_INVALID_GUEST_STATE, vmx_checks[id].qual);
	if (class_fails(v, CLS_MSR, &id))
		return vo_entry_fail(EXIT_REASON_MSR_LOAD_FAIL, (uint64_t)(v->msr_fail_entry + 1));
	return o;
}

static void run_one(struct vmx_backend *b, const struct vmx_case *c, struct vmx_backend_result *r)
{
	struct vmx_verdict v;

	memset(r, 0, sizeof(*r));
	r->effective = *c;
	r->effective.f[VF_HOST_RIP] = MUTANT_HOST_RIP;
	if (strcmp(b->arg, "skip") == 0) {
		r->outcome.kind = VO_SKIPPED;
		snprintf(r->text, sizeof(r->text), "mutant: skips everything");
		return;
	}
	if (strcmp(b->arg, "crash") == 0) {
		r->outcome.kind = VO_BACKEND_ERROR;
		snprintf(r->text, sizeof(r->text), "mutant: simulated crash");
		return;
	}
	vmx_model_eval(&b->caps, &r->effective, &v);
	if (b->ignore >= 0)
		v.failed[b->ignore / 64] &= ~(1ull << (b->ignore % 64));
	r->outcome = first_outcome(&v);
}

static int mutant_run(struct vmx_backend *b, const struct vmx_case *cases, size_t n,
		      struct vmx_backend_result *res, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		run_one(b, &cases[i], &res[i]);
	return 0;
}

static void mutant_close(struct vmx_backend *b)
{
	free(b);
}

const struct vmx_backend_ops vmx_backend_mutant = {
	.name = "mutant",
	.help = "test double: the model with one check ignored",
	.open = mutant_open,
	.profile = mutant_profile,
	.run = mutant_run,
	.close = mutant_close,
};

__attribute__((constructor)) static void mutant_register(void)
{
	vmx_backend_register(&vmx_backend_mutant);
}
