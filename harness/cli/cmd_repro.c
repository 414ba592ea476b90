// SPDX-License-Identifier: GPL-2.0
/* vmxcc repro CASE --backend B[,B2...]: one case, side by side. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/readback.h"
#include "vmxcc/record.h"
#include "vmxcc/run.h"
#include "cli.h"

static const char help[] =
"usage: vmxcc repro CASE --backend B[,B2...] [--records FILE] [--profile P]\n"
"                   [--no-readback]\n"
"\n"
"Run CASE on each back end (NAME or NAME:ARG, e.g. bochs:tigerlake), judge\n"
"the effective image each one reports with the model under that back end's\n"
"profile, and print model set, observed outcome and verdict side by side,\n"
"then the failing checks and the fields the back end changed.\n"
"\n"
"Where the back end can, every field is read back after the attempt and\n"
"printed under the outcome where it differs from what was written:\n"
"UNEXPECTED (a finding: the VMCS holds Y where X was written) or expected\n"
"(exit information, guest state saved by a VM exit, ...).  After a failed\n"
"attempt the model judges the image corrected by the read-back (the values\n"
"the checks saw) and says which fields it took from it.\n"
"\n"
"  --backend LIST  comma-separated back ends\n"
"  --records FILE  append a divergence record (JSONL) for each divergence\n"
"  --profile P     profile for a binary CASE\n"
"  --no-readback   do not read the VMCS back (faster; the image as written)\n"
"\n"
"Exit: 0 all agree (or skipped), 1 a divergence or back-end error, 2 usage,\n"
"input error or a back end that is not built/not available here.\n";

#define MAX_BACKENDS 8

struct one {
	struct vmx_backend_inst bi;
	bool rb;			/* read-back on */
	struct vmx_backend_result res;
	struct vmx_comparison cmp;
};

static void print_effective_diff(const struct vmx_case *c, const struct vmx_case *e)
{
	bool any = false;

	for (int f = 0; f < VF_COUNT; f++) {
		if (c->f[f] == e->f[f])
			continue;
		printf("    %-32s case %#llx, ran %#llx\n", vmx_fields[f].name,
		       (unsigned long long)c->f[f], (unsigned long long)e->f[f]);
		any = true;
	}
	for (int k = 0; k < SK_COUNT; k++) {
		if (vmx_state_get(c, k) == vmx_state_get(e, k))
			continue;
		printf("    [state] %-24s case %#llx, ran %#llx\n", vmx_state_key_names[k],
		       (unsigned long long)vmx_state_get(c, k), (unsigned long long)vmx_state_get(e, k));
		any = true;
	}
	if (!any)
		printf("    (none: the back end ran the case as written)\n");
}

static void print_readback(const struct one *o)
{
	const struct vmx_comparison *c = &o->cmp;
	struct vmx_rb_diffs *d;
	char set[1024];

	if (!o->rb)
		return;
	if (!c->readback) {
		printf("  read-back: none (the attempt did not run or nothing was read)\n");
		return;
	}
	if (c->corrected) {
		printf("  image corrected by the read-back (failed attempt: the VMCS holds "
		       "what the checks saw):");
		for (int f = 0; f < VF_COUNT; f++)
			if (vmx_rb_bit(c->rb_substituted, f))
				printf(" %s", vmx_fields[f].name);
		vmx_outcome_set_format(set, sizeof(set), &c->model_effective);
		printf("\n  model on the image as written: %s\n", set);
	}
	d = malloc(sizeof(*d));
	if (!d)
		return;
	vmx_readback_diff(&o->res, d);
	printf("  read-back (the VMCS after the attempt) vs written:\n");
	vmx_readback_print(stdout, d, "    ");
	free(d);
}

static int report(struct one *o, int n, const struct vmx_case_file *cf, const char *records)
{
	int ret = EXIT_AGREE;
	char set[1024], obs[64], err[512];

	printf("%-24s %-36s %-24s %s\n", "back end", "model (effective image)", "observed", "verdict");
	for (int i = 0; i < n; i++) {
		vmx_outcome_set_format(set, sizeof(set), &o[i].cmp.model.allowed);
		vmx_outcome_format(obs, sizeof(obs), &o[i].res.outcome);
		printf("%-24s %-36s %-24s %s\n", o[i].bi.spec, set, obs,
		       vmx_agreement_names[o[i].cmp.agreement]);
	}
	for (int i = 0; i < n; i++) {
		printf("\n%s (profile %s):\n", o[i].bi.spec, o[i].bi.profile.name);
		cli_print_verdict(stdout, &o[i].cmp.model, "  ");
		print_readback(&o[i]);
		printf("  effective image vs case:\n");
		print_effective_diff(&cf->c, &o[i].res.effective);
		if (o[i].res.text[0])
			printf("  back end says: %s\n", o[i].res.text);
		if (o[i].cmp.agreement == VMX_DIVERGE || o[i].cmp.agreement == VMX_BACKEND_FAILED)
			ret = EXIT_DIVERGE;
		if (o[i].cmp.agreement == VMX_DIVERGE) {
			struct vmx_record_src src = { o[i].bi.spec, &o[i].bi.profile, cf,
						      &o[i].res.effective, &o[i].cmp, o[i].res.text };
			json_t *rec;

			printf("  signature: %016llx\n", (unsigned long long)o[i].cmp.signature);
			if (!records)
				continue;
			rec = vmx_record_build(&src);
			vmx_record_set_readback(rec, &o[i].res, &o[i].cmp);
			if (vmx_record_append(records, rec, err, sizeof(err)))
				cli_err("%s", err);
			json_decref(rec);
		}
	}
	return ret;
}

int cmd_repro(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "records", required_argument, NULL, 'r' },
		{ "profile", required_argument, NULL, 'p' },
		{ "no-readback", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *backends = NULL, *names[MAX_BACKENDS], err[1024];
	const char *records = NULL, *profile = NULL;
	struct vmx_case_file cf;
	struct one *o;
	bool no_rb = false;
	int c, n, ret;

	while ((c = getopt_long(argc, argv, "b:r:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': backends = optarg; break;
		case 'r': records = optarg; break;
		case 'p': profile = optarg; break;
		case 'R': no_rb = true; break;
		case 'h': fputs(help, stdout); return EXIT_AGREE;
		default: return cli_usage("repro", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage("repro", "exactly one case expected");
	if (!backends)
		return cli_usage("repro", "--backend is required");
	if (cli_load_case(argv[optind], FMT_AUTO, profile, &cf, err, sizeof(err))) {
		cli_err("%s", err);
		return EXIT_USAGE;
	}
	n = cli_split_commas(backends, names, MAX_BACKENDS);
	o = calloc((size_t)n, sizeof(*o));
	if (!o)
		return EXIT_USAGE;
	ret = EXIT_AGREE;
	for (int i = 0; i < n && ret == EXIT_AGREE; i++) {
		if (vmx_backend_open_spec(names[i], &o[i].bi, err, sizeof(err))) {
			cli_err("%s", err);
			ret = EXIT_USAGE;
			break;
		}
		o[i].rb = cli_readback(&o[i].bi, no_rb, "repro");
		if (vmx_run_compare(&o[i].bi, &cf.c, 1, &o[i].res, &o[i].cmp, err, sizeof(err))) {
			cli_err("%s", err);
			ret = EXIT_USAGE;
		}
	}
	if (ret == EXIT_AGREE)
		ret = report(o, n, &cf, records);
	for (int i = 0; i < n; i++)
		vmx_backend_inst_close(&o[i].bi);
	free(o);
	return ret;
}
