// SPDX-License-Identifier: GPL-2.0
/* Line reader and strict number parsing for the text formats. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "text_util.h"

void text_reader_init(struct text_reader *r, const char *text)
{
	r->buf = strdup(text ? text : "");
	r->next = r->buf;
	r->lineno = 0;
}

void text_reader_free(struct text_reader *r)
{
	free(r->buf);
	r->buf = r->next = NULL;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

bool text_next(struct text_reader *r, struct text_line *l)
{
	while (r->next && *r->next) {
		char *line = r->next, *nl = strchr(line, '\n'), *hash, *eq;

		r->next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = 0;
		r->lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		line = trim(line);
		if (!*line)
			continue;
		l->lineno = r->lineno;
		l->value = NULL;
		l->is_section = false;
		if (line[0] == '[' && line[strlen(line) - 1] == ']') {
			line[strlen(line) - 1] = 0;
			l->key = trim(line + 1);
			l->is_section = true;
			return true;
		}
		eq = strchr(line, '=');
		if (eq) {
			*eq = 0;
			l->value = trim(eq + 1);
		}
		l->key = trim(line);
		return true;
	}
	return false;
}

bool text_parse_u64(const char *s, uint64_t *v)
{
	char *end;
	int base = 10;

	if (!s || !*s)
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!isxdigit((unsigned char)*s))
			return false;
	} else if (!isdigit((unsigned char)*s)) {
		return false;
	}
	errno = 0;
	*v = strtoull(s, &end, base);
	return errno == 0 && *end == 0;
}

char *text_word(char **s)
{
	char *w = *s, *e;

	while (*w && isspace((unsigned char)*w))
		w++;
	if (!*w) {
		*s = w;
		return NULL;
	}
	e = w;
	while (*e && !isspace((unsigned char)*e))
		e++;
	if (*e)
		*e++ = 0;
	*s = e;
	return w;
}

uint64_t text_hash(uint64_t h, const void *data, unsigned long len)
{
	const unsigned char *p = data;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}
