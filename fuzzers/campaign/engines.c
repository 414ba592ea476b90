// SPDX-License-Identifier: GPL-2.0
/*
 * Starting, watching and stopping the engine of a campaign: the built-in
 * batch engine (a forked child), libFuzzer -fork=N, or N AFL++ instances.
 * Each runs in a process group of its own, so a Ctrl-C on the terminal
 * reaches only the driver, which then stops the engine its own way.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmxcc/case_compact.h"
#include "fz_common.h"
#include "campaign_internal.h"
#include "engines.h"

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

/* The built-in engine in a child: same life cycle as an external one. */
static pid_t spawn_batch(const struct vmxfz_campaign_opts *o, int remaining)
{
	char log[4096];
	pid_t pid;

	snprintf(log, sizeof(log), "%s/engine.log", o->out);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		FILE *f = fopen(log, "a");

		setpgid(0, 0);
		if (f) {
			dup2(fileno(f), 1);
			dup2(fileno(f), 2);
		}
		setvbuf(stdout, NULL, _IOLBF, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		_exit(vmxfz_batch_engine(o, remaining));
	}
	if (pid > 0)
		setpgid(pid, pid);
	return pid;
}

static int start_libfuzzer(const struct vmxfz_campaign_opts *o, const char *t, pid_t *pids,
			   char *err, size_t errlen)
{
	char target[4096], corpus[4096], log[4096], fork_n[32], tt[48], seed[48];

	snprintf(corpus, sizeof(corpus), "%s/corpus", o->out);
	snprintf(target, sizeof(target), "%s/fuzzers/libfuzzer/fz_diff", VMXFZ_BUILD_DIR);
	if (access(target, X_OK)) {
		snprintf(err, errlen, "%s is not built (clang missing?)", target);
		return -1;
	}
	snprintf(fork_n, sizeof(fork_n), "-fork=%d", o->cores);
	snprintf(tt, sizeof(tt), "-max_total_time=%s", t);
	/* libFuzzer's seed is 32 bits, and 0 means "pick one" */
	snprintf(seed, sizeof(seed), "-seed=%llu", (o->seed & 0xffffffffull) | 1);
	snprintf(log, sizeof(log), "%s/fuzzer.log", o->out);
	char *argv[] = { target, fork_n, tt, seed, "-max_len=4096", "-ignore_crashes=1",
			 "-ignore_timeouts=1", "-ignore_ooms=1", corpus, NULL };
	pids[0] = spawn(argv, log);
	return pids[0] > 0 ? 1 : -1;
}

static int start_afl(const struct vmxfz_campaign_opts *o, char *t, pid_t *pids,
		     char *err, size_t errlen)
{
	char target[4096], corpus[4096], log[4096];

	snprintf(corpus, sizeof(corpus), "%s/corpus", o->out);
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

int vmxfz_engine_start(const struct vmxfz_campaign_opts *o, int remaining, pid_t *pids,
		       char *err, size_t errlen)
{
	char t[32];

	snprintf(t, sizeof(t), "%d", remaining);
	if (strcmp(o->engine, "batch") == 0) {
		pids[0] = spawn_batch(o, remaining);
		return pids[0] > 0 ? 1 : -1;
	}
	if (strcmp(o->engine, "libfuzzer") == 0)
		return start_libfuzzer(o, t, pids, err, errlen);
	return start_afl(o, t, pids, err, errlen);
}

/* Executions so far, from libFuzzer's log or AFL++'s fuzzer_stats. */
static unsigned long long external_execs(const struct vmxfz_campaign_opts *o)
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

/* Check coverage of the corpus under the back end's profile: what the
 * external engines leave to go by (one count per corpus entry). */
static void corpus_coverage(const struct vmxfz_campaign_opts *o, const struct vmx_caps *caps,
			    unsigned long *hits)
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

/* The batch engine's statistics file: executions, coverage per execution,
 * divergent executions per bucket, skips, back-end errors. */
static void batch_poll(struct vmxfz_state *st, struct vmxfz_engine_stats *es)
{
	char p[4096];
	json_t *j, *v;
	const char *k;

	snprintf(p, sizeof(p), "%s/" VMXFZ_BATCH_STATS, st->dir);
	j = json_load_file(p, 0, NULL);
	if (!j)
		return;
	es->execs = json_integer_value(json_object_get(j, "execs"));
	es->backend_errors = json_integer_value(json_object_get(j, "backend_errors"));
	json_decref(es->skipped);
	es->skipped = json_incref(json_object_get(j, "skipped"));
	json_decref(es->known_counts);
	es->known_counts = json_incref(json_object_get(j, "known_groups"));
	memset(es->hits, 0, sizeof(es->hits));
	json_object_foreach(json_object_get(j, "coverage"), k, v) {
		int id = vmx_check_by_name(k);

		if (id < 0)
			continue;
		es->hits[vmxfz_feature(id, true)] = json_integer_value(json_object_get(v, "failed"));
		es->hits[vmxfz_feature(id, false)] = json_integer_value(json_object_get(v, "passed"));
	}
	/* A bucket counts divergent executions; records are at most a few. */
	json_object_foreach(json_object_get(j, "buckets"), k, v) {
		struct vmxfz_bucket *b = vmxfz_bucket_find(st, k);

		if (b && (unsigned long)json_integer_value(v) > b->count)
			b->count = json_integer_value(v);
	}
	json_decref(j);
}

void vmxfz_engine_poll(const struct vmxfz_campaign_opts *o, struct vmxfz_state *st,
		       const struct vmx_caps *caps, bool coverage, struct vmxfz_engine_stats *es)
{
	if (strcmp(o->engine, "batch") == 0) {
		batch_poll(st, es);
		return;
	}
	es->execs = external_execs(o);
	if (coverage)
		corpus_coverage(o, caps, es->hits);
}

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

void vmxfz_engine_stop(const struct vmxfz_campaign_opts *o, pid_t *pids, int n)
{
	/* The batch engine finishes the batch in flight on SIGTERM; its
	 * back-end processes must not be interrupted, so only it gets the
	 * signal.  libFuzzer and AFL++ stop cleanly on SIGINT to the group. */
	bool batch = strcmp(o->engine, "batch") == 0;

	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(batch ? pids[i] : -pids[i], batch ? SIGTERM : SIGINT);
	for (int w = 0; w < (batch ? 300 : 50); w++) {
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
		wait_group(pids[i]);
	}
}
