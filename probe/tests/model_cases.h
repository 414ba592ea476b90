/* SPDX-License-Identifier: GPL-2.0 */
/* The model's test cases as a flat list, for running them on a back end. */
#ifndef PROBE_TESTS_MODEL_CASES_H
#define PROBE_TESTS_MODEL_CASES_H

#include <stddef.h>

#include "check_test.h"

struct model_case_info {
	char name[160];
	int check;		/* the check the case breaks (first one), -1 for baselines */
};

struct model_cases {
	struct vmx_case *cases;
	struct model_case_info *info;
	size_t n, cap;
	size_t not_built;	/* the profile lacks what the baseline needs */
};

int model_cases_build(struct model_cases *mc, const struct vmx_caps *caps);
void model_cases_free(struct model_cases *mc);

#endif
