/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A case file: a struct vmx_case plus what the file says around it (its
 * profile, its baseline, its expected outcome).  Text form: .vmcs files,
 * documented in docs/case-format.md.
 */
#ifndef VMXCC_CASE_FILE_H
#define VMXCC_CASE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "vmxcc/case.h"
#include "vmxcc/model.h"
#include "vmxcc/outcome.h"
#include "vmxcc/profile.h"

#define VMX_CASE_NO_BASELINE (-1)

struct vmx_case_file {
	struct vmx_case c;
	char profile_name[256];		/* as written after "profile =" */
	struct vmx_caps caps;		/* that profile, digested */
	int baseline;			/* enum vmx_baseline or VMX_CASE_NO_BASELINE */

	bool has_expect_outcome;
	struct vmx_outcome_set expect_outcome;
	bool has_expect_checks;
	uint64_t expect_checks[VMX_CHECK_WORDS];
};

/* Profile used when a case file has no "profile =" line. */
#define VMX_DEFAULT_PROFILE "synthetic-full"

/*
 * Parse .vmcs text read from @file (for messages and for resolving a
 * relative profile path).  Returns 0, or -1 with "file:line: field NAME:
 * what is wrong" (or "file:line: what is wrong") in @err.
 */
int vmx_case_parse(const char *file, const char *text, struct vmx_case_file *cf,
		   char *err, size_t errlen);
int vmx_case_load(const char *path, struct vmx_case_file *cf, char *err, size_t errlen);

/* Canonical text: baseline + the fields that differ from it, in fields.def
 * order.  Returns a malloc'ed string. */
char *vmx_case_to_text(const struct vmx_case_file *cf);
void vmx_case_write(FILE *f, const struct vmx_case_file *cf);

/* The case the baseline line stands for (zeros without a baseline). */
int vmx_case_base(const struct vmx_case_file *cf, struct vmx_case *base);

/* Semantic equality of two cases (ignores msr_load[] past n_msr_load). */
bool vmx_case_equal(const struct vmx_case *a, const struct vmx_case *b);
bool vmx_case_file_equal(const struct vmx_case_file *a, const struct vmx_case_file *b);

/* Read a whole file into a NUL-terminated malloc'ed buffer; *len gets the
 * byte count.  Returns NULL with errno-based text in @err. */
char *vmx_read_file(const char *path, size_t *len, char *err, size_t errlen);

/* Names of the [state] keys, in the order the writer uses. */
enum vmx_state_key {
	SK_INSTR, SK_LAUNCH_STATE, SK_MOVSS_BLOCKING, SK_NO_CURRENT_VMCS,
	SK_CURRENT_IS_SHADOW, SK_VTPR, SK_X2APIC_MODE, SK_LINK_REVISION,
	SK_LINK_SHADOW, SK_LINK_IS_CURRENT, SK_COUNT
};
extern const char *const vmx_state_key_names[SK_COUNT];
uint64_t vmx_state_get(const struct vmx_case *c, enum vmx_state_key k);
void vmx_state_set(struct vmx_case *c, enum vmx_state_key k, uint64_t v);
/* Largest value a state key can hold. */
uint64_t vmx_state_max(enum vmx_state_key k);

#endif
