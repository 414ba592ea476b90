// SPDX-License-Identifier: GPL-2.0
/*
 * The Bochs back end: runs cases in the L1 probe under bochs-bin, one
 * process per core, through the probe runner (probe_run.h), which also
 * bisects a batch that crashed or hung down to the case that did it.
 *
 *   --backend bochs[:MODEL]    MODEL: a VMX-capable Bochs CPU model,
 *                              tigerlake by default
 * Environment: VMXCC_PROBE (probe ROM), VMXCC_BOCHS (bochs-bin),
 * VMXCC_BOCHS_JOBS (processes), VMXCC_BOCHS_BATCH (cases per process run),
 * VMXCC_BOCHS_TRIAGE=1 (Bochs' own log line per case into .text),
 * VMXCC_BOCHS_KEEP=1 (keep the per-instance directories).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bochs_internal.h"

#define DEFAULT_MODEL	"tigerlake"

/* 64-bit Bochs CPU models with VMX (../shared/notes/bochs.md). */
static const char *const vmx_models[] = {
	"tigerlake", "corei7_icelake_u", "corei3_cnl", "corei7_skylake_x",
	"broadwell_ult", "corei7_haswell_4770", "corei7_ivy_bridge_3770k",
	"corei7_sandy_bridge_2600k", "corei5_lynnfield_750",
	"corei5_arrandale_m520", "core2_penryn_t9600",
};

static bool known_model(const char *m)
{
	for (size_t i = 0; i < sizeof(vmx_models) / sizeof(vmx_models[0]); i++)
		if (strcmp(vmx_models[i], m) == 0)
			return true;
	return false;
}

/* Boot the probe once in capture mode: profile and supported fields. */
static int capture(struct vmx_backend *b, const char *model, char *err, size_t errlen)
{
	struct probe_result_hdr h;
	char name[64];

	if (prun_capture(&b->run, &h, err, errlen))
		return -1;
	if (h.cpu_on_err) {
		snprintf(err, errlen, "not available on this machine: Bochs model %s: VMXON failed (core error %d)",
			 model, -h.cpu_on_err);
		return -1;
	}
	snprintf(name, sizeof(name), "bochs-%.50s", model);
	return prun_adopt_caps(&b->run, &h, name, err, errlen);
}

static struct vmx_backend *bochs_open(const char *arg, char *err, size_t errlen)
{
	struct vmx_backend *b = prun_backend_alloc(&bochs_emu, sizeof(struct bochs_emu_ctx));
	const char *bochs = getenv("VMXCC_BOCHS");
	struct bochs_emu_ctx *e;

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e = b->run.emu_ctx;
	snprintf(e->model, sizeof(e->model), "%s", arg && *arg ? arg : DEFAULT_MODEL);
	if (!known_model(e->model)) {
		snprintf(err, errlen, "Bochs CPU model \"%s\" has no VMX (or is unknown)", e->model);
		goto fail;
	}
	snprintf(e->bochs, sizeof(e->bochs), "%s", bochs && *bochs ? bochs : "/usr/bin/bochs-bin");
	if (access(e->bochs, X_OK)) {
		snprintf(err, errlen, "not available on this machine: no %s (Debian package bochs)",
			 e->bochs);
		goto fail;
	}
	/* boot + I/O take well under a second; a case takes microseconds */
	b->run.t_boot = 2.0;
	b->run.t_case = 200e-6;
	b->run.t_stall = 1.0;
	if (prun_setup(&b->run, "BOCHS", "bochs", err, errlen) ||
	    capture(b, e->model, err, errlen))
		goto fail;
	return b;
fail:
	prun_op_close(b);
	return NULL;
}

const struct vmx_backend_ops vmx_backend_bochs = {
	.name = "bochs",
	.help = "bochs[:MODEL]  the L1 probe under bochs-bin (default model tigerlake)",
	.open = bochs_open,
	.profile = prun_op_profile,
	.run = prun_op_run,
	.set_readback = prun_op_set_readback,
	.close = prun_op_close,
};
