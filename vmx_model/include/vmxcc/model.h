/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference model of SDM Vol. 3C "VM Entries": (caps, case) -> the set of
 * outcomes the SDM allows, plus every failing check.  Pure and reentrant: no
 * I/O, no globals written, no allocation.
 */
#ifndef VMXCC_MODEL_H
#define VMXCC_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "case.h"
#include "outcome.h"
#include "profile.h"

/* Which part of VM entry a check belongs to; decides its outcome. */
enum vmx_check_class {
	CLS_BASIC,	/* outcome given per check (VMfailInvalid, VMfail 26/4/5) */
	CLS_CTRL,	/* VMfail 7 */
	CLS_HOST,	/* VMfail 8 */
	CLS_GUEST,	/* VM exit 33, qualification per check */
	CLS_MSR,	/* VM exit 34, qualification = failing entry number */
};

/*
 * Check ids, generated from the catalogue (include/vmxcc/catalogue/NAME.def):
 * CHECK(ID, class, qual, section, statement)
 *   ID         stable id, never renumbered or reused (records and corpora
 *              refer to it by name)
 *   class      enum vmx_check_class
 *   qual       exit qualification for CLS_GUEST, VM-instruction error for
 *              CLS_BASIC (0 = VMfailInvalid), else 0
 *   section    SDM section number and title
 *   statement  one line: the rule, as a requirement
 */
enum vmx_check_id {
#define CHECK(id, cls, qual, section, stmt) id,
#include "catalogue.def"
#undef CHECK
	VMX_CHECK_COUNT
};

struct vmx_check_info {
	const char *id;
	uint8_t cls;
	uint8_t qual;
	const char *section;
	const char *statement;
};

extern const struct vmx_check_info vmx_checks[VMX_CHECK_COUNT];

#define VMX_CHECK_WORDS ((VMX_CHECK_COUNT + 63) / 64)

struct vmx_verdict {
	struct vmx_outcome_set allowed;		/* what the SDM allows */
	uint64_t applied[VMX_CHECK_WORDS];	/* checks whose preconditions held */
	uint64_t failed[VMX_CHECK_WORDS];	/* checks that failed */
	uint64_t uncertain[VMX_CHECK_WORDS];	/* model cannot decide; both allowed */
	int32_t msr_fail_entry;			/* 0-based first failing MSR-load entry, or -1 */
};

int vmx_model_eval(const struct vmx_caps *caps, const struct vmx_case *c,
		   struct vmx_verdict *v);

/*
 * As vmx_model_eval(), but the checks set in @ignore (a VMX_CHECK_WORDS
 * bitmap; NULL ignores none) are treated as if the implementation did not
 * perform them: they are still listed in applied/failed, but do not shape
 * the outcome set.  Used to tell whether a divergence is explained by an
 * implementation's known deviations.  MSR-load checks cannot be ignored:
 * the MSR-load walk stops at the first failing entry.
 */
int vmx_model_eval_except(const struct vmx_caps *caps, const struct vmx_case *c,
			  const uint64_t *ignore, struct vmx_verdict *v);

static inline bool vmx_verdict_failed(const struct vmx_verdict *v,
				      enum vmx_check_id id)
{
	return (v->failed[id / 64] >> (id % 64)) & 1;
}

/* Check id by its stable name; -1 if unknown. */
int vmx_check_by_name(const char *name);

static const char *const vmx_check_class_names[] = {
	"basic", "controls", "host-state", "guest-state", "msr-load",
};

#endif
