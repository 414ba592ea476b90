/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Agreement between the model and a back end.  The model judges the
 * effective image the back end reports (what really ran), never the case
 * as written: back ends relocate addresses and force controls.  With
 * read-back (readback.h) a failed attempt's image is corrected by the
 * VMCS read back after it -- the values the checks saw -- and a field
 * read back where the SDM says the attempt leaves it alone is a finding
 * (docs/cli.md "Read-back").
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
	struct vmx_verdict model;	/* the model on the judged image (below) */
	struct vmx_outcome observed;
	uint64_t signature;		/* bucket of a divergence (0 otherwise) */
	/*
	 * Read-back (readback.h), all zero when the result has none.  The
	 * judged image is the effective image, corrected by the read-back
	 * after a failed attempt (corrected: rb_substituted says which
	 * fields; model_effective is the model's set on the image as
	 * written).  A field read back unexpectedly (rb_unexpected) is a
	 * finding: the comparison diverges even if the model allows the
	 * outcome.
	 */
	bool readback;			/* the attempt's read-back was judged */
	bool corrected;
	int rb_unexpected;		/* fields read back unexpectedly */
	uint64_t rb_finding[VMX_READBACK_WORDS];	/* which */
	uint64_t rb_substituted[VMX_READBACK_WORDS];
	struct vmx_outcome_set model_effective;
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
/* @sig extended by the names (sorted) of the fields read back
 * unexpectedly, @finding: a read-back finding is a bucket of its own. */
uint64_t vmx_signature_readback(uint64_t sig, const uint64_t finding[VMX_READBACK_WORDS]);

/* The image the model judged for @r: the effective image, corrected by the
 * read-back when cmp->corrected. */
void vmx_compare_image(const struct vmx_backend_result *r, const struct vmx_comparison *cmp,
		       struct vmx_case *img);

/* Failing check ids of @v, space separated, sorted by name. */
void vmx_failing_checks(const struct vmx_verdict *v, char *buf, size_t len);

#endif
