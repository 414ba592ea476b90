/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Divergence records (docs/records.md): one JSON object per line, appended
 * atomically.  A reader skips a torn line, so a writer killed mid-append
 * never leaves a record that is counted but incomplete.
 */
#ifndef VMXCC_RECORD_H
#define VMXCC_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "vmxcc/case_file.h"
#include "vmxcc/compare.h"

#define VMX_RECORD_VERSION 1

struct vmx_record_src {
	const char *backend;			/* "bochs:tigerlake" */
	const struct vmx_profile *profile;	/* the back end's profile */
	const struct vmx_case_file *cf;		/* the case as given */
	const struct vmx_case *effective;	/* what ran (may be NULL) */
	const struct vmx_comparison *cmp;
	const char *triage;			/* back end's own text (may be "") */
};

/* Build the record object (new reference). */
json_t *vmx_record_build(const struct vmx_record_src *src);
/* The "readback" member for @r judged as @cmp (docs/records.md), or NULL
 * when the comparison judged no read-back.  New reference. */
json_t *vmx_record_readback(const struct vmx_backend_result *r, const struct vmx_comparison *cmp);
/* Set it on @rec when there is one. */
void vmx_record_set_readback(json_t *rec, const struct vmx_backend_result *r,
			     const struct vmx_comparison *cmp);
/* Apply a record's "readback" member to the effective image @img (the
 * read-back values of the substituted fields): the image the model judged.
 * 0, or -1 with @err naming the member at fault. */
int vmx_record_judged_image(json_t *rec, struct vmx_case *img, char *err, size_t errlen);
/* Append @rec as one line to @path: one write() with O_APPEND under an
 * exclusive lock, then fsync.  Returns 0, or -1 with @err. */
int vmx_record_append(const char *path, json_t *rec, char *err, size_t errlen);

struct vmx_record_stats {
	size_t records;		/* complete, well-formed records */
	size_t torn;		/* lines skipped: cut short or not a record */
};

/* Call @cb for every complete record of @path; returns 0, or -1 with @err
 * when the file cannot be read or @cb returns non-zero. */
int vmx_record_read(const char *path, int (*cb)(json_t *rec, void *arg), void *arg,
		    struct vmx_record_stats *st, char *err, size_t errlen);

#endif
