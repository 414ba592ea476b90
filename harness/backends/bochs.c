// SPDX-License-Identifier: GPL-2.0
/*
 * The Bochs back end: runs cases in the L1 probe under bochs-bin, one
 * process per core, and bisects a batch that crashed or hung down to the
 * case that did it (a VO_BACKEND_ERROR finding for that case).
 *
 *   --backend bochs[:MODEL]    MODEL: a VMX-capable Bochs CPU model,
 *                              tigerlake by default
 * Environment: VMXCC_PROBE (probe ROM), VMXCC_BOCHS (bochs-bin),
 * VMXCC_BOCHS_JOBS (processes), VMXCC_BOCHS_BATCH (cases per process run),
 * VMXCC_BOCHS_TRIAGE=1 (Bochs' own log line per case into .text),
 * VMXCC_BOCHS_KEEP=1 (keep the per-instance directories).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bochs_internal.h"
#include "vmxcc/baseline.h"

#ifndef VMXCC_PROBE_DEFAULT
#define VMXCC_PROBE_DEFAULT "probe.rom"
#endif

#define DEFAULT_MODEL	"tigerlake"
#define MAX_BATCH	100000
#define DEFAULT_BATCH	20000

/* 64-bit Bochs CPU models with VMX (../shared/notes/bochs.md). */
static const char *const vmx_models[] = {
	"tigerlake", "corei7_icelake_u", "corei3_cnl", "corei7_skylake_x",
	"broadwell_ult", "corei7_haswell_4770", "corei7_ivy_bridge_3770k",
	"corei7_sandy_bridge_2600k", "corei5_lynnfield_750",
	"corei5_arrandale_m520", "core2_penryn_t9600",
};

struct vmx_backend {
	char model[64];
	char rom[512];
	char bochs[512];
	char tmp[200];
	int jobs;
	size_t batch;
	bool triage;
	unsigned long seq;
	struct vmx_profile profile;
	struct probe_result_hdr caps_hdr;	/* supported fields, profile */
	struct vmx_case prep;			/* launch preparation: a baseline */
};

static bool known_model(const char *m)
{
	for (size_t i = 0; i < sizeof(vmx_models) / sizeof(vmx_models[0]); i++)
		if (strcmp(vmx_models[i], m) == 0)
			return true;
	return false;
}

static long env_long(const char *name, long def, long lo, long hi)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return def;
	v = strtol(s, &end, 10);
	return (*end || v < lo || v > hi) ? def : v;
}

static void job_init(struct vmx_backend *b, struct bochs_job *j, uint32_t mode,
		     const struct vmx_case *cases, size_t n)
{
	memset(j, 0, sizeof(*j));
	snprintf(j->dir, sizeof(j->dir), "%s/run%lu", b->tmp, b->seq++);
	j->bochs = b->bochs;
	j->rom = b->rom;
	j->model = b->model;
	j->mode = mode;
	j->triage = b->triage;
	j->prep = &b->prep;
	j->cases = cases;
	j->n = n;
	/* boot + I/O take well under a second; a case takes microseconds */
	j->timeout = 2.0 + n * 200e-6;
}

static int job_alloc(struct bochs_job *j, char *err, size_t errlen)
{
	if (mkdir(j->dir, 0700)) {
		snprintf(err, errlen, "%s: %s", j->dir, strerror(errno));
		return -1;
	}
	j->rec = calloc(j->n ? j->n : 1, sizeof(*j->rec));
	j->triage_text = j->triage ? calloc(j->n ? j->n : 1, sizeof(char *)) : NULL;
	if (!j->rec || (j->triage && !j->triage_text)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static void job_free(struct bochs_job *j)
{
	if (j->triage_text)
		for (size_t i = 0; i < j->n; i++)
			free(j->triage_text[i]);
	free(j->triage_text);
	free(j->rec);
	bochs_job_cleanup(j);
}

/* Results of cases [0, j->progress) into @res. */
static void take_results(struct vmx_backend *b, struct bochs_job *j,
			 struct vmx_backend_result *res)
{
	for (size_t i = 0; i < j->progress; i++) {
		const struct probe_result_rec *r = &j->rec[i];
		struct vmx_backend_result *o = &res[i];

		memset(&o->outcome, 0, sizeof(o->outcome));
		o->outcome.kind = r->kind;
		o->outcome.error = r->error;
		o->outcome.reason = r->reason;
		o->outcome.qual = r->qual;
		bochs_effective(&j->cases[i], &b->caps_hdr, r, &o->effective);
		o->text[0] = 0;
		if (r->text[0])
			snprintf(o->text, sizeof(o->text), "%.*s", (int)sizeof(r->text), r->text);
		else if (j->triage_text && j->triage_text[i])
			snprintf(o->text, sizeof(o->text), "%s", j->triage_text[i]);
	}
}

static void backend_error(const struct vmx_case *c, const char *why,
			  struct vmx_backend_result *o)
{
	memset(&o->outcome, 0, sizeof(o->outcome));
	o->outcome.kind = VO_BACKEND_ERROR;
	o->effective = *c;
	snprintf(o->text, sizeof(o->text), "%s", why);
}

static int run_one(struct vmx_backend *b, struct bochs_job *j,
		   struct vmx_backend_result *res, char *err, size_t errlen)
{
	if (job_alloc(j, err, errlen) || bochs_job_start(j, err, errlen))
		return -1;
	bochs_job_finish(j);
	take_results(b, j, res);
	return 0;
}

/* One Bochs run over @n cases; results for what it finished.  Returns
 * -1 on a set-up error, else 0 with *@progress and *@ok filled. */
static int run_once(struct vmx_backend *b, const struct vmx_case *cases, size_t n,
		    bool fine, struct vmx_backend_result *res, size_t *progress,
		    bool *ok, char *why, size_t whylen, char *err, size_t errlen)
{
	struct bochs_job j;
	int rc;

	job_init(b, &j, PROBE_RUN, cases, n);
	j.fine = fine;
	rc = run_one(b, &j, res, err, errlen);
	*progress = j.progress;
	*ok = j.completed || j.progress == n;
	snprintf(why, whylen, "%s", j.why);
	job_free(&j);
	return rc;
}

/*
 * Run cases [0, n) until every case has a result.  A run that crashed or
 * hung left results for its first k cases (k a multiple of PROBE_CHUNK);
 * the culprit is in the next chunk.  Rerun that chunk in fine mode (results
 * every PROBE_FINE_CHUNK cases), then the cases of the sector it stopped in
 * one by one: the one that crashes or hangs alone is the finding.  A crash
 * no single case reproduces (state left by earlier cases) yields results
 * for all of them and the batch goes on.
 */
static int run_range(struct vmx_backend *b, const struct vmx_case *cases, size_t n,
		     bool failed_at_0, struct vmx_backend_result *res,
		     char *err, size_t errlen)
{
	char why[256];

	while (n) {
		size_t k = 0, k2, win, end;
		bool ok = false;

		/* @failed_at_0: the caller's run already stopped before case 0 */
		if (!failed_at_0 &&
		    run_once(b, cases, n, false, res, &k, &ok, why, sizeof(why), err, errlen))
			return -1;
		failed_at_0 = false;
		if (ok)
			return 0;
		win = n - k < PROBE_CHUNK ? n - k : PROBE_CHUNK;
		if (win > 1) {
			if (run_once(b, cases + k, win, true, res + k, &k2, &ok, why,
				     sizeof(why), err, errlen))
				return -1;
			if (ok) {
				k += win;
				goto next;
			}
			k += k2;
		}
		end = k + PROBE_FINE_CHUNK < n ? k + PROBE_FINE_CHUNK : n;
		for (; k < end; k++) {
			size_t one;

			if (run_once(b, cases + k, 1, true, res + k, &one, &ok, why,
				     sizeof(why), err, errlen))
				return -1;
			if (!ok) {
				backend_error(&cases[k], why, &res[k]);
				k++;
				break;
			}
		}
next:
		cases += k;
		res += k;
		n -= k;
	}
	return 0;
}

/* First round: up to b->jobs batches at once; then recover the failed ones. */
static int bochs_run(struct vmx_backend *b, const struct vmx_case *cases, size_t n,
		     struct vmx_backend_result *res, char *err, size_t errlen)
{
	size_t per, done = 0;

	if (!n)
		return 0;
	per = (n + b->jobs - 1) / b->jobs;
	if (per > b->batch)
		per = b->batch;
	while (done < n) {
		struct bochs_job jobs[64];
		int nj = 0, rc = 0;

		for (; nj < b->jobs && nj < 64 && done < n; nj++) {
			size_t cnt = n - done < per ? n - done : per;

			job_init(b, &jobs[nj], PROBE_RUN, cases + done, cnt);
			if (job_alloc(&jobs[nj], err, errlen) ||
			    bochs_job_start(&jobs[nj], err, errlen)) {
				job_free(&jobs[nj]);
				rc = -1;
				break;
			}
			done += cnt;
		}
		for (int i = 0; i < nj; i++) {
			struct bochs_job *j = &jobs[i];
			size_t off = j->cases - cases;

			bochs_job_finish(j);
			take_results(b, j, res + off);
			if (!j->completed && j->progress < j->n && !rc)
				rc = run_range(b, j->cases + j->progress, j->n - j->progress,
					       true, res + off + j->progress, err, errlen);
			job_free(j);
		}
		if (rc)
			return -1;
	}
	return 0;
}

/* Boot the probe once in capture mode: profile and supported fields. */
static int capture(struct vmx_backend *b, char *err, size_t errlen)
{
	struct bochs_job j;
	struct vmx_caps caps;
	int rc = -1;

	job_init(b, &j, PROBE_CAPTURE, NULL, 0);
	j.triage = false;
	if (job_alloc(&j, err, errlen) || bochs_job_start(&j, err, errlen))
		goto out;
	bochs_job_finish(&j);
	if (!j.completed) {
		snprintf(err, errlen, "probe capture on %s failed: %s", b->model, j.why);
		goto out;
	}
	if (j.rhdr.cpu_on_err) {
		snprintf(err, errlen, "not available on this machine: Bochs model %s: VMXON failed (core error %d)",
			 b->model, -j.rhdr.cpu_on_err);
		goto out;
	}
	b->caps_hdr = j.rhdr;
	b->profile = j.rhdr.profile;
	snprintf(b->profile.name, sizeof(b->profile.name), "bochs-%.50s", b->model);
	if (vmx_caps_from_profile(&caps, &b->profile, err, errlen))
		goto out;
	if (vmx_baseline_build(BL_LONG64, &caps, &b->prep)) {
		snprintf(err, errlen, "no long64 baseline for Bochs model %s", b->model);
		goto out;
	}
	rc = 0;
out:
	job_free(&j);
	return rc;
}

static bool executable(const char *p)
{
	return p && access(p, X_OK) == 0;
}

static struct vmx_backend *bochs_open(const char *arg, char *err, size_t errlen)
{
	struct vmx_backend *b = calloc(1, sizeof(*b));
	const char *rom = getenv("VMXCC_PROBE"), *bochs = getenv("VMXCC_BOCHS");
	const char *tmp = getenv("TMPDIR");

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(b->model, sizeof(b->model), "%s", arg && *arg ? arg : DEFAULT_MODEL);
	if (!known_model(b->model)) {
		snprintf(err, errlen, "Bochs CPU model \"%s\" has no VMX (or is unknown)", b->model);
		goto fail;
	}
	snprintf(b->rom, sizeof(b->rom), "%s", rom && *rom ? rom : VMXCC_PROBE_DEFAULT);
	snprintf(b->bochs, sizeof(b->bochs), "%s", bochs && *bochs ? bochs : "/usr/bin/bochs-bin");
	if (!executable(b->bochs)) {
		snprintf(err, errlen, "not available on this machine: no %s (Debian package bochs)", b->bochs);
		goto fail;
	}
	if (access(b->rom, R_OK)) {
		snprintf(err, errlen, "not available on this machine: probe ROM %s: %s (build the project or set VMXCC_PROBE)",
			 b->rom, strerror(errno));
		goto fail;
	}
	snprintf(b->tmp, sizeof(b->tmp), "%s/vmxcc-bochs-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(b->tmp)) {
		snprintf(err, errlen, "%s: %s", b->tmp, strerror(errno));
		goto fail;
	}
	b->jobs = env_long("VMXCC_BOCHS_JOBS", sysconf(_SC_NPROCESSORS_ONLN), 1, 64);
	b->batch = env_long("VMXCC_BOCHS_BATCH", DEFAULT_BATCH, 1, MAX_BATCH);
	b->triage = env_long("VMXCC_BOCHS_TRIAGE", 0, 0, 1);
	if (capture(b, err, errlen)) {
		rmdir(b->tmp);
		goto fail;
	}
	return b;
fail:
	free(b);
	return NULL;
}

static int bochs_profile(struct vmx_backend *b, struct vmx_profile *p, char *err, size_t errlen)
{
	*p = b->profile;
	return 0;
}

static void bochs_close(struct vmx_backend *b)
{
	if (!b)
		return;
	rmdir(b->tmp);
	free(b);
}

const struct vmx_backend_ops vmx_backend_bochs = {
	.name = "bochs",
	.help = "bochs[:MODEL]  the L1 probe under bochs-bin (default model tigerlake)",
	.open = bochs_open,
	.profile = bochs_profile,
	.run = bochs_run,
	.close = bochs_close,
};
