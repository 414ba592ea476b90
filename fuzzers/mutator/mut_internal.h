/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the mutator's source files; not an interface. */
#ifndef VMXFZ_MUT_INTERNAL_H
#define VMXFZ_MUT_INTERNAL_H

#include "vmxcc/arch.h"
#include "vmxcc/baseline.h"
#include "vmxcc/case_file.h"
#include "vmxcc/fields.h"
#include "mutator.h"

#define FV(c, name) ((c)->f[VF_##name])

/*
 * Field classes, derived once from fields.def by width, group and name
 * (there is no second list of fields): physical-address fields (must be
 * aligned and below MAXPHYADDR), linear-address fields (must be
 * canonical), and the eight guest segment registers.
 */
struct vmxfz_fields {
	int addr[VF_COUNT], n_addr;
	int canon[VF_COUNT], n_canon;
	struct {
		int sel, base, limit, ar;
	} seg[8];			/* ES CS SS DS FS GS LDTR TR */
	int host_sel[7];		/* ES CS SS DS FS GS TR */
};

const struct vmxfz_fields *vmxfz_fields(void);

/* A control word and its allowed settings in @caps. */
struct vmxfz_ctl {
	enum vmx_field f;
	uint64_t must1, may1;
};

#define VMXFZ_N_CTLS 8
void vmxfz_ctls(const struct vmx_caps *caps, struct vmxfz_ctl out[VMXFZ_N_CTLS]);

/* Set/clear a control bit only if the profile allows it; returns false if
 * it cannot (so a recipe can give up cleanly). */
bool vmxfz_ctl_set(struct vmxfz_ctx *m, enum vmx_field f, uint64_t bit, bool on);

/* A random "interesting" value for a field of @width bits. */
uint64_t vmxfz_boundary(struct vmxfz_rng *r, int width_bits);

/* Operators, one file per family. */
int vmxfz_op_ctrl_bit(struct vmxfz_ctx *m);
int vmxfz_op_cr_bit(struct vmxfz_ctx *m);
int vmxfz_op_addr(struct vmxfz_ctx *m);
int vmxfz_op_canon(struct vmxfz_ctx *m);
int vmxfz_op_seg(struct vmxfz_ctx *m);
int vmxfz_op_event(struct vmxfz_ctx *m);
int vmxfz_op_activity(struct vmxfz_ctx *m);
int vmxfz_op_msr_entry(struct vmxfz_ctx *m);
int vmxfz_op_baseline(struct vmxfz_ctx *m);
int vmxfz_op_feature(struct vmxfz_ctx *m);
int vmxfz_op_field(struct vmxfz_ctx *m);
int vmxfz_op_state(struct vmxfz_ctx *m);
int vmxfz_op_revert(struct vmxfz_ctx *m);
int vmxfz_op_loadstate(struct vmxfz_ctx *m);

/* A violation aimed at class @cls; returns its class mask or -1. */
int vmxfz_violate(struct vmxfz_ctx *m, enum vmxfz_class cls);

#endif
