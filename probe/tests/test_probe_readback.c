// SPDX-License-Identifier: GPL-2.0
/*
 * Read-back under a probe back end: the model's test cases run twice in one
 * batch each, read-back off and on.
 *
 *  - Every outcome must be the same both times: reading the VMCS back (and
 *    the core then trusting what it read instead of rewriting the guest
 *    area) must not change what the implementation does.
 *  - Every case that reached the VMCS must come back with a read-back.
 *  - What the attempt may change is vmx_readback_diff()'s rule (the same
 *    one repro, replay and the campaign use, harness/src/readback.c):
 *    any difference it does not expect is printed with the field and
 *    both values, and fails.
 *
 *   test_probe_readback BACKEND[:ARG]      (bochs:tigerlake, kvm)
 * Exit 0, 1 on any failure, 77 when the back end is not available here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_spec.h"
#include "model_cases.h"
#include "vmxcc/readback.h"

/* Every difference vmx_readback_diff() does not expect is a failure. */
static int check_readback(const struct model_case_info *info,
			  const struct vmx_backend_result *r)
{
	static struct vmx_rb_diffs d;
	int n = 0;

	if (!r->have_readback) {
		printf("FAIL %s: no read-back\n", info->name);
		return 1;
	}
	for (int f = 0; f < VF_COUNT; f++)
		n += vmx_rb_bit(r->readback_valid, f);
	if (!n) {
		printf("FAIL %s: read-back holds no field\n", info->name);
		return 1;
	}
	if (!vmx_readback_diff(r, &d))
		return 0;
	for (int i = 0; i < d.n; i++)
		if (d.d[i].why == VMX_RB_UNEXPECTED)
			printf("FAIL %s: %s written %#llx, read back %#llx\n", info->name,
			       vmx_fields[d.d[i].field].name,
			       (unsigned long long)d.d[i].written,
			       (unsigned long long)d.d[i].read);
	return 1;
}

int main(int argc, char **argv)
{
	const struct vmx_backend_ops *ops;
	struct vmx_backend_result *plain, *rb;
	struct vmx_backend *b;
	struct vmx_profile p;
	struct vmx_caps caps;
	struct model_cases mc;
	char err[512];
	int bad = 0, checked = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s BACKEND[:ARG]\n", argv[0]);
		return 2;
	}
	b = backend_spec_open(argv[1], &ops, err, sizeof(err));
	if (!b) {
		printf("SKIP: %s: %s\n", argv[1], err);
		return strstr(err, "not available") ? 77 : 1;
	}
	if (!ops->set_readback) {
		fprintf(stderr, "%s: no read-back\n", argv[1]);
		return 1;
	}
	if (ops->profile(b, &p, err, sizeof(err)) ||
	    vmx_caps_from_profile(&caps, &p, err, sizeof(err)) ||
	    model_cases_build(&mc, &caps)) {
		fprintf(stderr, "%s: profile or cases: %s\n", argv[1], err);
		return 1;
	}
	plain = calloc(mc.n, sizeof(*plain));
	rb = calloc(mc.n, sizeof(*rb));
	if (!plain || !rb ||
	    ops->run(b, mc.cases, mc.n, plain, err, sizeof(err)) ||
	    ops->set_readback(b, true, err, sizeof(err)) ||
	    ops->run(b, mc.cases, mc.n, rb, err, sizeof(err))) {
		fprintf(stderr, "%s run: %s\n", argv[1], err);
		return 1;
	}
	for (size_t i = 0; i < mc.n; i++) {
		char a[128], c[128];

		if (plain[i].have_readback) {
			printf("FAIL %s: read-back without asking\n", mc.info[i].name);
			bad++;
		}
		if (!vmx_outcome_equal(&plain[i].outcome, &rb[i].outcome)) {
			vmx_outcome_format(a, sizeof(a), &plain[i].outcome);
			vmx_outcome_format(c, sizeof(c), &rb[i].outcome);
			printf("FAIL %s: %s without read-back, %s with\n", mc.info[i].name, a, c);
			bad++;
			continue;
		}
		if (rb[i].outcome.kind == VO_SKIPPED || rb[i].outcome.kind == VO_BACKEND_ERROR)
			continue;
		checked++;
		bad += check_readback(&mc.info[i], &rb[i]);
	}
	printf("SUMMARY %s: %zu cases, %d read back and checked, %d FAIL\n",
	       argv[1], mc.n, checked, bad);
	free(plain);
	free(rb);
	model_cases_free(&mc);
	ops->close(b);
	return bad ? 1 : 0;
}
