// SPDX-License-Identifier: GPL-2.0
/*
 * Known-deviations files.  corpora/known-deviations/<backend>.txt: entries
 * separated by blank lines,
 *   kind:  skip | stricter      optional, skip by default
 *   check: <check id>           the check the back end mishandles
 *   rule:  <rule id>            the implementation rule
 *                               (vmxcc/impl_rules.h) for that check: one
 *                               that rejects (kind stricter, required) or
 *                               one that narrows a skip to the cases it
 *                               covers (kind skip, optional)
 *   sdm:   <SDM reasoning>      what the SDM requires
 *   impl:  <why it is wrong>    what the implementation does instead
 *   observed: <outcome set>     kind skip only, optional: the outcomes it
 *                               reports instead, when it does not simply
 *                               skip the check
 * Lines starting with '#' are comments.  check, sdm and impl are required.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/arch.h"
#include "vmxcc/deviations.h"

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

/* Lines of the keys whose consistency is checked when the entry ends. */
struct entry_lines {
	int kind, rule, observed;
};

static int entry_error(char *err, size_t errlen, const char *file, int line,
		       const char *what)
{
	snprintf(err, errlen, "%s:%d: %s", file, line, what);
	return -1;
}

/* An entry's rule concerns its check and is of its kind; a stricter entry
 * has one, and nothing it reports instead: the rejection's outcome follows
 * from the check. */
static int consistent(const struct deviation *cur, const struct entry_lines *at,
		      const char *file, char *err, size_t errlen)
{
	bool stricter = cur->kind == DEV_STRICTER;
	char what[160];

	if (stricter && !cur->rule)
		return entry_error(err, errlen, file, at->kind, "kind: stricter needs rule");
	if (stricter && cur->observed.n)
		return entry_error(err, errlen, file, at->observed,
				   "observed: not with kind: stricter (the rule's check "
				   "gives the outcome)");
	if (!cur->rule)
		return 0;
	if (stricter != (cur->rule->kind == VMX_RULE_REJECTS)) {
		snprintf(what, sizeof(what), "rule: %s %s, not with kind: %s", cur->rule->id,
			 stricter ? "skips" : "rejects", stricter ? "stricter" : "skip");
		return entry_error(err, errlen, file, at->rule, what);
	}
	if ((int)cur->rule->check != cur->check) {
		snprintf(what, sizeof(what), "rule: %s concerns %s, not %s", cur->rule->id,
			 vmx_checks[cur->rule->check].id, vmx_checks[cur->check].id);
		return entry_error(err, errlen, file, at->rule, what);
	}
	return 0;
}

static int finish(struct deviations *d, struct deviation *cur, struct entry_lines *at,
		  const char *file, int line, char *err, size_t errlen)
{
	if (cur->check < 0 && !cur->sdm[0] && !cur->impl[0] && !cur->rule && !at->kind)
		return 0;
	if (cur->check < 0 || !cur->sdm[0] || !cur->impl[0])
		return entry_error(err, errlen, file, line, "entry needs check, sdm and impl");
	if (consistent(cur, at, file, err, errlen))
		return -1;
	if (d->n == DEVIATIONS_MAX) {
		snprintf(err, errlen, "%s:%d: more than %d entries", file, line, DEVIATIONS_MAX);
		return -1;
	}
	/* Only a skipped check is "not performed"; a stricter one is, and
	 * a narrowed skip only on some cases (deviations_explain). */
	if (cur->kind == DEV_SKIP && !cur->rule)
		d->ignore[cur->check / 64] |= 1ull << (cur->check % 64);
	d->e[d->n++] = *cur;
	memset(cur, 0, sizeof(*cur));
	memset(at, 0, sizeof(*at));
	cur->check = -1;
	return 0;
}

/* A text value, whole or an error: a cut reasoning would read as complete. */
static int text(char *dst, size_t len, const char *key, const char *val, const char *file,
		int line, char *err, size_t errlen)
{
	if (strlen(val) >= len) {
		snprintf(err, errlen, "%s:%d: %s: longer than %zu characters", file, line, key,
			 len - 1);
		return -1;
	}
	memcpy(dst, val, strlen(val) + 1);
	return 0;
}

/* One "key: value" line into @cur; -1 with @err on a bad key or value. */
static int parse_key(struct deviation *cur, struct entry_lines *at, const char *key,
		     const char *val, const char *file, int line, char *err, size_t errlen)
{
	if (!strcmp(key, "check")) {
		cur->check = vmx_check_by_name(val);
		if (cur->check < 0) {
			snprintf(err, errlen, "%s:%d: check: unknown check id \"%s\"",
				 file, line, val);
			return -1;
		}
	} else if (!strcmp(key, "kind")) {
		at->kind = line;
		if (!strcmp(val, "skip"))
			cur->kind = DEV_SKIP;
		else if (!strcmp(val, "stricter"))
			cur->kind = DEV_STRICTER;
		else
			return entry_error(err, errlen, file, line,
					   "kind: expected skip or stricter");
	} else if (!strcmp(key, "rule")) {
		at->rule = line;
		cur->rule = vmx_impl_rule_by_name(val);
		if (!cur->rule) {
			snprintf(err, errlen, "%s:%d: rule: unknown rule \"%s\"",
				 file, line, val);
			return -1;
		}
	} else if (!strcmp(key, "sdm")) {
		return text(cur->sdm, sizeof(cur->sdm), key, val, file, line, err, errlen);
	} else if (!strcmp(key, "impl")) {
		return text(cur->impl, sizeof(cur->impl), key, val, file, line, err, errlen);
	} else if (!strcmp(key, "observed")) {
		at->observed = line;
		if (vmx_outcome_set_parse(val, &cur->observed)) {
			snprintf(err, errlen, "%s:%d: observed: not an outcome set "
				 "(e.g. {vmfail(7)}): \"%s\"", file, line, val);
			return -1;
		}
	} else {
		snprintf(err, errlen, "%s:%d: unknown key \"%s\"", file, line, key);
		return -1;
	}
	return 0;
}

int deviations_load(struct deviations *d, const char *file, char *err, size_t errlen)
{
	struct deviation cur = { .check = -1 };
	struct entry_lines at = { 0 };
	char buf[2048];
	int line = 0;
	FILE *f = fopen(file, "r");

	memset(d, 0, sizeof(*d));
	if (!f) {
		snprintf(err, errlen, "%s: cannot open", file);
		return -1;
	}
	while (fgets(buf, sizeof(buf), f)) {
		char *s = trim(buf), *colon;

		line++;
		if (*s == '#')
			continue;
		if (!*s) {
			if (finish(d, &cur, &at, file, line, err, errlen))
				goto fail;
			continue;
		}
		colon = strchr(s, ':');
		if (!colon) {
			snprintf(err, errlen, "%s:%d: expected \"key: value\"", file, line);
			goto fail;
		}
		*colon = 0;
		if (parse_key(&cur, &at, s, trim(colon + 1), file, line, err, errlen))
			goto fail;
	}
	fclose(f);
	return finish(d, &cur, &at, file, line, err, errlen);
fail:
	fclose(f);
	return -1;
}

const struct deviation *deviations_find(const struct deviations *d, int check)
{
	for (int i = 0; i < d->n; i++)
		if (d->e[i].check == check)
			return &d->e[i];
	return NULL;
}

#ifndef VMXCC_KNOWN_DIR
#define VMXCC_KNOWN_DIR "corpora/known-deviations"
#endif

void deviations_default_path(const char *backend_spec, char *path, size_t len)
{
	size_t n = strcspn(backend_spec, ":");

	snprintf(path, len, "%s/%.*s.txt", VMXCC_KNOWN_DIR, (int)n, backend_spec);
}

/* Where in VM entry a check decides the outcome (SDM 26, in order). */
enum stage { ST_BASIC, ST_CTRL_HOST, ST_GUEST, ST_MSR };

static int stage_of(int check)
{
	switch (vmx_checks[check].cls) {
	case CLS_BASIC:
		return ST_BASIC;
	case CLS_CTRL:
	case CLS_HOST:
		return ST_CTRL_HOST;
	case CLS_GUEST:
		return ST_GUEST;
	default:
		return ST_MSR;
	}
}

/*
 * Where a rejection by a rule tightening @check at @at happens, as one
 * ordered number: the stage, then within it the order the SDM fixes (the
 * basic checks in catalogue order, MSR-load entries by number; controls,
 * host and guest state are not ordered).
 */
static int64_t position(int check, int64_t at)
{
	int stage = stage_of(check);
	int64_t within = stage == ST_BASIC ? check : stage == ST_MSR ? at : 0;

	return ((int64_t)stage << 40) + within;
}

/* The outcome of a rejection: that of the tightened check failing. */
static struct vmx_outcome rejection(int check, int64_t at)
{
	const struct vmx_check_info *ci = &vmx_checks[check];

	switch (ci->cls) {
	case CLS_BASIC:
		return ci->qual ? vo_vmfail(ci->qual) : vo_vmfail_invalid();
	case CLS_CTRL:
		return vo_vmfail(VMXERR_ENTRY_INVALID_CONTROL_FIELD);
	case CLS_HOST:
		return vo_vmfail(VMXERR_ENTRY_INVALID_HOST_STATE_FIELD);
	case CLS_GUEST:
		return vo_entry_fail(EXIT_REASON_INVALID_GUEST_STATE, ci->qual);
	default:
		return vo_entry_fail(EXIT_REASON_MSR_LOAD_FAIL, (uint64_t)at + 1);
	}
}

/* Does a failure of @id decide the outcome before a rejection by a rule
 * tightening @check?  Stages go in order; within one, only the basic
 * checks have an order (the catalogue's). */
static bool decides_before(int id, int check)
{
	int stage = stage_of(check);

	return stage_of(id) < stage || (stage == ST_BASIC && stage_of(id) == ST_BASIC && id < check);
}

/*
 * Does VM entry get to the point of @check's rule rejecting at @at?  Only if
 * no failing check decides the outcome before, skipped checks aside (@v is
 * the verdict with them not performed), and for an MSR-load rule the walk
 * reaches entry @at.
 */
static bool reaches(const struct vmx_verdict *v, const uint64_t *ignore, int check,
		    int64_t at)
{
	for (int w = 0; w < VMX_CHECK_WORDS; w++) {
		uint64_t bits = v->failed[w] & ~ignore[w];

		while (bits) {
			if (decides_before(w * 64 + __builtin_ctzll(bits), check))
				return false;
			bits &= bits - 1;
		}
	}
	return stage_of(check) != ST_MSR || v->msr_fail_entry < 0 || v->msr_fail_entry >= at;
}

/* Is @observed the rejection by the first stricter rule that rejects? */
static bool stricter_explains(const struct deviations *d, const struct vmx_caps *caps,
			      const struct vmx_case *c, const struct vmx_verdict *v,
			      const uint64_t *ignore, const struct vmx_outcome *observed)
{
	int64_t at[DEVIATIONS_MAX], first = INT64_MAX;
	struct vmx_outcome_set one;

	for (int i = 0; i < d->n; i++) {
		const struct deviation *e = &d->e[i];

		at[i] = e->kind == DEV_STRICTER ? e->rule->applies(caps, c) : -1;
		if (at[i] >= 0 && position(e->check, at[i]) < first)
			first = position(e->check, at[i]);
	}
	for (int i = 0; i < d->n; i++) {
		int check = d->e[i].check;

		if (at[i] < 0 || position(check, at[i]) != first ||
		    !reaches(v, ignore, check, at[i]))
			continue;
		vmx_outcome_set_clear(&one);
		vmx_outcome_set_add(&one, rejection(check, at[i]));
		if (vmx_outcome_set_allows(&one, observed))
			return true;
	}
	return false;
}

/* What an MSR-load entry a skip rule covers becomes for the model: an
 * entry it loads whatever the profile (STAR takes every value,
 * checks_msr_load.c wrmsr()), so the walk goes on past it. */
static const struct vmx_msr_entry loaded = { MSR_STAR, 0, 0 };

/*
 * The case as the implementation treats it, and the checks it does not
 * perform on it: the skip entries' checks, a narrowed one's only where its
 * rule covers the case.  An MSR-load check cannot be "not performed" (the
 * walk stops at the first failing entry), so there the entries the rule
 * covers are replaced by ones the model loads.  Returns @c or @copy.
 */
const struct vmx_case *deviations_as_treated(const struct deviations *d,
					     const struct vmx_caps *caps,
					     const struct vmx_case *c, struct vmx_case *copy,
					     uint64_t ignore[VMX_CHECK_WORDS])
{
	const struct vmx_case *cur = c;

	memcpy(ignore, d->ignore, VMX_CHECK_WORDS * sizeof(ignore[0]));
	for (int i = 0; i < d->n; i++) {
		const struct deviation *e = &d->e[i];
		int64_t at;

		if (e->kind != DEV_SKIP || !e->rule)
			continue;
		if (vmx_checks[e->check].cls != CLS_MSR) {
			if (e->rule->applies(caps, c) >= 0)
				ignore[e->check / 64] |= 1ull << (e->check % 64);
			continue;
		}
		/* Each pass replaces the first covered entry left. */
		for (uint32_t n = 0; n < c->n_msr_load; n++) {
			at = e->rule->applies(caps, cur);
			if (at < 0 || at >= cur->n_msr_load)
				break;
			if (cur == c) {
				*copy = *c;
				cur = copy;
			}
			copy->msr_load[at] = loaded;
		}
	}
	return cur;
}

bool deviations_explain(const struct deviations *d, const struct vmx_caps *caps,
			const struct vmx_case *effective, const struct vmx_outcome *observed)
{
	uint64_t ignore[VMX_CHECK_WORDS];
	struct vmx_case copy;
	const struct vmx_case *c;
	struct vmx_verdict v;

	if (d->n == 0)
		return false;
	c = deviations_as_treated(d, caps, effective, &copy, ignore);
	vmx_model_eval_except(caps, c, ignore, &v);
	if (vmx_outcome_set_allows(&v.allowed, observed))
		return true;
	/* v still lists every failing check, ignored ones included. */
	for (int i = 0; i < d->n; i++) {
		int id = d->e[i].check;
		uint64_t bit = 1ull << (id % 64);

		if (d->e[i].kind == DEV_SKIP && d->e[i].observed.n &&
		    ((v.failed[id / 64] | v.uncertain[id / 64]) & bit) &&
		    (!d->e[i].rule || d->e[i].rule->applies(caps, c) >= 0) &&
		    vmx_outcome_set_allows(&d->e[i].observed, observed))
			return true;
	}
	return stricter_explains(d, caps, c, &v, ignore, observed);
}

void deviations_involved(const struct deviations *d, const struct vmx_caps *caps,
			 const struct vmx_case *effective, uint64_t out[VMX_CHECK_WORDS])
{
	struct vmx_verdict v;

	memset(out, 0, VMX_CHECK_WORDS * sizeof(out[0]));
	vmx_model_eval(caps, effective, &v);
	for (int i = 0; i < d->n; i++) {
		const struct deviation *e = &d->e[i];
		int id = e->check;
		bool covered = !e->rule || e->rule->applies(caps, effective) >= 0;
		bool speaks;

		if (e->kind == DEV_STRICTER)
			speaks = covered;
		else
			speaks = covered &&
				 (((v.failed[id / 64] | v.uncertain[id / 64]) >> (id % 64)) & 1);
		if (speaks)
			out[id / 64] |= 1ull << (id % 64);
	}
}
