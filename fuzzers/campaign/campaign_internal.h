/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the campaign driver's files; not an interface. */
#ifndef VMXFZ_CAMPAIGN_INTERNAL_H
#define VMXFZ_CAMPAIGN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "campaign.h"

struct vmxfz_set {
	char **s;
	size_t n, cap;
};

void vmxfz_set_add(struct vmxfz_set *set, const char *s);
int vmxfz_set_has(const struct vmxfz_set *set, const char *s);

struct vmxfz_bucket {
	char sig[32];
	unsigned long count;
	double first_seen;		/* seconds into the campaign */
	int minimized;
	int min_field_diff;
};

struct vmxfz_state {
	const char *dir;
	char records_path[4096];
	struct vmxfz_set keys;		/* record keys already in records.jsonl */
	unsigned long records;
	struct vmxfz_bucket *buckets;
	size_t n_buckets, cap_buckets;
	double elapsed;			/* campaign seconds, across resumes */
};

void vmxfz_bucket_seen(struct vmxfz_state *st, const char *sig);
int vmxfz_merge_load(struct vmxfz_state *st, char *err, size_t errlen);
/* Returns the number of records appended, or -1 with @err. */
int vmxfz_merge_new(struct vmxfz_state *st, char *err, size_t errlen);

#endif
