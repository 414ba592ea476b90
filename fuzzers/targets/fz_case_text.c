// SPDX-License-Identifier: GPL-2.0
/*
 * The .vmcs text parser: never crashes, and what it accepts prints back to
 * text that parses to the same case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/case_file.h"
#include "fz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmx_case_file a, b;
	char err[512];
	char *text = malloc(size + 1), *again;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	if (vmx_case_parse("fuzz.vmcs", text, &a, err, sizeof(err)) == 0) {
		struct vmx_verdict v;

		again = vmx_case_to_text(&a);
		if (vmx_case_parse("again.vmcs", again, &b, err, sizeof(err)) != 0 ||
		    !vmx_case_file_equal(&a, &b)) {
			fprintf(stderr, "printed case does not parse back: %s\n%s", err, again);
			abort();
		}
		free(again);
		vmx_model_eval(&a.caps, &a.c, &v);
		vmxfz_cov_report(&v);
	}
	free(text);
	return 0;
}
