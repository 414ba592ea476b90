// SPDX-License-Identifier: GPL-2.0
/*
 * `vmxcc campaign`: start libFuzzer -fork=N (or N AFL++ instances, -M/-S)
 * on the differential target, show progress, stop at the time limit, merge
 * divergences into records.jsonl, minimize each bucket into a regression
 * candidate, write summary.json and run the report generator.  Everything
 * lives in the campaign directory, so running the same command again
 * resumes (docs/campaign.md).
 */
#include <dirent.h>
#include <errno.h>
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
#include "vmxcc/case_compact.h"
#include "fz_common.h"
#include "campaign_internal.h"

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

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* campaign.json: what survives a kill -9 besides the corpus and records. */
static void state_load(struct vmxfz_state *st, char *start, size_t len)
{
	char p[4096];
	json_t *j;

	snprintf(p, sizeof(p), "%s/campaign.json", st->dir);
	j = json_load_file(p, 0, NULL);
	if (!j)
		return;
	st->elapsed = json_real_value(json_object_get(j, "elapsed"));
	if (json_string_value(json_object_get(j, "start")))
		snprintf(start, len, "%s", json_string_value(json_object_get(j, "start")));
	json_decref(j);
}

static void state_save(const struct vmxfz_state *st, const char *start)
{
	char p[4096], tmp[4096];
	json_t *j = json_pack("{s:f,s:s}", "elapsed", st->elapsed, "start", start);

	snprintf(p, sizeof(p), "%s/campaign.json", st->dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	if (json_dump_file(j, tmp, JSON_SORT_KEYS) == 0)
		rename(tmp, p);		/* atomic: old or new, never half */
	json_decref(j);
}

static void iso_now(char *buf, size_t len)
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

static pid_t spawn(char *const argv[], const char *log)
{
	pid_t pid = fork();

	if (pid == 0) {
		FILE *f = fopen(log, "a");

		setpgid(0, 0);
		if (f) {
			dup2(fileno(f), 1);
			dup2(fileno(f), 2);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "vmxcc campaign: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid > 0)
		setpgid(pid, pid);
	return pid;
}

static int start_engine(const struct vmxfz_campaign_opts *o, int remaining,
			pid_t *pids, char *err, size_t errlen)
{
	char target[4096], corpus[4096], log[4096], t[32], fork_n[32];

	snprintf(corpus, sizeof(corpus), "%s/corpus", o->out);
	snprintf(t, sizeof(t), "%d", remaining);
	if (strcmp(o->engine, "libfuzzer") == 0) {
		char tt[48];

		snprintf(target, sizeof(target), "%s/fuzzers/libfuzzer/fz_diff", VMXFZ_BUILD_DIR);
		if (access(target, X_OK)) {
			snprintf(err, errlen, "%s is not built (clang missing?)", target);
			return -1;
		}
		snprintf(fork_n, sizeof(fork_n), "-fork=%d", o->cores);
		snprintf(tt, sizeof(tt), "-max_total_time=%s", t);
		snprintf(log, sizeof(log), "%s/fuzzer.log", o->out);
		char *argv[] = { target, fork_n, tt, "-max_len=4096", "-ignore_crashes=1",
				 "-ignore_timeouts=1", "-ignore_ooms=1", corpus, NULL };
		pids[0] = spawn(argv, log);
		return pids[0] > 0 ? 1 : -1;
	}
	snprintf(target, sizeof(target), "%s/fuzzers/afl/fz_diff", VMXFZ_BUILD_DIR);
	if (access(target, X_OK)) {
		snprintf(err, errlen, "%s is not built (afl-clang-fast missing?)", target);
		return -1;
	}
	for (int i = 0; i < o->cores; i++) {
		char role[8], name[32], sync[4096], in[4096];
		char *argv[] = { "afl-fuzz", role, name, "-i", in, "-o", sync, "-V", t,
				 "--", target, NULL };

		snprintf(role, sizeof(role), i ? "-S" : "-M");
		snprintf(name, sizeof(name), i ? "secondary%d" : "main", i);
		snprintf(sync, sizeof(sync), "%s/afl", o->out);
		/* AFL++ resumes from its own state with "-i -". */
		snprintf(in, sizeof(in), "%s", access(sync, F_OK) ? corpus : "-");
		snprintf(log, sizeof(log), "%s/afl-%s.log", o->out, name);
		pids[i] = spawn(argv, log);
		if (pids[i] < 0)
			return -1;
	}
	return o->cores;
}

/* Total executions so far, from the engine's own output. */
static unsigned long long engine_execs(const struct vmxfz_campaign_opts *o)
{
	char p[4096], line[512];
	unsigned long long best = 0, v;
	FILE *f;

	if (strcmp(o->engine, "libfuzzer") == 0) {
		snprintf(p, sizeof(p), "%s/fuzzer.log", o->out);
		f = fopen(p, "r");
		while (f && fgets(line, sizeof(line), f))
			if (line[0] == '#' && sscanf(line + 1, "%llu", &v) == 1 && v > best)
				best = v;
		if (f)
			fclose(f);
		return best;
	}
	for (int i = 0; i < o->cores; i++) {
		char name[32];

		snprintf(name, sizeof(name), i ? "secondary%d" : "main", i);
		snprintf(p, sizeof(p), "%s/afl/%s/fuzzer_stats", o->out, name);
		f = fopen(p, "r");
		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "execs_done : %llu", &v) == 1)
				best += v;
		if (f)
			fclose(f);
	}
	return best;
}

/* Check coverage of the corpus under the back end's profile. */
static void corpus_coverage(const struct vmxfz_campaign_opts *o, const struct vmx_caps *caps,
			    unsigned long hits[VMXFZ_N_FEATURES])
{
	char dir[4096], p[8192];
	struct dirent *e;
	DIR *d;

	memset(hits, 0, sizeof(unsigned long) * VMXFZ_N_FEATURES);
	snprintf(dir, sizeof(dir), strcmp(o->engine, "afl") ? "%s/corpus" : "%s/afl/main/queue",
		 o->out);
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		uint8_t map[VMXFZ_N_FEATURES] = { 0 }, *buf;
		struct vmx_verdict v;
		struct vmx_case c;
		size_t len;
		int base;

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		buf = vmxfz_read(p, &len);
		if (!buf)
			continue;
		vmx_compact_decode(buf, len, caps, &c, &base);
		free(buf);
		vmx_model_eval(caps, &c, &v);
		vmxfz_features(&v, map);
		for (int i = 0; i < VMXFZ_N_FEATURES; i++)
			hits[i] += map[i];
	}
	if (d)
		closedir(d);
}

static void count_ids(const unsigned long *hits, int *nf, int *np)
{
	*nf = *np = 0;
	for (int id = 0; id < VMX_CHECK_COUNT; id++) {
		*nf += hits[vmxfz_feature(id, true)] > 0;
		*np += hits[vmxfz_feature(id, false)] > 0;
	}
}

int vmxfz_minimize_buckets(struct vmxfz_state *st, struct vmx_backend_inst *bi);
int vmxfz_write_summary(const struct vmxfz_state *st, const struct vmxfz_campaign_opts *o,
			const char *profile, const char *start, unsigned long long execs,
			const unsigned long *hits, json_t *over_time);

/* Wait until nothing of the engine's process group is left: libFuzzer's
 * fork-mode workers (and their final back-end batch) outlive the master. */
static void wait_group(pid_t pgid)
{
	for (int w = 0; w < 300 && kill(-pgid, 0) == 0; w++)
		usleep(100000);
	if (kill(-pgid, 0) == 0)
		kill(-pgid, SIGKILL);
	while (kill(-pgid, 0) == 0)
		usleep(10000);
}

static void stop_engine(pid_t *pids, int n)
{
	const pid_t *groups = pids;	/* each master leads its own group */
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(-pids[i], SIGINT);	/* libFuzzer/AFL++ finish cleanly */
	for (int w = 0; w < 50; w++) {
		int alive = 0;

		for (int i = 0; i < n; i++)
			if (pids[i] > 0 && waitpid(pids[i], NULL, WNOHANG) == 0)
				alive++;
		if (!alive)
			break;
		usleep(100000);
	}
	/* A master that has not gone (or was reaped already) and its group:
	 * wait for the workers, killing them after 30 s. */
	for (int i = 0; i < n; i++) {
		if (pids[i] <= 0)
			continue;
		if (waitpid(pids[i], NULL, WNOHANG) == 0) {
			kill(-pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
		}
		wait_group(groups[i]);
	}
}

int vmxfz_campaign_run(const struct vmxfz_campaign_opts *o)
{
	static unsigned long hits[VMXFZ_N_FEATURES];
	struct vmxfz_state st = { .dir = o->out };
	struct vmx_backend_inst bi;
	char err[1024], start[64] = "", batch[32];
	json_t *over_time = json_array();
	pid_t pids[256] = { 0 };
	int n, nf, np, remaining;
	unsigned long long execs = 0;
	double t0, last_cov = -10;

	if (vmx_backend_open_spec(o->backend, &bi, err, sizeof(err))) {
		fprintf(stderr, "vmxcc campaign: %s\n", err);
		return 2;
	}
	mkdirs(o->out, "");
	mkdirs(o->out, "/corpus");
	mkdirs(o->out, "/records.d");
	mkdirs(o->out, "/regression-candidates");
	snprintf(st.records_path, sizeof(st.records_path), "%s/records.jsonl", o->out);
	state_load(&st, start, sizeof(start));
	if (!start[0])
		iso_now(start, sizeof(start));
	if (vmxfz_merge_load(&st, err, sizeof(err)) || vmxfz_merge_new(&st, err, sizeof(err)) < 0) {
		fprintf(stderr, "vmxcc campaign: %s\n", err);
		return 2;
	}
	remaining = o->seconds - (int)st.elapsed;
	if (st.elapsed > 0)
		printf("vmxcc campaign: resuming %s after %.0f s (%lu records)\n",
		       o->out, st.elapsed, st.records);
	{
		char corpus[4096];

		snprintf(corpus, sizeof(corpus), "%s/corpus", o->out);
		seed_corpus(corpus);
	}

	/* The engine's children find the back end and the output here. */
	snprintf(batch, sizeof(batch), "%d", o->batch);
	setenv("VMXFZ_BACKEND", o->backend, 1);
	setenv("VMXFZ_OUT", o->out, 1);
	setenv("VMXFZ_BATCH", batch, 1);
	if (strcmp(o->engine, "afl") == 0) {
		setenv("AFL_CUSTOM_MUTATOR_LIBRARY", VMXFZ_AFL_MUTATOR, 1);
		setenv("AFL_NO_UI", "1", 1);
		setenv("AFL_SKIP_CPUFREQ", "1", 1);
		setenv("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1", 1);
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	n = 0;
	if (remaining > 0) {
		n = start_engine(o, remaining, pids, err, sizeof(err));
		if (n < 0) {
			fprintf(stderr, "vmxcc campaign: %s\n", err);
			return 2;
		}
	}
	t0 = now_s() - st.elapsed;
	while (n > 0 && !stop_now) {
		int alive = 0;

		sleep(1);
		st.elapsed = now_s() - t0;
		for (int i = 0; i < n; i++)
			if (pids[i] > 0 && waitpid(pids[i], NULL, WNOHANG) == 0)
				alive++;
		if (vmxfz_merge_new(&st, err, sizeof(err)) < 0)
			fprintf(stderr, "\nvmxcc campaign: %s\n", err);
		execs = engine_execs(o);
		if (st.elapsed - last_cov >= 5 || !alive) {
			corpus_coverage(o, &bi.caps, hits);
			count_ids(hits, &nf, &np);
			json_array_append_new(over_time, json_pack("[f,i,i,I]", st.elapsed, nf, np,
								   (json_int_t)execs));
			last_cov = st.elapsed;
		}
		printf("\r[%4.0f/%d s] %llu execs (%.0f/s)  checks failed %d passed %d of %d  "
		       "buckets %zu  records %lu   ", st.elapsed, o->seconds, execs,
		       execs / (st.elapsed > 1 ? st.elapsed : 1), nf, np, VMX_CHECK_COUNT,
		       st.n_buckets, st.records);
		fflush(stdout);
		state_save(&st, start);
		if (!alive || st.elapsed >= o->seconds + 10)
			break;
	}
	printf("\n");
	stop_engine(pids, n);
	if (vmxfz_merge_new(&st, err, sizeof(err)) < 0)
		fprintf(stderr, "vmxcc campaign: %s\n", err);
	state_save(&st, start);
	if (stop_now) {
		printf("vmxcc campaign: interrupted; run the same command to resume\n");
		return 1;
	}
	corpus_coverage(o, &bi.caps, hits);
	vmxfz_minimize_buckets(&st, &bi);
	vmxfz_write_summary(&st, o, bi.profile.name, start, execs, hits, over_time);
	vmx_backend_inst_close(&bi);
	if (!o->no_report) {
		char cmd[8192];

		/* The wrapper picks Debian's python3, which has jinja2 and
		 * matplotlib, over a pyenv/venv one first on PATH. */
		snprintf(cmd, sizeof(cmd), "'%s/reports/vmxcc-report' '%s'",
			 VMXFZ_TOP, o->out);
		if (system(cmd))
			fprintf(stderr, "vmxcc campaign: the report generator failed\n");
	}
	return st.n_buckets ? 1 : 0;
}
