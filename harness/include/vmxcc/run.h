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
	int given_baseline;	/* the case's own (or VMX_CASE_NO_BASELINE) */
	int given_units;	/* differences from it */
	int baseline;		/* the one minimized towards */
	int units_before;	/* differences from that one at the start */
	int units_after;
	int runs;		/* cases run on the back end */
	int batches;
};

/*
 * Field-level delta debugging (ddmin: subsets and complements, doubling
 * granularity; one back-end batch per round) towards the nearest valid
 * baseline, keeping the divergence signature @signature.  The baseline is
 * the buildable one with the fewest differences from the case on which
 * the back end agrees with the model (or which alone reproduces the
 * divergence); ties go to the case's own, and with no valid baseline the
 * case's own is kept.  It becomes the case's baseline.  A difference is one
 * field, one [state] key, link_is_current, one PDPTE or one MSR-load
 * entry.  The result is 1-minimal.  @cf is updated in place.
 */
int vmx_minimize(struct vmx_backend_inst *bi, struct vmx_case_file *cf, uint64_t signature,
		 struct vmx_minimize_stats *st, char *err, size_t errlen);

#endif
