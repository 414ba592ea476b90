// SPDX-License-Identifier: GPL-2.0
/*
 * `vmxcc campaign`: start the engine -- the built-in batch engine
 * (engine_batch.c), libFuzzer -fork=N, or N AFL++ instances (-M/-S) on the
 * differential target -- show progress, stop at the time limit, merge
 * divergences into records.jsonl (tagging known deviations), minimize the
 * buckets into regression candidates within a budget, write summary.json
 * and run the report generator.  Everything lives in the campaign
 * directory, so running the same command again resumes (docs/campaign.md).
 */
#define _GNU_SOURCE		/* nftw() with FTW_DEPTH | FTW_PHYS */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "vmxcc/backend_session.h"
#include "vmxcc/readback.h"
#include "fz_common.h"
#include "campaign_internal.h"
#include "engines.h"

#ifndef VMXFZ_BUILD_DIR
#error "VMXFZ_BUILD_DIR: the build directory (fuzz targets, seeds)"
#endif

static volatile sig_atomic_t stop_now;

static void on_signal(int sig)
{
	stop_now = sig;
}

static void mkdirs(const char *dir, const char *sub)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s%s", dir, sub);
	/* Like mkdir -p: --out may name a directory whose parents are new. */
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0777) && errno != EEXIST) {
			fprintf(stderr, "vmxcc campaign: %s: %s\n", p, strerror(errno));
			exit(2);
		}
		*s = '/';
	}
	if (mkdir(p, 0777) && errno != EEXIST) {
		fprintf(stderr, "vmxcc campaign: %s: %s\n", p, strerror(errno));
		exit(2);
	}
}

static int rm_entry(const char *p, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	if (ftw->level == 0)
		return 0;		/* DIR/tmp itself stays */
	if (type == FTW_DP ? rmdir(p) : unlink(p))
		fprintf(stderr, "vmxcc campaign: %s: %s\n", p, strerror(errno));
	return 0;
}

/*
 * The back ends' temporary directories (Bochs: a disk image and a log per
 * process) go to DIR/tmp, not /tmp: a run killed with -9 cannot remove
 * them, and the next run on DIR -- the only one that may use it --
 * empties DIR/tmp before starting.  Must precede the first back-end open.
 */
static void tmp_setup(const char *out)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 8];

	mkdirs(out, "/tmp");
	if (!realpath(out, dir))
		return;
	snprintf(tmp, sizeof(tmp), "%s/tmp", dir);
	nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	/* The probe runner's job directories must fit its 200 bytes. */
	if (strlen(tmp) < 140)
		setenv("TMPDIR", tmp, 1);
}

static unsigned long long pick_seed(const struct vmxfz_campaign_opts *o,
				    const struct vmxfz_state *st)
{
	struct timespec t;

	if (o->has_seed)
		return o->seed;
	if (st->seed)
		return st->seed;	/* resumed: the seed it started with */
	clock_gettime(CLOCK_REALTIME, &t);
	return ((unsigned long long)t.tv_sec * 1000000007ull ^ (unsigned long long)t.tv_nsec ^
		(unsigned long long)getpid() << 32) & 0x7fffffffffffffffull;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* campaign.json: what survives a kill -9 besides the corpus, the records
 * and the engine's own statistics. */
static void state_load(struct vmxfz_state *st, char *start, size_t len)
{
	char p[4096];
	json_t *j, *v;
	size_t i;

	snprintf(p, sizeof(p), "%s/campaign.json", st->dir);
	j = json_load_file(p, 0, NULL);
	if (!j)
		return;
	st->elapsed = json_real_value(json_object_get(j, "elapsed"));
	st->seed = (unsigned long long)json_integer_value(json_object_get(j, "seed"));
	if (json_string_value(json_object_get(j, "start")))
		snprintf(start, len, "%s", json_string_value(json_object_get(j, "start")));
	json_array_foreach(json_object_get(j, "pending_minimization"), i, v)
		if (json_string_value(v))
			vmxfz_set_add(&st->pending, json_string_value(v));
	json_decref(j);
}

static void state_save(const struct vmxfz_state *st, const char *start)
{
	char p[4096], tmp[4200];
	json_t *pend = json_array();
	json_t *j;

	for (size_t i = 0; i < st->pending.cap; i++)
		if (st->pending.s[i])
			json_array_append_new(pend, json_string(st->pending.s[i]));
	j = json_pack("{s:f,s:s,s:o,s:I}", "elapsed", st->elapsed, "start", start,
		      "pending_minimization", pend, "seed", (json_int_t)st->seed);

	snprintf(p, sizeof(p), "%s/campaign.json", st->dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	if (json_dump_file(j, tmp, JSON_SORT_KEYS) == 0)
		rename(tmp, p);		/* atomic: old or new, never half */
	json_decref(j);
}

void vmxfz_iso_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Copy the generated seeds into an empty corpus. */
static void seed_corpus(const char *corpus)
{
	const char *subs[2] = { "baselines", "violations" };
	char cmd[8192];
	DIR *d = opendir(corpus);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	if (n)
		return;
	for (int i = 0; i < 2; i++) {
		snprintf(cmd, sizeof(cmd), "cp %s/corpora/seeds/%s/* '%s'/ 2>/dev/null",
			 VMXFZ_BUILD_DIR, subs[i], corpus);
		if (system(cmd))
			fprintf(stderr, "vmxcc campaign: no seeds in %s/corpora/seeds/%s\n",
				VMXFZ_BUILD_DIR, subs[i]);
	}
}


static void count_ids(const unsigned long *hits, int *nf, int *np)
{
	*nf = *np = 0;
	for (int id = 0; id < VMX_CHECK_COUNT; id++) {
		*nf += hits[vmxfz_feature(id, true)] > 0;
		*np += hits[vmxfz_feature(id, false)] > 0;
	}
}

static size_t known_buckets(const struct vmxfz_state *st)
{
	size_t n = 0;

	for (size_t i = 0; i < st->n_buckets; i++)
		n += st->buckets[i].known;
	return n;
}

/* Set up DIR, load what an earlier run left; -1 with a message printed. */
static int campaign_open(const struct vmxfz_campaign_opts *o, struct vmxfz_state *st,
			 char *start, size_t len)
{
	char err[1024], kpath[4096], corpus[4096];

	mkdirs(o->out, "");
	mkdirs(o->out, "/corpus");
	mkdirs(o->out, "/records.d");
	mkdirs(o->out, "/regression-candidates");
	snprintf(st->records_path, sizeof(st->records_path), "%s/records.jsonl", o->out);
	vmxfz_known_default(o->backend, kpath, sizeof(kpath));
	if (vmxfz_known_load(&st->known, o->known ? o->known : kpath, err, sizeof(err))) {
		fprintf(stderr, "vmxcc campaign: %s\n", err);
		return -1;
	}
	state_load(st, start, len);
	if (!start[0])
		vmxfz_iso_now(start, len);
	if (vmxfz_merge_load(st, err, sizeof(err)) || vmxfz_merge_new(st, err, sizeof(err)) < 0) {
		fprintf(stderr, "vmxcc campaign: %s\n", err);
		return -1;
	}
	snprintf(corpus, sizeof(corpus), "%s/corpus", o->out);
	seed_corpus(corpus);
	return 0;
}

static void engine_env(const struct vmxfz_campaign_opts *o)
{
	char batch[32];

	/* The external engines' children find the back end and DIR here. */
	snprintf(batch, sizeof(batch), "%d", o->batch ? o->batch : 256);
	setenv("VMXFZ_BACKEND", o->backend, 1);
	setenv("VMXFZ_OUT", o->out, 1);
	setenv("VMXFZ_BATCH", batch, 1);
	if (strcmp(o->engine, "afl") == 0) {
		setenv("AFL_CUSTOM_MUTATOR_LIBRARY", VMXFZ_AFL_MUTATOR, 1);
		setenv("AFL_NO_UI", "1", 1);
		setenv("AFL_SKIP_CPUFREQ", "1", 1);
		setenv("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1", 1);
	}
}

/* Run the engine until the time is up (or a signal); progress once a second. */
static void watch(const struct vmxfz_campaign_opts *o, struct vmxfz_state *st,
		  const struct vmx_backend_inst *bi, pid_t *pids, int n, const char *start,
		  struct vmxfz_engine_stats *es, json_t *over_time)
{
	double t0 = now_s() - st->elapsed, last_cov = -10;
	int nf = 0, np = 0;
	char err[1024];

	while (n > 0 && !stop_now) {
		int alive = 0;
		bool cov;

		sleep(1);
		st->elapsed = now_s() - t0;
		for (int i = 0; i < n; i++)
			if (pids[i] > 0 && waitpid(pids[i], NULL, WNOHANG) == 0)
				alive++;
		if (vmxfz_merge_new(st, err, sizeof(err)) < 0)
			fprintf(stderr, "\nvmxcc campaign: %s\n", err);
		cov = st->elapsed - last_cov >= 5 || !alive;
		vmxfz_engine_poll(o, st, &bi->caps, cov, es);
		if (cov) {
			count_ids(es->hits, &nf, &np);
			json_array_append_new(over_time, json_pack("[f,i,i,I]", st->elapsed, nf, np,
								   (json_int_t)es->execs));
			last_cov = st->elapsed;
		}
		printf("\r[%4.0f/%d s] %llu execs (%.0f/s)  checks failed %d passed %d of %d  "
		       "buckets %zu (%zu known)  records %lu   ", st->elapsed, o->seconds,
		       es->execs, es->execs / (st->elapsed > 1 ? st->elapsed : 1), nf, np,
		       VMX_CHECK_COUNT, st->n_buckets, known_buckets(st), st->records);
		fflush(stdout);
		state_save(st, start);
		if (!alive || st->elapsed >= o->seconds + 10)
			break;
	}
	printf("\n");
}

static double minimize_budget(const struct vmxfz_campaign_opts *o)
{
	double b = o->seconds * 0.25;

	if (o->minimize_budget >= 0)
		return o->minimize_budget;
	return b < 10 ? 10 : b;
}

static void run_report(const struct vmxfz_campaign_opts *o)
{
	char cmd[8192];

	/* The wrapper picks Debian's python3, which has jinja2 and
	 * matplotlib, over a pyenv/venv one first on PATH. */
	snprintf(cmd, sizeof(cmd), "'%s/reports/vmxcc-report' '%s'", VMXFZ_TOP, o->out);
	if (system(cmd))
		fprintf(stderr, "vmxcc campaign: the report generator failed\n");
}

int vmxfz_campaign_run(const struct vmxfz_campaign_opts *opts)
{
	struct vmxfz_campaign_opts oo = *opts;
	const struct vmxfz_campaign_opts *o = &oo;
	static struct vmxfz_engine_stats es;
	struct vmxfz_state st = { .dir = o->out };
	struct vmxfz_min_opts mo = { minimize_budget(o), o->cores };
	struct vmxfz_totals tot;
	struct vmx_backend_inst bi;
	char err[1024], start[64] = "";
	json_t *over_time = json_array();
	pid_t pids[256] = { 0 };
	int n = 0, remaining;
	size_t known;

	tmp_setup(o->out);
	if (vmx_backend_open_spec(o->backend, &bi, err, sizeof(err))) {
		fprintf(stderr, "vmxcc campaign: %s\n", err);
		return 2;
	}
	/* The engine runs without read-back; new records are run again with
	 * it before they are merged (rerun.c). */
	if (vmx_readback_enable(&bi, true, err, sizeof(err)) > 0)
		st.readback = &bi;
	else
		fprintf(stderr, "vmxcc campaign: %s; records without it\n", err);
	if (campaign_open(o, &st, start, sizeof(start)))
		return 2;
	st.seed = oo.seed = pick_seed(opts, &st);
	remaining = o->seconds - (int)st.elapsed;
	if (st.elapsed > 0)
		printf("vmxcc campaign: resuming %s after %.0f s (%lu records, %zu buckets "
		       "pending minimization)\n", o->out, st.elapsed, st.records, st.pending.n);
	engine_env(o);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (remaining > 0) {
		n = vmxfz_engine_start(o, remaining, pids, err, sizeof(err));
		if (n < 0) {
			fprintf(stderr, "vmxcc campaign: %s\n", err);
			return 2;
		}
	}
	watch(o, &st, &bi, pids, n, start, &es, over_time);
	vmxfz_engine_stop(o, pids, n);
	if (vmxfz_merge_new(&st, err, sizeof(err)) < 0)
		fprintf(stderr, "vmxcc campaign: %s\n", err);
	state_save(&st, start);
	if (stop_now) {
		printf("vmxcc campaign: interrupted; run the same command to resume\n");
		return 1;
	}
	vmxfz_engine_poll(o, &st, &bi.caps, true, &es);
	/* What was pending is minimized again (first); what is left after
	 * this budget is pending now. */
	for (size_t i = 0; i < st.pending.cap; i++)
		free(st.pending.s[i]);
	free(st.pending.s);
	memset(&st.pending, 0, sizeof(st.pending));
	vmxfz_minimize_buckets(&st, o->backend, &mo);
	state_save(&st, start);
	tot = (struct vmxfz_totals){ es.execs, es.hits, over_time, es.skipped, es.known_counts,
				     es.backend_errors };
	vmxfz_write_summary(&st, o, bi.profile.name, start, &tot);
	vmx_backend_inst_close(&bi);
	known = known_buckets(&st);
	printf("vmxcc campaign: %llu executions in %.0f s (%.0f/s), seed %llu; %zu buckets: "
	       "%zu new, %zu known deviations in %zu groups; %zu pending minimization\n",
	       es.execs, st.elapsed, st.elapsed > 0 ? es.execs / st.elapsed : 0.0, st.seed,
	       st.n_buckets, st.n_buckets - known, known, st.n_groups, st.pending.n);
	if (!o->no_report)
		run_report(o);
	return st.n_buckets ? 1 : 0;
}
