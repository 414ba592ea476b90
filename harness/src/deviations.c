// SPDX-License-Identifier: GPL-2.0
/*
 * Known-deviations files.  corpora/known-deviations/<backend>.txt: entries
 * separated by blank lines,
 *   check: <check id>           the check whose violation the back end mishandles
 *   sdm:   <SDM reasoning>      what the SDM requires
 *   impl:  <why it is wrong>    what the implementation does instead
 *   observed: <outcome set>     optional: the outcomes it reports instead,
 *                               when it does not simply skip the check
 * Lines starting with '#' are comments.  check, sdm and impl are required.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int finish(struct deviations *d, struct deviation *cur, const char *file,
		  int line, char *err, size_t errlen)
{
	if (cur->check < 0 && !cur->sdm[0] && !cur->impl[0])
		return 0;
	if (cur->check < 0 || !cur->sdm[0] || !cur->impl[0]) {
		snprintf(err, errlen, "%s:%d: entry needs check, sdm and impl", file, line);
		return -1;
	}
	if (d->n == DEVIATIONS_MAX) {
		snprintf(err, errlen, "%s:%d: more than %d entries", file, line, DEVIATIONS_MAX);
		return -1;
	}
	d->ignore[cur->check / 64] |= 1ull << (cur->check % 64);
	d->e[d->n++] = *cur;
	memset(cur, 0, sizeof(*cur));
	cur->check = -1;
	return 0;
}

int deviations_load(struct deviations *d, const char *file, char *err, size_t errlen)
{
	struct deviation cur = { .check = -1 };
	char buf[2048];
	int line = 0;
	FILE *f = fopen(file, "r");

	memset(d, 0, sizeof(*d));
	if (!f) {
		snprintf(err, errlen, "%s: cannot open", file);
		return -1;
	}
	while (fgets(buf, sizeof(buf), f)) {
		char *s = trim(buf), *colon, *val;

		line++;
		if (*s == '#')
			continue;
		if (!*s) {
			if (finish(d, &cur, file, line, err, errlen))
				goto fail;
			continue;
		}
		colon = strchr(s, ':');
		if (!colon) {
			snprintf(err, errlen, "%s:%d: expected \"key: value\"", file, line);
			goto fail;
		}
		*colon = 0;
		val = trim(colon + 1);
		if (!strcmp(s, "check")) {
			cur.check = vmx_check_by_name(val);
			if (cur.check < 0) {
				snprintf(err, errlen, "%s:%d: check: unknown check id \"%s\"",
					 file, line, val);
				goto fail;
			}
		} else if (!strcmp(s, "sdm")) {
			snprintf(cur.sdm, sizeof(cur.sdm), "%s", val);
		} else if (!strcmp(s, "impl")) {
			snprintf(cur.impl, sizeof(cur.impl), "%s", val);
		} else if (!strcmp(s, "observed")) {
			if (vmx_outcome_set_parse(val, &cur.observed)) {
				snprintf(err, errlen, "%s:%d: observed: not an outcome set "
					 "(e.g. {vmfail(7)}): \"%s\"", file, line, val);
				goto fail;
			}
		} else {
			snprintf(err, errlen, "%s:%d: unknown key \"%s\"", file, line, s);
			goto fail;
		}
	}
	fclose(f);
	return finish(d, &cur, file, line, err, errlen);
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

bool deviations_explain(const struct deviations *d, const struct vmx_caps *caps,
			const struct vmx_case *effective, const struct vmx_outcome *observed)
{
	struct vmx_verdict v;

	if (d->n == 0)
		return false;
	vmx_model_eval_except(caps, effective, d->ignore, &v);
	if (vmx_outcome_set_allows(&v.allowed, observed))
		return true;
	/* v still lists every failing check, ignored ones included. */
	for (int i = 0; i < d->n; i++) {
		int id = d->e[i].check;
		uint64_t bit = 1ull << (id % 64);

		if (d->e[i].observed.n &&
		    ((v.failed[id / 64] | v.uncertain[id / 64]) & bit) &&
		    vmx_outcome_set_allows(&d->e[i].observed, observed))
			return true;
	}
	return false;
}
