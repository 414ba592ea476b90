// SPDX-License-Identifier: GPL-2.0
/*
 * Model robustness: any byte string decodes (compact encoding) to a case;
 * the model must evaluate it without a sanitizer report and keep its own
 * invariants.  Check coverage is the engine's feedback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/case_compact.h"
#include "fz_common.h"

static void invariant(bool ok, const char *what, const struct vmx_verdict *v)
{
	char buf[1024];

	if (ok)
		return;
	vmx_outcome_set_format(buf, sizeof(buf), &v->allowed);
	fprintf(stderr, "model invariant broken: %s (allowed %s)\n", what, buf);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct vmx_caps *caps = vmxfz_caps();
	struct vmx_outcome_set back;
	struct vmx_verdict v;
	struct vmx_case c;
	char text[1024];
	int base;

	vmx_compact_decode(data, size, caps, &c, &base);
	vmx_model_eval(caps, &c, &v);

	for (int w = 0; w < VMX_CHECK_WORDS; w++)
		invariant(!(v.failed[w] & ~v.applied[w]), "a failed check was not applied", &v);
	invariant(v.allowed.n > 0, "empty outcome set", &v);
	vmx_outcome_set_format(text, sizeof(text), &v.allowed);
	invariant(vmx_outcome_set_parse(text, &back) == 0 &&
		  vmx_outcome_set_equal(&back, &v.allowed),
		  "outcome set text does not parse back", &v);

	vmxfz_cov_report(&v);
	vmxfz_goal_track(&v);
	return 0;
}
