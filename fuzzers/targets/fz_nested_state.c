// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_GET_NESTED_STATE blob import: never crashes on any header, size or
 * payload; what it accepts is judged by the model and exports again.
 */
#include <stdio.h>
#include <stdlib.h>

#include "vmxcc/case_file.h"
#include "vmxcc/vmcs12.h"
#include "fz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmx_case a, b;
	struct vmx_nested_info info;
	struct vmx_verdict v;
	uint8_t *blob = NULL;
	size_t len = 0;
	char err[512];

	if (vmx_nested_import("fuzz.nested", data, size, &a, &info, err, sizeof(err)))
		return 0;
	vmx_model_eval(vmxfz_caps(), &a, &v);
	vmxfz_cov_report(&v);
	/* An accepted blob exports again, and that export imports to the
	 * same case. */
	if (vmx_nested_export(&a, &info, &blob, &len, err, sizeof(err)) ||
	    vmx_nested_import("again.nested", blob, len, &b, &info, err, sizeof(err)) ||
	    !vmx_case_equal(&a, &b)) {
		fprintf(stderr, "nested state does not round-trip: %s\n", err);
		abort();
	}
	free(blob);
	return 0;
}
