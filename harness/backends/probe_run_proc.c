// SPDX-License-Identifier: GPL-2.0
/*
 * One emulator process running one batch: the disk image and the
 * emulator's own files in the job's directory, stdin /dev/null, stdout and
 * stderr into one log (O_APPEND, so the order is kept), a wall-clock
 * deadline enforced with SIGKILL (Bochs' term display ignores SIGTERM),
 * then the completion marker and the results.
 */
#define _GNU_SOURCE	/* posix_spawn_file_actions_addchdir_np */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe_run.h"

#define INPUT_BASE_MB 16

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void prun_arg(struct prun_argv *a, const char *fmt, ...)
{
	size_t room = sizeof(a->buf) - a->used;
	va_list ap;
	int len;

	if (a->argc < 0 || a->argc + 1 >= (int)(sizeof(a->argv) / sizeof(a->argv[0])))
		goto overflow;
	va_start(ap, fmt);
	len = vsnprintf(a->buf + a->used, room, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= room)
		goto overflow;
	a->argv[a->argc++] = a->buf + a->used;
	a->argv[a->argc] = NULL;
	a->used += len + 1;
	return;
overflow:
	a->argc = -1;
}

long long prun_disk_bytes(const struct prun_job *j, char *err, size_t errlen)
{
	char path[400];
	struct stat st;

	snprintf(path, sizeof(path), "%s/disk.img", j->dir);
	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return st.st_size;
}

unsigned long prun_guest_megs(const struct prun_job *j)
{
	char err[16];
	long long bytes = prun_disk_bytes(j, err, sizeof(err));

	return INPUT_BASE_MB + (bytes > 0 ? bytes >> 20 : 0) + 16;
}

extern char **environ;

/* The environment with TERM=dumb: no terminal, so Bochs' term display and
 * QEMU stay plain.  Returns a malloc'd array (the strings are shared). */
static char **plain_env(void)
{
	static char term[] = "TERM=dumb";
	size_t n = 0, k = 0;
	char **e;

	while (environ[n])
		n++;
	e = malloc((n + 2) * sizeof(*e));
	if (!e)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "TERM=", 5))
			e[k++] = environ[i];
	e[k++] = term;
	e[k] = NULL;
	return e;
}

/* Start @argv in @dir with stdin /dev/null and stdout+stderr appended to
 * @log.  posix_spawn, not fork: the harness may hold gigabytes of cases
 * and results, and copying its page tables per run is measurable. */
static pid_t spawn_in(const char *dir, char *const argv[], const char *log,
		      char *err, size_t errlen)
{
	posix_spawn_file_actions_t fa;
	char **envp = plain_env();
	pid_t pid = -1;
	int rc;

	if (!envp || posix_spawn_file_actions_init(&fa)) {
		snprintf(err, errlen, "spawn: out of memory");
		free(envp);
		return -1;
	}
	rc = posix_spawn_file_actions_addchdir_np(&fa, dir);
	if (!rc)
		rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!rc)
		rc = posix_spawn_file_actions_addopen(&fa, 1, log,
						      O_WRONLY | O_CREAT | O_TRUNC | O_APPEND,
						      0644);
	if (!rc)
		rc = posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (!rc)
		rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, envp);
	if (rc) {
		snprintf(err, errlen, "cannot start %s: %s", argv[0], strerror(rc));
		pid = -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	free(envp);
	return pid;
}

int prun_job_start(struct prun_job *j, char *err, size_t errlen)
{
	struct prun_argv a = { .argc = 0 };
	char log[400];
	pid_t pid;

	j->completed = j->timed_out = j->stalled = false;
	j->progress = 0;
	j->why[0] = 0;
	if (prun_write_disk(j, err, errlen) ||
	    j->run->emu->setup(j->run, j, &a, err, errlen))
		return -1;
	if (a.argc <= 0) {
		snprintf(err, errlen, "%s command line too long", j->run->emu->name);
		return -1;
	}
	snprintf(log, sizeof(log), "%s/out.log", j->dir);
	pid = spawn_in(j->dir, a.argv, log, err, errlen);
	if (pid < 0)
		return -1;
	j->pid = pid;
	j->started = now();
	return 0;
}

/* Scan the log: progress ("P n"), completion ("VMXCC-DONE n"), per-case
 * markers ("C i") with the emulator's own lines about VM entry in between. */
static void scan_log(struct prun_job *j, size_t *done_marker, bool *done)
{
	const struct prun_emu *emu = j->run->emu;
	char path[400], line[1024], last[200] = "";
	long cur = -1;
	FILE *f;

	*done = false;
	snprintf(path, sizeof(path), "%s/out.log", j->dir);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long v;
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = 0;
		if (sscanf(line, "VMXCC-DONE %lu", &v) == 1) {
			*done = true;
			*done_marker = v;
		} else if (line[0] == 'P' && sscanf(line + 1, "%lu", &v) == 1) {
			j->progress = v <= j->n ? v : j->n;
		} else if (line[0] == 'C' && sscanf(line + 1, "%lu", &v) == 1) {
			cur = v < j->n ? (long)v : -1;
		} else if (strstr(line, "PROBE-") || emu->error_line(line)) {
			snprintf(last, sizeof(last), "%.190s", line);
		} else if (cur >= 0 && j->triage_text && emu->triage_line &&
			   emu->triage_line(line)) {
			free(j->triage_text[cur]);
			j->triage_text[cur] = strdup(line);
		}
	}
	fclose(f);
	if (last[0])
		snprintf(j->why, sizeof(j->why), "%.200s", last);
}

/* Size of the job's log, -1 if it cannot be seen. */
static long long log_size(const struct prun_job *j)
{
	char path[400];
	struct stat st;

	snprintf(path, sizeof(path), "%s/out.log", j->dir);
	return stat(path, &st) ? -1 : (long long)st.st_size;
}

/*
 * Wait for the run.  Killed at the deadline, or earlier when the log has
 * not grown for j->stall seconds: the probe reports progress every 64
 * cases (a few milliseconds), so a stall is a hanging case, and waiting
 * for the whole batch's deadline (seconds for a big batch) would make
 * every hang cost a campaign that much.
 */
static void wait_run(struct prun_job *j, int *status)
{
	long long size = -1;
	double changed = now();
	unsigned int tick = 0;

	for (;;) {
		pid_t r = waitpid(j->pid, status, WNOHANG);
		double t = now();

		if (r == j->pid || (r < 0 && errno != EINTR))
			return;
		if (j->stall > 0 && ++tick % 25 == 0) {
			long long s = log_size(j);

			if (s != size) {
				size = s;
				changed = t;
			} else if (t - changed > j->stall) {
				j->stalled = true;
			}
		}
		if (j->stalled || t - j->started > j->timeout) {
			kill(j->pid, SIGKILL);
			waitpid(j->pid, status, 0);
			j->timed_out = true;
			return;
		}
		usleep(2000);
	}
}

void prun_job_finish(struct prun_job *j)
{
	size_t marker = 0;
	bool done;
	int status = 0;
	char err[256];

	wait_run(j, &status);
	scan_log(j, &marker, &done);
	if (j->stalled && !j->why[0])
		snprintf(j->why, sizeof(j->why), "hang: no progress for %.1f s (killed)",
			 j->stall);
	else if (j->timed_out && !j->why[0])
		snprintf(j->why, sizeof(j->why), "hang: no completion within %.1f s (killed)",
			 j->timeout);
	else if (!done && !j->why[0])
		snprintf(j->why, sizeof(j->why), "%s ended without the completion marker (status %d)",
			 j->run->emu->name, status);
	if (done && marker == j->n)
		j->progress = j->n;
	if (prun_read_results(j, err, sizeof(err))) {
		j->progress = 0;
		snprintf(j->why, sizeof(j->why), "%s", err);
		return;
	}
	if (j->rhdr.magic == PROBE_RESULT_MAGIC && done && marker == j->n)
		j->completed = true;
	else if (!j->why[0])
		snprintf(j->why, sizeof(j->why), "no result header");
}

static void unlink_in(const struct prun_job *j, const char *name)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/%s", j->dir, name);
	unlink(path);
}

void prun_job_cleanup(struct prun_job *j)
{
	if (j->run->keep)
		return;
	unlink_in(j, "disk.img");
	unlink_in(j, "out.log");
	for (const char *const *f = j->run->emu->files; f && *f; f++)
		unlink_in(j, *f);
	rmdir(j->dir);
}
