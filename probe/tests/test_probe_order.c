// SPDX-License-Identifier: GPL-2.0
/*
 * A case's outcome must not depend on the cases run before it in the same
 * batch.  The core carries state from case to case (a shadow of the VMCS,
 * the previous effective image, the launch state) to write few fields;
 * any leak shows up as an order dependence.  The model's test cases, with a
 * case the core itself must skip (VM-entry MSR-load area larger than the
 * back end's) after every fifth one, run forward and backward in one batch
 * each: every case must give the same outcome both ways.  A fixed triple
 * comes first: host CR4 broken, then the same case put right but skipped,
 * then the untouched baseline, which must enter (a skipped case once left
 * its changes out of the VMCS for good).
 *
 *   test_probe_order BACKEND[:ARG]          (bochs:tigerlake, kvm)
 * Exit 0, 1 on any order dependence, 77 when the back end is not here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_spec.h"
#include "model_cases.h"
#include "vmxcc/backend.h"

#define SKIP_EVERY 5

/* A copy of @c the core skips: the MSR-load count needs more than the
 * back end's area, at a valid address. */
static struct vmx_case skipped(const struct vmx_case *c)
{
	struct vmx_case s = *c;

	s.f[VF_VM_ENTRY_MSR_LOAD_COUNT] = 0xffffffff;
	s.f[VF_VM_ENTRY_MSR_LOAD_ADDR] = 0;
	s.n_msr_load = 0;
	return s;
}

/* The triple that caught the stale-field bug; returns 1 on failure. */
static int triple(const struct vmx_backend_ops *ops, struct vmx_backend *b,
		  const struct vmx_case *base)
{
	struct vmx_case t[3] = { *base, *base, *base };
	struct vmx_backend_result *r = calloc(3, sizeof(*r));
	char err[256], got[128];
	int bad = 0;

	t[0].f[VF_HOST_CR4] |= 1ull << 25;	/* reserved in CR4 fixed1 */
	t[1] = skipped(base);
	if (!r || ops->run(b, t, 3, r, err, sizeof(err))) {
		printf("FAIL triple: run: %s\n", r ? err : "out of memory");
		free(r);
		return 1;
	}
	vmx_outcome_format(got, sizeof(got), &r[0].outcome);
	printf("triple: host CR4 bit 25 -> %s\n", got);
	if (r[1].outcome.kind != VO_SKIPPED) {
		vmx_outcome_format(got, sizeof(got), &r[1].outcome);
		printf("FAIL triple: the oversized MSR-load case was not skipped (%s)\n", got);
		bad = 1;
	}
	vmx_outcome_format(got, sizeof(got), &r[2].outcome);
	if (r[2].outcome.kind != VO_ENTERED) {
		printf("FAIL triple: the baseline after them gave %s, not entered\n", got);
		bad = 1;
	} else {
		printf("PASS triple: the baseline after them entered\n");
	}
	free(r);
	return bad;
}

int main(int argc, char **argv)
{
	const struct vmx_backend_ops *ops;
	struct vmx_backend_result *fwd, *bwd;
	struct vmx_case *batch, *rev;
	struct vmx_backend *b;
	struct vmx_profile p;
	struct vmx_caps caps;
	struct model_cases mc;
	char err[512];
	size_t n = 0;
	int bad;

	if (argc != 2) {
		fprintf(stderr, "usage: %s BACKEND[:ARG]\n", argv[0]);
		return 2;
	}
	b = backend_spec_open(argv[1], &ops, err, sizeof(err));
	if (!b) {
		printf("SKIP: %s: %s\n", argv[1], err);
		return strstr(err, "not available") ? 77 : 1;
	}
	if (ops->profile(b, &p, err, sizeof(err)) ||
	    vmx_caps_from_profile(&caps, &p, err, sizeof(err)) ||
	    model_cases_build(&mc, &caps) || !mc.n) {
		fprintf(stderr, "%s: profile or cases: %s\n", argv[1], err);
		return 1;
	}
	/* mc.cases[0] is the first baseline: it enters (VMCALL). */
	bad = triple(ops, b, &mc.cases[0]);

	batch = calloc(mc.n + mc.n / SKIP_EVERY + 1, sizeof(*batch));
	rev = calloc(mc.n + mc.n / SKIP_EVERY + 1, sizeof(*rev));
	for (size_t i = 0; batch && rev && i < mc.n; i++) {
		batch[n++] = mc.cases[i];
		if (i % SKIP_EVERY == SKIP_EVERY - 1 && i + 1 < mc.n)
			batch[n++] = skipped(&mc.cases[i + 1]);
	}
	for (size_t i = 0; rev && i < n; i++)
		rev[i] = batch[n - 1 - i];
	fwd = calloc(n, sizeof(*fwd));
	bwd = calloc(n, sizeof(*bwd));
	if (!fwd || !bwd || !batch || !rev ||
	    ops->run(b, batch, n, fwd, err, sizeof(err)) ||
	    ops->run(b, rev, n, bwd, err, sizeof(err))) {
		fprintf(stderr, "%s run: %s\n", argv[1], err);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct vmx_backend_result *a = &fwd[i], *z = &bwd[n - 1 - i];
		char x[128], y[128];

		/* a case that hangs either way is the hang test's business */
		if (a->outcome.kind == VO_BACKEND_ERROR && z->outcome.kind == VO_BACKEND_ERROR)
			continue;
		if (vmx_outcome_equal(&a->outcome, &z->outcome))
			continue;
		vmx_outcome_format(x, sizeof(x), &a->outcome);
		vmx_outcome_format(y, sizeof(y), &z->outcome);
		printf("FAIL case %zu of %zu: %s forward, %s backward\n", i, n, x, y);
		bad++;
	}
	printf("SUMMARY %s: %zu cases forward and backward (%zu the core must skip), %d FAIL\n",
	       argv[1], n, n - mc.n, bad);
	free(fwd);
	free(bwd);
	free(batch);
	free(rev);
	model_cases_free(&mc);
	ops->close(b);
	return bad ? 1 : 0;
}
