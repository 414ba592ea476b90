// SPDX-License-Identifier: GPL-2.0
/* vmxcc campaign: options; the driver is fuzzers/campaign (docs/campaign.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "cli.h"

static const char usage[] =
	"usage: vmxcc campaign --backend B --cores N --time T [--engine libfuzzer|afl]\n"
	"                      --out DIR [--batch K] [--no-report]\n\n"
	"Differential fuzzing of the model against back end B on N cores for T\n"
	"seconds (total, across resumes).  Running the same command again on DIR\n"
	"resumes.  Writes DIR/records.jsonl, DIR/summary.json,\n"
	"DIR/regression-candidates/ and the HTML report.\n";

int cmd_campaign(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "cores", required_argument, NULL, 'c' },
		{ "time", required_argument, NULL, 't' },
		{ "engine", required_argument, NULL, 'e' },
		{ "out", required_argument, NULL, 'o' },
		{ "batch", required_argument, NULL, 'k' },
		{ "no-report", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vmxfz_campaign_opts o = { .engine = "libfuzzer", .cores = 1, .seconds = 60,
					  .batch = 256 };
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': o.backend = optarg; break;
		case 'c': o.cores = atoi(optarg); break;
		case 't': o.seconds = atoi(optarg); break;
		case 'e': o.engine = optarg; break;
		case 'o': o.out = optarg; break;
		case 'k': o.batch = atoi(optarg); break;
		case 'n': o.no_report = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_AGREE;
		default: return cli_usage("campaign", "unknown option");
		}
	}
	if (!o.backend || !o.out)
		return cli_usage("campaign", "--backend and --out are required");
	if (o.cores < 1 || o.cores > 256 || o.seconds < 1)
		return cli_usage("campaign", "--cores must be 1..256 and --time positive");
	if (strcmp(o.engine, "libfuzzer") && strcmp(o.engine, "afl"))
		return cli_usage("campaign", "--engine must be libfuzzer or afl");
	return vmxfz_campaign_run(&o);
}
