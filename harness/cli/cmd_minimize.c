// SPDX-License-Identifier: GPL-2.0
/* vmxcc minimize CASE --backend B: the smallest case with the same divergence. */
#include <stdlib.h>

#include "vmxcc/baseline.h"
#include "vmxcc/run.h"
#include "cli.h"

static const char help[] =
"usage: vmxcc minimize CASE --backend B [-o OUT] [--profile P]\n"
"\n"
"Field-level delta debugging: revert the case's differences from its\n"
"baseline (or, without one, from the nearest baseline the profile can\n"
"build) as long as the back end still diverges from the model with the\n"
"same signature.  Prints the smallest case (canonical .vmcs text, to OUT\n"
"if given) and its field diff against the baseline.\n"
"\n"
"Exit: 0 minimized (or nothing to minimize: the back end agrees), 2 usage,\n"
"input error or back end not available.\n";

static void print_diff(FILE *f, const struct vmx_case_file *cf)
{
	struct vmx_case base;

	vmx_case_base(cf, &base);
	fprintf(f, "field diff against baseline %s:\n",
		cf->baseline == VMX_CASE_NO_BASELINE ? "(none)" : vmx_baseline_names[cf->baseline]);
	for (int i = 0; i < VF_COUNT; i++)
		if (cf->c.f[i] != base.f[i])
			fprintf(f, "  %-32s %#llx -> %#llx\n", vmx_fields[i].name,
				(unsigned long long)base.f[i], (unsigned long long)cf->c.f[i]);
	for (int k = 0; k < SK_COUNT; k++)
		if (vmx_state_get(&cf->c, k) != vmx_state_get(&base, k))
			fprintf(f, "  [state] %-24s %#llx -> %#llx\n", vmx_state_key_names[k],
				(unsigned long long)vmx_state_get(&base, k),
				(unsigned long long)vmx_state_get(&cf->c, k));
}

static int write_out(const char *out, const struct vmx_case_file *cf)
{
	FILE *f = out ? fopen(out, "w") : stdout;

	if (!f) {
		cli_err("%s: cannot write", out);
		return EXIT_USAGE;
	}
	vmx_case_write(f, cf);
	if (out && fclose(f) != 0) {
		cli_err("%s: write error", out);
		return EXIT_USAGE;
	}
	return EXIT_AGREE;
}

int cmd_minimize(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "profile", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *backend = NULL, *out = NULL, *profile = NULL;
	struct vmx_minimize_stats st;
	struct vmx_backend_result res;
	struct vmx_comparison cmp;
	struct vmx_backend_inst bi;
	struct vmx_case_file cf;
	char err[1024];
	int c, ret = EXIT_USAGE;

	while ((c = getopt_long(argc, argv, "b:o:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': backend = optarg; break;
		case 'o': out = optarg; break;
		case 'p': profile = optarg; break;
		case 'h': fputs(help, stdout); return EXIT_AGREE;
		default: return cli_usage("minimize", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage("minimize", "exactly one case expected");
	if (!backend)
		return cli_usage("minimize", "--backend is required");
	if (cli_load_case(argv[optind], FMT_AUTO, profile, &cf, err, sizeof(err))) {
		cli_err("%s", err);
		return EXIT_USAGE;
	}
	if (vmx_backend_open_spec(backend, &bi, err, sizeof(err))) {
		cli_err("%s", err);
		return EXIT_USAGE;
	}
	if (vmx_run_compare(&bi, &cf.c, 1, &res, &cmp, err, sizeof(err)))
		goto fail;
	if (cmp.agreement != VMX_DIVERGE) {
		fprintf(stderr, "vmxcc minimize: %s: %s on %s, nothing to minimize\n", argv[optind],
			vmx_agreement_names[cmp.agreement], bi.spec);
		ret = EXIT_AGREE;
		goto done;
	}
	if (vmx_minimize(&bi, &cf, cmp.signature, &st, err, sizeof(err)))
		goto fail;
	cf.has_expect_outcome = cf.has_expect_checks = false;
	fprintf(stderr, "signature %016llx: %d differences -> %d (%d runs in %d batches)\n",
		(unsigned long long)cmp.signature, st.units_before, st.units_after, st.runs, st.batches);
	print_diff(stderr, &cf);
	ret = write_out(out, &cf);
	goto done;
fail:
	cli_err("%s", err);
	ret = EXIT_USAGE;
done:
	vmx_backend_inst_close(&bi);
	return ret;
}
