// SPDX-License-Identifier: GPL-2.0
/* Outcome sets: ordering, membership, canonical text form and its parser. */
#include "vmxcc/outcome.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int outcome_cmp(const struct vmx_outcome *a, const struct vmx_outcome *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->error != b->error)
		return a->error < b->error ? -1 : 1;
	if (a->reason != b->reason)
		return a->reason < b->reason ? -1 : 1;
	if (a->qual_any != b->qual_any)
		return a->qual_any < b->qual_any ? -1 : 1;
	if (a->qual != b->qual)
		return a->qual < b->qual ? -1 : 1;
	return 0;
}

void vmx_outcome_set_clear(struct vmx_outcome_set *s)
{
	s->n = 0;
}

bool vmx_outcome_set_add(struct vmx_outcome_set *s, struct vmx_outcome o)
{
	uint32_t i;

	if (o.qual_any)
		o.qual = 0;
	for (i = 0; i < s->n; i++) {
		int c = outcome_cmp(&o, &s->o[i]);

		if (c == 0)
			return true;
		if (c < 0)
			break;
	}
	if (s->n == VMX_OUTCOME_SET_MAX)
		return false;
	memmove(&s->o[i + 1], &s->o[i], (s->n - i) * sizeof(s->o[0]));
	s->o[i] = o;
	s->n++;
	return true;
}

static bool allows_one(const struct vmx_outcome *m, const struct vmx_outcome *o)
{
	if (m->kind != o->kind)
		return false;
	switch (m->kind) {
	case VO_VMFAIL_INVALID:
		return true;
	case VO_VMFAIL_VALID:
		return m->error == o->error;
	case VO_ENTRY_FAIL:
		return m->reason == o->reason && (m->qual_any || m->qual == o->qual);
	case VO_ENTERED:
		return true;	/* any first exit reason */
	default:
		/* The model's own sets never hold these; a known-deviations
		 * entry may (a back end that hangs on a case, say). */
		return true;
	}
}

bool vmx_outcome_set_allows(const struct vmx_outcome_set *s,
			    const struct vmx_outcome *o)
{
	for (uint32_t i = 0; i < s->n; i++)
		if (allows_one(&s->o[i], o))
			return true;
	return false;
}

bool vmx_outcome_equal(const struct vmx_outcome *a, const struct vmx_outcome *b)
{
	return a->kind == b->kind && a->error == b->error && a->reason == b->reason &&
	       a->qual == b->qual;
}

bool vmx_outcome_set_equal(const struct vmx_outcome_set *a,
			   const struct vmx_outcome_set *b)
{
	if (a->n != b->n)
		return false;
	for (uint32_t i = 0; i < a->n; i++)
		if (outcome_cmp(&a->o[i], &b->o[i]) != 0)
			return false;
	return true;
}

int vmx_outcome_format(char *buf, size_t len, const struct vmx_outcome *o)
{
	switch (o->kind) {
	case VO_VMFAIL_INVALID:
		return snprintf(buf, len, "vmfail-invalid");
	case VO_VMFAIL_VALID:
		return snprintf(buf, len, "vmfail(%u)", o->error);
	case VO_ENTRY_FAIL:
		if (o->qual_any)
			return snprintf(buf, len, "exit(%u,qual=*)", o->reason);
		return snprintf(buf, len, "exit(%u,qual=%llu)", o->reason,
				(unsigned long long)o->qual);
	case VO_ENTERED:
		if (o->reason)
			return snprintf(buf, len, "entered(%u)", o->reason);
		return snprintf(buf, len, "entered");
	case VO_SKIPPED:
		return snprintf(buf, len, "skipped");
	case VO_BACKEND_ERROR:
		return snprintf(buf, len, "backend-error");
	}
	return snprintf(buf, len, "?");
}

int vmx_outcome_set_format(char *buf, size_t len, const struct vmx_outcome_set *s)
{
	size_t used = 0;
	int n;

#define PUT(...) do {							\
		n = snprintf(buf + (used < len ? used : len),		\
			     used < len ? len - used : 0, __VA_ARGS__);	\
		used += (size_t)n;					\
	} while (0)
	PUT("{");
	for (uint32_t i = 0; i < s->n; i++) {
		char one[64];

		vmx_outcome_format(one, sizeof(one), &s->o[i]);
		PUT("%s%s", i ? ", " : "", one);
	}
	PUT("}");
#undef PUT
	return (int)used;
}

int vmx_outcome_parse(const char *t, struct vmx_outcome *o)
{
	unsigned int a;
	unsigned long long q;
	char tail[4];

	memset(o, 0, sizeof(*o));
	while (*t == ' ')
		t++;
	if (strcmp(t, "vmfail-invalid") == 0) {
		o->kind = VO_VMFAIL_INVALID;
		return 0;
	}
	if (strcmp(t, "entered") == 0) {
		o->kind = VO_ENTERED;
		return 0;
	}
	if (strcmp(t, "skipped") == 0) {
		o->kind = VO_SKIPPED;
		return 0;
	}
	if (strcmp(t, "backend-error") == 0) {
		o->kind = VO_BACKEND_ERROR;
		return 0;
	}
	if (sscanf(t, "vmfail(%u%1[)]", &a, tail) == 2 && a < 65536) {
		o->kind = VO_VMFAIL_VALID;
		o->error = (uint16_t)a;
		return strchr(t, ')')[1] == 0 ? 0 : -1;
	}
	if (sscanf(t, "entered(%u%1[)]", &a, tail) == 2) {
		o->kind = VO_ENTERED;
		o->reason = a;
		return strchr(t, ')')[1] == 0 ? 0 : -1;
	}
	if (sscanf(t, "exit(%u,qual=*%1[)]", &a, tail) == 2) {
		o->kind = VO_ENTRY_FAIL;
		o->reason = a;
		o->qual_any = 1;
		return strchr(t, ')')[1] == 0 ? 0 : -1;
	}
	if (sscanf(t, "exit(%u,qual=%llu%1[)]", &a, &q, tail) == 3) {
		o->kind = VO_ENTRY_FAIL;
		o->reason = a;
		o->qual = q;
		return strchr(t, ')')[1] == 0 ? 0 : -1;
	}
	return -1;
}

int vmx_outcome_set_parse(const char *text, struct vmx_outcome_set *s)
{
	const char *p, *end;
	size_t n;

	vmx_outcome_set_clear(s);
	while (*text == ' ')
		text++;
	n = strlen(text);
	while (n && text[n - 1] == ' ')
		n--;
	if (n < 2 || text[0] != '{' || text[n - 1] != '}')
		return -1;
	p = text + 1;
	end = text + n - 1;
	/* Items are separated by commas outside parentheses. */
	while (p < end) {
		char one[64];
		const char *q = p;
		int depth = 0;
		size_t l;
		struct vmx_outcome o;

		while (q < end && (depth > 0 || *q != ',')) {
			depth += (*q == '(') - (*q == ')');
			q++;
		}
		while (p < q && *p == ' ')
			p++;
		l = (size_t)(q - p);
		while (l && p[l - 1] == ' ')
			l--;
		if (l == 0 || l >= sizeof(one))
			return -1;
		memcpy(one, p, l);
		one[l] = 0;
		if (vmx_outcome_parse(one, &o) != 0 || !vmx_outcome_set_add(s, o))
			return -1;
		p = q < end ? q + 1 : q;
	}
	return 0;
}
