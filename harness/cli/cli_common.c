// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the subcommands: errors, loading any case format. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/case_compact.h"
#include "vmxcc/profile_text.h"
#include "vmxcc/readback.h"
#include "vmxcc/vmcs12.h"
#include "cli.h"

const char *const cli_format_names[] = {
	[FMT_AUTO] = "auto", [FMT_TEXT] = "text", [FMT_VMCS12] = "vmcs12",
	[FMT_NESTED] = "nested", [FMT_COMPACT] = "compact", NULL,
};

int cli_format_by_name(const char *name)
{
	for (int i = 0; cli_format_names[i]; i++)
		if (strcmp(cli_format_names[i], name) == 0)
			return i;
	return -1;
}

void cli_err(const char *fmt, ...)
{
	va_list ap;

	fputs("vmxcc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vmxcc %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'vmxcc %s --help'.\n", cmd);
	return EXIT_USAGE;
}

static enum cli_format detect(const uint8_t *buf, size_t len)
{
	if (vmx_compact_is(buf, len))
		return FMT_COMPACT;
	if (len == VMCS12_SIZE && (buf[0] | buf[1] << 8 | buf[2] << 16 | (buf[3] & 0x7f) << 24) ==
	    (int)VMCS12_REVISION)
		return FMT_VMCS12;
	/* kvm_nested_state: format 0 (VMX) and a size field equal to the length. */
	if (len >= KVM_NESTED_HDR_SIZE && buf[2] == 0 && buf[3] == 0 &&
	    (size_t)(buf[4] | buf[5] << 8 | buf[6] << 16 | (uint32_t)buf[7] << 24) == len)
		return FMT_NESTED;
	if (memchr(buf, 0, len))
		return FMT_VMCS12;	/* binary but not recognised: let it say why */
	return FMT_TEXT;
}

int cli_load_case(const char *path, enum cli_format fmt, const char *profile,
		  struct vmx_case_file *cf, char *err, size_t errlen)
{
	size_t len;
	char *buf = vmx_read_file(path, &len, err, errlen);
	char perr[512];
	int ret = 0;

	if (!buf)
		return -1;
	if (fmt == FMT_AUTO)
		fmt = detect((const uint8_t *)buf, len);
	if (fmt == FMT_TEXT) {
		ret = vmx_case_parse(path, buf, cf, err, errlen);
		free(buf);
		return ret;
	}
	memset(cf, 0, sizeof(*cf));
	cf->baseline = VMX_CASE_NO_BASELINE;
	snprintf(cf->profile_name, sizeof(cf->profile_name), "%s",
		 profile ? profile : VMX_DEFAULT_PROFILE);
	if (vmx_profile_load_caps(cf->profile_name, NULL, &cf->caps, perr, sizeof(perr))) {
		snprintf(err, errlen, "profile %s: %s", cf->profile_name, perr);
		free(buf);
		return -1;
	}
	if (fmt == FMT_COMPACT)
		vmx_compact_decode((const uint8_t *)buf, len, &cf->caps, &cf->c, &cf->baseline);
	else if (fmt == FMT_VMCS12)
		ret = vmx_vmcs12_import(path, (const uint8_t *)buf, len, &cf->c, err, errlen);
	else
		ret = vmx_nested_import(path, (const uint8_t *)buf, len, &cf->c, NULL, err, errlen);
	free(buf);
	return ret;
}

bool cli_expect_ok(const struct vmx_case_file *cf, const struct vmx_verdict *v,
		   char *why, size_t len)
{
	char a[1024], b[1024];

	why[0] = 0;
	if (cf->has_expect_outcome && !vmx_outcome_set_equal(&cf->expect_outcome, &v->allowed)) {
		vmx_outcome_set_format(a, sizeof(a), &cf->expect_outcome);
		vmx_outcome_set_format(b, sizeof(b), &v->allowed);
		snprintf(why, len, "expected outcome %s, model says %s", a, b);
		return false;
	}
	if (cf->has_expect_checks && memcmp(cf->expect_checks, v->failed, sizeof(v->failed))) {
		struct vmx_verdict e;

		memset(&e, 0, sizeof(e));
		memcpy(e.failed, cf->expect_checks, sizeof(e.failed));
		vmx_failing_checks(&e, a, sizeof(a));
		vmx_failing_checks(v, b, sizeof(b));
		snprintf(why, len, "expected failing checks [%s], model says [%s]", a, b);
		return false;
	}
	return true;
}

void cli_print_verdict(FILE *f, const struct vmx_verdict *v, const char *indent)
{
	char set[1024];

	vmx_outcome_set_format(set, sizeof(set), &v->allowed);
	fprintf(f, "%soutcome: %s\n", indent, set);
	for (int id = 0; id < VMX_CHECK_COUNT; id++) {
		const struct vmx_check_info *ci = &vmx_checks[id];
		bool failed = vmx_verdict_failed(v, id);
		bool unsure = (v->uncertain[id / 64] >> (id % 64)) & 1;

		if (!failed && !unsure)
			continue;
		fprintf(f, "%s%s %s [%s] %s\n", indent, failed ? "FAIL" : "UNSURE", ci->id,
			ci->section, ci->statement);
	}
}

int cli_split_commas(char *s, char **out, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(s, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save))
		out[n++] = t;
	return n;
}

bool cli_readback(struct vmx_backend_inst *bi, bool off, const char *cmd)
{
	char err[1024];
	int on;

	if (off)
		return false;
	on = vmx_readback_enable(bi, true, err, sizeof(err));
	if (on <= 0)
		fprintf(stderr, "vmxcc %s: %s; continuing without it\n", cmd, err);
	return on > 0;
}
