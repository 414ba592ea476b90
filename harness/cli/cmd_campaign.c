// SPDX-License-Identifier: GPL-2.0
/* vmxcc campaign: options; the driver is fuzzers/campaign (docs/campaign.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "cli.h"

static const char usage[] =
	"usage: vmxcc campaign --backend B --cores N --time T --out DIR\n"
	"                      [--engine batch|libfuzzer|afl] [--batch K]\n"
	"                      [--minimize-budget S] [--known FILE] [--seed N]\n"
	"                      [--no-report]\n\n"
	"Differential fuzzing of the model against back end B on N cores for T\n"
	"seconds (total, across resumes), then minimization of the divergence\n"
	"buckets for at most S seconds (default 25% of T, at least 10; the rest\n"
	"stay pending for the next run).  Running the same command again on DIR\n"
	"resumes.  Writes DIR/records.jsonl, DIR/summary.json,\n"
	"DIR/regression-candidates/ and the HTML report.\n\n"
	"  --engine   batch (default): built-in, model feedback in process, big\n"
	"             back-end batches; libfuzzer: fz_diff -fork=N; afl: AFL++\n"
	"  --batch K  cases per back-end process per round (batch engine, default\n"
	"             adaptive up to 20000) or per fz_diff batch (default 256)\n"
	"  --known    known deviations of B (default\n"
	"             corpora/known-deviations/NAME.txt): divergences whose failing\n"
	"             checks are all listed are tagged \"known\"\n"
	"  --seed N   random seed of the engine (batch: the mutator; libfuzzer:\n"
	"             -seed), 0..2^63-1; default: a random one (or the one DIR\n"
	"             started with), recorded in DIR/summary.json\n";

int cmd_campaign(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "cores", required_argument, NULL, 'c' },
		{ "time", required_argument, NULL, 't' },
		{ "engine", required_argument, NULL, 'e' },
		{ "out", required_argument, NULL, 'o' },
		{ "batch", required_argument, NULL, 'k' },
		{ "minimize-budget", required_argument, NULL, 'm' },
		{ "known", required_argument, NULL, 'K' },
		{ "no-report", no_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vmxfz_campaign_opts o = { .engine = "batch", .cores = 1, .seconds = 60,
					  .minimize_budget = -1 };
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': o.backend = optarg; break;
		case 'c': o.cores = atoi(optarg); break;
		case 't': o.seconds = atoi(optarg); break;
		case 'e': o.engine = optarg; break;
		case 'o': o.out = optarg; break;
		case 'k': o.batch = atoi(optarg); break;
		case 'm': o.minimize_budget = atoi(optarg); break;
		case 'K': o.known = optarg; break;
		case 'n': o.no_report = 1; break;
		case 's':
			o.seed = strtoull(optarg, &end, 0);
			if (*end || !*optarg || o.seed >> 63 || optarg[0] == '-')
				return cli_usage("campaign", "--seed must be 0..2^63-1");
			o.has_seed = 1;
			break;
		case 'h': fputs(usage, stdout); return EXIT_AGREE;
		default: return cli_usage("campaign", "unknown option");
		}
	}
	if (!o.backend || !o.out)
		return cli_usage("campaign", "--backend and --out are required");
	if (o.cores < 1 || o.cores > 256 || o.seconds < 1)
		return cli_usage("campaign", "--cores must be 1..256 and --time positive");
	if (strcmp(o.engine, "batch") && strcmp(o.engine, "libfuzzer") && strcmp(o.engine, "afl"))
		return cli_usage("campaign", "--engine must be batch, libfuzzer or afl");
	if (o.batch < 0 || o.batch > 20000)
		return cli_usage("campaign", "--batch must be 1..20000");
	if (o.minimize_budget < -1)
		return cli_usage("campaign", "--minimize-budget must be 0 or more seconds");
	return vmxfz_campaign_run(&o);
}
