// SPDX-License-Identifier: GPL-2.0
/*
 * The model's own single-check tests (vmx_model/tests/checks_*.c) as cases
 * this CPU can run: tests whose mutation needs a different profile, or a
 * baseline the profile cannot build, are counted, never run.
 */
#include <stdlib.h>
#include <string.h>

#include "check_test.h"
#include "guest.h"
#include "vmxcc/baseline.h"

#define GROUP_TABLE(g) { check_tests_##g, &n_check_tests_##g },
static const struct { const struct check_test *t; const size_t *n; } groups[] = {
	CHECK_TEST_GROUPS(GROUP_TABLE)
};

int model_set_build(struct model_set *m, const struct vmx_caps *caps)
{
	size_t cap = 0;
	struct vmx_profile p;

	memset(m, 0, sizeof(*m));
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		cap += *groups[g].n;
	m->cases = calloc(cap ? cap : 1, sizeof(*m->cases));
	m->names = calloc(cap ? cap : 1, sizeof(*m->names));
	if (!m->cases || !m->names)
		return -1;
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		for (size_t i = 0; i < *groups[g].n; i++) {
			const struct check_test *t = &groups[g].t[i];
			struct vmx_case *c = &m->cases[m->n];

			m->total++;
			if (vmx_baseline_build(t->base, caps, c)) {
				m->no_baseline++;
				continue;
			}
			p = caps->p;
			t->mutate(c, &p);
			if (memcmp(&p, &caps->p, sizeof(p))) {
				m->needs_profile++;
				continue;
			}
			m->names[m->n++] = t->name;
		}
	}
	return 0;
}

void model_set_free(struct model_set *m)
{
	free(m->cases);
	free(m->names);
	memset(m, 0, sizeof(*m));
}
