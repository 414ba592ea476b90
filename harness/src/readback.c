// SPDX-License-Identifier: GPL-2.0
/*
 * Read-back differences: which fields the VMCS holds other than written
 * after an attempt, and whether the SDM says the attempt does that
 * (readback.h has the rules).
 */
#include <string.h>

#include "vmxcc/arch.h"
#include "vmxcc/readback.h"

const char *const vmx_rb_why_names[VMX_RB_WHY_COUNT] = {
	[VMX_RB_EXIT_INFO] = "exit information",
	[VMX_RB_GUEST_SAVED] = "guest state saved by the VM exit",
	[VMX_RB_INTR_CLEARED] = "the VM exit clears the valid bit",
	[VMX_RB_IA32E_SAVED] = "the VM exit stores IA32_EFER.LMA in \"IA-32e mode guest\"",
	[VMX_RB_UNEXPECTED] = "unexpected",
};

bool vmx_readback_judged(const struct vmx_backend_result *r)
{
	if (!r->have_readback)
		return false;
	return r->outcome.kind == VO_VMFAIL_INVALID || r->outcome.kind == VO_VMFAIL_VALID ||
	       r->outcome.kind == VO_ENTRY_FAIL || r->outcome.kind == VO_ENTERED;
}

bool vmx_readback_shows_checked(const struct vmx_outcome *o)
{
	return o->kind == VO_VMFAIL_INVALID || o->kind == VO_VMFAIL_VALID ||
	       o->kind == VO_ENTRY_FAIL;
}

/* What a real VM exit may do to a field that is not exit information. */
static enum vmx_rb_why after_exit(int f, uint64_t written, uint64_t read)
{
	if (vmx_fields[f].group == GUEST)
		return VMX_RB_GUEST_SAVED;
	if (f == VF_VM_ENTRY_INTR_INFO_FIELD && read == (written & ~(uint64_t)INTR_INFO_VALID))
		return VMX_RB_INTR_CLEARED;
	if (f == VF_VM_ENTRY_CONTROLS && ((written ^ read) & ~(uint64_t)VM_ENTRY_IA32E_MODE) == 0)
		return VMX_RB_IA32E_SAVED;
	return VMX_RB_UNEXPECTED;
}

static enum vmx_rb_why classify(const struct vmx_outcome *o, int f, uint64_t written,
				uint64_t read)
{
	if (vmx_fields[f].group == RO)
		return VMX_RB_EXIT_INFO;
	/* VMfail writes only the VM-instruction error; a VM-entry failure
	 * only exit information (guest state, interruption info untouched). */
	if (o->kind != VO_ENTERED)
		return VMX_RB_UNEXPECTED;
	return after_exit(f, written, read);
}

int vmx_readback_diff(const struct vmx_backend_result *r, struct vmx_rb_diffs *d)
{
	d->n = 0;
	d->n_unexpected = 0;
	if (!vmx_readback_judged(r))
		return 0;
	for (int f = 0; f < VF_COUNT; f++) {
		uint64_t mask = vmx_field_mask(f);
		uint64_t w = r->effective.f[f] & mask, v = r->readback[f] & mask;
		struct vmx_rb_diff *x;

		/* A field the implementation does not have was not read. */
		if (!vmx_rb_bit(r->readback_valid, f) || w == v)
			continue;
		x = &d->d[d->n++];
		x->field = (uint16_t)f;
		x->written = w;
		x->read = v;
		x->why = (uint8_t)classify(&r->outcome, f, w, v);
		d->n_unexpected += x->why == VMX_RB_UNEXPECTED;
	}
	return d->n_unexpected;
}

int vmx_readback_correct(const struct vmx_backend_result *r, const struct vmx_rb_diffs *d,
			 struct vmx_case *img, uint64_t subst[VMX_READBACK_WORDS])
{
	int n = 0;

	*img = r->effective;
	memset(subst, 0, VMX_READBACK_WORDS * sizeof(subst[0]));
	if (!vmx_readback_shows_checked(&r->outcome))
		return 0;
	for (int i = 0; i < d->n; i++) {
		const struct vmx_rb_diff *x = &d->d[i];

		if (x->why != VMX_RB_UNEXPECTED)
			continue;
		img->f[x->field] = x->read;
		vmx_rb_set(subst, x->field);
		n++;
	}
	return n;
}

int vmx_readback_enable(struct vmx_backend_inst *bi, bool on, char *err, size_t errlen)
{
	char why[512];

	if (!bi->ops->set_readback) {
		snprintf(err, errlen, "read-back is not available with back end %s", bi->ops->name);
		return 0;
	}
	if (bi->ops->set_readback(bi->b, on, why, sizeof(why))) {
		snprintf(err, errlen, "back end %s: read-back: %s", bi->spec, why);
		return -1;
	}
	return on;
}

/* The expected differences of one kind on one line: "why: F a->b, ...". */
static void print_expected(FILE *f, const struct vmx_rb_diffs *d, int why, const char *indent)
{
	int n = 0;

	for (int i = 0; i < d->n; i++) {
		const struct vmx_rb_diff *x = &d->d[i];

		if (x->why != why)
			continue;
		if (n++)
			fputs(", ", f);
		else
			fprintf(f, "%sexpected (%s): ", indent, vmx_rb_why_names[why]);
		fprintf(f, "%s %#llx->%#llx", vmx_fields[x->field].name,
			(unsigned long long)x->written, (unsigned long long)x->read);
	}
	if (n)
		fputc('\n', f);
}

void vmx_readback_print(FILE *f, const struct vmx_rb_diffs *d, const char *indent)
{
	for (int i = 0; i < d->n; i++) {
		const struct vmx_rb_diff *x = &d->d[i];

		if (x->why == VMX_RB_UNEXPECTED)
			fprintf(f, "%sUNEXPECTED %s: the VMCS holds %#llx where %#llx was written\n",
				indent, vmx_fields[x->field].name, (unsigned long long)x->read,
				(unsigned long long)x->written);
	}
	for (int why = 0; why < VMX_RB_UNEXPECTED; why++)
		print_expected(f, d, why, indent);
	if (!d->n)
		fprintf(f, "%s(none: every field read back as written)\n", indent);
}
