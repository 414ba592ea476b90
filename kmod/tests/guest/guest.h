/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxcc-guest: the static test program that runs inside the Bochs (and
 * QEMU) guest of the kmod end-to-end tests.  It drives /dev/vmxcc through
 * the real kmod back end and judges every outcome with the model.
 */
#ifndef VMXCC_GUEST_H
#define VMXCC_GUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "vmxcc/backend.h"
#include "vmxcc/deviations.h"
#include "vmxcc/model.h"

extern const struct vmx_backend_ops vmx_backend_kmod;

struct judge {
	struct vmx_caps caps;
	struct deviations known;	/* corpora/known-deviations/<backend>.txt */
	unsigned long agree, known_dev, skipped, disagree, errors;
	/* with read-back: cases read back, differences the SDM does not
	 * explain (findings), kernel addresses let through (failures) */
	unsigned long rb_cases, rb_unexpected, rb_missing, leaks;
};

/* judge.c */
int judge_init(struct judge *j, const struct vmx_profile *p, const char *known_path);
/* Judge one result; prints a line for every disagreement. */
void judge_one(struct judge *j, const char *name, const struct vmx_backend_result *r);
/* Its read-back too: differences (harness readback.h rules) and leaks. */
void judge_readback(struct judge *j, const char *name, const struct vmx_case *given,
		    const struct vmx_backend_result *r);
void judge_print(const struct judge *j, const char *what);

/* model_set.c: the model's single-check tests this CPU can run */
struct model_set {
	size_t n;
	struct vmx_case *cases;
	const char **names;
	unsigned long total, needs_profile, no_baseline;
};
int model_set_build(struct model_set *m, const struct vmx_caps *caps);
void model_set_free(struct model_set *m);

/* modes */
int mode_replay(struct vmx_backend *b, struct judge *j);
int mode_readback(struct vmx_backend *b, struct judge *j);
int mode_abi(const struct vmx_caps *caps);
/* readback.c: values with bit 63 set that @given did not hold and that
 * are no VMXCC_HIDDEN_* placeholder, in the effective image and the
 * read-back; each printed as a FAIL line.  Returns how many. */
int readback_leaks(const char *name, const struct vmx_case *given,
		   const struct vmx_backend_result *r);
int mode_fuzz(struct vmx_backend *b, struct judge *j, unsigned long n, unsigned long seed,
	      bool readback);
int mode_badioctl(double seconds, unsigned long max_calls, unsigned long seed);
int mode_bench(struct vmx_backend *b, const struct vmx_caps *caps, unsigned long n);

/* hostcheck.c: host state visible from user space, before/after */
struct host_snapshot;
struct host_snapshot *host_snapshot_take(void);
int host_snapshot_compare(const struct host_snapshot *a, const struct host_snapshot *b);
int host_io_bitmap_arm(void);
int host_io_bitmap_check(void);

#endif
