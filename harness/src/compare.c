// SPDX-License-Identifier: GPL-2.0
/* Model verdict on the effective image versus the back end's outcome. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/compare.h"
#include "vmxcc/readback.h"
#include "text_util.h"

const char *const vmx_agreement_names[4] = {
	[VMX_AGREE] = "agree",
	[VMX_DIVERGE] = "diverge",
	[VMX_SKIPPED] = "skipped",
	[VMX_BACKEND_FAILED] = "backend-error",
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void vmx_failing_checks(const struct vmx_verdict *v, char *buf, size_t len)
{
	const char *ids[VMX_CHECK_COUNT > 0 ? VMX_CHECK_COUNT : 1];
	size_t n = 0, used = 0;

	for (int id = 0; id < VMX_CHECK_COUNT; id++)
		if (vmx_verdict_failed(v, id))
			ids[n++] = vmx_checks[id].id;
	/* By name, so the signature survives a reordering of the catalogue. */
	qsort(ids, n, sizeof(ids[0]), cmp_names);
	if (len)
		buf[0] = 0;
	for (size_t i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " " : "", ids[i]);
}

uint64_t vmx_signature(const struct vmx_verdict *v, const struct vmx_outcome *observed,
		       uint64_t profile_fp, const char *backend)
{
	char set[1024], obs[64], checks[8192];
	struct vmx_outcome o = *observed;
	size_t blen = strcspn(backend, ":");
	uint64_t h = TEXT_HASH_INIT;

	/* The first exit reason of a successful entry is the guest's business,
	 * not the entry checks': one bucket for every "entered". */
	if (o.kind == VO_ENTERED)
		o.reason = 0;
	vmx_outcome_set_format(set, sizeof(set), &v->allowed);
	vmx_outcome_format(obs, sizeof(obs), &o);
	vmx_failing_checks(v, checks, sizeof(checks));
	h = text_hash(h, set, strlen(set) + 1);
	h = text_hash(h, obs, strlen(obs) + 1);
	h = text_hash(h, checks, strlen(checks) + 1);
	h = text_hash(h, &profile_fp, sizeof(profile_fp));
	return text_hash(h, backend, blen);
}

uint64_t vmx_signature_readback(uint64_t sig, const uint64_t finding[VMX_READBACK_WORDS])
{
	const char *names[VF_COUNT];
	uint64_t h = text_hash(sig, "readback", sizeof("readback"));
	size_t n = 0;

	for (int f = 0; f < VF_COUNT; f++)
		if (vmx_rb_bit(finding, f))
			names[n++] = vmx_fields[f].name;
	/* By name, so the bucket survives a reordering of fields.def. */
	qsort(names, n, sizeof(names[0]), cmp_names);
	for (size_t i = 0; i < n; i++)
		h = text_hash(h, names[i], strlen(names[i]) + 1);
	return h;
}

void vmx_compare_image(const struct vmx_backend_result *r, const struct vmx_comparison *cmp,
		       struct vmx_case *img)
{
	*img = r->effective;
	if (!cmp->corrected)
		return;
	for (int f = 0; f < VF_COUNT; f++)
		if (vmx_rb_bit(cmp->rb_substituted, f))
			img->f[f] = r->readback[f] & vmx_field_mask(f);
}

/*
 * Judge the read-back of @r: note the unexpected fields and, after a
 * failed attempt, correct the image (@img) the model is to judge.
 * Returns whether it was corrected.
 */
static bool judge_readback(const struct vmx_backend_result *r, struct vmx_comparison *cmp,
			   struct vmx_case *img)
{
	struct vmx_rb_diffs d;

	if (!vmx_readback_judged(r))
		return false;
	cmp->readback = true;
	cmp->rb_unexpected = vmx_readback_diff(r, &d);
	for (int i = 0; i < d.n; i++)
		if (d.d[i].why == VMX_RB_UNEXPECTED)
			vmx_rb_set(cmp->rb_finding, d.d[i].field);
	cmp->corrected = vmx_readback_correct(r, &d, img, cmp->rb_substituted) > 0;
	return cmp->corrected;
}

void vmx_compare(const struct vmx_caps *caps, const char *backend, uint64_t profile_fp,
		 const struct vmx_backend_result *r, struct vmx_comparison *cmp)
{
	struct vmx_case img;
	struct vmx_verdict asis;

	memset(cmp, 0, sizeof(*cmp));
	if (judge_readback(r, cmp, &img)) {
		/* What the checks saw; the image as written for the record. */
		vmx_model_eval(caps, &img, &cmp->model);
		vmx_model_eval(caps, &r->effective, &asis);
		cmp->model_effective = asis.allowed;
	} else {
		vmx_model_eval(caps, &r->effective, &cmp->model);
	}
	cmp->observed = r->outcome;
	switch (r->outcome.kind) {
	case VO_SKIPPED:
		cmp->agreement = VMX_SKIPPED;
		return;
	case VO_BACKEND_ERROR:
		cmp->agreement = VMX_BACKEND_FAILED;
		return;
	default:
		break;
	}
	if (vmx_outcome_set_allows(&cmp->model.allowed, &r->outcome) && !cmp->rb_unexpected)
		return;
	cmp->agreement = VMX_DIVERGE;
	cmp->signature = vmx_signature(&cmp->model, &r->outcome, profile_fp, backend);
	if (cmp->rb_unexpected)
		cmp->signature = vmx_signature_readback(cmp->signature, cmp->rb_finding);
}
