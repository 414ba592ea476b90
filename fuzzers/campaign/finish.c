// SPDX-License-Identifier: GPL-2.0
/*
 * End of a campaign: minimize one case per new bucket into a regression
 * candidate (expected outcome = what the model allows), and summary.json
 * in the schema reports/ reads (docs/reports.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "vmxcc/record.h"
#include "vmxcc/run.h"
#include "fz_common.h"
#include "campaign_internal.h"

struct first_case {
	const char *sig;
	char *text;
};

static int find_case(json_t *rec, void *arg)
{
	struct first_case *fc = arg;
	const char *sig = json_string_value(json_object_get(rec, "signature"));
	const char *text = json_string_value(json_object_get(rec, "case"));

	if (!fc->text && sig && text && strcmp(sig, fc->sig) == 0)
		fc->text = strdup(text);
	return 0;
}

static int minimize_one(struct vmxfz_state *st, struct vmxfz_bucket *b,
			struct vmx_backend_inst *bi)
{
	static struct vmx_case_file cf;
	struct first_case fc = { b->sig, NULL };
	struct vmx_minimize_stats ms;
	struct vmx_record_stats rs;
	struct vmx_verdict v;
	char err[1024], path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/regression-candidates/%s.vmcs", st->dir, b->sig);
	if (access(path, F_OK) == 0) {
		b->minimized = 1;	/* done by an earlier run of this campaign */
		return 0;
	}
	if (vmx_record_read(st->records_path, find_case, &fc, &rs, err, sizeof(err)) || !fc.text)
		return -1;
	if (vmx_case_parse("record", fc.text, &cf, err, sizeof(err)) ||
	    vmx_minimize(bi, &cf, strtoull(b->sig, NULL, 16), &ms, err, sizeof(err))) {
		fprintf(stderr, "vmxcc campaign: bucket %s: %s\n", b->sig, err);
		free(fc.text);
		return -1;
	}
	free(fc.text);
	vmx_model_eval(&cf.caps, &cf.c, &v);
	cf.has_expect_outcome = true;
	cf.expect_outcome = v.allowed;
	f = fopen(path, "w");
	if (!f)
		return -1;
	vmx_case_write(f, &cf);
	fclose(f);
	b->minimized = 1;
	b->min_field_diff = ms.units_after;
	printf("vmxcc campaign: bucket %s minimized to %d differences: %s\n",
	       b->sig, ms.units_after, path);
	return 0;
}

int vmxfz_minimize_buckets(struct vmxfz_state *st, struct vmx_backend_inst *bi)
{
	int failed = 0;

	for (size_t i = 0; i < st->n_buckets; i++)
		failed += minimize_one(st, &st->buckets[i], bi) != 0;
	return failed ? -1 : 0;
}

int vmxfz_write_summary(const struct vmxfz_state *st, const struct vmxfz_campaign_opts *o,
			const char *profile, const char *start, unsigned long long execs,
			const unsigned long *hits, json_t *over_time)
{
	json_t *cov = json_object(), *buckets = json_array(), *s;
	char end[64], path[4096], tmp[4096];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(end, sizeof(end), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (int id = 0; id < VMX_CHECK_COUNT; id++)
		json_object_set_new(cov, vmx_checks[id].id,
				    json_pack("{s:I,s:I}",
					      "failed", (json_int_t)hits[vmxfz_feature(id, true)],
					      "passed", (json_int_t)hits[vmxfz_feature(id, false)]));
	for (size_t i = 0; i < st->n_buckets; i++) {
		const struct vmxfz_bucket *b = &st->buckets[i];

		char rel[64];

		/* "minimized": the candidate's path relative to the campaign
		 * directory (what reports/ reads), or null. */
		snprintf(rel, sizeof(rel), "regression-candidates/%s.vmcs", b->sig);
		json_array_append_new(buckets, json_pack("{s:s,s:I,s:f,s:o,s:i}",
			"signature", b->sig, "count", (json_int_t)b->count,
			"first_seen", b->first_seen,
			"minimized", b->minimized ? json_string(rel) : json_null(),
			"min_field_diff", b->min_field_diff));
	}
	s = json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:f,s:o,s:o,s:o,s:{},s:i}",
		      "v", 1, "campaign", "vmxcc", "backend", o->backend, "profile", profile,
		      "engine", o->engine, "start", start, "end", end,
		      "execs", (json_int_t)execs,
		      "execs_per_sec", st->elapsed > 0 ? execs / st->elapsed : 0.0,
		      "coverage", cov, "coverage_over_time", over_time, "buckets", buckets,
		      "skipped", "backend_errors", 0);
	snprintf(path, sizeof(path), "%s/summary.json", st->dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (!s || json_dump_file(s, tmp, JSON_INDENT(1) | JSON_SORT_KEYS) || rename(tmp, path)) {
		fprintf(stderr, "vmxcc campaign: cannot write %s\n", path);
		json_decref(s);
		return -1;
	}
	json_decref(s);
	return 0;
}
