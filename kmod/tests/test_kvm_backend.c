// SPDX-License-Identifier: GPL-2.0
/*
 * kmod.kvm-backend: open the kvm back end.  Where it cannot run (as on a
 * machine without Intel nested VMX) it must give a reason that starts with
 * "not available on this machine: "; the test then exits 77, which CTest
 * reports as skipped with that reason -- never as a pass.
 */
#include <stdio.h>
#include <string.h>

#include "vmxcc/backend.h"

extern const struct vmx_backend_ops vmx_backend_kvm;

#define SKIP 77

int main(void)
{
	static const char prefix[] = "not available on this machine: ";
	char err[512] = "";
	struct vmx_backend *b = vmx_backend_kvm.open(NULL, err, sizeof(err));

	if (b) {
		vmx_backend_kvm.close(b);
		printf("kvm back end opened\n");
		return 0;
	}
	if (strncmp(err, prefix, sizeof(prefix) - 1)) {
		printf("kvm back end failed without a reason: \"%s\"\n", err);
		return 1;
	}
	printf("SKIP: backend kvm: %s\n", err);
	return SKIP;
}
