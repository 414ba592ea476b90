// SPDX-License-Identifier: GPL-2.0
/*
 * Throughput of the Bochs back end, end to end (disk image, boot, run,
 * results): one Bochs process, then one per core, on a realistic mix (the
 * model's own test cases, repeated), plus a tight-loop reference in the
 * same run: one failing case repeated, so the core writes no field and the
 * time is VMLAUNCH + classification + result I/O alone.  Last, the mix
 * with read-back of every field after each attempt (what repro, replay
 * and minimization use), on a quarter of the cases.
 *
 *   bochs_bench [MODEL [CASES_PER_PROCESS]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../tests/model_cases.h"
#include "vmxcc/backend.h"

extern const struct vmx_backend_ops vmx_backend_bochs;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Cases that leave the guest waiting forever (activity state not active)
 * would measure the timeout, not the back end. */
static bool runnable(const struct vmx_case *c)
{
	return c->f[VF_GUEST_ACTIVITY_STATE] == 0;
}

static double run(const char *model, int jobs, bool readback,
		  const struct vmx_case *cases, size_t n, struct vmx_backend_result *res)
{
	struct vmx_backend *b;
	char err[512], buf[16];
	double t;

	snprintf(buf, sizeof(buf), "%d", jobs);
	setenv("VMXCC_BOCHS_JOBS", buf, 1);
	b = vmx_backend_bochs.open(model, err, sizeof(err));
	if (!b) {
		fprintf(stderr, "bochs:%s: %s\n", model, err);
		exit(strstr(err, "not available") ? 77 : 1);
	}
	if (readback && vmx_backend_bochs.set_readback(b, true, err, sizeof(err))) {
		fprintf(stderr, "read-back: %s\n", err);
		exit(1);
	}
	t = now();
	if (vmx_backend_bochs.run(b, cases, n, res, err, sizeof(err))) {
		fprintf(stderr, "run: %s\n", err);
		exit(1);
	}
	t = now() - t;
	vmx_backend_bochs.close(b);
	return n / t;
}

int main(int argc, char **argv)
{
	const char *model = argc > 1 ? argv[1] : "tigerlake";
	size_t per = argc > 2 ? strtoul(argv[2], NULL, 10) : 50000;	/* the back end's default batch */
	int cores = sysconf(_SC_NPROCESSORS_ONLN);
	struct vmx_backend *b;
	struct vmx_profile p;
	struct vmx_caps caps;
	struct model_cases mc;
	struct vmx_case *mix, *same;
	struct vmx_backend_result *res;
	size_t n = per * cores, m = 0;
	char err[512];

	b = vmx_backend_bochs.open(model, err, sizeof(err));
	if (!b) {
		fprintf(stderr, "bochs:%s: %s\n", model, err);
		return strstr(err, "not available") ? 77 : 1;
	}
	vmx_backend_bochs.profile(b, &p, err, sizeof(err));
	vmx_backend_bochs.close(b);
	if (vmx_caps_from_profile(&caps, &p, err, sizeof(err)) ||
	    model_cases_build(&mc, &caps)) {
		fprintf(stderr, "profile/cases: %s\n", err);
		return 1;
	}
	mix = calloc(n, sizeof(*mix));
	same = calloc(per, sizeof(*same));
	res = calloc(n, sizeof(*res));
	if (!mix || !same || !res)
		return 1;
	/* Fault the result array in before timing: a campaign reuses its
	 * arrays, so first-touch page faults are not the back end's cost. */
	memset(res, 0, n * sizeof(*res));
	for (size_t i = 0; m < n; i = (i + 1) % mc.n)
		if (runnable(&mc.cases[i]))
			mix[m++] = mc.cases[i];
	/* reference: the first baseline with a CR3-target count too large */
	same[0] = mc.cases[0];
	same[0].f[VF_CR3_TARGET_COUNT] = 0x1000;
	for (size_t i = 1; i < per; i++)
		same[i] = same[0];

	printf("bochs:%s, %d cores, %zu cases per process\n", model, cores, per);
	printf("tight-loop reference (1 process, one failing case repeated): %.0f cases/s\n",
	       run(model, 1, false, same, per, res));
	printf("model test mix, 1 process:                                   %.0f cases/s\n",
	       run(model, 1, false, mix, per, res));
	printf("model test mix, %d processes (one per core):                  %.0f cases/s\n",
	       cores, run(model, cores, false, mix, n, res));
	printf("model test mix with read-back of every field, 1 process:     %.0f cases/s\n",
	       run(model, 1, true, mix, per / 4, res));
	model_cases_free(&mc);
	return 0;
}
