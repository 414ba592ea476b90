// SPDX-License-Identifier: GPL-2.0
/*
 * Runs every single-check violation test and prints kvm-unit-tests style
 * PASS/FAIL lines; also fails if a catalogue id has no test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check_test.h"

static void format_failed(char *buf, size_t len, const struct vmx_verdict *v)
{
	size_t used = 0;

	buf[0] = 0;
	for (int id = 0; id < VMX_CHECK_COUNT; id++)
		if (vmx_verdict_failed(v, id) && used < len)
			used += snprintf(buf + used, len - used, "%s ", vmx_checks[id].id);
}

/* Failed, or uncertain (the model allows both outcomes, e.g. an MSR it does
 * not know): either way the mutation reached the check. */
static bool hit(const struct vmx_verdict *v, int id)
{
	return vmx_verdict_failed(v, id) || ((v->uncertain[id / 64] >> (id % 64)) & 1);
}

static void run_one(void **state)
{
	const struct check_test *t = *state;
	struct vmx_profile p;
	struct vmx_caps caps;
	struct vmx_case c;
	struct vmx_verdict v;
	struct vmx_outcome_set want;
	char err[256], got[512], failed[2048];

	vmx_profile_synthetic_full(&p);
	assert_int_equal(vmx_caps_from_profile(&caps, &p, err, sizeof(err)), 0);
	assert_int_equal(vmx_baseline_build(t->base, &caps, &c), 0);
	t->mutate(&c, &p);
	if (vmx_caps_from_profile(&caps, &p, err, sizeof(err)) != 0)
		fail_msg("%s: mutated profile rejected: %s", t->name, err);
	vmx_model_eval(&caps, &c, &v);

	format_failed(failed, sizeof(failed), &v);
	if (!hit(&v, t->id))
		fail_msg("%s: %s did not fail (failed: %s)", t->name, vmx_checks[t->id].id, failed);
	for (int id = 0; id < VMX_CHECK_COUNT; id++)
		if (id != (int)t->id && hit(&v, id))
			fail_msg("%s: also failed %s (breaks more than one check)",
				 t->name, vmx_checks[id].id);

	assert_int_equal(vmx_outcome_set_parse(t->expect, &want), 0);
	vmx_outcome_set_format(got, sizeof(got), &v.allowed);
	if (!vmx_outcome_set_equal(&want, &v.allowed))
		fail_msg("%s: outcome %s, expected %s", t->name, got, t->expect);
}

/* Every baseline that the synthetic profile supports must enter cleanly. */
static void baselines_enter(void **state)
{
	struct vmx_profile p;
	struct vmx_caps caps;
	struct vmx_case c;
	struct vmx_verdict v;
	char err[256], failed[2048], got[256];

	(void)state;
	vmx_profile_synthetic_full(&p);
	assert_int_equal(vmx_caps_from_profile(&caps, &p, err, sizeof(err)), 0);
	for (int b = 0; b < BL_COUNT; b++) {
		if (vmx_baseline_build(b, &caps, &c) != 0)
			fail_msg("baseline %s: not built for the synthetic profile",
				 vmx_baseline_names[b]);
		vmx_model_eval(&caps, &c, &v);
		format_failed(failed, sizeof(failed), &v);
		vmx_outcome_set_format(got, sizeof(got), &v.allowed);
		if (failed[0] || strcmp(got, "{entered}") != 0)
			fail_msg("baseline %s: %s, failing: %s", vmx_baseline_names[b], got, failed);
	}
}

static const struct check_test *all[4096];
static size_t n_all;

static void every_check_has_a_test(void **state)
{
	int missing = 0;

	(void)state;
	for (int id = 0; id < VMX_CHECK_COUNT; id++) {
		size_t i;

		for (i = 0; i < n_all; i++)
			if ((int)all[i]->id == id)
				break;
		if (i == n_all) {
			print_error("no test breaks %s\n", vmx_checks[id].id);
			missing++;
		}
	}
	assert_int_equal(missing, 0);
}

int main(void)
{
	static struct CMUnitTest tests[4096 + 2];
	size_t n = 0;

#define COLLECT(g)							\
	for (size_t i = 0; i < n_check_tests_##g; i++)			\
		all[n_all++] = &check_tests_##g[i];
	CHECK_TEST_GROUPS(COLLECT)
#undef COLLECT

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(baselines_enter);
	for (size_t i = 0; i < n_all; i++) {
		tests[n] = (struct CMUnitTest){ all[i]->name, run_one, NULL, NULL,
						(void *)all[i] };
		n++;
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(every_check_has_a_test);
	printf("%zu single-check tests over %d check ids\n", n_all, VMX_CHECK_COUNT);
	return _cmocka_run_group_tests("model-checks", tests, n, NULL, NULL);
}
