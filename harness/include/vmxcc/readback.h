/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Read-back: the VMCS as VMREAD after an attempt (backend.h, set_readback)
 * against the effective image the back end wrote.  A field that differs is
 * either what the SDM says the attempt does to it (expected) or a finding:
 * "the VMCS holds Y where X was written".  The rules, by outcome:
 *
 *  - VMfailInvalid / VMfailValid: only the VM-instruction error changes
 *    (SDM Vol. 2 "VMLAUNCH/VMRESUME", VMfailValid).
 *  - VM-entry failure, exit 33/34/41 (SDM "VM-Entry Failures During or
 *    After Loading Guest State"): the exit-information fields change; the
 *    guest-state area and the valid bit of the VM-entry
 *    interruption-information field are left alone.
 *  - Entered (a real VM exit followed; SDM "VM Exits"): the guest-state
 *    area is saved, the valid bit (31) of the VM-entry
 *    interruption-information field is cleared, and the "IA-32e mode
 *    guest" VM-entry control (bit 9) receives IA32_EFER.LMA.
 *  - Read-only (VM-exit information) fields are never a finding.
 *
 * After a failed attempt (VMfail*, entry failure) nothing but exit
 * information was written, so the read-back values are what the checks
 * saw: the image to judge is the effective image corrected by them.
 */
#ifndef VMXCC_READBACK_H
#define VMXCC_READBACK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vmxcc/backend.h"
#include "vmxcc/backend_session.h"

/* Why a field read back is not what was written. */
enum vmx_rb_why {
	VMX_RB_EXIT_INFO,	/* read-only field: written by the attempt */
	VMX_RB_GUEST_SAVED,	/* guest-state field saved by the VM exit */
	VMX_RB_INTR_CLEARED,	/* the VM exit cleared bit 31 of the VM-entry intr. info */
	VMX_RB_IA32E_SAVED,	/* the VM exit stored EFER.LMA in "IA-32e mode guest" */
	VMX_RB_UNEXPECTED,	/* a finding */
	VMX_RB_WHY_COUNT
};

extern const char *const vmx_rb_why_names[VMX_RB_WHY_COUNT];

struct vmx_rb_diff {
	uint16_t field;		/* enum vmx_field */
	uint8_t why;		/* enum vmx_rb_why */
	uint64_t written;	/* effective image, masked to the field's width */
	uint64_t read;		/* read back, masked likewise */
};

struct vmx_rb_diffs {
	int n;			/* differences, in field-table order */
	int n_unexpected;
	struct vmx_rb_diff d[VF_COUNT];
};

static inline bool vmx_rb_bit(const uint64_t *bits, int f)
{
	return (bits[f / 64] >> (f % 64)) & 1;
}

static inline void vmx_rb_set(uint64_t *bits, int f)
{
	bits[f / 64] |= 1ull << (f % 64);
}

/* Is there read-back to judge: asked for, taken, and from an attempt that
 * ran (not a skip or a back-end error: nothing to compare against)? */
bool vmx_readback_judged(const struct vmx_backend_result *r);

/* Do the read-back values of outcome @o show what the checks saw (a
 * failed attempt: VMfail or VM-entry failure)? */
bool vmx_readback_shows_checked(const struct vmx_outcome *o);

/* Classify every field read back that differs from what was written.
 * Empty when !vmx_readback_judged(r).  Returns d->n_unexpected. */
int vmx_readback_diff(const struct vmx_backend_result *r, struct vmx_rb_diffs *d);

/*
 * The image the checks saw: the effective image with each unexpected
 * difference's read-back value substituted, when the outcome shows it
 * (vmx_readback_shows_checked); @subst gets a bit per field substituted.
 * Returns the number substituted (0: @img is the effective image).
 */
int vmx_readback_correct(const struct vmx_backend_result *r, const struct vmx_rb_diffs *d,
			 struct vmx_case *img, uint64_t subst[VMX_READBACK_WORDS]);

/* Ask @bi to read back after every attempt from now on (@on) or stop.
 * Returns 1 when on, 0 when the back end cannot (@err says so), -1 when
 * it failed to (@err says why). */
int vmx_readback_enable(struct vmx_backend_inst *bi, bool on, char *err, size_t errlen);

/* For people: unexpected differences one a line ("FIELD written X, read
 * Y"), then the expected ones compactly, grouped by why. */
void vmx_readback_print(FILE *f, const struct vmx_rb_diffs *d, const char *indent);

#endif
