// SPDX-License-Identifier: GPL-2.0
/*
 * Model evaluations per second on one core: (a) every baseline (all checks
 * pass, so every check is evaluated and the MSR walk runs to the end), and
 * (b) random mutants of the baselines (seeded xorshift flipping random bits
 * of random fields or MSR-load entries).
 *
 * Usage: bench_model [seconds-per-measurement (default 0.5)] [seed]
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmxcc/baseline.h"
#include "vmxcc/model.h"

#define N_MUTANTS 4096

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Evaluate the @n cases round-robin for about @secs; returns evaluations/s.
 * @sink keeps the compiler from dropping the work. */
static double measure(const struct vmx_caps *caps, const struct vmx_case *cases, size_t n,
		      double secs, uint64_t *sink)
{
	struct vmx_verdict v;
	uint64_t evals = 0;
	double t0 = now(), t;

	do {
		for (int k = 0; k < 1024; k++) {
			vmx_model_eval(caps, &cases[evals % n], &v);
			*sink += v.allowed.n + v.failed[0];
			evals++;
		}
		t = now() - t0;
	} while (t < secs);
	return evals / t;
}

/* Flip 1-3 random bits of random fields (or of an MSR-load entry). */
static void mutate(struct vmx_case *c, uint64_t *seed)
{
	int flips = 1 + (int)(xorshift64(seed) % 3);

	for (int i = 0; i < flips; i++) {
		uint64_t r = xorshift64(seed);
		uint32_t f = (uint32_t)(r % (VF_COUNT + 1));
		uint64_t bit = 1ull << ((r >> 32) % 64);

		if (f < VF_COUNT) {
			c->f[f] = (c->f[f] ^ bit) & vmx_field_mask(f);
		} else if (c->n_msr_load) {
			struct vmx_msr_entry *e = &c->msr_load[(r >> 40) % c->n_msr_load];

			if (bit >> 32)
				e->value ^= bit;
			else
				e->index ^= (uint32_t)bit;
		}
	}
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 0.5;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x9e3779b97f4a7c15ull;
	static struct vmx_case base[BL_COUNT], mutants[N_MUTANTS];
	struct vmx_profile p;
	struct vmx_caps caps;
	struct vmx_verdict v;
	uint64_t sink = 0, kinds[4] = { 0 };
	int nbase = 0;
	cpu_set_t one;
	char err[256];

	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);	/* best effort: one core */

	vmx_profile_synthetic_full(&p);
	if (vmx_caps_from_profile(&caps, &p, err, sizeof(err))) {
		fprintf(stderr, "bench_model: synthetic profile rejected: %s\n", err);
		return 1;
	}
	printf("profile %s, %d check ids, %.2f s per measurement\n", p.name, VMX_CHECK_COUNT, secs);
	for (int b = 0; b < BL_COUNT; b++) {
		if (vmx_baseline_build(b, &caps, &base[nbase]) != 0) {
			printf("model.eval baseline %s: not built for this profile\n",
			       vmx_baseline_names[b]);
			continue;
		}
		printf("model.eval baseline %s: %.2f M/s\n", vmx_baseline_names[b],
		       measure(&caps, &base[nbase], 1, secs, &sink) / 1e6);
		nbase++;
	}
	if (!nbase)
		return 1;
	printf("model.eval baselines (all, round-robin): %.2f M/s\n",
	       measure(&caps, base, nbase, secs, &sink) / 1e6);

	for (int i = 0; i < N_MUTANTS; i++) {
		mutants[i] = base[xorshift64(&seed) % nbase];
		mutate(&mutants[i], &seed);
		vmx_model_eval(&caps, &mutants[i], &v);
		kinds[v.allowed.n ? v.allowed.o[0].kind : 0]++;
	}
	printf("model.eval random mutants (%d, seed-derived): %.2f M/s\n", N_MUTANTS,
	       measure(&caps, mutants, N_MUTANTS, secs, &sink) / 1e6);
	printf("mutant first outcomes: vmfail-invalid %llu, vmfail %llu, exit %llu, entered %llu\n",
	       (unsigned long long)kinds[0], (unsigned long long)kinds[1],
	       (unsigned long long)kinds[2], (unsigned long long)kinds[3]);
	return sink == 42 ? 2 : 0;	/* never: keeps @sink alive */
}
