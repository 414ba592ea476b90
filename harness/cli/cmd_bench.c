// SPDX-License-Identifier: GPL-2.0
/* vmxcc bench: model evaluations and case encodings per second. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmxcc/baseline.h"
#include "vmxcc/case_compact.h"
#include "vmxcc/profile_text.h"
#include "cli.h"

static const char help[] =
"usage: vmxcc bench [--seconds S] [--profile P]\n"
"\n"
"Measure, on mutations of the long64 baseline: model evaluations per\n"
"second, .vmcs text write+parse per second, and compact encode+decode per\n"
"second.  Each figure is measured for S seconds (default 1).\n";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A few random fields of @base flipped, deterministically from @seed. */
static void mutate(const struct vmx_case *base, unsigned int seed, struct vmx_case *c)
{
	*c = *base;
	for (int i = 0; i < 3; i++) {
		seed = seed * 1103515245u + 12345u;
		int f = (int)((seed >> 8) % VF_COUNT);

		seed = seed * 1103515245u + 12345u;
		c->f[f] ^= (1ull << ((seed >> 8) % 64)) & vmx_field_mask(f);
	}
}

struct bench_ctx {
	struct vmx_case_file cf;
	struct vmx_case base;
	unsigned long sink;
};

static void one_model(struct bench_ctx *b, unsigned int i)
{
	struct vmx_verdict v;
	struct vmx_case c;

	mutate(&b->base, i, &c);
	vmx_model_eval(&b->cf.caps, &c, &v);
	b->sink += v.allowed.n;
}

static void one_text(struct bench_ctx *b, unsigned int i)
{
	struct vmx_case_file back;
	char err[256], *text;

	mutate(&b->base, i, &b->cf.c);
	text = vmx_case_to_text(&b->cf);
	if (vmx_case_parse("<bench>", text, &back, err, sizeof(err)) == 0)
		b->sink += back.c.f[0];
	free(text);
}

static void one_compact(struct bench_ctx *b, unsigned int i)
{
	uint8_t buf[4096];
	struct vmx_case c;
	size_t n;
	int bl;

	mutate(&b->base, i, &b->cf.c);
	n = vmx_compact_encode(&b->cf, buf, sizeof(buf));
	vmx_compact_decode(buf, n < sizeof(buf) ? n : sizeof(buf), &b->cf.caps, &c, &bl);
	b->sink += c.f[0];
}

static void measure(const char *what, void (*fn)(struct bench_ctx *, unsigned int),
		    struct bench_ctx *b, double seconds)
{
	double t0 = now(), t;
	unsigned long n = 0;

	do {
		for (int k = 0; k < 64; k++)
			fn(b, (unsigned int)n++);
		t = now() - t0;
	} while (t < seconds);
	printf("%-36s %12.0f /s  (%lu in %.2f s)\n", what, n / t, n, t);
}

int cmd_bench(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "profile", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *profile = VMX_DEFAULT_PROFILE;
	double seconds = 1.0;
	struct bench_ctx *b;
	char err[512], *end;
	int c;

	while ((c = getopt_long(argc, argv, "s:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			seconds = strtod(optarg, &end);
			if (*end || seconds <= 0 || seconds > 600)
				return cli_usage("bench", "--seconds: '%s' is not in (0, 600]", optarg);
			break;
		case 'p': profile = optarg; break;
		case 'h': fputs(help, stdout); return EXIT_AGREE;
		default: return cli_usage("bench", "bad option");
		}
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return EXIT_USAGE;
	snprintf(b->cf.profile_name, sizeof(b->cf.profile_name), "%s", profile);
	if (vmx_profile_load_caps(profile, NULL, &b->cf.caps, err, sizeof(err))) {
		cli_err("profile %s: %s", profile, err);
		free(b);
		return EXIT_USAGE;
	}
	b->cf.baseline = BL_LONG64;
	vmx_baseline_build(BL_LONG64, &b->cf.caps, &b->base);
	printf("profile %s, baseline long64, 3 random bit flips per case\n", profile);
	measure("model evaluations", one_model, b, seconds);
	measure("text write + parse", one_text, b, seconds);
	measure("compact encode + decode", one_compact, b, seconds);
	free(b);
	return EXIT_AGREE;
}
