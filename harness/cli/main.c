// SPDX-License-Identifier: GPL-2.0
/* vmxcc: the command line (docs/cli.md).  One file per subcommand. */
#include <string.h>

#include "cli.h"

static const struct cli_cmd cmds[] = {
	{ "check", cmd_check, "the model's verdict on case files" },
	{ "checks", cmd_checks, "the check catalogue, with counts per SDM section" },
	{ "repro", cmd_repro, "run a case on back ends and compare with the model" },
	{ "replay", cmd_replay, "run many cases on a back end; JSONL results" },
	{ "minimize", cmd_minimize, "shrink a diverging case towards its baseline" },
	{ "profile", cmd_profile, "show, diff or capture capability profiles" },
	{ "convert", cmd_convert, "convert cases: text, vmcs12, nested-state blob, compact" },
	{ "bench", cmd_bench, "model and encoding throughput" },
	{ "campaign", cmd_campaign, "differential fuzzing campaign against a back end" },
};

static int usage(FILE *f, int code)
{
	fprintf(f, "usage: vmxcc COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n'vmxcc COMMAND --help' describes a command.\n"
		"Exit codes: 0 agree/pass, 1 divergence (or failed expectation,\n"
		"back-end error), 2 usage or input error.\n");
	return code;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr, EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0)
		return usage(stdout, EXIT_AGREE);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].run(argc - 1, argv + 1);
	cli_err("unknown command '%s'", argv[1]);
	return usage(stderr, EXIT_USAGE);
}
