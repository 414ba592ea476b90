// SPDX-License-Identifier: GPL-2.0
/*
 * The differential target: model vs a back end ($VMXFZ_BACKEND, e.g.
 * "bochs" or "kmod").  Check coverage comes from the model at once, so the
 * engine's feedback never waits for the back end; the cases themselves are
 * queued and run on the back end in batches ($VMXFZ_BATCH, default 256;
 * Bochs boots once per batch), and the queue is flushed at exit.
 *
 * Each divergence is written once to $VMXFZ_OUT/records.d/SIG-HASH.json:
 * written to a temporary name, then link()ed to its final name, which
 * fails if it exists.  So the file appears whole or not at all, and the
 * same case found again (a resumed campaign re-runs its corpus) is not
 * recorded twice.  The campaign driver merges records.d into records.jsonl.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmxcc/backend_session.h"
#include "vmxcc/case_compact.h"
#include "vmxcc/record.h"
#include "vmxcc/run.h"
#include "fz_common.h"
#include "mutator.h"

#define MAX_BATCH 4096

static struct vmx_backend_inst bi;
static const char *out_dir;
static size_t batch_max = 256, queued;
static struct vmx_case_file *queue;
static struct vmx_backend_result *res;
static struct vmx_comparison *cmp;

static uint64_t fnv(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

static void write_record(const struct vmx_case_file *cf, size_t i)
{
	struct vmx_record_src src = { bi.spec, &bi.profile, cf, &res[i].effective,
				      &cmp[i], res[i].text };
	char tmp[4096], final[4096], key[40];
	json_t *rec = vmx_record_build(&src);
	FILE *f;

	snprintf(key, sizeof(key), "%016llx-%016llx", (unsigned long long)cmp[i].signature,
		 (unsigned long long)fnv(&cf->c, sizeof(cf->c)));
	json_object_set_new(rec, "key", json_string(key));
	snprintf(final, sizeof(final), "%s/records.d/%s.json", out_dir, key);
	snprintf(tmp, sizeof(tmp), "%s/records.d/.tmp-%d", out_dir, (int)getpid());
	f = fopen(tmp, "w");
	if (!f || json_dumpf(rec, f, JSON_COMPACT | JSON_SORT_KEYS) || fputc('\n', f) < 0 ||
	    fflush(f) || fsync(fileno(f)) || fclose(f)) {
		fprintf(stderr, "fz_diff: %s: %s\n", tmp, strerror(errno));
		abort();
	}
	if (link(tmp, final) && errno != EEXIST) {
		fprintf(stderr, "fz_diff: %s: %s\n", final, strerror(errno));
		abort();
	}
	unlink(tmp);
	json_decref(rec);
}

static void flush(void)
{
	char err[512];

	static struct vmx_case cases[MAX_BATCH];

	if (!queued)
		return;
	for (size_t i = 0; i < queued; i++)
		cases[i] = queue[i].c;
	if (vmx_run_compare(&bi, cases, queued, res, cmp, err, sizeof(err))) {
		/* The back end could not run the batch at all: say so and stop;
		 * a campaign on a broken back end would find nothing. */
		fprintf(stderr, "fz_diff: back end %s: %s\n", bi.spec, err);
		_exit(3);
	}
	for (size_t i = 0; i < queued; i++)
		if (cmp[i].agreement == VMX_DIVERGE)
			write_record(&queue[i], i);
	queued = 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *spec = getenv("VMXFZ_BACKEND"), *batch = getenv("VMXFZ_BATCH");
	char err[512];

	out_dir = getenv("VMXFZ_OUT");
	if (!spec || !out_dir) {
		fprintf(stderr, "fz_diff: set VMXFZ_BACKEND (e.g. bochs) and VMXFZ_OUT (a directory)\n");
		exit(2);
	}
	if (vmx_backend_open_spec(spec, &bi, err, sizeof(err))) {
		fprintf(stderr, "fz_diff: %s\n", err);
		exit(2);
	}
	vmxfz_set_caps(&bi.caps);	/* the mutator works for this profile */
	if (batch)
		batch_max = strtoul(batch, NULL, 0);
	if (batch_max < 1 || batch_max > MAX_BATCH)
		batch_max = 256;
	queue = calloc(batch_max, sizeof(*queue));
	res = calloc(batch_max, sizeof(*res));
	cmp = calloc(batch_max, sizeof(*cmp));
	if (!queue || !res || !cmp) {
		fprintf(stderr, "fz_diff: out of memory\n");
		exit(2);
	}
	atexit(flush);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmx_case_file *cf = &queue[queued];
	struct vmx_verdict v;

	memset(cf, 0, sizeof(*cf));
	cf->caps = bi.caps;
	strncpy(cf->profile_name, bi.profile.name, sizeof(cf->profile_name) - 1);
	vmx_compact_decode(data, size, &bi.caps, &cf->c, &cf->baseline);
	vmx_model_eval(&bi.caps, &cf->c, &v);
	vmxfz_cov_report(&v);
	if (++queued == batch_max)
		flush();
	return 0;
}
