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
	b->group = -1;
	snprintf(b->sig, sizeof(b->sig), "%s", sig);
	vmxfz_iso_now(b->first_seen, sizeof(b->first_seen));
	return b;
}

struct vmxfz_group *vmxfz_group_get(struct vmxfz_state *st, const char *key)
{
	struct vmxfz_group *g;

	for (size_t i = 0; i < st->n_groups; i++)
		if (strcmp(st->groups[i].key, key) == 0)
			return &st->groups[i];
	if (st->n_groups == st->cap_groups) {
		st->cap_groups = st->cap_groups ? 2 * st->cap_groups : 16;
		st->groups = xrealloc(st->groups, st->cap_groups * sizeof(*st->groups));
	}
	g = &st->groups[st->n_groups++];
	memset(g, 0, sizeof(*g));
	g->key = strdup(key);
	return g;
}

/*
 * The cluster of a new divergence: its model set, the kind of outcome
 * observed and the failing checks of the decisive class -- the earliest
 * class of VM entry (basic, controls, host, guest, MSR load) with a
 * failing check, the one that shapes the model's outcome.  Checks of
 * later classes that a mutation happened to break as well make new
 * signatures but not new clusters.
 */
static void bucket_cluster(struct vmxfz_bucket *b, json_t *rec)
{
	const char *model = json_string_value(json_object_get(rec, "model"));
	const char *obs = json_string_value(json_object_get(rec, "observed"));
	json_t *ids = json_object_get(rec, "failing_checks"), *v;
	char key[VMXFZ_KEY_LEN], kind[64];
	int cls = 255;
	size_t i, used;

	json_array_foreach(ids, i, v) {
		int id = vmx_check_by_name(json_string_value(v) ? json_string_value(v) : "");

		if (id >= 0 && vmx_checks[id].cls < cls)
			cls = vmx_checks[id].cls;
	}
	vmxfz_outcome_kind(obs ? obs : "", kind, sizeof(kind));
	used = snprintf(key, sizeof(key), "%s|%s|", model ? model : "", kind);
	json_array_foreach(ids, i, v) {
		int id = vmx_check_by_name(json_string_value(v) ? json_string_value(v) : "");

		if (id >= 0 && vmx_checks[id].cls == cls && used < sizeof(key))
			used += snprintf(key + used, sizeof(key) - used, "%s%s",
					 key[used - 1] == '|' ? "" : " ", vmx_checks[id].id);
	}
	free(b->cluster_key);
	b->cluster_key = strdup(key);
	snprintf(b->cluster, sizeof(b->cluster), "%016llx",
		 (unsigned long long)str_hash(key));
}

/* "CHECK CHECK|kind" of a record tagged known (vmxfz_known_record). */
void vmxfz_record_group_key(json_t *rec, char *key, size_t len)
{
	const char *obs = json_string_value(json_object_get(rec, "observed"));
	char kind[64];
	size_t i, used = 0;
	json_t *v;

	key[0] = 0;
	json_array_foreach(json_object_get(rec, "known_checks"), i, v)
		if (json_string_value(v) && used < len)
			used += snprintf(key + used, len - used, "%s%s", used ? " " : "",
					 json_string_value(v));
	vmxfz_outcome_kind(obs ? obs : "", kind, sizeof(kind));
	if (used < len)
		snprintf(key + used, len - used, "|%s", kind);
}

/*
 * The read-back flags of one more record of @b.  Unexpected differences
 * are part of the signature, so every record of a bucket names the same
 * fields: the first one's are kept.  An unstable record's re-run
 * (unstable.readback) is not the record's and is not counted here.
 */
static void bucket_readback(struct vmxfz_bucket *b, json_t *rec)
{
	json_t *rb = json_object_get(rec, "readback");
	json_t *un = json_object_get(rb, "unexpected"), *u;
	char names[VMXFZ_KEY_LEN];
	size_t i, used = 0;

	b->unstable += json_object_get(rec, "unstable") != NULL;
	b->rerun_error += json_object_get(rec, "rerun_error") != NULL;
	if (!json_is_object(rb))
		return;
	b->rb_records++;
	b->rb_corrected += json_is_true(json_object_get(rb, "corrected"));
	if (!json_array_size(un))
		return;
	b->rb_unexpected++;
	if (b->rb_fields)
		return;
	names[0] = 0;
	json_array_foreach(un, i, u) {
		const char *f = json_string_value(json_object_get(u, "field"));

		if (f && used < sizeof(names))
			used += snprintf(names + used, sizeof(names) - used, "%s%s",
					 used ? " " : "", f);
	}
	b->rb_fields = strdup(names);
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
		bucket_cluster(b, rec);
	}
	if (b->count < b->records)
		b->count = b->records;
	bucket_readback(b, rec);
	if (json_is_true(json_object_get(rec, "known"))) {
		char key[VMXFZ_KEY_LEN];
		struct vmxfz_group *g;

		vmxfz_record_group_key(rec, key, sizeof(key));
		g = vmxfz_group_get(st, key);
		if (!g->records++)
			snprintf(g->example, sizeof(g->example), "%s", sig);
		if (b->known && b->group < 0)
			b->group = (int)(g - st->groups);
	}
}
