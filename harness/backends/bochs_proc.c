// SPDX-License-Identifier: GPL-2.0
/*
 * One Bochs process: bochsrc + rc file + disk in the job's directory,
 * bochs-bin headless (term display with TERM=dumb, -q -unlock, the
 * debugger's "c"/"quit" from -rc, stdin /dev/null), a wall-clock deadline
 * enforced with SIGKILL (the term display ignores SIGTERM), then the
 * completion marker and the results.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bochs_internal.h"

#define CYLINDER_BYTES (16ull * 63 * 512)
#define INPUT_BASE_MB 16

double bochs_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_file(const char *path, const char *text, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_config(struct bochs_job *j, char *err, size_t errlen)
{
	char path[400], text[2048];
	struct stat st;
	unsigned long megs;

	snprintf(path, sizeof(path), "%s/disk.img", j->dir);
	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* the probe reads the whole input to 16 MiB */
	megs = INPUT_BASE_MB + st.st_size / (1 << 20) + 16;
	snprintf(text, sizeof(text),
		 "megs: %lu\n"
		 "romimage: file=\"%s\"\n"
		 "cpu: model=%s, count=1, ips=100000000, reset_on_triple_fault=0, ignore_bad_msrs=0\n"
		 "ata0-master: type=disk, path=\"%s\", mode=flat, cylinders=%llu, heads=16, spt=63\n"
		 "port_e9_hack: enabled=1\n"
		 "display_library: term\n"
		 "speaker: enabled=0\n"
		 "clock: sync=none\n"
		 "log: -\n"
		 "panic: action=fatal\n"
		 "error: action=%s\n"
		 "info: action=ignore\n"
		 "debug: action=ignore\n",
		 megs, j->rom, j->model, path,
		 (unsigned long long)(st.st_size / CYLINDER_BYTES),
		 j->triage ? "report" : "ignore");
	snprintf(path, sizeof(path), "%s/bochsrc", j->dir);
	if (write_file(path, text, err, errlen))
		return -1;
	snprintf(path, sizeof(path), "%s/rc", j->dir);
	return write_file(path, "c\nquit\n", err, errlen);
}

int bochs_job_start(struct bochs_job *j, char *err, size_t errlen)
{
	char rc[400], cfg[400], log[400];
	pid_t pid;

	j->completed = j->timed_out = false;
	j->progress = 0;
	j->why[0] = 0;
	if (bochs_write_disk(j, err, errlen) || write_config(j, err, errlen))
		return -1;
	snprintf(cfg, sizeof(cfg), "%s/bochsrc", j->dir);
	snprintf(rc, sizeof(rc), "%s/rc", j->dir);
	snprintf(log, sizeof(log), "%s/out.log", j->dir);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);

		if (in < 0 || out < 0 || chdir(j->dir))
			_exit(127);
		dup2(in, 0);
		dup2(out, 1);
		dup2(out, 2);
		setenv("TERM", "dumb", 1);
		execl(j->bochs, j->bochs, "-q", "-unlock", "-f", cfg, "-rc", rc, (char *)NULL);
		_exit(127);
	}
	j->pid = pid;
	j->started = bochs_now();
	return 0;
}

/* Scan the log: progress ("P n"), completion ("VMXCC-DONE n"), per-case
 * markers ("C i") with Bochs' own lines about VM entry in between. */
static void scan_log(struct bochs_job *j, size_t *done_marker, bool *done)
{
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
		} else if (strstr(line, "PROBE-") || strstr(line, ">>PANIC<<")) {
			if (!strstr(line, "Shutdown port"))
				snprintf(last, sizeof(last), "%.190s", line);
		} else if (cur >= 0 && j->triage_text && strstr(line, "VM") &&
			   strstr(line, "[CPU")) {
			free(j->triage_text[cur]);
			j->triage_text[cur] = strdup(line);
		}
	}
	fclose(f);
	if (last[0])
		snprintf(j->why, sizeof(j->why), "%.200s", last);
}

void bochs_job_finish(struct bochs_job *j)
{
	size_t marker = 0;
	bool done;
	int status;
	char err[256];

	for (;;) {
		pid_t r = waitpid(j->pid, &status, WNOHANG);

		if (r == j->pid || (r < 0 && errno != EINTR))
			break;
		if (bochs_now() - j->started > j->timeout) {
			kill(j->pid, SIGKILL);
			waitpid(j->pid, &status, 0);
			j->timed_out = true;
			break;
		}
		usleep(2000);
	}
	scan_log(j, &marker, &done);
	if (j->timed_out && !j->why[0])
		snprintf(j->why, sizeof(j->why), "hang: no completion within %.1f s (killed)",
			 j->timeout);
	else if (!done && !j->why[0])
		snprintf(j->why, sizeof(j->why), "Bochs ended without the completion marker (status %d)",
			 status);
	if (done && marker == j->n)
		j->progress = j->n;
	if (bochs_read_results(j, err, sizeof(err))) {
		j->progress = 0;
		snprintf(j->why, sizeof(j->why), "%s", err);
		return;
	}
	if (j->rhdr.magic == PROBE_RESULT_MAGIC && done && marker == j->n)
		j->completed = true;
	else if (!j->why[0])
		snprintf(j->why, sizeof(j->why), "no result header");
}

void bochs_job_cleanup(struct bochs_job *j)
{
	static const char *const files[] = { "disk.img", "bochsrc", "rc", "out.log", "disk.img.lock" };
	char path[400];

	if (getenv("VMXCC_BOCHS_KEEP"))
		return;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", j->dir, files[i]);
		unlink(path);
	}
	rmdir(j->dir);
}
