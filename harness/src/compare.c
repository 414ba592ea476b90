// SPDX-License-Identifier: GPL-2.0
/* Model verdict on the effective image versus the back end's outcome. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/compare.h"
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

void vmx_compare(const struct vmx_caps *caps, const char *backend, uint64_t profile_fp,
		 const struct vmx_backend_result *r, struct vmx_comparison *cmp)
{
	memset(cmp, 0, sizeof(*cmp));
	vmx_model_eval(caps, &r->effective, &cmp->model);
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
	if (vmx_outcome_set_allows(&cmp->model.allowed, &r->outcome))
		return;
	cmp->agreement = VMX_DIVERGE;
	cmp->signature = vmx_signature(&cmp->model, &r->outcome, profile_fp, backend);
}
