/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running batches in the L1 probe under an emulator or hypervisor process
 * (Bochs for --backend bochs, QEMU for --backend kvm): the disk image, one
 * process per batch with a wall-clock deadline, the results, and the
 * narrowing of a crashed or hung batch down to the case that did it.
 * What differs between Bochs and QEMU is in struct prun_emu.
 */
#ifndef VMXCC_PROBE_RUN_H
#define VMXCC_PROBE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vmxcc/backend.h"
#include "probe_wire.h"

struct prun;
struct prun_job;

/* A command line being built: argv[] points into buf. */
struct prun_argv {
	char *argv[48];
	int argc;
	char buf[4096];
	size_t used;
};

/* Append one argument (printf-style); an overflow is reported at exec. */
void prun_arg(struct prun_argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct prun_emu {
	const char *name;	/* "Bochs", "QEMU": for messages */
	/* Write the job's config files into j->dir and build the command
	 * line; the disk image (j->dir/disk.img) already exists. */
	int (*setup)(const struct prun *r, const struct prun_job *j,
		     struct prun_argv *a, char *err, size_t errlen);
	/* A log line that says why a run ended early (emulator panic or
	 * error message); lines starting with PROBE- always count. */
	bool (*error_line)(const char *line);
	/* With triage: a log line to keep as the current case's text. */
	bool (*triage_line)(const char *line);
	/* Files setup() creates in j->dir, NULL-terminated (cleanup). */
	const char *const *files;
};

/* The shared state of a back end built on the probe. */
struct prun {
	const struct prun_emu *emu;
	void *emu_ctx;		/* the emulator's settings, for setup() */
	char rom[512];
	char tmp[200];		/* per-back-end directory of job directories */
	int jobs;		/* processes at once */
	size_t batch;		/* cases per process run */
	bool triage;		/* per-case markers + emulator log lines */
	bool readback;		/* every field VMREAD after each attempt */
	bool keep;		/* keep job directories */
	double t_boot, t_case;	/* deadline: t_boot + n * t_case seconds */
	double t_stall;		/* a run whose log does not grow that long hangs */
	unsigned long seq;
	struct vmx_profile profile;
	struct probe_result_hdr caps_hdr;	/* supported fields, profile */
	struct vmx_case prep;			/* launch preparation: a baseline */
};

/* The instance of every back end built on the runner: the runner, with
 * the emulator's settings in run.emu_ctx (allocated with it). */
struct vmx_backend {
	struct prun run;
};

/* One process running one batch, in its own directory. */
struct prun_job {
	const struct prun *run;
	char dir[320];		/* per-instance directory: disk, config, log */
	uint32_t mode;		/* enum probe_mode */
	bool triage;
	bool fine;		/* results written every PROBE_FINE_CHUNK cases */
	bool readback;		/* PROBE_FLAG_READBACK */
	const struct vmx_case *prep;
	const struct vmx_case *cases;
	size_t n;
	double timeout;		/* seconds, wall clock */
	double stall;		/* seconds without log growth, 0: no limit */

	/* filled by prun_job_start / prun_job_finish */
	pid_t pid;
	double started;
	uint32_t result_lba;
	bool completed;		/* completion marker seen, results read */
	bool timed_out;
	bool stalled;		/* timed out because the log stopped growing */
	size_t progress;	/* results on disk for cases [0, progress) */
	struct probe_result_hdr rhdr;
	struct probe_result_rec *rec;	/* [n], valid below progress */
	struct probe_readback_rec *rb;	/* [n] with readback, else NULL */
	char **triage_text;	/* [n] or NULL: the emulator's line per case */
	char why[256];		/* when !completed: what happened */
};

/* Bochs' flat-disk geometry wants whole cylinders of 16 heads x 63
 * sectors; QEMU takes any size, so every image is made that way. */
#define PRUN_CYLINDER_BYTES (16ull * 63 * 512)

/* probe_run.c: the back end's side */
/* An instance with a zeroed emulator context of @ctx_size bytes. */
struct vmx_backend *prun_backend_alloc(const struct prun_emu *emu, size_t ctx_size);
/* vmx_backend_ops .profile, .run and .close for such an instance. */
int prun_op_profile(struct vmx_backend *b, struct vmx_profile *p, char *err, size_t errlen);
int prun_op_run(struct vmx_backend *b, const struct vmx_case *cases, size_t n,
		struct vmx_backend_result *res, char *err, size_t errlen);
void prun_op_close(struct vmx_backend *b);
int prun_op_set_readback(struct vmx_backend *b, bool on, char *err, size_t errlen);
/* ROM path, VMXCC_<ENV>_JOBS/_BATCH/_TRIAGE/_KEEP, the temporary directory
 * ("vmxcc-<tag>-XXXXXX" in $TMPDIR). */
int prun_setup(struct prun *r, const char *env, const char *tag,
	       char *err, size_t errlen);
/* Boot the probe once in capture mode; *@h is its result header. */
int prun_capture(struct prun *r, struct probe_result_hdr *h, char *err, size_t errlen);
/* Take the captured profile and supported fields; @name names the profile. */
int prun_adopt_caps(struct prun *r, const struct probe_result_hdr *h,
		    const char *name, char *err, size_t errlen);

/* probe_run_wire.c */
int prun_write_disk(struct prun_job *j, char *err, size_t errlen);
int prun_read_results(struct prun_job *j, char *err, size_t errlen);
void prun_effective(const struct vmx_case *c, const struct probe_result_hdr *h,
		    const struct probe_result_rec *r, struct vmx_case *eff);
/* The text of a result record's skip number ("" for none). */
const char *prun_skip_text(unsigned int skip);

/* probe_run_proc.c */
int prun_job_start(struct prun_job *j, char *err, size_t errlen);
/* Wait for it (SIGKILL at the deadline) and read what it left. */
void prun_job_finish(struct prun_job *j);
void prun_job_cleanup(struct prun_job *j);
/* Guest RAM for the job: the probe reads its whole input to 16 MiB. */
unsigned long prun_guest_megs(const struct prun_job *j);
/* Size of j->dir/disk.img, or -1 with @err. */
long long prun_disk_bytes(const struct prun_job *j, char *err, size_t errlen);

#endif
