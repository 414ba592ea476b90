/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The outcome vocabulary (docs/design.md "Outcomes").  The model returns a
 * set of the first four kinds; a back end returns exactly one of all six.
 */
#ifndef VMXCC_OUTCOME_H
#define VMXCC_OUTCOME_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

enum vmx_outcome_kind {
	VO_VMFAIL_INVALID,	/* CF=1 */
	VO_VMFAIL_VALID,	/* ZF=1, .error = VM-instruction error */
	VO_ENTRY_FAIL,		/* VM exit with bit 31: .reason (33/34/41), .qual */
	VO_ENTERED,		/* guest entered; .reason = first exit's basic reason */
	VO_SKIPPED,		/* back end would not run it; .text says why */
	VO_BACKEND_ERROR,	/* crash, hang, timeout; .text says which */
};

struct vmx_outcome {
	uint8_t kind;		/* enum vmx_outcome_kind */
	uint8_t qual_any;	/* model only: any qualification allowed */
	uint16_t error;		/* VMFAIL_VALID: VM-instruction error */
	uint32_t reason;	/* ENTRY_FAIL / ENTERED: basic exit reason */
	uint64_t qual;		/* ENTRY_FAIL: exit qualification */
};

#define VMX_OUTCOME_SET_MAX 16

/* A set of outcomes the SDM allows, kept sorted and without duplicates. */
struct vmx_outcome_set {
	uint32_t n;
	struct vmx_outcome o[VMX_OUTCOME_SET_MAX];
};

static inline struct vmx_outcome vo_vmfail_invalid(void)
{
	struct vmx_outcome o = { VO_VMFAIL_INVALID, 0, 0, 0, 0 };
	return o;
}
static inline struct vmx_outcome vo_vmfail(uint16_t error)
{
	struct vmx_outcome o = { VO_VMFAIL_VALID, 0, error, 0, 0 };
	return o;
}
static inline struct vmx_outcome vo_entry_fail(uint32_t reason, uint64_t qual)
{
	struct vmx_outcome o = { VO_ENTRY_FAIL, 0, 0, reason, qual };
	return o;
}
static inline struct vmx_outcome vo_entered(void)
{
	struct vmx_outcome o = { VO_ENTERED, 0, 0, 0, 0 };
	return o;
}

void vmx_outcome_set_clear(struct vmx_outcome_set *s);
/* Add @o (sorted, deduplicated); returns false if the set is full. */
bool vmx_outcome_set_add(struct vmx_outcome_set *s, struct vmx_outcome o);
/* Does the model set @s allow the observed outcome @o?  ENTERED matches any
 * first exit reason; qual_any matches any qualification. */
bool vmx_outcome_set_allows(const struct vmx_outcome_set *s,
			    const struct vmx_outcome *o);
bool vmx_outcome_set_equal(const struct vmx_outcome_set *a,
			   const struct vmx_outcome_set *b);
/* Are two observed outcomes the same (kind, error, reason, qualification)? */
bool vmx_outcome_equal(const struct vmx_outcome *a, const struct vmx_outcome *b);

/* Canonical text, e.g. "vmfail(7)", "exit(33,qual=2)", "entered",
 * "vmfail-invalid"; sets print as "{vmfail(7), vmfail(8)}".  Returns the
 * length that was needed (like snprintf). */
int vmx_outcome_format(char *buf, size_t len, const struct vmx_outcome *o);
int vmx_outcome_set_format(char *buf, size_t len, const struct vmx_outcome_set *s);
/* Parse the canonical text of one outcome or a set; 0 on success. */
int vmx_outcome_parse(const char *text, struct vmx_outcome *o);
int vmx_outcome_set_parse(const char *text, struct vmx_outcome_set *s);

#endif
