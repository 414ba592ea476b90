/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Agreement between the model and a back end.  The model judges the
 * effective image the back end reports (what really ran), never the case
 * as written: back ends relocate addresses and force controls.
 */
#ifndef VMXCC_COMPARE_H
#define VMXCC_COMPARE_H

#include <stdint.h>

#include "vmxcc/backend.h"
#include "vmxcc/model.h"

enum vmx_agreement {
	VMX_AGREE,		/* the model allows what the back end did */
	VMX_DIVERGE,		/* it does not: a bug in one of them */
	VMX_SKIPPED,		/* the back end would not run the case */
	VMX_BACKEND_FAILED,	/* crash, hang, timeout */
};

extern const char *const vmx_agreement_names[4];

struct vmx_comparison {
	enum vmx_agreement agreement;
	struct vmx_verdict model;	/* the model on the effective image */
	struct vmx_outcome observed;
	uint64_t signature;		/* bucket of a divergence (0 otherwise) */
};

/*
 * Judge @r, produced by back end @backend ("bochs:tigerlake"; the part
 * after ':' is not part of the signature) under profile @caps whose
 * fingerprint is @profile_fp.
 */
void vmx_compare(const struct vmx_caps *caps, const char *backend, uint64_t profile_fp,
		 const struct vmx_backend_result *r, struct vmx_comparison *cmp);

/* Hash of (model set, observed outcome, sorted failing check ids, profile
 * fingerprint, back-end name without arguments). */
uint64_t vmx_signature(const struct vmx_verdict *v, const struct vmx_outcome *observed,
		       uint64_t profile_fp, const char *backend);

/* Failing check ids of @v, space separated, sorted by name. */
void vmx_failing_checks(const struct vmx_verdict *v, char *buf, size_t len);

#endif
