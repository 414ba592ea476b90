// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in engine (`--engine batch`): a back end such as Bochs pays a
 * boot per batch and then runs cases in microseconds, so the engine makes
 * big batches instead of one case at a time.  Each round:
 *
 *   corpus entry -> structure-aware mutator -> model (in process, µs): a
 *   case showing a check x {failed, passed} feature not seen before joins
 *   the corpus (and DIR/corpus, so a resumed campaign starts from it) ->
 *   batch of cores x K cases -> back end (one process per core) ->
 *   compare -> divergence records in DIR/records.d.
 *
 * Records are written as fz_diff writes them (temporary file + link(), so
 * whole or absent, one per case); at most VMXFZ_RECORDS_PER_BUCKET per
 * bucket, the rest only counted.  Statistics (executions, per-check
 * coverage, per-bucket counts, skips, back-end errors) go to
 * DIR/engine-batch.json after every batch, replaced atomically, and are
 * loaded again on resume.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <dirent.h>
#include <jansson.h>

#include "vmxcc/baseline.h"
#include "vmxcc/case_compact.h"
#include "vmxcc/record.h"
#include "vmxcc/run.h"
#include "fz_common.h"
#include "mutator.h"
#include "campaign_internal.h"

#define VMXFZ_RECORDS_PER_BUCKET 10
#define VMXFZ_KEEP_ERRORS	50	/* back-end errors kept as cases */
#define MIN_PER_PROC	1000
#define MAX_PER_PROC	20000
#define MAX_BAD		256
#define FIRST_PER_PROC	2000		/* first batch: measures the rate */
#define BATCH_SECONDS	2.0		/* aim of one round's back-end time */

struct entry {
	struct vmx_case c;
	int baseline;
};

struct engine {
	const struct vmxfz_campaign_opts *o;
	struct vmx_backend_inst bi;
	struct vmxfz_known known;
	bool bochs;			/* see probe_would_hang() */
	struct vmx_case baselines[BL_COUNT];
	struct vmxfz_rng rng;
	struct entry *corpus;
	size_t n_corpus, cap_corpus;
	uint8_t seen[VMXFZ_N_FEATURES];
	unsigned long hits[VMXFZ_N_FEATURES];
	unsigned long long execs;
	unsigned long backend_errors;
	json_t *buckets;		/* {sig: divergent executions} */
	json_t *recs;			/* {sig: records written} */
	json_t *skipped;		/* {reason: n} */
	json_t *kcounts;		/* {known group: divergent executions} */
	json_t *krecs;			/* {known group: records written} */
	uint64_t bad[MAX_BAD];		/* kinds of case that crashed or hung it */
	int n_bad;
	/* one round */
	size_t cap;
	struct vmx_case *cases;
	int *base;
	struct vmx_backend_result *res;
	struct vmx_comparison *cmp;
};

static volatile sig_atomic_t engine_stop;

static void on_term(int sig)
{
	engine_stop = sig;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static uint64_t fnv(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

static void json_inc(json_t *obj, const char *key, json_int_t by)
{
	json_object_set_new(obj, key, json_integer(json_integer_value(json_object_get(obj, key)) + by));
}

/* Does the case show a feature never seen?  Marks them seen. */
static bool new_features(struct engine *e, const struct vmx_verdict *v)
{
	uint8_t map[VMXFZ_N_FEATURES] = { 0 };
	bool fresh = false;

	vmxfz_features(v, map);
	for (int i = 0; i < VMXFZ_N_FEATURES; i++) {
		if (map[i] && !e->seen[i]) {
			e->seen[i] = 1;
			fresh = true;
		}
	}
	return fresh;
}

static void count_hits(struct engine *e, const struct vmx_verdict *v)
{
	uint8_t map[VMXFZ_N_FEATURES] = { 0 };

	vmxfz_features(v, map);
	for (int i = 0; i < VMXFZ_N_FEATURES; i++)
		e->hits[i] += map[i];
}

static void corpus_add(struct engine *e, const struct vmx_case *c, int baseline, bool save)
{
	if (e->n_corpus == e->cap_corpus) {
		e->cap_corpus = e->cap_corpus ? 2 * e->cap_corpus : 512;
		e->corpus = realloc(e->corpus, e->cap_corpus * sizeof(*e->corpus));
		if (!e->corpus) {
			fprintf(stderr, "engine: out of memory\n");
			exit(2);
		}
	}
	e->corpus[e->n_corpus].c = *c;
	e->corpus[e->n_corpus].baseline = baseline;
	e->n_corpus++;
	if (save) {
		static uint8_t buf[1 << 16];
		size_t n = vmxfz_encode(&e->bi.caps, c, baseline, buf, sizeof(buf));
		char p[4096];
		FILE *f;

		if (n > sizeof(buf))
			return;
		snprintf(p, sizeof(p), "%s/corpus/batch-%016llx", e->o->out,
			 (unsigned long long)fnv(buf, n));
		f = fopen(p, "wb");
		if (f) {
			fwrite(buf, 1, n, f);
			fclose(f);
		}
	}
}

/* The corpus directory (seeds and earlier rounds), decoded for the back
 * end's profile; its features count as seen. */
static void corpus_load(struct engine *e)
{
	char dir[4096], p[8192];
	struct dirent *d;
	DIR *dd;

	snprintf(dir, sizeof(dir), "%s/corpus", e->o->out);
	dd = opendir(dir);
	while (dd && (d = readdir(dd))) {
		struct vmx_verdict v;
		struct vmx_case c;
		uint8_t *buf;
		size_t len;
		int base;

		if (d->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, d->d_name);
		buf = vmxfz_read(p, &len);
		if (!buf)
			continue;
		vmx_compact_decode(buf, len, &e->bi.caps, &c, &base);
		free(buf);
		vmx_model_eval(&e->bi.caps, &c, &v);
		new_features(e, &v);
		corpus_add(e, &c, base, false);
	}
	if (dd)
		closedir(dd);
}

/* Records already in records.d, per signature (file name SIG-HASH.json). */
static void recs_load(struct engine *e)
{
	char dir[4096], sig[17];
	struct dirent *d;
	DIR *dd;

	snprintf(dir, sizeof(dir), "%s/records.d", e->o->out);
	dd = opendir(dir);
	while (dd && (d = readdir(dd))) {
		if (strlen(d->d_name) < 22 || d->d_name[16] != '-')
			continue;
		snprintf(sig, sizeof(sig), "%.16s", d->d_name);
		json_inc(e->recs, sig, 1);
	}
	if (dd)
		closedir(dd);
}

static void stats_load(struct engine *e)
{
	char p[4096];
	json_t *j, *cov, *v;
	const char *k;

	snprintf(p, sizeof(p), "%s/" VMXFZ_BATCH_STATS, e->o->out);
	j = json_load_file(p, 0, NULL);
	if (!j)
		return;
	e->execs = json_integer_value(json_object_get(j, "execs"));
	e->backend_errors = json_integer_value(json_object_get(j, "backend_errors"));
	if (json_is_object(json_object_get(j, "buckets")))
		json_object_update(e->buckets, json_object_get(j, "buckets"));
	if (json_is_object(json_object_get(j, "skipped")))
		json_object_update(e->skipped, json_object_get(j, "skipped"));
	if (json_is_object(json_object_get(j, "known_groups")))
		json_object_update(e->kcounts, json_object_get(j, "known_groups"));
	if (json_is_object(json_object_get(j, "known_group_records")))
		json_object_update(e->krecs, json_object_get(j, "known_group_records"));
	cov = json_object_get(j, "coverage");
	json_object_foreach(cov, k, v) {
		int id = vmx_check_by_name(k);

		if (id < 0)
			continue;
		e->hits[vmxfz_feature(id, true)] = json_integer_value(json_object_get(v, "failed"));
		e->hits[vmxfz_feature(id, false)] = json_integer_value(json_object_get(v, "passed"));
	}
	json_decref(j);
}

static void stats_save(const struct engine *e)
{
	char p[4096], tmp[4200];
	json_t *cov = json_object(), *j;

	for (int id = 0; id < VMX_CHECK_COUNT; id++) {
		unsigned long f = e->hits[vmxfz_feature(id, true)];
		unsigned long ps = e->hits[vmxfz_feature(id, false)];

		if (f || ps)
			json_object_set_new(cov, vmx_checks[id].id,
					    json_pack("{s:I,s:I}", "failed", (json_int_t)f,
						      "passed", (json_int_t)ps));
	}
	j = json_pack("{s:I,s:I,s:O,s:O,s:o,s:I,s:O,s:O,s:I}", "execs", (json_int_t)e->execs,
		      "backend_errors", (json_int_t)e->backend_errors,
		      "buckets", e->buckets, "skipped", e->skipped, "coverage", cov,
		      "corpus", (json_int_t)e->n_corpus, "known_groups", e->kcounts,
		      "known_group_records", e->krecs, "seed", (json_int_t)e->o->seed);
	snprintf(p, sizeof(p), "%s/" VMXFZ_BATCH_STATS, e->o->out);
	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	if (j && json_dump_file(j, tmp, JSON_COMPACT) == 0)
		rename(tmp, p);		/* whole or the previous one */
	json_decref(j);
}

/* Does the model let the case get as far as a VM exit (an entry, or a
 * failure while loading guest state, which loads the host state)? */
static bool reaches_exit(const struct vmx_outcome_set *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		if (s->o[i].kind == VO_ENTERED || s->o[i].kind == VO_ENTRY_FAIL)
			return true;
	return false;
}

/* Does the entry get past the guest-state checks: entered, or failed on
 * the MSR-load list (SDM 26.4), which comes after guest state is loaded? */
static bool loads_guest(const struct vmx_outcome_set *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		if (s->o[i].kind == VO_ENTERED ||
		    (s->o[i].kind == VO_ENTRY_FAIL && s->o[i].reason == 34))
			return true;
	return false;
}

/*
 * Cases the Bochs probe cannot finish (it runs cases unmodified, no
 * preemption timer; docs/backend-bochs.md), each costing a deadline and a
 * case-by-case narrowing -- seconds -- instead of microseconds:
 *  - a guest entered in the HLT, shutdown or wait-for-SIPI activity state
 *    never exits.  Entry is predicted by the model with Bochs' known
 *    deviations not performed, since Bochs enters despite those checks;
 *  - VM-exit MSR-store/load lists are not relocated by the probe: the exit
 *    (or the entry failure, which loads host state) stores guest MSRs over
 *    the probe's memory and loads host MSRs from it;
 *  - a host state other than the probe's own (HOST_RIP/RSP apart, which
 *    the probe relocates) or other VM-exit controls: the probe resumes on
 *    it after the exit and crashes (triple fault, Bochs PANIC);
 *  - a guest entered at another CS:RIP (or CS mode) than the baseline's
 *    runs whatever is there: it hangs or faults;
 *  - a case whose guest state the model rejects but that gets past the
 *    guest-state checks once Bochs' known deviations are not performed:
 *    Bochs loads a guest state the SDM forbids and may PANIC (IA-32e guest
 *    with CR0.PE = 0: "EFER.LMA is set when CR0.PE=0").  Such a divergence
 *    would be a known one anyway.
 * Whether the case gets that far is judged on the model and on the model
 * with Bochs' known deviations not performed (Bochs skips those checks).
 */
static bool host_differs(const struct engine *e, const struct vmx_case *c, int baseline)
{
	const struct vmx_case *b = &e->baselines[baseline >= 0 && baseline < BL_COUNT ?
						  baseline : BL_LONG64];

	for (int f = 0; f < VF_COUNT; f++)
		if (c->f[f] != b->f[f] && ((vmx_fields[f].group == HOST && f != VF_HOST_RIP &&
					    f != VF_HOST_RSP) || f == VF_VM_EXIT_CONTROLS ||
					   f == VF_SECONDARY_VM_EXIT_CONTROLS))
			return true;
	return false;
}

static const char *probe_would_hang(const struct engine *e, const struct vmx_case *c,
				    int baseline, const struct vmx_verdict *v)
{
	const struct vmx_case *b = &e->baselines[baseline >= 0 && baseline < BL_COUNT ?
						  baseline : BL_LONG64];
	bool hlt = c->f[VF_GUEST_ACTIVITY_STATE] != 0;
	bool lists = c->f[VF_VM_EXIT_MSR_STORE_COUNT] || c->f[VF_VM_EXIT_MSR_LOAD_COUNT];
	struct vmx_outcome in = vo_entered();
	bool enters = vmx_outcome_set_allows(&v->allowed, &in);
	struct vmx_verdict bv;

	if (!e->bochs)
		return NULL;
	bv = *v;
	if (e->known.d && !enters) {
		/* The case as Bochs treats it: skip entries with a rule count
		 * where their rule covers the case (docs/known-deviations.md). */
		static struct vmx_case copy;
		uint64_t ignore[VMX_CHECK_WORDS];
		const struct vmx_case *t = deviations_as_treated(e->known.d, &e->bi.caps, c,
								 &copy, ignore);

		vmx_model_eval_except(&e->bi.caps, t, ignore, &bv);
	}
	if (!enters && loads_guest(&bv.allowed) && !loads_guest(&v->allowed))
		return "Bochs probe: a known deviation lets Bochs load a guest state the SDM forbids";
	if (!reaches_exit(&v->allowed) && !reaches_exit(&bv.allowed))
		return NULL;
	if (lists)
		return "Bochs probe: VM-exit MSR-store/load lists are not relocated";
	if (host_differs(e, c, baseline))
		return "Bochs probe: resumes on the case's host state after the exit";
	if (enters && hlt)
		return "Bochs probe: entry into a non-active activity state never exits";
	if (enters && (c->f[VF_GUEST_RIP] != b->f[VF_GUEST_RIP] ||
		       c->f[VF_GUEST_CS_BASE] != b->f[VF_GUEST_CS_BASE] ||
		       c->f[VF_GUEST_CS_AR_BYTES] != b->f[VF_GUEST_CS_AR_BYTES]))
		return "Bochs probe: guest code is only at the baseline's CS:RIP";
	return NULL;
}

/* The kind of a case, for back-end errors: its failing checks and whether
 * its guest is in a non-active activity state.  0: no kind (a case the
 * model lets enter in the active state; those are not held back). */
static uint64_t error_kind(const struct vmx_case *c, const struct vmx_verdict *v)
{
	uint64_t h = fnv(v->failed, sizeof(v->failed));
	bool any = false;

	for (int w = 0; w < VMX_CHECK_WORDS; w++)
		any |= v->failed[w] != 0;
	if (!any && !c->f[VF_GUEST_ACTIVITY_STATE])
		return 0;
	return (h ^ c->f[VF_GUEST_ACTIVITY_STATE]) | 1;
}

static bool bad_kind(const struct engine *e, uint64_t k)
{
	for (int i = 0; k && i < e->n_bad; i++)
		if (e->bad[i] == k)
			return true;
	return false;
}

/* Fill the round with @n mutated cases; returns how many will run. */
static size_t generate(struct engine *e, size_t n)
{
	const struct vmxfz_opts opts = { .within_caps = false };
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const struct entry *p = &e->corpus[vmxfz_below(&e->rng, e->n_corpus)];
		struct vmx_case *c = &e->cases[k];
		struct vmx_verdict v;
		const char *skip;

		*c = p->c;
		e->base[k] = p->baseline;
		if (e->n_corpus > 1 && vmxfz_chance(&e->rng, 1, 8)) {
			const struct entry *q = &e->corpus[vmxfz_below(&e->rng, e->n_corpus)];

			vmxfz_crossover_case(&e->rng, &p->c, &q->c, c);
		}
		vmxfz_mutate_case(&e->rng, &e->bi.caps, c, &e->base[k], &opts);
		vmx_model_eval(&e->bi.caps, c, &v);
		if (new_features(e, &v))
			corpus_add(e, c, e->base[k], true);
		skip = probe_would_hang(e, c, e->base[k], &v);
		/* Each crash or hang costs seconds of narrowing: one of a kind
		 * is a finding, more are a waste. */
		if (!skip && e->bochs && bad_kind(e, error_kind(c, &v)))
			skip = "like a case that crashed or hung the back end (same failing checks)";
		if (skip) {
			json_inc(e->skipped, skip, 1);
			continue;
		}
		k++;
	}
	return k;
}

/* Returns whether a record file was written. */
static bool write_record(struct engine *e, size_t i, const char *sig)
{
	static struct vmx_case_file cf;
	struct vmx_record_src src = { e->bi.spec, &e->bi.profile, &cf, &e->res[i].effective,
				      &e->cmp[i], e->res[i].text };
	char tmp[4096], final[4096], key[40];
	json_t *rec;
	FILE *f;

	memset(&cf, 0, sizeof(cf));
	cf.c = e->cases[i];
	cf.caps = e->bi.caps;
	cf.baseline = e->base[i];
	snprintf(cf.profile_name, sizeof(cf.profile_name), "%s", e->bi.profile.name);
	/* Same key as fz_diff: signature and a hash of the case. */
	snprintf(key, sizeof(key), "%s-%016llx", sig,
		 (unsigned long long)fnv(&cf.c, sizeof(cf.c)));
	snprintf(final, sizeof(final), "%s/records.d/%s.json", e->o->out, key);
	if (access(final, F_OK) == 0)
		return false;		/* this very case, already recorded */
	rec = vmx_record_build(&src);
	json_object_set_new(rec, "key", json_string(key));
	snprintf(tmp, sizeof(tmp), "%s/records.d/.tmp-%d", e->o->out, (int)getpid());
	f = fopen(tmp, "w");
	if (!f || json_dumpf(rec, f, JSON_COMPACT | JSON_SORT_KEYS) || fputc('\n', f) < 0 ||
	    fflush(f) || fsync(fileno(f)) || fclose(f)) {
		fprintf(stderr, "engine: %s: %s\n", tmp, strerror(errno));
		exit(2);
	}
	if (link(tmp, final) == 0) {
		json_inc(e->recs, sig, 1);
		unlink(tmp);
		json_decref(rec);
		return true;
	}
	if (errno != EEXIST) {
		fprintf(stderr, "engine: %s: %s\n", final, strerror(errno));
		exit(2);
	}
	unlink(tmp);
	json_decref(rec);
	return false;
}

/* A divergence the known deviations explain is counted in its known group
 * (the driver's rule, known.c) and recorded only while the group has
 * fewer than VMXFZ_RECORDS_PER_GROUP records: the rest would be thousands
 * of files saying the same thing.  Returns whether it was known. */
static bool judge_known(struct engine *e, size_t i, const char *sig)
{
	static char key[VMXFZ_KEY_LEN];

	if (!vmxfz_known_explain(&e->known, &e->bi.caps, &e->res[i].effective,
				 &e->cmp[i].observed, key, sizeof(key)))
		return false;
	json_inc(e->kcounts, key, 1);
	if (json_integer_value(json_object_get(e->krecs, key)) < VMXFZ_RECORDS_PER_GROUP &&
	    json_integer_value(json_object_get(e->recs, sig)) < VMXFZ_RECORDS_PER_BUCKET &&
	    write_record(e, i, sig))
		json_inc(e->krecs, key, 1);
	return true;
}

/* A case that crashed or hung the back end: a finding of its own, kept
 * (a few) as DIR/backend-errors/N.vmcs with the back end's text. */
static void backend_failed(struct engine *e, size_t i)
{
	static struct vmx_case_file cf;
	char p[4096];
	FILE *f;

	uint64_t k = error_kind(&e->cases[i], &e->cmp[i].model);

	if (k && !bad_kind(e, k) && e->n_bad < MAX_BAD)
		e->bad[e->n_bad++] = k;
	if (e->backend_errors++ >= VMXFZ_KEEP_ERRORS)
		return;
	memset(&cf, 0, sizeof(cf));
	cf.c = e->cases[i];
	cf.caps = e->bi.caps;
	cf.baseline = e->base[i];
	snprintf(cf.profile_name, sizeof(cf.profile_name), "%s", e->bi.profile.name);
	snprintf(p, sizeof(p), "%s/backend-errors", e->o->out);
	mkdir(p, 0777);
	snprintf(p, sizeof(p), "%s/backend-errors/%03lu.vmcs", e->o->out, e->backend_errors - 1);
	f = fopen(p, "w");
	if (!f)
		return;
	fprintf(f, "# %s: %s\n", e->bi.spec, e->res[i].text);
	vmx_case_write(f, &cf);
	fclose(f);
}

static void judge(struct engine *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct vmx_comparison *cmp = &e->cmp[i];
		char sig[17];

		e->execs++;
		count_hits(e, &cmp->model);
		if (cmp->agreement == VMX_BACKEND_FAILED)
			backend_failed(e, i);
		if (cmp->agreement == VMX_SKIPPED) {
			char why[64];

			/* the reason without the case-specific tail */
			snprintf(why, sizeof(why), "%.*s", (int)strcspn(e->res[i].text, ":("),
				 e->res[i].text);
			json_inc(e->skipped, why[0] ? why : "skipped by the back end", 1);
		}
		if (cmp->agreement != VMX_DIVERGE)
			continue;
		snprintf(sig, sizeof(sig), "%016llx", (unsigned long long)cmp->signature);
		json_inc(e->buckets, sig, 1);
		if (judge_known(e, i, sig))
			continue;
		if (json_integer_value(json_object_get(e->recs, sig)) < VMXFZ_RECORDS_PER_BUCKET)
			write_record(e, i, sig);
	}
}

static int engine_open(struct engine *e, const struct vmxfz_campaign_opts *o)
{
	char err[1024], n[16], kpath[4096];

	/* One Bochs process per core for a round of cores x K cases. */
	snprintf(n, sizeof(n), "%d", o->cores);
	setenv("VMXCC_BOCHS_JOBS", n, 1);
	snprintf(n, sizeof(n), "%d", MAX_PER_PROC);
	setenv("VMXCC_BOCHS_BATCH", n, 1);
	if (vmx_backend_open_spec(o->backend, &e->bi, err, sizeof(err))) {
		fprintf(stderr, "engine: %s\n", err);
		return -1;
	}
	e->bochs = strcmp(e->bi.ops->name, "bochs") == 0;
	for (int b = 0; b < BL_COUNT; b++)
		vmx_baseline_build(b, &e->bi.caps, &e->baselines[b]);
	vmxfz_known_default(o->backend, kpath, sizeof(kpath));
	if (vmxfz_known_load(&e->known, o->known ? o->known : kpath, err, sizeof(err))) {
		fprintf(stderr, "engine: %s\n", err);
		return -1;
	}
	e->cap = (size_t)o->cores * (o->batch ? (size_t)o->batch : MAX_PER_PROC);
	e->cases = calloc(e->cap, sizeof(*e->cases));
	e->base = calloc(e->cap, sizeof(*e->base));
	e->res = calloc(e->cap, sizeof(*e->res));
	e->cmp = calloc(e->cap, sizeof(*e->cmp));
	if (!e->cases || !e->base || !e->res || !e->cmp) {
		fprintf(stderr, "engine: out of memory for %zu cases\n", e->cap);
		return -1;
	}
	e->buckets = json_object();
	e->recs = json_object();
	e->skipped = json_object();
	e->kcounts = json_object();
	e->krecs = json_object();
	/* The driver picks the seed (--seed N, or a random one it records in
	 * summary.json): the same seed on the same corpus and --batch K
	 * generates the same cases. */
	vmxfz_seed(&e->rng, o->seed);
	return 0;
}

/* Cases for the next round: about BATCH_SECONDS of back-end time at the
 * measured rate, never past the deadline, K per core when --batch K. */
static size_t round_size(const struct engine *e, double rate, double left)
{
	size_t n;

	if (e->o->batch)
		n = (size_t)e->o->batch * e->o->cores;
	else if (rate <= 0)
		n = (size_t)FIRST_PER_PROC * e->o->cores;
	else {
		n = (size_t)(rate * BATCH_SECONDS);
		if (n < (size_t)MIN_PER_PROC * e->o->cores)
			n = (size_t)MIN_PER_PROC * e->o->cores;
	}
	if (rate > 0 && n > rate * left)
		n = (size_t)(rate * left);
	return n < e->cap ? n : e->cap;
}

int vmxfz_batch_engine(const struct vmxfz_campaign_opts *o, double seconds)
{
	static struct engine e;
	double deadline = now_s() + seconds, rate = 0;
	char err[1024];

	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	e.o = o;
	if (engine_open(&e, o))
		return 2;
	stats_load(&e);
	recs_load(&e);
	corpus_load(&e);
	if (!e.n_corpus) {
		fprintf(stderr, "engine: %s/corpus is empty: no seeds\n", o->out);
		return 2;
	}
	printf("engine: %zu corpus entries, %d cores\n", e.n_corpus, o->cores);
	while (!engine_stop) {
		double left = deadline - now_s(), t0 = now_s(), t;
		size_t want = round_size(&e, rate, left), n;

		if (left < 0.5 || want < 1)
			break;
		n = generate(&e, want);
		t = now_s();
		if (vmx_run_compare(&e.bi, e.cases, n, e.res, e.cmp, err, sizeof(err))) {
			fprintf(stderr, "engine: %s\n", err);
			stats_save(&e);
			return 3;
		}
		t = now_s() - t;
		judge(&e, n);
		stats_save(&e);
		/* generation included: that is what the next round costs */
		rate = want / (now_s() - t0 + 1e-3);
		printf("engine: %zu cases in %.2f s (%.0f/s), %zu skipped before running, "
		       "corpus %zu, back-end errors %lu\n", n, t, n / (t + 1e-9), want - n,
		       e.n_corpus, e.backend_errors);
		fflush(stdout);
	}
	vmx_backend_inst_close(&e.bi);
	return 0;
}
