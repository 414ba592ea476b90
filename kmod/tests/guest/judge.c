// SPDX-License-Identifier: GPL-2.0
/*
 * Judge back-end results with the model, exactly as compare.c does for the
 * harness: the model evaluates the effective image (what the module really
 * ran after its safety policy); an outcome outside the allowed set is
 * accepted only when the known deviations explain it (docs/known-deviations.md,
 * the same rule as every other consumer of those files).
 */
#include <stdio.h>
#include <string.h>

#include "guest.h"
#include "vmxcc/readback.h"

static int load_known(struct judge *j, const char *path)
{
	char err[512];

	if (!path)
		return 0;
	if (deviations_load(&j->known, path, err, sizeof(err))) {
		fprintf(stderr, "judge: %s\n", err);
		return -1;
	}
	printf("judge: %d known deviations from %s\n", j->known.n, path);
	return 0;
}

int judge_init(struct judge *j, const struct vmx_profile *p, const char *known_path)
{
	char err[256];

	memset(j, 0, sizeof(*j));
	if (vmx_caps_from_profile(&j->caps, p, err, sizeof(err))) {
		fprintf(stderr, "judge: the module's profile is inconsistent: %s\n", err);
		return -1;
	}
	return load_known(j, known_path);
}

static void failed_list(char *buf, size_t len, const struct vmx_verdict *v)
{
	size_t used = 0;

	buf[0] = 0;
	for (int id = 0; id < VMX_CHECK_COUNT && used < len; id++)
		if (vmx_verdict_failed(v, id))
			used += snprintf(buf + used, len - used, " %s", vmx_checks[id].id);
}

void judge_one(struct judge *j, const char *name, const struct vmx_backend_result *r)
{
	struct vmx_verdict v;
	char got[128], want[512], failed[1024];

	if (r->outcome.kind == VO_SKIPPED) {
		j->skipped++;
		return;
	}
	if (r->outcome.kind == VO_BACKEND_ERROR) {
		j->errors++;
		printf("ERROR %s: %s\n", name, r->text);
		return;
	}
	vmx_model_eval(&j->caps, &r->effective, &v);
	if (vmx_outcome_set_allows(&v.allowed, &r->outcome)) {
		j->agree++;
		return;
	}
	if (deviations_explain(&j->known, &j->caps, &r->effective, &r->outcome)) {
		j->known_dev++;
		return;
	}
	if (j->disagree++ >= 20)
		return;			/* the count says the rest */
	vmx_outcome_format(got, sizeof(got), &r->outcome);
	vmx_outcome_set_format(want, sizeof(want), &v.allowed);
	failed_list(failed, sizeof(failed), &v);
	printf("DISAGREE %s: got %s, model allows %s (failed:%s)\n", name, got, want,
	       failed[0] ? failed : " none");
}

void judge_readback(struct judge *j, const char *name, const struct vmx_case *given,
		    const struct vmx_backend_result *r)
{
	static struct vmx_rb_diffs d;

	j->leaks += readback_leaks(name, given, r);
	if (r->outcome.kind == VO_SKIPPED || r->outcome.kind == VO_BACKEND_ERROR)
		return;
	if (!r->have_readback) {
		j->rb_missing++;
		printf("FAIL %s: no read-back\n", name);
		return;
	}
	j->rb_cases++;
	if (!vmx_readback_diff(r, &d))
		return;
	if (j->rb_unexpected++ >= 20)
		return;			/* the count says the rest */
	printf("READBACK %s:\n", name);
	vmx_readback_print(stdout, &d, "  ");
}

void judge_print(const struct judge *j, const char *what)
{
	printf("%s: %lu agree, %lu known deviations, %lu skipped by policy, "
	       "%lu disagree, %lu back-end errors\n", what, j->agree, j->known_dev,
	       j->skipped, j->disagree, j->errors);
	if (j->rb_cases || j->rb_missing || j->leaks)
		printf("%s: %lu read back, %lu with differences the SDM does not explain, "
		       "%lu without read-back, %lu kernel addresses\n", what, j->rb_cases,
		       j->rb_unexpected, j->rb_missing, j->leaks);
}
