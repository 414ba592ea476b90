// SPDX-License-Identifier: GPL-2.0
/*
 * Known deviations of a back end from the SDM (corpora/known-deviations/
 * NAME.txt, docs/known-deviations.md), read by the harness's loader.  A
 * divergence the list explains (deviations_explain: the model allows the
 * observed outcome with the listed checks not performed, or a listed check
 * it fails names that outcome) is tagged "known", so a campaign shows new
 * divergences first.  The record carries all it takes: the case, the
 * fields the back end changed (effective image) and the observed outcome.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmxcc/case_file.h"
#include "vmxcc/record.h"
#include "campaign_internal.h"

void vmxfz_known_default(const char *spec, char *path, size_t len)
{
	size_t n = strcspn(spec, ":");

	snprintf(path, len, "%s/corpora/known-deviations/%.*s.txt", VMXFZ_TOP, (int)n, spec);
}

int vmxfz_known_load(struct vmxfz_known *k, const char *path, char *err, size_t errlen)
{
	k->path[0] = 0;
	k->d = NULL;
	if (!path || !*path || access(path, F_OK))
		return 0;	/* a back end without a list: nothing is known */
	k->d = calloc(1, sizeof(*k->d));
	if (!k->d) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	if (deviations_load(k->d, path, err, errlen)) {
		free(k->d);
		k->d = NULL;
		return -1;
	}
	snprintf(k->path, sizeof(k->path), "%s", path);
	return 0;
}

/* The image the model judged: the record's case with its
 * "effective_diff", corrected by its read-back after a failed attempt. */
static int record_effective(json_t *rec, struct vmx_case_file *cf)
{
	const char *text = json_string_value(json_object_get(rec, "case"));
	char err[512];
	const char *name;
	json_t *v;

	if (!text || vmx_case_parse("record", text, cf, err, sizeof(err)))
		return -1;
	json_object_foreach(json_object_get(rec, "effective_diff"), name, v) {
		int f = vmx_field_by_name(name);

		if (f < 0 || !json_string_value(v))
			return -1;
		cf->c.f[f] = strtoull(json_string_value(v), NULL, 0);
	}
	return vmx_record_judged_image(rec, &cf->c, err, sizeof(err));
}

/* A field read back other than written is no check's deviation. */
static bool readback_finding(json_t *rec)
{
	return json_array_size(json_object_get(json_object_get(rec, "readback"), "unexpected")) > 0;
}

void vmxfz_outcome_kind(const char *observed, char *kind, size_t len)
{
	size_t n = strcspn(observed, "(,");

	if (strncmp(observed, "entered", 7) == 0)
		snprintf(kind, len, "entered");
	else if (observed[n] == '(' && strchr(observed + n, ','))
		snprintf(kind, len, "%.*s)", (int)strcspn(observed, ","), observed);
	else
		snprintf(kind, len, "%s", observed);
}

/* "CHECK CHECK|kind": the listed checks the case fails (or may fail), in
 * the list's order, as `vmxcc replay --known` reports them. */
static void group_key(const struct deviations *d, const struct vmx_verdict *v,
		      const struct vmx_outcome *obs, char *key, size_t len)
{
	char text[64], kind[64];
	size_t used = 0;

	key[0] = 0;
	for (int i = 0; i < d->n && used < len; i++) {
		int id = d->e[i].check;

		if ((v->failed[id / 64] | v->uncertain[id / 64]) >> (id % 64) & 1)
			used += snprintf(key + used, len - used, "%s%s", used ? " " : "",
					 vmx_checks[id].id);
	}
	vmx_outcome_format(text, sizeof(text), obs);
	vmxfz_outcome_kind(text, kind, sizeof(kind));
	if (used < len)
		snprintf(key + used, len - used, "|%s", kind);
}

bool vmxfz_known_explain(const struct vmxfz_known *k, const struct vmx_caps *caps,
			 const struct vmx_case *eff, const struct vmx_outcome *obs,
			 char *key, size_t len)
{
	struct vmx_verdict v;

	if (!k->d || !k->d->n || !deviations_explain(k->d, caps, eff, obs))
		return false;
	vmx_model_eval(caps, eff, &v);
	group_key(k->d, &v, obs, key, len);
	return true;
}

bool vmxfz_known_record(const struct vmxfz_known *k, json_t *rec, char *key, size_t len)
{
	static struct vmx_case_file cf;
	const char *obs = json_string_value(json_object_get(rec, "observed"));
	struct vmx_outcome o;
	json_t *ids;
	char *save, *tok, checks[VMXFZ_KEY_LEN];

	if (!k->d || !k->d->n || !obs || vmx_outcome_parse(obs, &o) || readback_finding(rec) ||
	    record_effective(rec, &cf) ||
	    !vmxfz_known_explain(k, &cf.caps, &cf.c, &o, key, len))
		return false;
	ids = json_array();
	snprintf(checks, sizeof(checks), "%.*s", (int)strcspn(key, "|"), key);
	for (tok = strtok_r(checks, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		json_array_append_new(ids, json_string(tok));
	json_object_set_new(rec, "known", json_true());
	json_object_set_new(rec, "known_checks", ids);
	return true;
}
