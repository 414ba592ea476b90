// SPDX-License-Identifier: GPL-2.0
/* Small containers of the campaign driver: a string set and the buckets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_internal.h"

void vmxfz_set_add(struct vmxfz_set *set, const char *s)
{
	if (vmxfz_set_has(set, s))
		return;
	if (set->n == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 64;
		set->s = realloc(set->s, set->cap * sizeof(*set->s));
		if (!set->s) {
			perror("vmxcc campaign");
			exit(2);
		}
	}
	set->s[set->n++] = strdup(s);
}

int vmxfz_set_has(const struct vmxfz_set *set, const char *s)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->s[i], s) == 0)
			return 1;
	return 0;
}

void vmxfz_bucket_seen(struct vmxfz_state *st, const char *sig)
{
	struct vmxfz_bucket *b;

	if (!sig)
		return;
	for (size_t i = 0; i < st->n_buckets; i++) {
		if (strcmp(st->buckets[i].sig, sig) == 0) {
			st->buckets[i].count++;
			return;
		}
	}
	if (st->n_buckets == st->cap_buckets) {
		st->cap_buckets = st->cap_buckets ? 2 * st->cap_buckets : 16;
		st->buckets = realloc(st->buckets, st->cap_buckets * sizeof(*st->buckets));
		if (!st->buckets) {
			perror("vmxcc campaign");
			exit(2);
		}
	}
	b = &st->buckets[st->n_buckets++];
	memset(b, 0, sizeof(*b));
	snprintf(b->sig, sizeof(b->sig), "%s", sig);
	b->count = 1;
	b->first_seen = st->elapsed;
}
