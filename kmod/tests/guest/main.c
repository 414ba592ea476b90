// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcc-guest MODE [args]: the in-guest half of the kmod end-to-end tests.
 *   absent              /dev/vmxcc must be unavailable; prints the reason
 *   profile             prints the module's capability profile summary
 *   replay KNOWN        the model's single-check tests through the module
 *   readback KNOWN      the same twice, read-back off and on (readback.c)
 *   abi                 batch versions, read-back flag and sizes (abi.c)
 *   fuzz N SEED KNOWN [readback]
 *                       N fuzzed cases, host state compared before/after;
 *                       with read-back: differences and kernel addresses
 *   badioctl SECONDS CALLS SEED   malformed ioctls, bounded in time and calls
 *   bench N             cases/s and TSC cycles per attempt
 * Exit status 0 only when the mode's requirement holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"

static struct vmx_backend *open_backend(struct vmx_profile *p)
{
	char err[512];
	struct vmx_backend *b = vmx_backend_kmod.open(NULL, err, sizeof(err));

	if (!b) {
		printf("backend kmod: %s\n", err);
		return NULL;
	}
	if (vmx_backend_kmod.profile(b, p, err, sizeof(err))) {
		printf("backend kmod: profile: %s\n", err);
		vmx_backend_kmod.close(b);
		return NULL;
	}
	return b;
}

static int run_fuzz(struct vmx_backend *b, struct judge *j, unsigned long n,
		    unsigned long seed, bool readback)
{
	struct host_snapshot *before, *after;
	int bad;

	if (host_io_bitmap_arm())
		return 1;
	before = host_snapshot_take();
	if (mode_fuzz(b, j, n, seed, readback) < 0)
		return 1;
	after = host_snapshot_take();
	bad = host_snapshot_compare(before, after);
	host_io_bitmap_check();
	free(before);
	free(after);
	/* Fuzz disagreements and read-back differences are findings for
	 * triage, not test failures; back-end errors, host damage, missing
	 * read-backs and kernel addresses are. */
	return bad || j->errors || j->rb_missing || j->leaks ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct vmx_profile p;
	struct vmx_backend *b;
	struct judge *j;
	const char *mode = argc > 1 ? argv[1] : "";
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "badioctl") && argc == 5)
		return mode_badioctl(atof(argv[2]), strtoul(argv[3], NULL, 0),
				     strtoul(argv[4], NULL, 0)) ? 1 : 0;
	b = open_backend(&p);
	if (!strcmp(mode, "absent"))
		return b ? 1 : 0;
	if (!b)
		return 1;
	j = calloc(1, sizeof(*j));
	if (!j)
		return 1;
	if (!strcmp(mode, "profile")) {
		printf("profile: VMX_BASIC %#llx, MAXPHYADDR %u, pin %#llx proc %#llx proc2 %#llx exit %#llx entry %#llx\n",
		       (unsigned long long)p.msr[PMSR_BASIC], p.maxphyaddr,
		       (unsigned long long)p.msr[PMSR_PINBASED],
		       (unsigned long long)p.msr[PMSR_PROCBASED],
		       (unsigned long long)p.msr[PMSR_PROCBASED2],
		       (unsigned long long)p.msr[PMSR_EXIT],
		       (unsigned long long)p.msr[PMSR_ENTRY]);
		ret = judge_init(j, &p, NULL) ? 1 : 0;
	} else if (!strcmp(mode, "replay") && argc == 3) {
		ret = judge_init(j, &p, argv[2]) ? 1 : mode_replay(b, j) ? 1 : 0;
	} else if (!strcmp(mode, "readback") && argc == 3) {
		ret = judge_init(j, &p, argv[2]) ? 1 : mode_readback(b, j) ? 1 : 0;
	} else if (!strcmp(mode, "abi") && argc == 2) {
		/* Talks to the device directly, like the bench. */
		vmx_backend_kmod.close(b);
		b = NULL;
		ret = judge_init(j, &p, NULL) ? 1 : mode_abi(&j->caps) ? 1 : 0;
	} else if (!strcmp(mode, "fuzz") && (argc == 5 ||
		   (argc == 6 && !strcmp(argv[5], "readback")))) {
		ret = judge_init(j, &p, argv[4]) ? 1 :
		      run_fuzz(b, j, strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0),
			       argc == 6);
	} else if (!strcmp(mode, "bench") && argc == 3) {
		/* The device has one opener: the bench talks to it directly. */
		vmx_backend_kmod.close(b);
		b = NULL;
		ret = judge_init(j, &p, NULL) ? 1 :
		      mode_bench(NULL, &j->caps, strtoul(argv[2], NULL, 0)) ? 1 : 0;
	} else {
		fprintf(stderr, "usage: vmxcc-guest absent|profile|replay KNOWN|readback KNOWN|abi|fuzz N SEED KNOWN [readback]|badioctl SECONDS CALLS SEED|bench N\n");
		ret = 2;
	}
	if (b)
		vmx_backend_kmod.close(b);
	free(j);
	return ret;
}
