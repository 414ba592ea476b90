// SPDX-License-Identifier: GPL-2.0
/*
 * corpora/known-deviations/<backend>.txt: entries separated by blank lines,
 *   check: <check id>           the check whose violation the back end mishandles
 *   sdm:   <SDM reasoning>      what the SDM requires
 *   impl:  <why it is wrong>    what the implementation does instead
 * Lines starting with '#' are comments.  Every key is required.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deviations.h"
#include "vmxcc/model.h"

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

	d->n = 0;
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
