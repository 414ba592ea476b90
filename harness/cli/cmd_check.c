// SPDX-License-Identifier: GPL-2.0
/* vmxcc check CASE...: the model's verdict, for people or (--json) machines. */
#include <jansson.h>
#include <stdlib.h>

#include "cli.h"

static const char help[] =
"usage: vmxcc check [--json] [--profile P] [--format F] CASE...\n"
"\n"
"Print the model's verdict on each case: the set of outcomes the SDM allows\n"
"and every failing check (id, SDM section, statement).  A case with an\n"
"[expect] section is also checked against it.\n"
"\n"
"  --json        one JSON object per case per line\n"
"  --profile P   profile for binary cases (text cases name their own)\n"
"  --format F    auto (default), text, vmcs12, nested, compact\n"
"\n"
"Exit: 0 all expectations met, 1 an expectation failed, 2 input error.\n";

static json_t *check_list(const struct vmx_verdict *v, const uint64_t *bits)
{
	json_t *a = json_array();

	for (int id = 0; id < VMX_CHECK_COUNT; id++) {
		json_t *o;

		if (!((bits[id / 64] >> (id % 64)) & 1))
			continue;
		o = json_object();
		json_object_set_new(o, "id", json_string(vmx_checks[id].id));
		json_object_set_new(o, "class", json_string(vmx_check_class_names[vmx_checks[id].cls]));
		json_object_set_new(o, "section", json_string(vmx_checks[id].section));
		json_object_set_new(o, "statement", json_string(vmx_checks[id].statement));
		json_array_append_new(a, o);
	}
	return a;
}

static void print_json(const char *file, const struct vmx_case_file *cf,
		       const struct vmx_verdict *v, const char *expect, const char *why)
{
	char set[1024];
	json_t *o = json_object();
	char *s;

	vmx_outcome_set_format(set, sizeof(set), &v->allowed);
	json_object_set_new(o, "file", json_string(file));
	json_object_set_new(o, "profile", json_string(cf->caps.p.name));
	json_object_set_new(o, "model", json_string(set));
	json_object_set_new(o, "failing_checks", check_list(v, v->failed));
	json_object_set_new(o, "uncertain", check_list(v, v->uncertain));
	json_object_set_new(o, "expect", json_string(expect));
	if (why[0])
		json_object_set_new(o, "expect_detail", json_string(why));
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	printf("%s\n", s);
	free(s);
	json_decref(o);
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "profile", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *profile = NULL;
	int fmt = FMT_AUTO, c, ret = EXIT_AGREE;
	bool json = false;

	while ((c = getopt_long(argc, argv, "jp:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'p': profile = optarg; break;
		case 'f':
			if ((fmt = cli_format_by_name(optarg)) < 0)
				return cli_usage("check", "unknown format '%s'", optarg);
			break;
		case 'h': fputs(help, stdout); return EXIT_AGREE;
		default: return cli_usage("check", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage("check", "no case given");
	for (int i = optind; i < argc; i++) {
		struct vmx_case_file cf;
		struct vmx_verdict v;
		char err[1024], why[2048];
		const char *expect = "none";

		if (cli_load_case(argv[i], fmt, profile, &cf, err, sizeof(err))) {
			cli_err("%s", err);
			ret = EXIT_USAGE;
			continue;
		}
		vmx_model_eval(&cf.caps, &cf.c, &v);
		why[0] = 0;
		if (cf.has_expect_outcome || cf.has_expect_checks) {
			expect = cli_expect_ok(&cf, &v, why, sizeof(why)) ? "pass" : "fail";
			if (why[0] && ret == EXIT_AGREE)
				ret = EXIT_DIVERGE;
		}
		if (json) {
			print_json(argv[i], &cf, &v, expect, why);
			continue;
		}
		printf("%s (profile %s):\n", argv[i], cf.caps.p.name);
		cli_print_verdict(stdout, &v, "  ");
		if (expect[0] != 'n')
			printf("  expect: %s%s%s\n", expect, why[0] ? ": " : "", why);
	}
	return ret;
}
