// SPDX-License-Identifier: GPL-2.0
/*
 * Every case of the model's own tests, rebuilt for a given profile: the
 * baselines, each single-check violation (vmx_model/tests/checks_*.c tables)
 * and the two-violation ordering pairs (vmx_model/tests/test_ordering.c,
 * included here with its main() renamed so its static table is reachable).
 * Whatever the tables hold at build time is picked up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_cases.h"

#define main vmx_ordering_cmocka_main
#include "test_ordering.c"
#undef main

static int add(struct model_cases *mc, const char *name, int check,
	       const struct vmx_case *c)
{
	if (mc->n == mc->cap) {
		size_t cap = mc->cap ? mc->cap * 2 : 256;
		struct vmx_case *nc = realloc(mc->cases, cap * sizeof(*nc));
		struct model_case_info *ni = realloc(mc->info, cap * sizeof(*ni));

		if (!nc || !ni)
			return -1;
		mc->cases = nc;
		mc->info = ni;
		mc->cap = cap;
	}
	mc->cases[mc->n] = *c;
	snprintf(mc->info[mc->n].name, sizeof(mc->info[0].name), "%s", name);
	mc->info[mc->n].check = check;
	mc->n++;
	return 0;
}

static int add_group(struct model_cases *mc, const struct vmx_caps *caps,
		     const struct check_test *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct vmx_profile p = caps->p;
		struct vmx_case c;

		if (vmx_baseline_build(t[i].base, caps, &c)) {
			mc->not_built++;
			continue;
		}
		/* A mutation may edit the profile too; Bochs' capabilities
		 * cannot change, so the case is judged with the real ones. */
		t[i].mutate(&c, &p);
		if (add(mc, t[i].name, t[i].id, &c))
			return -1;
	}
	return 0;
}

int model_cases_build(struct model_cases *mc, const struct vmx_caps *caps)
{
	char name[160];

	memset(mc, 0, sizeof(*mc));
	for (int b = 0; b < BL_COUNT; b++) {
		struct vmx_case c;

		if (vmx_baseline_build(b, caps, &c)) {
			mc->not_built++;
			continue;
		}
		snprintf(name, sizeof(name), "baseline %s", vmx_baseline_names[b]);
		if (add(mc, name, -1, &c))
			return -1;
	}
#define ADD_GROUP(g) \
	if (add_group(mc, caps, check_tests_##g, n_check_tests_##g)) \
		return -1;
	CHECK_TEST_GROUPS(ADD_GROUP)
#undef ADD_GROUP
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct vmx_case c;

		if (vmx_baseline_build(pairs[i].base, caps, &c)) {
			mc->not_built++;
			continue;
		}
		pairs[i].break_a(&c, caps);
		pairs[i].break_b(&c, caps);
		snprintf(name, sizeof(name), "ordering: %s", pairs[i].name);
		if (add(mc, name, pairs[i].a, &c))
			return -1;
	}
	return 0;
}

void model_cases_free(struct model_cases *mc)
{
	free(mc->cases);
	free(mc->info);
}
