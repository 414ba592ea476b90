// SPDX-License-Identifier: GPL-2.0
/*
 * A batch with one guest that really enters and spins (RIP at the probe's
 * "jmp $" page, no preemption timer): the wall-clock limit must kill Bochs
 * and the bisection must pin the hang on exactly that case, while every
 * other case still gets its real outcome (entered, first exit VMCALL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/arch.h"
#include "vmxcc/backend.h"
#include "vmxcc/baseline.h"

#define N	300
#define CULPRIT	137
#define HANG_RIP 0x8000		/* probe/src/boot.S: JMP $ */
#define EXIT_REASON_VMCALL 18

extern const struct vmx_backend_ops vmx_backend_bochs;

int main(void)
{
	static struct vmx_case cases[N];
	static struct vmx_backend_result res[N];
	struct vmx_backend *b;
	struct vmx_profile p;
	struct vmx_caps caps;
	char err[512];
	int bad = 0;

	setenv("VMXCC_BOCHS_JOBS", "1", 0);
	b = vmx_backend_bochs.open("tigerlake", err, sizeof(err));
	if (!b) {
		fprintf(stderr, "bochs: %s\n", err);
		return strstr(err, "not available") ? 77 : 1;
	}
	if (vmx_backend_bochs.profile(b, &p, err, sizeof(err)) ||
	    vmx_caps_from_profile(&caps, &p, err, sizeof(err)) ||
	    vmx_baseline_build(BL_LONG64, &caps, &cases[0])) {
		fprintf(stderr, "profile/baseline: %s\n", err);
		return 1;
	}
	for (int i = 1; i < N; i++)
		cases[i] = cases[0];
	cases[CULPRIT].f[VF_GUEST_RIP] = HANG_RIP;
	if (vmx_backend_bochs.run(b, cases, N, res, err, sizeof(err))) {
		fprintf(stderr, "run: %s\n", err);
		return 1;
	}
	for (int i = 0; i < N; i++) {
		const struct vmx_outcome *o = &res[i].outcome;

		if (i == CULPRIT) {
			if (o->kind != VO_BACKEND_ERROR) {
				printf("FAIL case %d: hanging guest not reported (kind %d)\n", i, o->kind);
				bad++;
			} else {
				printf("PASS case %d: %s\n", i, res[i].text);
			}
		} else if (o->kind != VO_ENTERED || o->reason != EXIT_REASON_VMCALL) {
			printf("FAIL case %d: kind %d reason %u (%s)\n", i, o->kind, o->reason,
			       res[i].text);
			bad++;
		}
	}
	printf("%s: %d cases, hang pinned on case %d\n", bad ? "FAIL" : "PASS", N, CULPRIT);
	vmx_backend_bochs.close(b);
	return bad ? 1 : 0;
}
