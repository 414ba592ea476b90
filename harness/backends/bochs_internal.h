/* SPDX-License-Identifier: GPL-2.0 */
/* The Bochs back end's pieces: wire format, one Bochs run, bisection. */
#ifndef VMXCC_BOCHS_INTERNAL_H
#define VMXCC_BOCHS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vmxcc/backend.h"
#include "probe_wire.h"

/* One Bochs process running one batch, in its own directory. */
struct bochs_job {
	char dir[320];		/* per-instance directory: disk, bochsrc, log */
	const char *bochs;	/* bochs-bin path */
	const char *rom;	/* probe ROM */
	const char *model;	/* Bochs CPU model */
	uint32_t mode;		/* enum probe_mode */
	bool triage;		/* per-case markers + Bochs' error log lines */
	bool fine;		/* results written every PROBE_FINE_CHUNK cases */
	const struct vmx_case *prep;
	const struct vmx_case *cases;
	size_t n;
	double timeout;		/* seconds, wall clock */

	/* filled by bochs_job_start / bochs_job_finish */
	pid_t pid;
	double started;
	uint32_t result_lba;
	bool completed;		/* completion marker seen, results read */
	bool timed_out;
	size_t progress;	/* results on disk for cases [0, progress) */
	struct probe_result_hdr rhdr;
	struct probe_result_rec *rec;	/* [n], valid below progress */
	char **triage_text;	/* [n] or NULL: Bochs' log line per case */
	char why[256];		/* when !completed: what happened */
};

/* bochs_wire.c */
int bochs_write_disk(struct bochs_job *j, char *err, size_t errlen);
int bochs_read_results(struct bochs_job *j, char *err, size_t errlen);
void bochs_effective(const struct vmx_case *c, const struct probe_result_hdr *h,
		     const struct probe_result_rec *r, struct vmx_case *eff);
uint32_t bochs_fields_sum(void);

/* bochs_proc.c */
int bochs_job_start(struct bochs_job *j, char *err, size_t errlen);
/* Wait for it (SIGKILL at the deadline) and read what it left. */
void bochs_job_finish(struct bochs_job *j);
void bochs_job_cleanup(struct bochs_job *j);
double bochs_now(void);

#endif
