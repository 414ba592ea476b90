/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known deviations of an implementation from the SDM
 * (corpora/known-deviations/<backend>.txt, format in docs/known-deviations.md).
 *
 * A divergence counts as known only if it is *explained* by them: either
 * the observed outcome is one the model allows once the listed checks are
 * treated as not performed (vmx_model_eval_except), or a listed check that
 * the case fails names the observed outcome in its "observed:" line (for an
 * implementation that does something else than skipping the check, e.g.
 * reports the wrong qualification).  Merely failing a listed check is not
 * enough: a back end that skips one check must still get every other check
 * right.
 */
#ifndef VMXCC_DEVIATIONS_H
#define VMXCC_DEVIATIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "vmxcc/case.h"
#include "vmxcc/model.h"
#include "vmxcc/outcome.h"

#define DEVIATIONS_MAX 256

struct deviation {
	int check;		/* check id the implementation mishandles */
	char sdm[512];		/* what the SDM requires */
	char impl[512];		/* what the implementation does, and why it is wrong */
	struct vmx_outcome_set observed; /* optional: what it reports instead */
};

struct deviations {
	int n;
	struct deviation e[DEVIATIONS_MAX];
	uint64_t ignore[VMX_CHECK_WORDS];	/* the listed checks, as a bitmap */
};

/* Load @file; on error fills @err with "file:line: what" and returns -1. */
int deviations_load(struct deviations *d, const char *file, char *err, size_t errlen);
const struct deviation *deviations_find(const struct deviations *d, int check);

/* corpora/known-deviations/<name>.txt of the source tree for a back-end
 * spec "name[:arg]" (the file may not exist: then nothing is known). */
void deviations_default_path(const char *backend_spec, char *path, size_t len);

/* Is @observed, from running @effective, explained by the deviations? */
bool deviations_explain(const struct deviations *d, const struct vmx_caps *caps,
			const struct vmx_case *effective, const struct vmx_outcome *observed);

#endif
