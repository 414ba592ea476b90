// SPDX-License-Identifier: GPL-2.0
/*
 * Batches in the L1 probe: split a batch over processes, collect results,
 * and bisect a batch that crashed or hung down to the case that did it (a
 * VO_BACKEND_ERROR finding for that case).  The emulator (Bochs or QEMU)
 * is behind struct prun_emu.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe_run.h"
#include "vmxcc/baseline.h"

#ifndef VMXCC_PROBE_DEFAULT
#define VMXCC_PROBE_DEFAULT "probe.rom"
#endif

#define MAX_BATCH	100000
#define DEFAULT_BATCH	50000
#define MAX_JOBS	64

static long env_long(const char *env, const char *knob, long def, long lo, long hi)
{
	char name[64];
	const char *s;
	char *end;
	long v;

	snprintf(name, sizeof(name), "VMXCC_%s_%s", env, knob);
	s = getenv(name);
	if (!s || !*s)
		return def;
	v = strtol(s, &end, 10);
	return (*end || v < lo || v > hi) ? def : v;
}

int prun_setup(struct prun *r, const char *env, const char *tag,
	       char *err, size_t errlen)
{
	const char *rom = getenv("VMXCC_PROBE"), *tmp = getenv("TMPDIR");

	snprintf(r->rom, sizeof(r->rom), "%s", rom && *rom ? rom : VMXCC_PROBE_DEFAULT);
	if (access(r->rom, R_OK)) {
		snprintf(err, errlen, "not available on this machine: probe ROM %s: %s (build the project or set VMXCC_PROBE)",
			 r->rom, strerror(errno));
		return -1;
	}
	r->jobs = env_long(env, "JOBS", sysconf(_SC_NPROCESSORS_ONLN), 1, MAX_JOBS);
	r->batch = env_long(env, "BATCH", DEFAULT_BATCH, 1, MAX_BATCH);
	r->triage = env_long(env, "TRIAGE", 0, 0, 1);
	r->keep = env_long(env, "KEEP", 0, 0, 1);
	/* milliseconds without progress before a run counts as hung; 0: off */
	r->t_stall = env_long(env, "STALL_MS", r->t_stall * 1000, 0, 3600000) / 1000.0;
	snprintf(r->tmp, sizeof(r->tmp), "%s/vmxcc-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
	if (!mkdtemp(r->tmp)) {
		snprintf(err, errlen, "%s: %s", r->tmp, strerror(errno));
		r->tmp[0] = 0;
		return -1;
	}
	return 0;
}

struct vmx_backend *prun_backend_alloc(const struct prun_emu *emu, size_t ctx_size)
{
	struct vmx_backend *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->run.emu = emu;
	b->run.emu_ctx = calloc(1, ctx_size);
	if (!b->run.emu_ctx) {
		free(b);
		return NULL;
	}
	return b;
}

void prun_op_close(struct vmx_backend *b)
{
	if (!b)
		return;
	if (b->run.tmp[0] && !b->run.keep)
		rmdir(b->run.tmp);
	free(b->run.emu_ctx);
	free(b);
}

int prun_op_set_readback(struct vmx_backend *b, bool on, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	b->run.readback = on;
	return 0;
}

int prun_op_profile(struct vmx_backend *b, struct vmx_profile *p, char *err, size_t errlen)
{
	*p = b->run.profile;
	return 0;
}

static void job_init(struct prun *r, struct prun_job *j, uint32_t mode,
		     const struct vmx_case *cases, size_t n)
{
	memset(j, 0, sizeof(*j));
	j->run = r;
	snprintf(j->dir, sizeof(j->dir), "%s/run%lu", r->tmp, r->seq++);
	j->mode = mode;
	j->triage = r->triage;
	j->readback = r->readback && mode == PROBE_RUN;
	j->prep = &r->prep;
	j->cases = cases;
	j->n = n;
	j->timeout = r->t_boot + n * r->t_case;
	j->stall = r->t_stall;
}

static int job_alloc(struct prun_job *j, char *err, size_t errlen)
{
	if (mkdir(j->dir, 0700)) {
		snprintf(err, errlen, "%s: %s", j->dir, strerror(errno));
		return -1;
	}
	j->rec = calloc(j->n ? j->n : 1, sizeof(*j->rec));
	j->rb = j->readback ? calloc(j->n ? j->n : 1, sizeof(*j->rb)) : NULL;
	j->triage_text = j->triage ? calloc(j->n ? j->n : 1, sizeof(char *)) : NULL;
	if (!j->rec || (j->readback && !j->rb) || (j->triage && !j->triage_text)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static void job_free(struct prun_job *j)
{
	if (j->triage_text)
		for (size_t i = 0; i < j->n; i++)
			free(j->triage_text[i]);
	free(j->triage_text);
	free(j->rec);
	free(j->rb);
	prun_job_cleanup(j);
}

/* The probe's read-back of case @i, when it made one. */
static void take_readback(const struct prun_job *j, size_t i, struct vmx_backend_result *o)
{
	const struct probe_readback_rec *rb = j->rb ? &j->rb[i] : NULL;
	uint64_t any = 0;

	/* Without read-back the arrays stay untouched: 1.5 KiB per case
	 * would cost more than the case itself. */
	o->have_readback = false;
	if (!rb)
		return;
	memset(o->readback, 0, sizeof(o->readback));
	for (int w = 0; w < VMX_READBACK_WORDS; w++) {
		o->readback_valid[w] = rb->valid[w];
		any |= rb->valid[w];
	}
	if (VF_COUNT % 64)
		o->readback_valid[VMX_READBACK_WORDS - 1] &= (1ull << (VF_COUNT % 64)) - 1;
	for (int f = 0; f < VF_COUNT; f++)
		if ((o->readback_valid[f / 64] >> (f % 64)) & 1)
			o->readback[f] = rb->value[f];
	o->have_readback = any != 0;
}

/* Results of cases [0, j->progress) into @res. */
static void take_results(struct prun *r, struct prun_job *j,
			 struct vmx_backend_result *res)
{
	for (size_t i = 0; i < j->progress; i++) {
		const struct probe_result_rec *p = &j->rec[i];
		struct vmx_backend_result *o = &res[i];

		memset(&o->outcome, 0, sizeof(o->outcome));
		o->outcome.kind = p->kind;
		o->outcome.error = p->error;
		o->outcome.reason = p->reason;
		o->outcome.qual = p->qual;
		prun_effective(&j->cases[i], &r->caps_hdr, p, &o->effective);
		o->text[0] = 0;
		if (p->skip)
			snprintf(o->text, sizeof(o->text), "%s", prun_skip_text(p->skip));
		else if (j->triage_text && j->triage_text[i])
			snprintf(o->text, sizeof(o->text), "%s", j->triage_text[i]);
		take_readback(j, i, o);
	}
}

static void backend_error(const struct vmx_case *c, const char *why,
			  struct vmx_backend_result *o)
{
	memset(&o->outcome, 0, sizeof(o->outcome));
	o->outcome.kind = VO_BACKEND_ERROR;
	o->effective = *c;
	o->have_readback = false;
	snprintf(o->text, sizeof(o->text), "%s", why);
}

/* One run over @n cases; results for what it finished.  Returns -1 on a
 * set-up error, else 0 with *@progress and *@ok filled. */
static int run_once(struct prun *r, const struct vmx_case *cases, size_t n,
		    bool fine, struct vmx_backend_result *res, size_t *progress,
		    bool *ok, char *why, size_t whylen, char *err, size_t errlen)
{
	struct prun_job j;
	int rc = -1;

	job_init(r, &j, PROBE_RUN, cases, n);
	j.fine = fine;
	if (!job_alloc(&j, err, errlen) && !prun_job_start(&j, err, errlen)) {
		prun_job_finish(&j);
		take_results(r, &j, res);
		rc = 0;
	}
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
static int run_range(struct prun *r, const struct vmx_case *cases, size_t n,
		     bool failed_at_0, struct vmx_backend_result *res,
		     char *err, size_t errlen)
{
	char why[256];

	while (n) {
		size_t k = 0, k2, win, end;
		bool ok = false;

		/* @failed_at_0: the caller's run already stopped before case 0 */
		if (!failed_at_0 &&
		    run_once(r, cases, n, false, res, &k, &ok, why, sizeof(why), err, errlen))
			return -1;
		failed_at_0 = false;
		if (ok)
			return 0;
		win = n - k < PROBE_CHUNK ? n - k : PROBE_CHUNK;
		if (win > 1) {
			if (run_once(r, cases + k, win, true, res + k, &k2, &ok, why,
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

			if (run_once(r, cases + k, 1, true, res + k, &one, &ok, why,
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

/* First round: up to r->jobs batches at once; then recover the failed ones. */
int prun_op_run(struct vmx_backend *b, const struct vmx_case *cases, size_t n,
		struct vmx_backend_result *res, char *err, size_t errlen)
{
	struct prun *r = &b->run;
	size_t per, done = 0;

	if (!n)
		return 0;
	per = (n + r->jobs - 1) / r->jobs;
	if (per > r->batch)
		per = r->batch;
	while (done < n) {
		struct prun_job jobs[MAX_JOBS];
		int nj = 0, rc = 0;

		for (; nj < r->jobs && nj < MAX_JOBS && done < n; nj++) {
			size_t cnt = n - done < per ? n - done : per;

			job_init(r, &jobs[nj], PROBE_RUN, cases + done, cnt);
			if (job_alloc(&jobs[nj], err, errlen) ||
			    prun_job_start(&jobs[nj], err, errlen)) {
				job_free(&jobs[nj]);
				rc = -1;
				break;
			}
			done += cnt;
		}
		for (int i = 0; i < nj; i++) {
			struct prun_job *j = &jobs[i];
			size_t off = j->cases - cases;

			prun_job_finish(j);
			take_results(r, j, res + off);
			if (!j->completed && j->progress < j->n && !rc)
				rc = run_range(r, j->cases + j->progress, j->n - j->progress,
					       true, res + off + j->progress, err, errlen);
			job_free(j);
		}
		if (rc)
			return -1;
	}
	return 0;
}

int prun_capture(struct prun *r, struct probe_result_hdr *h, char *err, size_t errlen)
{
	struct prun_job j;
	int rc = -1;

	job_init(r, &j, PROBE_CAPTURE, NULL, 0);
	j.triage = false;
	if (job_alloc(&j, err, errlen) || prun_job_start(&j, err, errlen))
		goto out;
	prun_job_finish(&j);
	if (!j.completed) {
		snprintf(err, errlen, "probe capture under %s failed: %s", r->emu->name, j.why);
		goto out;
	}
	*h = j.rhdr;
	rc = 0;
out:
	job_free(&j);
	return rc;
}

int prun_adopt_caps(struct prun *r, const struct probe_result_hdr *h,
		    const char *name, char *err, size_t errlen)
{
	struct vmx_caps caps;

	r->caps_hdr = *h;
	r->profile = h->profile;
	snprintf(r->profile.name, sizeof(r->profile.name), "%s", name);
	if (vmx_caps_from_profile(&caps, &r->profile, err, errlen))
		return -1;
	if (vmx_baseline_build(BL_LONG64, &caps, &r->prep)) {
		snprintf(err, errlen, "no long64 baseline for %s", name);
		return -1;
	}
	return 0;
}
