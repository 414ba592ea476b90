/* SPDX-License-Identifier: GPL-2.0 */
/* The campaign driver behind `vmxcc campaign` (docs/campaign.md). */
#ifndef VMXFZ_CAMPAIGN_H
#define VMXFZ_CAMPAIGN_H

struct vmxfz_campaign_opts {
	const char *backend;	/* "bochs", "kmod", "bochs:tigerlake" */
	const char *engine;	/* "batch", "libfuzzer" or "afl" */
	const char *out;	/* campaign directory; reused to resume */
	const char *known;	/* known deviations list, NULL: the back end's default */
	int cores;
	int seconds;		/* total wall time, across resumes */
	int batch;		/* cases per back-end batch (per process for
				 * "batch"); 0: the engine's default */
	int minimize_budget;	/* seconds; < 0: the default (25% of --time, >= 10) */
	int no_report;
	int has_seed;		/* --seed given */
	unsigned long long seed;	/* the batch engine's random seed (< 2^63) */
};

/* Run (or resume) a campaign.  Returns a vmxcc exit code: 0 no divergence,
 * 1 divergences found, 2 usage error or back end not available. */
int vmxfz_campaign_run(const struct vmxfz_campaign_opts *o);

#endif
