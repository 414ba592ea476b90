// SPDX-License-Identifier: GPL-2.0
/* vmxcc convert: .vmcs text <-> KVM vmcs12 <-> nested-state blob <-> compact. */
#include <stdlib.h>
#include <string.h>

#include "vmxcc/baseline.h"
#include "vmxcc/case_compact.h"
#include "vmxcc/vmcs12.h"
#include "cli.h"

static const char help[] =
"usage: vmxcc convert IN [-o OUT] [--to FORMAT] [--from FORMAT]\n"
"                     [--profile P] [--baseline NAME|auto|none]\n"
"\n"
"Convert a case between formats: text (.vmcs), vmcs12 (KVM's 4 KiB struct\n"
"vmcs12, revision 0x11e57ed0), nested (a KVM_GET_NESTED_STATE blob) and\n"
"compact (the fuzzers' encoding).  The input format is detected from the\n"
"content; the output format comes from --to or OUT's extension (.vmcs,\n"
".vmcs12, .nested, .vxc), else text.\n"
"\n"
"  --profile P    profile for binary input (default synthetic-full)\n"
"  --baseline B   for text/compact output of a binary input: write the\n"
"                 fields that differ from baseline B ('auto': the nearest\n"
"                 one the profile can build; default none)\n"
"\n"
"State a vmcs12 cannot hold (MSR-load entries, PDPTEs, ...) is reported\n"
"on stderr when dropped; a non-zero field with no vmcs12 slot is an error.\n";

static int by_extension(const char *path)
{
	static const struct { const char *ext; int fmt; } map[] = {
		{ ".vmcs", FMT_TEXT }, { ".vmcs12", FMT_VMCS12 },
		{ ".nested", FMT_NESTED }, { ".vxc", FMT_COMPACT },
	};
	size_t len = path ? strlen(path) : 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		size_t e = strlen(map[i].ext);

		if (len > e && strcmp(path + len - e, map[i].ext) == 0)
			return map[i].fmt;
	}
	return FMT_TEXT;
}

static void rebase(struct vmx_case_file *cf, const char *baseline)
{
	int best = VMX_CASE_NO_BASELINE, best_n = VF_COUNT + 1;
	struct vmx_case base;

	if (!baseline || strcmp(baseline, "none") == 0)
		return;
	if (strcmp(baseline, "auto") != 0) {
		cf->baseline = vmx_baseline_by_name(baseline);
		return;
	}
	for (int b = 0; b < BL_COUNT; b++) {
		int n = 0;

		if (vmx_baseline_build(b, &cf->caps, &base))
			continue;
		for (int f = 0; f < VF_COUNT; f++)
			n += cf->c.f[f] != base.f[f];
		if (n < best_n) {
			best_n = n;
			best = b;
		}
	}
	cf->baseline = best;
}

static int write_bytes(const char *out, const void *buf, size_t len)
{
	FILE *f = out ? fopen(out, "wb") : stdout;

	if (!f || fwrite(buf, 1, len, f) != len || (out && fclose(f) != 0)) {
		cli_err("%s: cannot write", out ? out : "<stdout>");
		return EXIT_USAGE;
	}
	return EXIT_AGREE;
}

static int emit(const struct vmx_case_file *cf, int to, const char *out)
{
	char err[512], lost[256];
	uint8_t *blob = NULL;
	size_t len;
	int ret;

	switch (to) {
	case FMT_TEXT: {
		char *text = vmx_case_to_text(cf);

		ret = write_bytes(out, text, strlen(text));
		free(text);
		return ret;
	}
	case FMT_COMPACT:
		len = vmx_compact_encode(cf, NULL, 0);
		blob = malloc(len);
		vmx_compact_encode(cf, blob, len);
		break;
	case FMT_VMCS12:
		blob = malloc(VMCS12_SIZE);
		len = VMCS12_SIZE;
		if (vmx_vmcs12_export(&cf->c, blob, err, sizeof(err))) {
			free(blob);
			cli_err("%s", err);
			return EXIT_USAGE;
		}
		break;
	default:
		if (vmx_nested_export(&cf->c, NULL, &blob, &len, err, sizeof(err))) {
			cli_err("%s", err);
			return EXIT_USAGE;
		}
		break;
	}
	if (to == FMT_VMCS12 || to == FMT_NESTED) {
		vmx_vmcs12_lost_state(&cf->c, lost, sizeof(lost));
		if (lost[0])
			fprintf(stderr, "vmxcc convert: not representable in %s, dropped: %s\n",
				cli_format_names[to], lost);
	}
	ret = write_bytes(out, blob, len);
	free(blob);
	return ret;
}

int cmd_convert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "to", required_argument, NULL, 't' },
		{ "from", required_argument, NULL, 'f' },
		{ "profile", required_argument, NULL, 'p' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *profile = NULL, *baseline = NULL;
	int to = -1, from = FMT_AUTO, c;
	struct vmx_case_file cf;
	char err[1024];

	while ((c = getopt_long(argc, argv, "o:t:f:p:B:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'p': profile = optarg; break;
		case 'B':
			baseline = optarg;
			if (strcmp(optarg, "auto") && strcmp(optarg, "none") &&
			    vmx_baseline_by_name(optarg) < 0)
				return cli_usage("convert", "unknown baseline '%s'", optarg);
			break;
		case 't':
			if ((to = cli_format_by_name(optarg)) <= FMT_AUTO)
				return cli_usage("convert", "unknown format '%s'", optarg);
			break;
		case 'f':
			if ((from = cli_format_by_name(optarg)) < 0)
				return cli_usage("convert", "unknown format '%s'", optarg);
			break;
		case 'h': fputs(help, stdout); return EXIT_AGREE;
		default: return cli_usage("convert", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage("convert", "exactly one input expected");
	if (cli_load_case(argv[optind], from, profile, &cf, err, sizeof(err))) {
		cli_err("%s", err);
		return EXIT_USAGE;
	}
	if (to < 0)
		to = by_extension(out);
	if (cf.baseline == VMX_CASE_NO_BASELINE)
		rebase(&cf, baseline);
	if (cf.baseline != VMX_CASE_NO_BASELINE) {
		struct vmx_case tmp;

		if (vmx_baseline_build(cf.baseline, &cf.caps, &tmp)) {
			cli_err("baseline %s: profile %s lacks a feature it needs",
				vmx_baseline_names[cf.baseline], cf.profile_name);
			return EXIT_USAGE;
		}
	}
	return emit(&cf, to, out);
}
