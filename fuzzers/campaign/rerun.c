// SPDX-License-Identifier: GPL-2.0
/*
 * Read-back for the campaign's records.  The engines run the bulk of the
 * cases without read-back (the fast path: reading every field back after
 * each attempt costs); a divergence they record is run again, with the
 * others merged in the same second, as one batch with read-back on before
 * it goes into records.jsonl.  The record is then the re-run's: its image
 * judged with the read-back (corrected after a failed attempt), its
 * "readback" member, its signature.  A re-run whose outcome differs from
 * the first run (or that no longer diverges) keeps the first run's record
 * and says so in "unstable": the implementation or the back end is not
 * deterministic on that case, which is a finding of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/record.h"
#include "vmxcc/run.h"
#include "campaign_internal.h"

struct rerun {
	struct vmx_case_file *cf;
	struct vmx_case *cases;
	struct vmx_backend_result *res;
	struct vmx_comparison *cmp;
	size_t *which;		/* index in @recs of each case */
	size_t n;
};

static void set_error(json_t *rec, const char *what)
{
	json_object_set_new(rec, "rerun_error", json_string(what));
}

/* The re-run's record, with the first's time and key. */
static json_t *rebuilt(const struct vmx_backend_inst *bi, json_t *first,
		       const struct vmx_case_file *cf, const struct vmx_backend_result *r,
		       const struct vmx_comparison *cmp)
{
	struct vmx_record_src src = { bi->spec, &bi->profile, cf, &r->effective, cmp, r->text };
	json_t *rec = vmx_record_build(&src);

	vmx_record_set_readback(rec, r, cmp);
	json_object_set(rec, "time", json_object_get(first, "time"));
	json_object_set(rec, "key", json_object_get(first, "key"));
	/* The engine counts executions under the signature it saw. */
	if (!json_equal(json_object_get(rec, "signature"), json_object_get(first, "signature")))
		json_object_set(rec, "first_signature", json_object_get(first, "signature"));
	return rec;
}

static void unstable(json_t *rec, const struct vmx_backend_result *r,
		     const struct vmx_comparison *cmp)
{
	json_t *u = json_object(), *rb = vmx_record_readback(r, cmp);
	char obs[64];

	vmx_outcome_format(obs, sizeof(obs), &r->outcome);
	json_object_set_new(u, "observed", json_string(obs));
	json_object_set_new(u, "agreement", json_string(vmx_agreement_names[cmp->agreement]));
	if (rb)
		json_object_set_new(u, "readback", rb);
	json_object_set_new(rec, "unstable", u);
}

/* Judge re-run @i against its first run, replacing recs[which[i]]. */
static void settle(const struct vmx_backend_inst *bi, json_t **recs, const struct rerun *rr,
		   size_t i)
{
	json_t **rec = &recs[rr->which[i]], *fresh;
	const char *first = json_string_value(json_object_get(*rec, "observed"));
	char obs[64];

	vmx_outcome_format(obs, sizeof(obs), &rr->res[i].outcome);
	if (rr->cmp[i].agreement != VMX_DIVERGE || !first || strcmp(first, obs)) {
		unstable(*rec, &rr->res[i], &rr->cmp[i]);
		return;
	}
	fresh = rebuilt(bi, *rec, &rr->cf[i], &rr->res[i], &rr->cmp[i]);

	json_decref(*rec);
	*rec = fresh;
}

static int alloc(struct rerun *rr, size_t n)
{
	rr->cf = calloc(n, sizeof(*rr->cf));
	rr->cases = calloc(n, sizeof(*rr->cases));
	rr->res = calloc(n, sizeof(*rr->res));
	rr->cmp = calloc(n, sizeof(*rr->cmp));
	rr->which = calloc(n, sizeof(*rr->which));
	return rr->cf && rr->cases && rr->res && rr->cmp && rr->which ? 0 : -1;
}

static void release(struct rerun *rr)
{
	free(rr->cf);
	free(rr->cases);
	free(rr->res);
	free(rr->cmp);
	free(rr->which);
}

void vmxfz_rerun_readback(struct vmx_backend_inst *bi, json_t **recs, size_t n)
{
	struct rerun rr = { 0 };
	char err[1024];

	if (!bi || !n)
		return;
	if (alloc(&rr, n)) {
		for (size_t i = 0; i < n; i++)
			set_error(recs[i], "out of memory for the read-back re-run");
		release(&rr);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *text = json_string_value(json_object_get(recs[i], "case"));

		if (json_object_get(recs[i], "readback") || json_object_get(recs[i], "unstable"))
			continue;	/* an engine that read back already */
		if (!text || vmx_case_parse("record", text, &rr.cf[rr.n], err, sizeof(err))) {
			set_error(recs[i], text ? err : "record without a case");
			continue;
		}
		rr.cases[rr.n] = rr.cf[rr.n].c;
		rr.which[rr.n++] = i;
	}
	if (rr.n && vmx_run_compare(bi, rr.cases, rr.n, rr.res, rr.cmp, err, sizeof(err))) {
		/* Recorded without read-back, saying why: never dropped. */
		fprintf(stderr, "\nvmxcc campaign: read-back re-run: %s\n", err);
		for (size_t i = 0; i < rr.n; i++)
			set_error(recs[rr.which[i]], err);
		rr.n = 0;
	}
	for (size_t i = 0; i < rr.n; i++)
		settle(bi, recs, &rr, i);
	release(&rr);
}
