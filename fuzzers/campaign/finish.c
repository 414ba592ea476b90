// SPDX-License-Identifier: GPL-2.0
/*
 * End of a campaign: minimize one case per new bucket into a regression
 * candidate (expected outcome = what the model allows), within a time
 * budget, most frequent buckets first -- known deviations are explained
 * already and not minimized; and summary.json in the schema reports/
 * reads (docs/reports.md): buckets, the clusters folding the new ones,
 * the known groups, and the read-back counts of the records.
 *
 * Minimization runs in --cores child processes, each with its own back-end
 * instance of one process, taking buckets in turn; a child starts no bucket
 * after the budget and is killed (with its back-end processes: its own
 * process group) a few seconds after it.  A candidate is written to a
 * temporary name and renamed, so it is whole or absent; buckets without
 * one are "pending" and a resumed campaign minimizes them first.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "vmxcc/readback.h"
#include "vmxcc/record.h"
#include "vmxcc/run.h"
#include "fz_common.h"
#include "campaign_internal.h"

#define KILL_GRACE 3.0		/* seconds past the budget before SIGKILL */

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void candidate_path(const struct vmxfz_state *st, const char *sig, char *p, size_t len)
{
	snprintf(p, len, "%s/regression-candidates/%s.vmcs", st->dir, sig);
}

struct min_queue {
	struct vmxfz_bucket **b;	/* buckets to minimize, biggest first */
	char **text;			/* first record's case of each */
	bool *unstable;			/* ...a record marked "unstable" */
	size_t n;
};

/* The first stable record's case, else the first unstable one's: an
 * unstable divergence is minimized as the engine found it, without
 * read-back (with it, it did not reproduce). */
static int find_cases(json_t *rec, void *arg)
{
	struct min_queue *t = arg;
	const char *sig = json_string_value(json_object_get(rec, "signature"));
	const char *text = json_string_value(json_object_get(rec, "case"));
	bool unstable = json_object_get(rec, "unstable") != NULL;

	for (size_t i = 0; i < t->n; i++) {
		if (!sig || !text || strcmp(sig, t->b[i]->sig) ||
		    (t->text[i] && (unstable || !t->unstable[i])))
			continue;
		free(t->text[i]);
		t->text[i] = strdup(text);
		t->unstable[i] = unstable;
	}
	return 0;
}

static int by_count(const void *a, const void *b)
{
	const struct vmxfz_bucket *x = *(struct vmxfz_bucket *const *)a;
	const struct vmxfz_bucket *y = *(struct vmxfz_bucket *const *)b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->sig, y->sig);
}

static int minimize_one(const struct vmxfz_state *st, struct vmx_backend_inst *bi,
			const char *sig, const char *text)
{
	static struct vmx_case_file cf;
	struct vmx_minimize_stats ms;
	struct vmx_verdict v;
	char err[1024], path[4096], tmp[4200];
	FILE *f;

	if (vmx_case_parse("record", text, &cf, err, sizeof(err)) ||
	    vmx_minimize(bi, &cf, strtoull(sig, NULL, 16), &ms, err, sizeof(err))) {
		fprintf(stderr, "vmxcc campaign: bucket %s: %s\n", sig, err);
		return -1;
	}
	vmx_model_eval(&cf.caps, &cf.c, &v);
	cf.has_expect_outcome = true;
	cf.expect_outcome = v.allowed;
	candidate_path(st, sig, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	vmx_case_write(f, &cf);
	if (fclose(f) || rename(tmp, path))
		return -1;
	printf("vmxcc campaign: bucket %s minimized from %d to %d differences: %s\n",
	       sig, ms.units_before, ms.units_after, path);
	fflush(stdout);
	return 0;
}

/* Child @k of @jobs: buckets k, k + jobs, ... until the deadline. */
static void minimizer(const struct vmxfz_state *st, const char *backend,
		      const struct min_queue *t, int k, int jobs, double deadline)
{
	struct vmx_backend_inst bi;
	char err[1024];

	setpgid(0, 0);
	/* Minimizing batches are small: one back-end process per child. */
	setenv("VMXCC_BOCHS_JOBS", "1", 1);
	if (vmx_backend_open_spec(backend, &bi, err, sizeof(err))) {
		fprintf(stderr, "vmxcc campaign: minimizing: %s\n", err);
		_exit(2);
	}
	for (size_t i = k; i < t->n && now_s() < deadline; i += jobs) {
		if (!t->text[i])
			continue;
		/* As the record was made: with read-back (a signature may name
		 * fields read back unexpectedly, failed attempts are judged
		 * corrected) unless it was unstable.  The driver said already
		 * when the back end cannot read back. */
		vmx_readback_enable(&bi, !t->unstable[i], err, sizeof(err));
		minimize_one(st, &bi, t->b[i]->sig, t->text[i]);
	}
	vmx_backend_inst_close(&bi);
	_exit(0);
}

static void run_minimizers(const struct vmxfz_state *st, const char *backend,
			   const struct min_queue *t, int jobs, double budget)
{
	double deadline = now_s() + budget;
	pid_t pids[64];
	int n = 0, alive;

	fflush(NULL);
	for (; n < jobs && n < 64 && (size_t)n < t->n; n++) {
		pids[n] = fork();
		if (pids[n] == 0)
			minimizer(st, backend, t, n, jobs < (int)t->n ? jobs : (int)t->n, deadline);
		if (pids[n] > 0)
			setpgid(pids[n], pids[n]);
	}
	do {
		alive = 0;
		for (int i = 0; i < n; i++)
			if (pids[i] > 0 && waitpid(pids[i], NULL, WNOHANG) == 0)
				alive++;
		if (alive && now_s() > deadline + KILL_GRACE) {
			/* A bucket still in progress: it stays pending. */
			for (int i = 0; i < n; i++)
				if (pids[i] > 0)
					kill(-pids[i], SIGKILL);
		}
		if (alive)
			usleep(50000);
	} while (alive);
}

int vmxfz_minimize_buckets(struct vmxfz_state *st, const char *backend,
			   const struct vmxfz_min_opts *mo)
{
	struct min_queue t = { calloc(st->n_buckets + 1, sizeof(*t.b)),
			  calloc(st->n_buckets + 1, sizeof(*t.text)),
			  calloc(st->n_buckets + 1, sizeof(*t.unstable)), 0 };
	struct vmx_record_stats rs;
	char err[1024], path[4096];

	if (!t.b || !t.text || !t.unstable)
		return -1;
	for (size_t i = 0; i < st->n_buckets; i++) {
		candidate_path(st, st->buckets[i].sig, path, sizeof(path));
		st->buckets[i].minimized = access(path, F_OK) == 0;
		if (!st->buckets[i].minimized && !st->buckets[i].known)
			t.b[t.n++] = &st->buckets[i];
	}
	qsort(t.b, t.n, sizeof(*t.b), by_count);
	if (t.n && vmx_record_read(st->records_path, find_cases, &t, &rs, err, sizeof(err)))
		fprintf(stderr, "vmxcc campaign: %s\n", err);
	if (t.n) {
		printf("vmxcc campaign: minimizing %zu buckets, most frequent first, "
		       "for at most %.0f s\n", t.n, mo->budget);
		run_minimizers(st, backend, &t, mo->jobs, mo->budget);
	}
	for (size_t i = 0; i < t.n; i++) {
		candidate_path(st, t.b[i]->sig, path, sizeof(path));
		t.b[i]->minimized = access(path, F_OK) == 0;
		if (!t.b[i]->minimized)
			vmxfz_set_add(&st->pending, t.b[i]->sig);
		free(t.text[i]);
	}
	free(t.b);
	free(t.text);
	free(t.unstable);
	return 0;
}

json_t *vmxfz_case_field_diff(const char *path)
{
	static struct vmx_case_file cf;
	struct vmx_case base;
	char err[1024], hex[24];
	json_t *o;

	if (vmx_case_load(path, &cf, err, sizeof(err)) || vmx_case_base(&cf, &base))
		return NULL;
	o = json_object();
	for (int f = 0; f < VF_COUNT; f++) {
		if (cf.c.f[f] == base.f[f])
			continue;
		snprintf(hex, sizeof(hex), "%#llx", (unsigned long long)cf.c.f[f]);
		json_object_set_new(o, vmx_fields[f].name, json_string(hex));
	}
	return o;
}

/* "F F" -> ["F", "F"]. */
static json_t *name_array(const char *names)
{
	json_t *arr = json_array();
	char buf[VMXFZ_KEY_LEN], *save, *tok;

	snprintf(buf, sizeof(buf), "%s", names ? names : "");
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		json_array_append_new(arr, json_string(tok));
	return arr;
}

/* A bucket's "readback": how many of its records carry read-back, name
 * unexpected differences (and which fields: the same for every record,
 * they are part of the signature), were judged on the corrected image,
 * are unstable or have no re-run. */
static json_t *bucket_readback_json(const struct vmxfz_bucket *b)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:o}",
			 "records", (json_int_t)b->rb_records,
			 "unexpected", (json_int_t)b->rb_unexpected,
			 "corrected", (json_int_t)b->rb_corrected,
			 "unstable", (json_int_t)b->unstable,
			 "rerun_error", (json_int_t)b->rerun_error,
			 "fields", name_array(b->rb_fields));
}

static json_t *bucket_json(const struct vmxfz_state *st, const struct vmxfz_bucket *b)
{
	char rel[64], path[4096];
	json_t *diff = NULL;

	/* "minimized": the candidate's path relative to the campaign
	 * directory (what reports/ reads), or null. */
	snprintf(rel, sizeof(rel), "regression-candidates/%s.vmcs", b->sig);
	if (b->minimized) {
		candidate_path(st, b->sig, path, sizeof(path));
		diff = vmxfz_case_field_diff(path);
	}
	return json_pack("{s:s,s:I,s:I,s:s,s:o,s:o,s:b,s:b,s:s,s:o,s:o}",
			 "signature", b->sig, "count", (json_int_t)b->count,
			 "records", (json_int_t)b->records, "first_seen", b->first_seen,
			 "minimized", b->minimized ? json_string(rel) : json_null(),
			 "min_field_diff", diff ? diff : json_null(),
			 "known", b->known,
			 "pending_minimization", vmxfz_set_has(&st->pending, b->sig),
			 "cluster", b->cluster,
			 "known_group", b->known && b->group >= 0 ?
			 json_string(st->groups[b->group].key) : json_null(),
			 "readback", bucket_readback_json(b));
}

/*
 * The campaign's "readback" (docs/campaign.md): record counts over
 * records.jsonl, records per field read back unexpectedly, the buckets
 * with such findings and the buckets none of whose records reproduced
 * with read-back (every one unstable: not a confirmed divergence).
 */
static json_t *readback_json(const struct vmxfz_state *st)
{
	unsigned long rec = 0, un = 0, corr = 0, unst = 0, rerr = 0;
	unsigned long b_un = 0, b_unst = 0;
	json_t *fields = json_object(), *names, *f;
	size_t i;

	for (size_t k = 0; k < st->n_buckets; k++) {
		const struct vmxfz_bucket *b = &st->buckets[k];

		rec += b->rb_records;
		un += b->rb_unexpected;
		corr += b->rb_corrected;
		unst += b->unstable;
		rerr += b->rerun_error;
		b_unst += b->records && b->unstable == b->records;
		if (!b->rb_unexpected)
			continue;
		b_un++;
		names = name_array(b->rb_fields);
		json_array_foreach(names, i, f) {
			const char *name = json_string_value(f);

			json_object_set_new(fields, name, json_integer(b->rb_unexpected +
				json_integer_value(json_object_get(fields, name))));
		}
		json_decref(names);
	}
	return json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:o,s:I,s:I}",
			 "available", st->readback != NULL, "records", (json_int_t)rec,
			 "unexpected", (json_int_t)un, "corrected", (json_int_t)corr,
			 "unstable", (json_int_t)unst, "rerun_error", (json_int_t)rerr,
			 "fields", fields, "buckets_unexpected", (json_int_t)b_un,
			 "buckets_unstable", (json_int_t)b_unst);
}

/* "model|kind|CHECK CHECK" -> its three parts, as a cluster object. */
static json_t *cluster_json(const struct vmxfz_bucket *b)
{
	const char *k = b->cluster_key ? b->cluster_key : "||";
	size_t m = strcspn(k, "|"), n = m + 1 + strcspn(k + m + 1, "|");
	json_t *checks = json_array();
	char buf[VMXFZ_KEY_LEN], *save, *tok;

	snprintf(buf, sizeof(buf), "%s", k[n] ? k + n + 1 : "");
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		json_array_append_new(checks, json_string(tok));
	return json_pack("{s:s,s:s#,s:s#,s:o,s:[],s:I,s:I}", "cluster", b->cluster,
			 "model", k, (int)m, "observed_kind", k + m + 1, (int)(n - m - 1),
			 "checks", checks, "buckets", "count", (json_int_t)0,
			 "minimized", (json_int_t)0);
}

/* New buckets folded into clusters, biggest first (by executions). */
static json_t *clusters_json(const struct vmxfz_state *st)
{
	json_t *by = json_object(), *arr = json_array(), *c;
	const char *k;

	for (size_t i = 0; i < st->n_buckets; i++) {
		const struct vmxfz_bucket *b = &st->buckets[i];

		if (b->known)
			continue;
		c = json_object_get(by, b->cluster);
		if (!c) {
			c = cluster_json(b);
			json_object_set_new(by, b->cluster, c);
		}
		json_array_append_new(json_object_get(c, "buckets"), json_string(b->sig));
		json_object_set_new(c, "count", json_integer(json_integer_value(
			json_object_get(c, "count")) + (json_int_t)b->count));
		json_object_set_new(c, "minimized", json_integer(json_integer_value(
			json_object_get(c, "minimized")) + b->minimized));
	}
	json_object_foreach(by, k, c)
		json_array_append(arr, c);
	json_decref(by);
	return arr;
}

/* Known divergences by (known checks, observed kind): executions (the
 * batch engine counts them all; else what was merged), signatures with
 * records, and one example signature. */
static json_t *groups_json(const struct vmxfz_state *st, json_t *engine_counts)
{
	json_t *arr = json_array();

	for (size_t g = 0; g < st->n_groups; g++) {
		const struct vmxfz_group *gr = &st->groups[g];
		unsigned long long count = gr->records + gr->count, sum = 0;
		size_t bar = strcspn(gr->key, "|"), sigs = 0;
		json_t *checks = json_array();
		char buf[VMXFZ_KEY_LEN], *save, *tok;
		json_int_t ec = json_integer_value(json_object_get(engine_counts, gr->key));

		for (size_t i = 0; i < st->n_buckets; i++) {
			if (st->buckets[i].known && st->buckets[i].group == (int)g) {
				sum += st->buckets[i].count;
				sigs++;
			}
		}
		if (sum > count)
			count = sum;
		if ((unsigned long long)ec > count)
			count = ec;
		snprintf(buf, sizeof(buf), "%.*s", (int)bar, gr->key);
		for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
			json_array_append_new(checks, json_string(tok));
		json_array_append_new(arr, json_pack(
			"{s:s,s:o,s:s,s:I,s:I,s:I,s:s}", "key", gr->key, "known_checks", checks,
			"observed_kind", gr->key[bar] ? gr->key + bar + 1 : "",
			"count", (json_int_t)count, "records", (json_int_t)gr->records,
			"signatures", (json_int_t)sigs, "example", gr->example));
	}
	return arr;
}

int vmxfz_write_summary(const struct vmxfz_state *st, const struct vmxfz_campaign_opts *o,
			const char *profile, const char *start, const struct vmxfz_totals *t)
{
	json_t *cov = json_object(), *buckets = json_array(), *s;
	char end[64], path[4096], tmp[4200];
	size_t known = 0;

	vmxfz_iso_now(end, sizeof(end));
	for (int id = 0; id < VMX_CHECK_COUNT; id++)
		json_object_set_new(cov, vmx_checks[id].id,
				    json_pack("{s:I,s:I}",
					      "failed", (json_int_t)t->hits[vmxfz_feature(id, true)],
					      "passed", (json_int_t)t->hits[vmxfz_feature(id, false)]));
	for (size_t i = 0; i < st->n_buckets; i++) {
		json_array_append_new(buckets, bucket_json(st, &st->buckets[i]));
		known += st->buckets[i].known;
	}
	s = json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:f,s:o,s:O,s:o,s:o,s:I,"
		      "s:I,s:I,s:I,s:s?,s:I,s:o,s:o,s:I,s:I}",
		      "v", 1, "campaign", "vmxcc", "backend", o->backend, "profile", profile,
		      "engine", o->engine, "start", start, "end", end,
		      "execs", (json_int_t)t->execs,
		      "execs_per_sec", st->elapsed > 0 ? t->execs / st->elapsed : 0.0,
		      "coverage", cov, "coverage_over_time", t->over_time, "buckets", buckets,
		      "skipped", t->skipped ? json_incref(t->skipped) : json_object(),
		      "backend_errors", (json_int_t)t->backend_errors,
		      "known_buckets", (json_int_t)known,
		      "new_buckets", (json_int_t)(st->n_buckets - known),
		      "pending_minimization", (json_int_t)st->pending.n,
		      "known_deviations", st->known.path[0] ? st->known.path : NULL,
		      "seed", (json_int_t)st->seed, "clusters", clusters_json(st),
		      "known_groups", groups_json(st, t->known_counts),
		      "new_clusters", (json_int_t)0, "known_group_count", (json_int_t)st->n_groups);
	if (s)
		json_object_set_new(s, "readback", readback_json(st));
	if (s)
		json_object_set_new(s, "new_clusters",
				    json_integer(json_array_size(json_object_get(s, "clusters"))));
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
