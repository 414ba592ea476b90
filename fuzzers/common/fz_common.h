/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every fuzz target and tool shares: the profile under test and check
 * coverage (every check id x {failed, passed} is one feature).
 */
#ifndef VMXFZ_COMMON_H
#define VMXFZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmxcc/model.h"

/*
 * The profile: $VMXFZ_PROFILE (a shipped name or a path, as on the vmxcc
 * command line) or the built-in synthetic-full profile.  Exits with a
 * message naming the problem if the profile does not load.
 */
const struct vmx_caps *vmxfz_caps(void);
/* Use @c from now on (the differential target: the back end's profile). */
void vmxfz_set_caps(const struct vmx_caps *c);

/* Feature 2*id is "check id failed", 2*id+1 "check id applied and passed". */
#define VMXFZ_N_FEATURES (2 * VMX_CHECK_COUNT)

static inline int vmxfz_feature(int id, bool failed)
{
	return 2 * id + (failed ? 0 : 1);
}

/* Set map[f] = 1 for every feature the verdict shows; returns how many. */
int vmxfz_features(const struct vmx_verdict *v, uint8_t map[VMXFZ_N_FEATURES]);

/* Report the verdict's features to the engine this object was built for
 * (libFuzzer extra counters, or code edges for AFL++ and others). */
void vmxfz_cov_report(const struct vmx_verdict *v);

/*
 * Benchmark goal ($VMXFZ_GOAL = file of "ID failed|passed" lines): records
 * the features seen so far and, once every goal feature has been seen,
 * prints "vmxfz-goal: reached ..." with elapsed time and executions and
 * exits 0.  Does nothing when $VMXFZ_GOAL is unset.
 */
void vmxfz_goal_track(const struct vmx_verdict *v);

/* Read a whole file; NULL with errno set on failure. */
uint8_t *vmxfz_read(const char *path, size_t *len);

#endif
