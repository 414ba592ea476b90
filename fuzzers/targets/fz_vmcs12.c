// SPDX-License-Identifier: GPL-2.0
/*
 * KVM vmcs12 import: never crashes; what it accepts exports back to a
 * vmcs12 that imports to the same case, and the model judges it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "vmxcc/case_file.h"
#include "vmxcc/vmcs12.h"
#include "fz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmx_case a, b;
	static uint8_t out[VMCS12_SIZE];
	struct vmx_verdict v;
	char err[512];

	if (vmx_vmcs12_import("fuzz.vmcs12", data, size, &a, err, sizeof(err)))
		return 0;
	/* Everything a vmcs12 holds has a vmcs12 slot: export cannot fail. */
	if (vmx_vmcs12_export(&a, out, err, sizeof(err)) ||
	    vmx_vmcs12_import("again.vmcs12", out, sizeof(out), &b, err, sizeof(err)) ||
	    !vmx_case_equal(&a, &b)) {
		fprintf(stderr, "vmcs12 does not round-trip: %s\n", err);
		abort();
	}
	vmx_model_eval(vmxfz_caps(), &a, &v);
	vmxfz_cov_report(&v);
	return 0;
}
