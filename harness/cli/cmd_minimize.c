// SPDX-License-Identifier: GPL-2.0
/* vmxcc minimize CASE --backend B: the smallest case with the same divergence. */
#include <stdlib.h>

#include "vmxcc/baseline.h"
#include "vmxcc/run.h"
#include "cli.h"

static const char help[] =
"usage: vmxcc minimize CASE --backend B [-o OUT] [--profile P] [--no-readback]\n"
"\n"
"Delta debugging (ddmin) over the case's differences from the nearest\n"
"valid baseline: of the baselines the profile can build, the one with the\n"
"fewest differences on which the back end agrees with the model (ties go\n"
"to the case's own baseline).  A difference is one field, one [state]\n"
"key, one PDPTE or one MSR-load entry; differences are reverted as long\n"
"as the back end still diverges with the same signature.  Prints the\n"
"chosen baseline, the smallest case (canonical .vmcs text, to OUT if\n"
"given) and its diff against the baseline.\n"
"\n"
"Every run reads the VMCS back where the back end can (--no-readback: not):\n"
"a field read back unexpectedly is part of the divergence kept, and a\n"
"failed attempt is judged on the image corrected by the read-back.\n"
"\n"
"Exit: 0 minimized (or nothing to minimize: the back end agrees), 2 usage,\n"
"input error or back end not available.\n";

static const char *bl_name(int b)
{
	return b == VMX_CASE_NO_BASELINE ? "(none)" : vmx_baseline_names[b];
}

static void print_msr(FILE *f, uint32_t i, const struct vmx_case *base, const struct vmx_case *c)
{
	struct vmx_msr_entry x = vmx_case_msr_entry(base, i), y = vmx_case_msr_entry(c, i);

	if ((i < base->n_msr_load) == (i < c->n_msr_load) && x.index == y.index &&
	    x.reserved == y.reserved && x.value == y.value)
		return;
	fprintf(f, "  [msr_load] %-21u", i);
	if (i < base->n_msr_load)
		fprintf(f, " %#x %#llx %#x", x.index, (unsigned long long)x.value, x.reserved);
	else
		fprintf(f, " (none)");
	if (i < c->n_msr_load)
		fprintf(f, " -> %#x %#llx %#x\n", y.index, (unsigned long long)y.value, y.reserved);
	else
		fprintf(f, " -> (none)\n");
}

/* Everything delta debugging counts as a difference, one line each. */
static void print_other(FILE *f, const struct vmx_case *base, const struct vmx_case *c)
{
	uint32_t n = base->n_msr_load > c->n_msr_load ? base->n_msr_load : c->n_msr_load;

	if (c->link_is_current != base->link_is_current)
		fprintf(f, "  [state] %-24s %u -> %u\n", "link_is_current",
			base->link_is_current, c->link_is_current);
	for (int i = 0; i < 4; i++)
		if (c->pdpte[i] != base->pdpte[i])
			fprintf(f, "  [pdpte] %-24d %#llx -> %#llx\n", i,
				(unsigned long long)base->pdpte[i], (unsigned long long)c->pdpte[i]);
	for (uint32_t i = 0; i < n; i++)
		print_msr(f, i, base, c);
}

static void print_diff(FILE *f, const struct vmx_case_file *cf)
{
	struct vmx_case base;

	vmx_case_base(cf, &base);
	fprintf(f, "field diff against baseline %s:\n", bl_name(cf->baseline));
	for (int i = 0; i < VF_COUNT; i++)
		if (cf->c.f[i] != base.f[i])
			fprintf(f, "  %-32s %#llx -> %#llx\n", vmx_fields[i].name,
				(unsigned long long)base.f[i], (unsigned long long)cf->c.f[i]);
	for (int k = 0; k < SK_COUNT; k++)
		if (vmx_state_get(&cf->c, k) != vmx_state_get(&base, k))
			fprintf(f, "  [state] %-24s %#llx -> %#llx\n", vmx_state_key_names[k],
				(unsigned long long)vmx_state_get(&base, k),
				(unsigned long long)vmx_state_get(&cf->c, k));
	print_other(f, &base, &cf->c);
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
		{ "no-readback", no_argument, NULL, 'R' },
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
	bool no_rb = false;
	int c, ret = EXIT_USAGE;

	while ((c = getopt_long(argc, argv, "b:o:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': backend = optarg; break;
		case 'o': out = optarg; break;
		case 'p': profile = optarg; break;
		case 'R': no_rb = true; break;
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
	cli_readback(&bi, no_rb, "minimize");
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
	if (st.baseline != st.given_baseline)
		fprintf(stderr, "baseline %s chosen: %d differences (the case's baseline %s: %d)\n",
			bl_name(st.baseline), st.units_before, bl_name(st.given_baseline),
			st.given_units);
	else
		fprintf(stderr, "baseline %s kept: %d differences\n", bl_name(st.baseline),
			st.units_before);
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
