// SPDX-License-Identifier: GPL-2.0
/* vmxcc checks: the catalogue, grouped and counted by SDM section. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
"usage: vmxcc checks [--json] [--counts]\n"
"\n"
"List every check of the model's catalogue (id, class, statement) under its\n"
"SDM section, with the number of checks per section and in total.\n"
"\n"
"  --json     the catalogue as one JSON object\n"
"  --counts   only the per-section counts and the total\n";

static void print_json(void)
{
	json_t *o = json_object(), *a = json_array();
	char *s;

	for (int id = 0; id < VMX_CHECK_COUNT; id++) {
		json_t *c = json_object();

		json_object_set_new(c, "id", json_string(vmx_checks[id].id));
		json_object_set_new(c, "class", json_string(vmx_check_class_names[vmx_checks[id].cls]));
		json_object_set_new(c, "qual", json_integer(vmx_checks[id].qual));
		json_object_set_new(c, "section", json_string(vmx_checks[id].section));
		json_object_set_new(c, "statement", json_string(vmx_checks[id].statement));
		json_array_append_new(a, c);
	}
	json_object_set_new(o, "total", json_integer(VMX_CHECK_COUNT));
	json_object_set_new(o, "checks", a);
	s = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	printf("%s\n", s);
	free(s);
	json_decref(o);
}

static bool seen_before(int id)
{
	for (int i = 0; i < id; i++)
		if (strcmp(vmx_checks[i].section, vmx_checks[id].section) == 0)
			return true;
	return false;
}

static int section_count(int id)
{
	int n = 0;

	for (int i = id; i < VMX_CHECK_COUNT; i++)
		n += strcmp(vmx_checks[i].section, vmx_checks[id].section) == 0;
	return n;
}

int cmd_checks(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "counts", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, counts = false;
	int c, sections = 0;

	while ((c = getopt_long(argc, argv, "jch", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'c': counts = true; break;
		case 'h': fputs(help, stdout); return EXIT_AGREE;
		default: return cli_usage("checks", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage("checks", "unexpected argument '%s'", argv[optind]);
	if (json) {
		print_json();
		return EXIT_AGREE;
	}
	/* Grouped by section, sections in catalogue (SDM) order. */
	for (int id = 0; id < VMX_CHECK_COUNT; id++) {
		if (seen_before(id))
			continue;
		sections++;
		if (counts) {
			printf("%4d  %s\n", section_count(id), vmx_checks[id].section);
			continue;
		}
		printf("%s (%d)\n", vmx_checks[id].section, section_count(id));
		for (int i = id; i < VMX_CHECK_COUNT; i++)
			if (strcmp(vmx_checks[i].section, vmx_checks[id].section) == 0)
				printf("  %-40s %-11s %s\n", vmx_checks[i].id,
				       vmx_check_class_names[vmx_checks[i].cls], vmx_checks[i].statement);
	}
	printf("%4d  checks in %d sections\n", VMX_CHECK_COUNT, sections);
	return EXIT_AGREE;
}
