/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known deviations of an implementation from the SDM
 * (corpora/known-deviations/<backend>.txt, format in docs/known-deviations.md).
 *
 * Two kinds of entry:
 *
 *  skip      (the default) the implementation does not perform a check, or
 *            reports something else than the SDM's outcome when it fails
 *            ("observed:").  With "rule:" (a skips rule of
 *            vmxcc/impl_rules.h) only for the cases the rule covers;
 *  stricter  the implementation rejects cases the SDM allows, by the
 *            rejects rule named in "rule:", which tightens the entry's
 *            check.
 *
 * A divergence counts as known only if the entries *explain* it
 * (deviations_explain): the observed outcome is one the model allows with
 * the skipped checks not performed (vmx_model_eval_except; a skip entry
 * with a rule only where the rule covers the case); or a skip entry's
 * check that the case fails names it in "observed:"; or a stricter rule
 * rejects the case, VM entry reaches the point where that rule is applied
 * (every check of an earlier stage passes, skipped checks aside; no
 * stricter rule rejects earlier), and the outcome is the rejection's: the
 * outcome of the check the rule tightens, exit 34 with the rejected
 * entry's number for an MSR-load rule.  Merely failing a listed check, or
 * matching a rule, is not enough: the implementation must get everything
 * else right.
 */
#ifndef VMXCC_DEVIATIONS_H
#define VMXCC_DEVIATIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "vmxcc/case.h"
#include "vmxcc/model.h"
#include "vmxcc/outcome.h"
#include "vmxcc/impl_rules.h"

#define DEVIATIONS_MAX 256

enum deviation_kind {
	DEV_SKIP,		/* check not performed (where the rule covers the
				 * case, if any), or "observed" instead */
	DEV_STRICTER,		/* rule rejects cases the check allows */
};

struct deviation {
	int check;		/* check id the implementation mishandles */
	int kind;		/* enum deviation_kind */
	const struct vmx_impl_rule *rule;	/* DEV_STRICTER, or a narrower DEV_SKIP */
	char sdm[512];		/* what the SDM requires */
	char impl[512];		/* what the implementation does, and why it is wrong */
	struct vmx_outcome_set observed; /* optional: what it reports instead */
};

struct deviations {
	int n;
	struct deviation e[DEVIATIONS_MAX];
	/* The checks of the skip entries without a rule (not performed on
	 * any case), as a bitmap: what the batch engine may rely on. */
	uint64_t ignore[VMX_CHECK_WORDS];
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

/*
 * The case as the implementation treats it, and the checks it does not
 * perform on it: the skip entries' checks, a narrowed one's only where its
 * rule covers @effective; MSR-load entries a skip rule covers become
 * entries the model loads.  vmx_model_eval_except(caps, returned, ignore)
 * then says what the implementation should do, stricter rules aside (e.g.
 * for the batch engine's hang guard, which struct deviations.ignore alone
 * under-approximates).  Returns @effective or @copy.
 */
const struct vmx_case *deviations_as_treated(const struct deviations *d,
					     const struct vmx_caps *caps,
					     const struct vmx_case *effective,
					     struct vmx_case *copy,
					     uint64_t ignore[VMX_CHECK_WORDS]);

/*
 * The checks of the entries that speak for @effective, as a bitmap: skip
 * entries whose check it fails (or may fail) and whose rule, if any, covers
 * it; stricter entries whose rule rejects it.  For labelling a divergence deviations_explain() explains.
 */
void deviations_involved(const struct deviations *d, const struct vmx_caps *caps,
			 const struct vmx_case *effective, uint64_t out[VMX_CHECK_WORDS]);

#endif
