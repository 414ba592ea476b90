/* SPDX-License-Identifier: GPL-2.0 */
/* The campaign's engines, seen from the driver (engines.c). */
#ifndef VMXFZ_ENGINES_H
#define VMXFZ_ENGINES_H

#include <stdbool.h>
#include <sys/types.h>

#include <jansson.h>

#include "fz_common.h"
#include "campaign_internal.h"

struct vmxfz_engine_stats {
	unsigned long long execs;
	unsigned long hits[VMXFZ_N_FEATURES];	/* executions per feature */
	json_t *skipped;			/* {reason: n}, batch engine only */
	json_t *known_counts;			/* {known group: n}, batch engine only */
	unsigned long backend_errors;
};

/* Start @o->engine for @remaining seconds; fills @pids, returns how many
 * (each leads its own process group) or -1 with @err. */
int vmxfz_engine_start(const struct vmxfz_campaign_opts *o, int remaining, pid_t *pids,
		       char *err, size_t errlen);
/* Refresh @es (coverage only when @coverage: the external engines' is a
 * pass over the corpus) and the buckets' execution counts. */
void vmxfz_engine_poll(const struct vmxfz_campaign_opts *o, struct vmxfz_state *st,
		       const struct vmx_caps *caps, bool coverage, struct vmxfz_engine_stats *es);
/* Stop the engine and wait for every process of its groups. */
void vmxfz_engine_stop(const struct vmxfz_campaign_opts *o, pid_t *pids, int n);

#endif
