/* SPDX-License-Identifier: GPL-2.0 */
/* Running cases on an open back end, judging them, and minimizing them. */
#ifndef VMXCC_RUN_H
#define VMXCC_RUN_H

#include <stddef.h>

#include "vmxcc/backend_session.h"
#include "vmxcc/case_file.h"
#include "vmxcc/compare.h"

/* Run @n cases and compare each result with the model.  Returns 0, or -1
 * with @err when the back end could not run the batch at all. */
int vmx_run_compare(struct vmx_backend_inst *bi, const struct vmx_case *cases, size_t n,
		    struct vmx_backend_result *res, struct vmx_comparison *cmp,
		    char *err, size_t errlen);

struct vmx_minimize_stats {
	int units_before;	/* differences from the baseline at the start */
	int units_after;
	int runs;		/* cases run on the back end */
	int batches;
};

/*
 * Field-level delta debugging: revert differences from the baseline (the
 * case's own, or else the buildable baseline with the fewest differences,
 * which then becomes the case's baseline) as long as the divergence
 * signature stays @signature.  A difference is one field, one [state] key,
 * one PDPTE, or the whole MSR-load list.  @cf is updated in place.
 */
int vmx_minimize(struct vmx_backend_inst *bi, struct vmx_case_file *cf, uint64_t signature,
		 struct vmx_minimize_stats *st, char *err, size_t errlen);

#endif
