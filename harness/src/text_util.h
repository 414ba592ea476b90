/* SPDX-License-Identifier: GPL-2.0 */
/* Line-oriented "key = value" text shared by the case and profile parsers. */
#ifndef VMXCC_TEXT_UTIL_H
#define VMXCC_TEXT_UTIL_H

#include <stdbool.h>
#include <stdint.h>

/* One logical line: comment stripped, both sides trimmed, split at the
 * first '=' when there is one. */
struct text_line {
	int lineno;
	char *key;		/* whole line when there is no '=' */
	char *value;		/* NULL when there is no '=' */
	bool is_section;	/* "[name]"; key holds name */
};

struct text_reader {
	char *buf;		/* private copy, cut up in place */
	char *next;
	int lineno;
};

void text_reader_init(struct text_reader *r, const char *text);
void text_reader_free(struct text_reader *r);
/* Next non-empty line; false at the end. */
bool text_next(struct text_reader *r, struct text_line *l);

/* Strict unsigned number: 0x-prefixed hex or decimal, nothing else, no
 * sign, no overflow.  Returns false when malformed. */
bool text_parse_u64(const char *s, uint64_t *v);
/* Split off the next whitespace-separated word of *s (NULL at the end). */
char *text_word(char **s);

/* 64-bit FNV-1a, for fingerprints and signatures. */
uint64_t text_hash(uint64_t h, const void *data, unsigned long len);
#define TEXT_HASH_INIT 0xcbf29ce484222325ull

#endif
