/* SPDX-License-Identifier: GPL-2.0 */
/* The Bochs back end: the probe runner (probe_run.h) with bochs-bin. */
#ifndef VMXCC_BOCHS_INTERNAL_H
#define VMXCC_BOCHS_INTERNAL_H

#include "probe_run.h"

struct bochs_emu_ctx {
	char bochs[512];	/* bochs-bin */
	char model[64];		/* Bochs CPU model */
};

/* bochs_proc.c: bochsrc, rc file and command line of one Bochs run */
extern const struct prun_emu bochs_emu;

#endif
