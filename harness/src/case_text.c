// SPDX-License-Identifier: GPL-2.0
/*
 * .vmcs text: strict parser and canonical writer (docs/case-format.md).
 *
 * The parser first collects what the file says (which fields, which state
 * keys, which sections), then builds the case: the baseline for the
 * file's profile, with every given value on top.  Collecting first is what
 * lets "profile" and "baseline" appear anywhere at top level.
 */
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/baseline.h"
#include "vmxcc/case_file.h"
#include "vmxcc/profile_text.h"
#include "text_util.h"

enum section { SEC_TOP, SEC_STATE, SEC_PDPTE, SEC_MSR_LOAD, SEC_EXPECT, SEC_COUNT };

static const char *const section_names[SEC_COUNT] = {
	[SEC_TOP] = "", [SEC_STATE] = "state", [SEC_PDPTE] = "pdpte",
	[SEC_MSR_LOAD] = "msr_load", [SEC_EXPECT] = "expect",
};

struct parse {
	const char *file;
	char *err;
	size_t errlen;
	enum section sec;
	int sec_line[SEC_COUNT];		/* line of each [section], 0 if absent */

	int field_line[VF_COUNT];		/* line a field was given on, 0 if not */
	uint64_t field_val[VF_COUNT];
	int state_line[SK_COUNT];
	uint64_t state_val[SK_COUNT];
	int pdpte_line[4];
	uint64_t pdpte_val[4];
	uint32_t n_msr;
	struct vmx_msr_entry msr[VMX_CASE_MAX_MSR_LOAD];
	int profile_line, baseline_line, outcome_line, checks_line;
	char baseline[64];
};

static int fail(struct parse *p, int line, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(p->err, p->errlen, "%s:%d: ", p->file, line);
	if (n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int need_value(struct parse *p, const struct text_line *l)
{
	if (!l->value)
		return fail(p, l->lineno, "expected \"key = value\", got \"%s\"", l->key);
	return 0;
}

static int top_line(struct parse *p, struct vmx_case_file *cf, const struct text_line *l)
{
	uint64_t v;
	int f;

	if (need_value(p, l))
		return -1;
	if (strcmp(l->key, "profile") == 0) {
		if (p->profile_line)
			return fail(p, l->lineno, "profile given twice (first on line %d)", p->profile_line);
		if (!*l->value || strlen(l->value) >= sizeof(cf->profile_name))
			return fail(p, l->lineno, "profile: empty or too long name");
		p->profile_line = l->lineno;
		snprintf(cf->profile_name, sizeof(cf->profile_name), "%s", l->value);
		return 0;
	}
	if (strcmp(l->key, "baseline") == 0) {
		if (p->baseline_line)
			return fail(p, l->lineno, "baseline given twice (first on line %d)", p->baseline_line);
		if (vmx_baseline_by_name(l->value) < 0)
			return fail(p, l->lineno, "baseline %s: unknown baseline", l->value);
		p->baseline_line = l->lineno;
		snprintf(p->baseline, sizeof(p->baseline), "%s", l->value);
		return 0;
	}
	f = vmx_field_by_name(l->key);
	if (f < 0)
		return fail(p, l->lineno, "field %s: unknown field", l->key);
	if (p->field_line[f])
		return fail(p, l->lineno, "field %s: duplicate (first given on line %d)",
			    l->key, p->field_line[f]);
	if (!text_parse_u64(l->value, &v))
		return fail(p, l->lineno, "field %s: malformed number \"%s\"", l->key, l->value);
	if (v & ~vmx_field_mask(f))
		return fail(p, l->lineno, "field %s: value %s is wider than the field (%s bits)",
			    l->key, l->value, vmx_field_width_names[vmx_fields[f].width]);
	p->field_line[f] = l->lineno;
	p->field_val[f] = v;
	return 0;
}

static int state_line(struct parse *p, const struct text_line *l)
{
	uint64_t v;
	int k;

	if (need_value(p, l))
		return -1;
	for (k = 0; k < SK_COUNT; k++)
		if (strcmp(l->key, vmx_state_key_names[k]) == 0)
			break;
	if (k == SK_COUNT)
		return fail(p, l->lineno, "[state] %s: unknown key", l->key);
	if (p->state_line[k])
		return fail(p, l->lineno, "[state] %s: duplicate (first given on line %d)",
			    l->key, p->state_line[k]);
	if (k == SK_INSTR) {
		if (strcmp(l->value, "vmlaunch") == 0)
			v = VMX_VMLAUNCH;
		else if (strcmp(l->value, "vmresume") == 0)
			v = VMX_VMRESUME;
		else
			return fail(p, l->lineno, "[state] instr: \"%s\" is neither vmlaunch nor vmresume",
				    l->value);
	} else if (!text_parse_u64(l->value, &v)) {
		return fail(p, l->lineno, "[state] %s: malformed number \"%s\"", l->key, l->value);
	} else if (v > vmx_state_max(k)) {
		return fail(p, l->lineno, "[state] %s: value %s is out of range (max %#llx)",
			    l->key, l->value, (unsigned long long)vmx_state_max(k));
	}
	p->state_line[k] = l->lineno;
	p->state_val[k] = v;
	return 0;
}

static int pdpte_line(struct parse *p, const struct text_line *l)
{
	uint64_t v;
	int i;

	if (need_value(p, l))
		return -1;
	if (strncmp(l->key, "pdpte", 5) != 0 || l->key[5] < '0' || l->key[5] > '3' || l->key[6])
		return fail(p, l->lineno, "[pdpte] %s: unknown key (pdpte0..pdpte3)", l->key);
	i = l->key[5] - '0';
	if (p->pdpte_line[i])
		return fail(p, l->lineno, "[pdpte] %s: duplicate (first given on line %d)",
			    l->key, p->pdpte_line[i]);
	if (!text_parse_u64(l->value, &v))
		return fail(p, l->lineno, "[pdpte] %s: malformed number \"%s\"", l->key, l->value);
	p->pdpte_line[i] = l->lineno;
	p->pdpte_val[i] = v;
	return 0;
}

static int msr_line(struct parse *p, const struct text_line *l)
{
	static const char *const what[3] = { "index", "value", "reserved" };
	char line[512], *s = line, *w;
	uint64_t v[3] = { 0, 0, 0 };
	int n = 0;

	if (l->value)
		return fail(p, l->lineno, "[msr_load]: expected \"index value [reserved]\", got \"%s = %s\"",
			    l->key, l->value);
	snprintf(line, sizeof(line), "%s", l->key);
	while ((w = text_word(&s))) {
		if (n == 3)
			return fail(p, l->lineno, "[msr_load]: more than 3 numbers on the line");
		if (!text_parse_u64(w, &v[n]))
			return fail(p, l->lineno, "[msr_load] entry %u: malformed %s \"%s\"",
				    p->n_msr, what[n], w);
		n++;
	}
	if (n < 2)
		return fail(p, l->lineno, "[msr_load] entry %u: expected \"index value [reserved]\"", p->n_msr);
	if (v[0] > 0xffffffffull || v[2] > 0xffffffffull)
		return fail(p, l->lineno, "[msr_load] entry %u: %s is wider than 32 bits",
			    p->n_msr, v[0] > 0xffffffffull ? "index" : "reserved");
	if (p->n_msr == VMX_CASE_MAX_MSR_LOAD)
		return fail(p, l->lineno, "[msr_load]: more than %d entries", VMX_CASE_MAX_MSR_LOAD);
	p->msr[p->n_msr].index = (uint32_t)v[0];
	p->msr[p->n_msr].value = v[1];
	p->msr[p->n_msr].reserved = (uint32_t)v[2];
	p->n_msr++;
	return 0;
}

static int expect_line(struct parse *p, struct vmx_case_file *cf, const struct text_line *l)
{
	char buf[4096], *s = buf, *w;

	if (need_value(p, l))
		return -1;
	if (strcmp(l->key, "outcome") == 0) {
		if (p->outcome_line)
			return fail(p, l->lineno, "[expect] outcome: duplicate (first given on line %d)",
				    p->outcome_line);
		if (vmx_outcome_set_parse(l->value, &cf->expect_outcome) != 0)
			return fail(p, l->lineno, "[expect] outcome: \"%s\" is not an outcome set "
				    "(e.g. {vmfail(7), exit(33,qual=0)})", l->value);
		p->outcome_line = l->lineno;
		cf->has_expect_outcome = true;
		return 0;
	}
	if (strcmp(l->key, "checks") != 0)
		return fail(p, l->lineno, "[expect] %s: unknown key (outcome, checks)", l->key);
	if (p->checks_line)
		return fail(p, l->lineno, "[expect] checks: duplicate (first given on line %d)", p->checks_line);
	snprintf(buf, sizeof(buf), "%s", l->value);
	while ((w = text_word(&s))) {
		int id = vmx_check_by_name(w);

		if (id < 0)
			return fail(p, l->lineno, "[expect] checks: unknown check id %s", w);
		cf->expect_checks[id / 64] |= 1ull << (id % 64);
	}
	p->checks_line = l->lineno;
	cf->has_expect_checks = true;
	return 0;
}

static int section_header(struct parse *p, const struct text_line *l)
{
	for (int s = SEC_STATE; s < SEC_COUNT; s++) {
		if (strcmp(l->key, section_names[s]) != 0)
			continue;
		if (p->sec_line[s])
			return fail(p, l->lineno, "section [%s]: duplicate (first on line %d)",
				    l->key, p->sec_line[s]);
		p->sec_line[s] = l->lineno;
		p->sec = s;
		return 0;
	}
	return fail(p, l->lineno, "section [%s]: unknown section (state, pdpte, msr_load, expect)",
		    l->key);
}

static int one_line(struct parse *p, struct vmx_case_file *cf, const struct text_line *l)
{
	if (l->is_section)
		return section_header(p, l);
	switch (p->sec) {
	case SEC_TOP:		return top_line(p, cf, l);
	case SEC_STATE:		return state_line(p, l);
	case SEC_PDPTE:		return pdpte_line(p, l);
	case SEC_MSR_LOAD:	return msr_line(p, l);
	default:		return expect_line(p, cf, l);
	}
}

/* Resolve the profile and baseline, then lay the given values on top. */
static int build(struct parse *p, struct vmx_case_file *cf)
{
	char perr[512], dir[4096];
	struct vmx_case *c = &cf->c;

	snprintf(dir, sizeof(dir), "%s", p->file);
	if (!cf->profile_name[0])
		snprintf(cf->profile_name, sizeof(cf->profile_name), "%s", VMX_DEFAULT_PROFILE);
	if (vmx_profile_load_caps(cf->profile_name, dirname(dir), &cf->caps, perr, sizeof(perr)))
		return fail(p, p->profile_line, "profile %s: %s", cf->profile_name, perr);
	cf->baseline = p->baseline_line ? vmx_baseline_by_name(p->baseline) : VMX_CASE_NO_BASELINE;
	if (vmx_case_base(cf, c) != 0)
		return fail(p, p->baseline_line, "baseline %s: profile %s lacks a feature it needs",
			    p->baseline, cf->profile_name);
	for (int f = 0; f < VF_COUNT; f++)
		if (p->field_line[f])
			c->f[f] = p->field_val[f];
	for (int k = 0; k < SK_COUNT; k++)
		if (p->state_line[k])
			vmx_state_set(c, k, p->state_val[k]);
	for (int i = 0; i < 4; i++)
		if (p->pdpte_line[i])
			c->pdpte[i] = p->pdpte_val[i];
	if (p->sec_line[SEC_MSR_LOAD]) {
		memset(c->msr_load, 0, sizeof(c->msr_load));
		memcpy(c->msr_load, p->msr, p->n_msr * sizeof(p->msr[0]));
		c->n_msr_load = p->n_msr;
	}
	return 0;
}

int vmx_case_parse(const char *file, const char *text, struct vmx_case_file *cf,
		   char *err, size_t errlen)
{
	struct parse *p = calloc(1, sizeof(*p));
	struct text_reader r;
	struct text_line l;
	int ret = 0;

	if (!p) {
		snprintf(err, errlen, "%s: out of memory", file);
		return -1;
	}
	memset(cf, 0, sizeof(*cf));
	p->file = file;
	p->err = err;
	p->errlen = errlen;
	text_reader_init(&r, text);
	while (ret == 0 && text_next(&r, &l))
		ret = one_line(p, cf, &l);
	text_reader_free(&r);
	if (ret == 0)
		ret = build(p, cf);
	free(p);
	return ret;
}

int vmx_case_load(const char *path, struct vmx_case_file *cf, char *err, size_t errlen)
{
	char *text = vmx_read_file(path, NULL, err, errlen);
	int ret;

	if (!text)
		return -1;
	ret = vmx_case_parse(path, text, cf, err, errlen);
	free(text);
	return ret;
}

static bool msr_lists_equal(const struct vmx_case *a, const struct vmx_case *b)
{
	if (a->n_msr_load != b->n_msr_load)
		return false;
	for (uint32_t i = 0; i < a->n_msr_load; i++)
		if (a->msr_load[i].index != b->msr_load[i].index ||
		    a->msr_load[i].value != b->msr_load[i].value ||
		    a->msr_load[i].reserved != b->msr_load[i].reserved)
			return false;
	return true;
}

static void write_state(FILE *f, const struct vmx_case *c, const struct vmx_case *base)
{
	bool header = false;

	for (int k = 0; k < SK_COUNT; k++) {
		uint64_t v = vmx_state_get(c, k);

		if (v == vmx_state_get(base, k))
			continue;
		if (!header)
			fprintf(f, "\n[state]\n");
		header = true;
		if (k == SK_INSTR)
			fprintf(f, "instr = %s\n", v == VMX_VMRESUME ? "vmresume" : "vmlaunch");
		else if (k == SK_LINK_REVISION)
			fprintf(f, "%s = %#llx\n", vmx_state_key_names[k], (unsigned long long)v);
		else
			fprintf(f, "%s = %llu\n", vmx_state_key_names[k], (unsigned long long)v);
	}
}

static void write_expect(FILE *f, const struct vmx_case_file *cf)
{
	char buf[1024];

	if (!cf->has_expect_outcome && !cf->has_expect_checks)
		return;
	fprintf(f, "\n[expect]\n");
	if (cf->has_expect_outcome) {
		vmx_outcome_set_format(buf, sizeof(buf), &cf->expect_outcome);
		fprintf(f, "outcome = %s\n", buf);
	}
	if (cf->has_expect_checks) {
		fprintf(f, "checks =");
		for (int id = 0; id < VMX_CHECK_COUNT; id++)
			if ((cf->expect_checks[id / 64] >> (id % 64)) & 1)
				fprintf(f, " %s", vmx_checks[id].id);
		fprintf(f, "\n");
	}
}

void vmx_case_write(FILE *f, const struct vmx_case_file *cf)
{
	const struct vmx_case *c = &cf->c;
	struct vmx_case base;
	bool header = false;

	vmx_case_base(cf, &base);
	fprintf(f, "profile = %s\n", cf->profile_name[0] ? cf->profile_name : VMX_DEFAULT_PROFILE);
	if (cf->baseline != VMX_CASE_NO_BASELINE)
		fprintf(f, "baseline = %s\n", vmx_baseline_names[cf->baseline]);
	for (int i = 0; i < VF_COUNT; i++)
		if (c->f[i] != base.f[i])
			fprintf(f, "%s = %#llx\n", vmx_fields[i].name, (unsigned long long)c->f[i]);
	write_state(f, c, &base);
	for (int i = 0; i < 4; i++) {
		if (c->pdpte[i] == base.pdpte[i])
			continue;
		if (!header)
			fprintf(f, "\n[pdpte]\n");
		header = true;
		fprintf(f, "pdpte%d = %#llx\n", i, (unsigned long long)c->pdpte[i]);
	}
	if (!msr_lists_equal(c, &base)) {
		fprintf(f, "\n[msr_load]\n");
		for (uint32_t i = 0; i < c->n_msr_load; i++) {
			const struct vmx_msr_entry *e = &c->msr_load[i];

			fprintf(f, "%#x %#llx", e->index, (unsigned long long)e->value);
			if (e->reserved)
				fprintf(f, " %#x", e->reserved);
			fprintf(f, "\n");
		}
	}
	write_expect(f, cf);
}

char *vmx_case_to_text(const struct vmx_case_file *cf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	vmx_case_write(f, cf);
	fclose(f);
	return buf;
}
