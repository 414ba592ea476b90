// SPDX-License-Identifier: GPL-2.0
/* Run a batch on a back end and judge every result. */
#include <stdio.h>

#include "vmxcc/run.h"

int vmx_run_compare(struct vmx_backend_inst *bi, const struct vmx_case *cases, size_t n,
		    struct vmx_backend_result *res, struct vmx_comparison *cmp,
		    char *err, size_t errlen)
{
	char why[512];

	if (bi->ops->run(bi->b, cases, n, res, why, sizeof(why))) {
		snprintf(err, errlen, "backend %s: %s", bi->spec, why);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		vmx_compare(&bi->caps, bi->spec, bi->profile_fp, &res[i], &cmp[i]);
	return 0;
}
