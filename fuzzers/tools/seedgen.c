// SPDX-License-Identifier: GPL-2.0
/*
 * vmxfz-seedgen OUTDIR: the seed corpus and the benchmark goal, generated
 * from the model's own tests (vmx_model/tests/checks_*.c), so seeds follow
 * the catalogue as it grows.
 *   OUTDIR/baselines/NAME      each baseline the profile supports (compact)
 *   OUTDIR/violations/NNN      each single-check violation test (compact)
 *   OUTDIR/goal.txt            "ID failed|passed": the features those cases
 *                              show, i.e. what is known to be reachable
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check_test.h"
#include "fz_common.h"
#include "vmxcc/case_compact.h"
#include "mutator.h"

static uint8_t reach[VMXFZ_N_FEATURES];

static void observe(const struct vmx_case *c)
{
	struct vmx_verdict v;

	vmx_model_eval(vmxfz_caps(), c, &v);
	vmxfz_features(&v, reach);
}

static void write_seed(const char *dir, const char *name, const struct vmx_case *c,
		       int base)
{
	static uint8_t buf[1 << 16];
	char path[4096];
	size_t n = vmxfz_encode(vmxfz_caps(), c, base, buf, sizeof(buf));
	struct vmx_case back;
	int bb;
	FILE *f;

	/* The goal is what the encoded seed shows: state the compact
	 * encoding cannot carry is not reachable by the fuzzers either. */
	vmx_compact_decode(buf, n, vmxfz_caps(), &back, &bb);
	observe(&back);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "vmxfz-seedgen: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void mkdir_p(const char *a, const char *b, char *out, size_t len)
{
	snprintf(out, len, "%s%s", a, b);
	if (mkdir(out, 0777) && errno != EEXIST) {
		fprintf(stderr, "vmxfz-seedgen: %s: %s\n", out, strerror(errno));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	char bdir[4096], vdir[4096], path[4096];
	struct vmx_profile p;
	struct vmx_case c;
	int nb = 0, nv = 0, ng = 0;
	FILE *goal;

	if (argc != 2) {
		fprintf(stderr, "usage: vmxfz-seedgen OUTDIR\n");
		return 2;
	}
	mkdir_p(argv[1], "", bdir, sizeof(bdir));
	mkdir_p(argv[1], "/baselines", bdir, sizeof(bdir));
	mkdir_p(argv[1], "/violations", vdir, sizeof(vdir));
	for (int b = 0; b < BL_COUNT; b++) {
		if (vmx_baseline_build(b, vmxfz_caps(), &c))
			continue;
		write_seed(bdir, vmx_baseline_names[b], &c, b);
		nb++;
	}
#define EMIT(g)								\
	for (size_t i = 0; i < n_check_tests_##g; i++) {		\
		const struct check_test *t = &check_tests_##g[i];	\
		char name[32];						\
									\
		if (vmx_baseline_build(t->base, vmxfz_caps(), &c))	\
			continue;					\
		p = vmxfz_caps()->p;	/* profile edits are dropped */	\
		t->mutate(&c, &p);					\
		snprintf(name, sizeof(name), "%s-%03zu", #g, i);	\
		write_seed(vdir, name, &c, t->base);			\
		nv++;							\
	}
	CHECK_TEST_GROUPS(EMIT)
#undef EMIT
	snprintf(path, sizeof(path), "%s/goal.txt", argv[1]);
	goal = fopen(path, "w");
	if (!goal) {
		fprintf(stderr, "vmxfz-seedgen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (int i = 0; i < VMXFZ_N_FEATURES; i++)
		if (reach[i] && ++ng)
			fprintf(goal, "%s %s\n", vmx_checks[i / 2].id, i % 2 ? "passed" : "failed");
	fclose(goal);
	printf("vmxfz-seedgen: %d baselines, %d violations, %d goal features in %s\n",
	       nb, nv, ng, argv[1]);
	return 0;
}
