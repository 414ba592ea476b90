// SPDX-License-Identifier: GPL-2.0
/*
 * "mutant": a test double of a back end, linked only into test binaries.
 * It answers with the reference model's own outcome, except that it
 * ignores one named check (a simulated implementation bug), and it
 * "relocates" HOST_RIP like a real back end does, so the effective image
 * differs from the case.  Arguments: "mutant" (faithful), "mutant:CHECK_ID"
 * (ignores that check), "mutant:skip", "mutant:crash", "mutant:absent"
 * (cannot open: not available on this machine), and two simulated VMCS
 * bugs for read-back: "mutant:trunc16=FIELD" (VMWRITE keeps only bits
 * 15:0 of FIELD: the checks, and VMREAD, see the truncated value) and
 * "mutant:clobber=FIELD" (the attempt zeroes FIELD after the checks);
 * "mutant:flaky=CHECK_ID" ignores that check only while read-back is off
 * (an implementation that behaves otherwise on a second run);
 * "mutant:rbfail=CHECK_ID" ignores that check, and cannot run a batch at
 * all while read-back is on (a back end whose read-back is broken).
 *
 * Read-back (set_readback) reads every field after an attempt and plays
 * the SDM's part: VMfail writes the VM-instruction error; a VM-entry
 * failure the exit reason and qualification; an entry the guest's VMCALL
 * exit (exit reason 18; the guest ran a 3-byte instruction first, so
 * GUEST_RIP is saved 3 bytes on; the valid bit of
 * the VM-entry interruption information cleared).  "mutant-norb" is the
 * same test double without read-back (set_readback NULL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/arch.h"
#include "vmxcc/backend_session.h"
#include "vmxcc/model.h"
#include "vmxcc/readback.h"

#define MUTANT_HOST_RIP 0x5000

struct vmx_backend {
	char arg[64];
	int ignore;		/* check id, or -1 */
	int trunc16, clobber;	/* field, or -1 */
	int flaky;		/* check ignored without read-back, or -1 */
	bool rbfail;		/* run() fails while read-back is on */
	bool readback;
	struct vmx_caps caps;
};

/* "trunc16=FIELD" / "clobber=FIELD": the field, else -1. */
static int field_arg(const char *arg, const char *what)
{
	size_t n = strlen(what);

	if (!arg || strncmp(arg, what, n) || arg[n] != '=')
		return -1;
	return vmx_field_by_name(arg + n + 1);
}

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
	b->trunc16 = field_arg(arg, "trunc16");
	b->clobber = field_arg(arg, "clobber");
	b->flaky = arg && strncmp(arg, "flaky=", 6) == 0 ? vmx_check_by_name(arg + 6) : -1;
	if (arg && strncmp(arg, "rbfail=", 7) == 0) {
		b->rbfail = true;
		b->ignore = vmx_check_by_name(arg + 7);
	}
	if (arg && b->ignore < 0 && b->trunc16 < 0 && b->clobber < 0 && b->flaky < 0 &&
	    strcmp(arg, "skip") &&
	    strcmp(arg, "crash")) {
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

/* The VMCS after the attempt, as the SDM has the attempt leave it. */
static void read_back(const struct vmx_backend *b, const struct vmx_case *seen,
		      struct vmx_backend_result *r)
{
	const struct vmx_outcome *o = &r->outcome;

	if (o->kind == VO_VMFAIL_INVALID && seen->no_current_vmcs)
		return;		/* no VMCS to read */
	r->have_readback = true;
	for (int f = 0; f < VF_COUNT; f++) {
		vmx_rb_set(r->readback_valid, f);
		r->readback[f] = seen->f[f] & vmx_field_mask(f);
	}
	if (o->kind == VO_VMFAIL_VALID)
		r->readback[VF_VM_INSTRUCTION_ERROR] = o->error;
	if (o->kind == VO_ENTRY_FAIL) {
		r->readback[VF_VM_EXIT_REASON] = o->reason | 0x80000000u;
		r->readback[VF_EXIT_QUALIFICATION] = o->qual;
	}
	if (o->kind == VO_ENTERED) {
		r->readback[VF_VM_EXIT_REASON] = o->reason;
		r->readback[VF_GUEST_RIP] += 3;	/* a 3-byte instruction, then VMCALL */
		r->readback[VF_VM_EXIT_INSTRUCTION_LEN] = 3;
		r->readback[VF_VM_ENTRY_INTR_INFO_FIELD] &= ~(uint64_t)INTR_INFO_VALID;
	}
	if (b->clobber >= 0)
		r->readback[b->clobber] = 0;
}

static void run_one(struct vmx_backend *b, const struct vmx_case *c, struct vmx_backend_result *r)
{
	static struct vmx_case seen;
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
	/* What the checks see: the effective image, through the bug. */
	seen = r->effective;
	if (b->trunc16 >= 0)
		seen.f[b->trunc16] &= 0xffff;
	vmx_model_eval(&b->caps, &seen, &v);
	if (b->ignore >= 0)
		v.failed[b->ignore / 64] &= ~(1ull << (b->ignore % 64));
	if (b->flaky >= 0 && !b->readback)
		v.failed[b->flaky / 64] &= ~(1ull << (b->flaky % 64));
	r->outcome = first_outcome(&v);
	if (b->readback)
		read_back(b, &seen, r);
}

static int mutant_run(struct vmx_backend *b, const struct vmx_case *cases, size_t n,
		      struct vmx_backend_result *res, char *err, size_t errlen)
{
	if (b->rbfail && b->readback) {
		snprintf(err, errlen, "mutant: simulated read-back failure");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		run_one(b, &cases[i], &res[i]);
	return 0;
}

static int mutant_set_readback(struct vmx_backend *b, bool on, char *err, size_t errlen)
{
	b->readback = on;
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
	.set_readback = mutant_set_readback,
	.close = mutant_close,
};

/* The same without read-back, like a back end that cannot VMREAD. */
static const struct vmx_backend_ops vmx_backend_mutant_norb = {
	.name = "mutant-norb",
	.help = "test double: the mutant without read-back",
	.open = mutant_open,
	.profile = mutant_profile,
	.run = mutant_run,
	.close = mutant_close,
};

__attribute__((constructor)) static void mutant_register(void)
{
	vmx_backend_register(&vmx_backend_mutant);
	vmx_backend_register(&vmx_backend_mutant_norb);
}
