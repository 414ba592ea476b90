// SPDX-License-Identifier: GPL-2.0
/*
 * Profile text files (docs/case-format.md, "Profiles"): one "KEY = value"
 * line per MSR the CPU has, then every CPUID fact.  Strict like the case
 * parser; a missing MSR line means the MSR does not exist, a missing fact
 * is an error (nothing is guessed).
 */
#include <libgen.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/profile_text.h"
#include "vmxcc/case_file.h"
#include "profile_internal.h"
#include "text_util.h"

#ifndef VMXCC_PROFILE_DIR
#define VMXCC_PROFILE_DIR "profiles"
#endif
const char *const vmx_profile_dir = VMXCC_PROFILE_DIR;

enum fact_kind { FK_U8, FK_U64, FK_BOOL };

struct fact {
	const char *key;
	uint8_t kind;
	uint16_t off;
	uint64_t max;
};

#define U8(k, member)	{ k, FK_U8, offsetof(struct vmx_profile, member), 0xff }
#define U64(k, member)	{ k, FK_U64, offsetof(struct vmx_profile, member), ~0ull }
#define B(member)	{ #member, FK_BOOL, offsetof(struct vmx_profile, member), 1 }

/* Every member of struct vmx_profile other than the name and the MSRs. */
static const struct fact facts[] = {
	U8("maxphyaddr", maxphyaddr),
	U8("linear_width", linear_width),
	U64("efer_allowed", efer_allowed),
	U64("debugctl_allowed", debugctl_allowed),
	U64("perf_global_ctrl_allowed", perf_global_ctrl_allowed),
	U64("xss_allowed", xss_allowed),
	B(has_rtm), B(has_cet_ibt), B(has_cet_ss), B(has_pks), B(has_fred),
	B(has_lass), B(has_uintr), B(has_enclave_intr), B(has_intel_pt),
	B(has_arch_lbr), B(has_mpx),
};
#define N_FACTS (sizeof(facts) / sizeof(facts[0]))

static uint64_t fact_get(const struct vmx_profile *p, const struct fact *f)
{
	const char *base = (const char *)p + f->off;

	switch (f->kind) {
	case FK_U8:	return *(const uint8_t *)base;
	case FK_BOOL:	return *(const bool *)base;
	default:	return *(const uint64_t *)base;
	}
}

static void fact_set(struct vmx_profile *p, const struct fact *f, uint64_t v)
{
	char *base = (char *)p + f->off;

	switch (f->kind) {
	case FK_U8:	*(uint8_t *)base = (uint8_t)v; break;
	case FK_BOOL:	*(bool *)base = v != 0; break;
	default:	*(uint64_t *)base = v; break;
	}
}

static int perr(char *err, size_t errlen, const char *file, int line, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)(line ? snprintf(err, errlen, "%s:%d: ", file, line)
			  : snprintf(err, errlen, "%s: ", file));
	if (n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int parse_line(const char *file, const struct text_line *l, struct vmx_profile *p,
		      int *msr_line, int *fact_line, int *name_line, char *err, size_t errlen)
{
	uint64_t v;

	if (l->is_section)
		return perr(err, errlen, file, l->lineno, "section [%s]: profiles have no sections", l->key);
	if (!l->value)
		return perr(err, errlen, file, l->lineno, "expected \"key = value\", got \"%s\"", l->key);
	if (strcmp(l->key, "name") == 0) {
		if (*name_line)
			return perr(err, errlen, file, l->lineno, "name: duplicate (first on line %d)", *name_line);
		if (!*l->value || strlen(l->value) >= sizeof(p->name))
			return perr(err, errlen, file, l->lineno, "name: empty or longer than %zu characters",
				    sizeof(p->name) - 1);
		snprintf(p->name, sizeof(p->name), "%s", l->value);
		*name_line = l->lineno;
		return 0;
	}
	for (int m = 0; m < PMSR_COUNT; m++) {
		if (strcmp(l->key, vmx_profile_msr_names[m]) != 0)
			continue;
		if (msr_line[m])
			return perr(err, errlen, file, l->lineno, "%s: duplicate (first on line %d)",
				    l->key, msr_line[m]);
		if (!text_parse_u64(l->value, &v))
			return perr(err, errlen, file, l->lineno, "%s: malformed number \"%s\"", l->key, l->value);
		p->msr[m] = v;
		p->msr_present |= 1u << m;
		msr_line[m] = l->lineno;
		return 0;
	}
	for (size_t i = 0; i < N_FACTS; i++) {
		if (strcmp(l->key, facts[i].key) != 0)
			continue;
		if (fact_line[i])
			return perr(err, errlen, file, l->lineno, "%s: duplicate (first on line %d)",
				    l->key, fact_line[i]);
		if (!text_parse_u64(l->value, &v))
			return perr(err, errlen, file, l->lineno, "%s: malformed number \"%s\"", l->key, l->value);
		if (v > facts[i].max)
			return perr(err, errlen, file, l->lineno, "%s: value %s is out of range (max %#llx)",
				    l->key, l->value, (unsigned long long)facts[i].max);
		fact_set(p, &facts[i], v);
		fact_line[i] = l->lineno;
		return 0;
	}
	return perr(err, errlen, file, l->lineno, "%s: unknown key", l->key);
}

int vmx_profile_parse(const char *file, const char *text, struct vmx_profile *p,
		      char *err, size_t errlen)
{
	int msr_line[PMSR_COUNT] = { 0 }, fact_line[N_FACTS] = { 0 }, name_line = 0, ret = 0;
	struct text_reader r;
	struct text_line l;
	struct vmx_caps caps;
	char why[256];

	memset(p, 0, sizeof(*p));
	text_reader_init(&r, text);
	while (ret == 0 && text_next(&r, &l))
		ret = parse_line(file, &l, p, msr_line, fact_line, &name_line, err, errlen);
	text_reader_free(&r);
	if (ret)
		return ret;
	if (!name_line)
		return perr(err, errlen, file, 0, "missing key \"name\"");
	for (size_t i = 0; i < N_FACTS; i++)
		if (!fact_line[i])
			return perr(err, errlen, file, 0, "missing key \"%s\"", facts[i].key);
	if (vmx_caps_from_profile(&caps, p, why, sizeof(why)))
		return perr(err, errlen, file, 0, "inconsistent profile: %s", why);
	return 0;
}

int vmx_profile_load_file(const char *path, struct vmx_profile *p, char *err, size_t errlen)
{
	char *text = vmx_read_file(path, NULL, err, errlen);
	int ret;

	if (!text)
		return -1;
	ret = vmx_profile_parse(path, text, p, err, errlen);
	free(text);
	return ret;
}

static bool is_path(const char *name)
{
	size_t n = strlen(name);

	return strchr(name, '/') || (n > 8 && strcmp(name + n - 8, ".profile") == 0);
}

static bool try_dir(const char *dir, size_t dlen, const char *name, char *out, size_t outlen)
{
	FILE *f;

	snprintf(out, outlen, "%.*s/%s.profile", (int)dlen, dir, name);
	f = fopen(out, "r");
	if (f)
		fclose(f);
	return f != NULL;
}

int vmx_profile_load(const char *name, const char *base_dir, struct vmx_profile *p,
		     char *err, size_t errlen)
{
	const char *env = getenv("VMXCC_PROFILE_PATH");
	char path[4096];

	if (is_path(name)) {
		if (name[0] != '/' && base_dir)
			snprintf(path, sizeof(path), "%s/%s", base_dir, name);
		else
			snprintf(path, sizeof(path), "%s", name);
		return vmx_profile_load_file(path, p, err, errlen);
	}
	while (env && *env) {
		const char *colon = strchr(env, ':');
		size_t len = colon ? (size_t)(colon - env) : strlen(env);

		if (len && try_dir(env, len, name, path, sizeof(path)))
			return vmx_profile_load_file(path, p, err, errlen);
		env = colon ? colon + 1 : NULL;
	}
	if (try_dir(vmx_profile_dir, strlen(vmx_profile_dir), name, path, sizeof(path)))
		return vmx_profile_load_file(path, p, err, errlen);
	snprintf(err, errlen, "unknown profile (no %s.profile in $VMXCC_PROFILE_PATH or %s)",
		 name, vmx_profile_dir);
	return -1;
}

int vmx_profile_load_caps(const char *name, const char *base_dir,
			  struct vmx_caps *caps, char *err, size_t errlen)
{
	struct vmx_profile p;

	if (vmx_profile_load(name, base_dir, &p, err, errlen))
		return -1;
	return vmx_caps_from_profile(caps, &p, err, errlen);
}

static void write_values(FILE *f, const struct vmx_profile *p)
{
	for (int m = 0; m < PMSR_COUNT; m++)
		if ((p->msr_present >> m) & 1)
			fprintf(f, "%s = 0x%016llx\n", vmx_profile_msr_names[m],
				(unsigned long long)p->msr[m]);
	for (size_t i = 0; i < N_FACTS; i++) {
		uint64_t v = fact_get(p, &facts[i]);

		if (facts[i].kind == FK_U64)
			fprintf(f, "%s = %#llx\n", facts[i].key, (unsigned long long)v);
		else
			fprintf(f, "%s = %llu\n", facts[i].key, (unsigned long long)v);
	}
}

void vmx_profile_write(FILE *f, const struct vmx_profile *p)
{
	fprintf(f, "name = %s\n", p->name);
	write_values(f, p);
}

char *vmx_profile_to_text(const struct vmx_profile *p, bool with_name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (with_name)
		vmx_profile_write(f, p);
	else
		write_values(f, p);
	fclose(f);
	return buf;
}

bool vmx_profile_equal(const struct vmx_profile *a, const struct vmx_profile *b)
{
	if (strcmp(a->name, b->name) != 0 || a->msr_present != b->msr_present)
		return false;
	for (int m = 0; m < PMSR_COUNT; m++)
		if (((a->msr_present >> m) & 1) && a->msr[m] != b->msr[m])
			return false;
	for (size_t i = 0; i < N_FACTS; i++)
		if (fact_get(a, &facts[i]) != fact_get(b, &facts[i]))
			return false;
	return true;
}

/* Hash of the canonical text without the name: two profiles with the same
 * values have the same fingerprint whatever they are called. */
uint64_t vmx_profile_fingerprint(const struct vmx_profile *p)
{
	char *text = vmx_profile_to_text(p, false);
	uint64_t h = text ? text_hash(TEXT_HASH_INIT, text, strlen(text)) : 0;

	free(text);
	return h;
}

int vmx_profile_fact_count(void)
{
	return (int)N_FACTS;
}

const char *vmx_profile_fact_key(int i)
{
	return facts[i].key;
}

uint64_t vmx_profile_fact_value(const struct vmx_profile *p, int i)
{
	return fact_get(p, &facts[i]);
}
