/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capability profiles as text files (docs/case-format.md, "Profiles"):
 * parse, write, find shipped profiles by name, fingerprint, diff.
 */
#ifndef VMXCC_PROFILE_TEXT_H
#define VMXCC_PROFILE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmxcc/profile.h"

/*
 * Parse profile text @text (NUL-terminated) read from @file (used only in
 * messages).  Returns 0, or -1 with "file:line: what is wrong" in @err.
 * The result is also validated with vmx_caps_from_profile().
 */
int vmx_profile_parse(const char *file, const char *text, struct vmx_profile *p,
		      char *err, size_t errlen);
int vmx_profile_load_file(const char *path, struct vmx_profile *p,
			  char *err, size_t errlen);
/*
 * Load a profile named in a case file or on the command line: a path (it
 * contains '/' or ends in ".profile"; relative paths are taken relative to
 * @base_dir when that is not NULL) or a shipped name looked up in
 * $VMXCC_PROFILE_PATH (colon-separated) and then the source tree's
 * profiles/ directory.
 */
int vmx_profile_load(const char *name, const char *base_dir, struct vmx_profile *p,
		     char *err, size_t errlen);
/* Load and digest in one go. */
int vmx_profile_load_caps(const char *name, const char *base_dir,
			  struct vmx_caps *caps, char *err, size_t errlen);

/* Write @p in canonical form (every key, fixed order). */
void vmx_profile_write(FILE *f, const struct vmx_profile *p);
/* Same, into a malloc'ed string (with or without the name line). */
char *vmx_profile_to_text(const struct vmx_profile *p, bool with_name);

bool vmx_profile_equal(const struct vmx_profile *a, const struct vmx_profile *b);
/* 64-bit hash of the profile's values (not its name). */
uint64_t vmx_profile_fingerprint(const struct vmx_profile *p);

/* Print, in words, how @b differs from @a; returns the number of lines. */
int vmx_profile_diff(FILE *f, const struct vmx_profile *a, const struct vmx_profile *b);

/* The compiled-in directory of shipped profiles. */
extern const char *const vmx_profile_dir;

#endif
