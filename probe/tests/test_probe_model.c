// SPDX-License-Identifier: GPL-2.0
/*
 * The differential on a back end that runs the L1 probe: every model test
 * case run by the probe under Bochs (one CPU model per invocation) or as a
 * guest of the host's KVM.  Each outcome must lie in the model's set for
 * the effective image the probe really ran, judged with the profile the
 * probe captured on that same implementation -- or be explained by the
 * known-deviations file (corpora/known-deviations/bochs.txt for Bochs).
 *
 *   test_probe_model BACKEND[:ARG] DEVIATIONS_FILE    (bochs:tigerlake, kvm)
 * Exit 0 all agree or are known, 1 an unexplained disagreement, 77 the back
 * end is not available here (the reason is printed).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_spec.h"
#include "vmxcc/deviations.h"
#include "model_cases.h"
#include "vmxcc/backend.h"


static struct deviations devs;

static bool hang(const struct vmx_backend_result *r)
{
	return r->outcome.kind == VO_BACKEND_ERROR && strncmp(r->text, "hang:", 5) == 0;
}

static bool allows_entered(const struct vmx_outcome_set *s)
{
	struct vmx_outcome e = vo_entered();

	return vmx_outcome_set_allows(s, &e);
}

/* The checks the model says the effective image fails, for triage. */
static void print_failed(const struct vmx_verdict *v)
{
	printf("     model fails:");
	for (int id = 0; id < VMX_CHECK_COUNT; id++)
		if (vmx_verdict_failed(v, id))
			printf(" %s", vmx_checks[id].id);
	printf("\n");
}

static int judge(const struct vmx_caps *caps, const struct model_cases *mc,
		 const struct vmx_backend_result *res, const char *spec)
{
	int bad = 0, known = 0, skipped = 0, agree = 0;

	for (size_t i = 0; i < mc->n; i++) {
		const struct vmx_backend_result *r = &res[i];
		const struct deviation *dev;
		struct vmx_verdict v;
		char got[128], want[512];

		if (r->outcome.kind == VO_SKIPPED) {
			printf("SKIP %s: %s\n", mc->info[i].name, r->text);
			skipped++;
			continue;
		}
		vmx_model_eval(caps, &r->effective, &v);
		vmx_outcome_format(got, sizeof(got), &r->outcome);
		vmx_outcome_set_format(want, sizeof(want), &v.allowed);
		if (r->outcome.kind != VO_BACKEND_ERROR &&
		    vmx_outcome_set_allows(&v.allowed, &r->outcome)) {
			agree++;
			continue;
		}
		/* The probe runs cases unmodified: a guest entering HLT,
		 * shutdown or wait-for-SIPI without a preemption timer never
		 * exits.  That hang is "entered" when the model allows it. */
		if (hang(r) && allows_entered(&v.allowed)) {
			printf("ENTERED-HANG %s\n", mc->info[i].name);
			agree++;
			continue;
		}
		/* Known only if the listed deviations explain the outcome:
		 * the model allows it once those checks are not performed. */
		dev = mc->info[i].check >= 0 ? deviations_find(&devs, mc->info[i].check) : NULL;
		if (deviations_explain(&devs, caps, &r->effective, &r->outcome)) {
			printf("KNOWN %s [%s]: %s %s, model %s\n", mc->info[i].name,
			       dev ? vmx_checks[dev->check].id : "listed deviations", spec,
			       got, want);
			known++;
			continue;
		}
		printf("FAIL %s [%s]: %s %s, model %s %s\n", mc->info[i].name,
		       mc->info[i].check >= 0 ? vmx_checks[mc->info[i].check].id : "baseline",
		       spec, got, want, r->text);
		print_failed(&v);
		bad++;
	}
	printf("SUMMARY %s: %zu cases, %d agree, %d known deviations, %d skipped, %d FAIL, %zu not built for this profile\n",
	       spec, mc->n, agree, known, skipped, bad, mc->not_built);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct vmx_backend_ops *ops;
	struct vmx_backend *b;
	struct vmx_profile p;
	struct vmx_caps caps;
	struct model_cases mc;
	struct vmx_backend_result *res;
	char err[512];
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: %s BACKEND[:ARG] DEVIATIONS_FILE\n", argv[0]);
		return 2;
	}
	if (deviations_load(&devs, argv[2], err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	b = backend_spec_open(argv[1], &ops, err, sizeof(err));
	if (!b) {
		if (strstr(err, "not available")) {
			printf("SKIP: %s: %s\n", argv[1], err);
			return 77;
		}
		fprintf(stderr, "%s: %s\n", argv[1], err);
		return 1;
	}
	if (ops->profile(b, &p, err, sizeof(err)) ||
	    vmx_caps_from_profile(&caps, &p, err, sizeof(err))) {
		fprintf(stderr, "%s profile: %s\n", argv[1], err);
		return 1;
	}
	if (model_cases_build(&mc, &caps)) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	res = calloc(mc.n, sizeof(*res));
	if (!res || ops->run(b, mc.cases, mc.n, res, err, sizeof(err))) {
		fprintf(stderr, "%s run: %s\n", argv[1], res ? err : "out of memory");
		return 1;
	}
	rc = judge(&caps, &mc, res, argv[1]);
	free(res);
	model_cases_free(&mc);
	ops->close(b);
	return rc;
}
