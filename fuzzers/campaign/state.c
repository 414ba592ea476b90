// SPDX-License-Identifier: GPL-2.0
/* Small containers of the campaign driver: a string set and the buckets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_internal.h"

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("vmxcc campaign");
		exit(2);
	}
	return p;
}

static uint64_t str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 0x100000001b3ull;
	return h;
}

/* Open addressing, load at most 1/2: a campaign keeps thousands of keys
 * and looks every records.d file up once a second. */
static char **slot(const struct vmxfz_set *set, const char *s)
{
	size_t i = str_hash(s) & (set->cap - 1);

	while (set->s[i] && strcmp(set->s[i], s))
		i = (i + 1) & (set->cap - 1);
	return &set->s[i];
}

int vmxfz_set_has(const struct vmxfz_set *set, const char *s)
{
	return set->cap && *slot(set, s) != NULL;
}

void vmxfz_set_add(struct vmxfz_set *set, const char *s)
{
	if (vmxfz_set_has(set, s))
		return;
	if (2 * (set->n + 1) > set->cap) {
		struct vmxfz_set big = { NULL, 0, set->cap ? 2 * set->cap : 256 };

		big.s = xrealloc(NULL, big.cap * sizeof(*big.s));
		memset(big.s, 0, big.cap * sizeof(*big.s));
		for (size_t i = 0; i < set->cap; i++)
			if (set->s[i])
				*slot(&big, set->s[i]) = set->s[i];
		free(set->s);
		big.n = set->n;
		*set = big;
	}
	*slot(set, s) = strdup(s);
	set->n++;
}

struct vmxfz_bucket *vmxfz_bucket_find(struct vmxfz_state *st, const char *sig)
{
	for (size_t i = 0; i < st->n_buckets; i++)
		if (strcmp(st->buckets[i].sig, sig) == 0)
			return &st->buckets[i];
	return NULL;
}

/* A bucket for @sig, new (count 0) if it was not there. */
struct vmxfz_bucket *vmxfz_bucket_get(struct vmxfz_state *st, const char *sig)
{
	struct vmxfz_bucket *b = vmxfz_bucket_find(st, sig);

	if (b)
		return b;
	if (st->n_buckets == st->cap_buckets) {
		st->cap_buckets = st->cap_buckets ? 2 * st->cap_buckets : 16;
		st->buckets = xrealloc(st->buckets, st->cap_buckets * sizeof(*st->buckets));
	}
	b = &st->buckets[st->n_buckets++];
	memset(b, 0, sizeof(*b));
	snprintf(b->sig, sizeof(b->sig), "%s", sig);
	vmxfz_iso_now(b->first_seen, sizeof(b->first_seen));
	return b;
}

/* One more record (in records.jsonl) of its bucket. */
void vmxfz_bucket_seen(struct vmxfz_state *st, json_t *rec)
{
	const char *sig = json_string_value(json_object_get(rec, "signature"));
	const char *t = json_string_value(json_object_get(rec, "time"));
	struct vmxfz_bucket *b;

	if (!sig)
		return;
	b = vmxfz_bucket_get(st, sig);
	if (!b->records++) {
		b->known = json_is_true(json_object_get(rec, "known"));
		if (t)
			snprintf(b->first_seen, sizeof(b->first_seen), "%s", t);
	}
	if (b->count < b->records)
		b->count = b->records;
}
