/* SPDX-License-Identifier: GPL-2.0 */
/* The campaign driver behind `vmxcc campaign` (docs/campaign.md). */
#ifndef VMXFZ_CAMPAIGN_H
#define VMXFZ_CAMPAIGN_H

struct vmxfz_campaign_opts {
	const char *backend;	/* "bochs", "kmod", "bochs:tigerlake" */
	const char *engine;	/* "libfuzzer" or "afl" */
	const char *out;	/* campaign directory; reused to resume */
	int cores;
	int seconds;		/* total wall time, across resumes */
	int batch;		/* cases per back-end batch */
	int no_report;
};

/* Run (or resume) a campaign.  Returns a vmxcc exit code: 0 no divergence,
 * 1 divergences found, 2 usage error or back end not available. */
int vmxfz_campaign_run(const struct vmxfz_campaign_opts *o);

#endif
