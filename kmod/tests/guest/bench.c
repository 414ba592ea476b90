// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark: cases/s through /dev/vmxcc on one CPU, and TSC cycles per
 * entry attempt as the module measures them (VMWRITEs of the changed
 * fields, VMLAUNCH, exit, host-state restore).  Three workloads: the
 * long64 baseline (enters; the preemption timer exits at once), the same
 * with read-back (every field VMREAD after the attempt, copied out), and
 * the same case with a control broken (VMfail 7, nothing enters).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"
#include "vmxcc/arch.h"
#include "vmxcc/baseline.h"
#include "vmxcc_ioctl.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int bench_one(int fd, const char *what, const struct vmx_case *c,
		     unsigned long n, double tsc_khz, bool readback)
{
	unsigned int per = n < VMXCC_MAX_BATCH ? n : VMXCC_MAX_BATCH;
	struct vmxcc_case *cases = calloc(per, sizeof(*cases));
	struct vmxcc_result *res = calloc(per, sizeof(*res));
	struct vmxcc_readback *rb = readback ? calloc(per, sizeof(*rb)) : NULL;
	unsigned long done = 0, attempts = 0, tsc = 0;
	struct vmxcc_batch b;
	double t0, dt;
	int ret = -1;

	if (!cases || !res || (readback && !rb))
		goto out;
	for (unsigned int i = 0; i < per; i++) {
		cases[i].size = sizeof(cases[i]);
		cases[i].version = VMXCC_CASE_VERSION;
		cases[i].c = *c;
	}
	t0 = now();
	while (done < n) {
		memset(&b, 0, sizeof(b));
		b.size = sizeof(b);
		b.version = VMXCC_BATCH_VERSION;
		b.n = n - done < per ? n - done : per;
		b.n_fields = VF_COUNT;
		b.fields_hash = vmxcc_fields_hash();
		b.cases = (uintptr_t)cases;
		b.results = (uintptr_t)res;
		if (rb) {
			b.flags = VMXCC_BATCH_READBACK;
			b.readback_size = sizeof(*rb);
			b.readback = (uintptr_t)rb;
		}
		if (ioctl(fd, VMXCC_IOC_RUN, &b)) {
			perror("VMXCC_IOC_RUN");
			goto out;
		}
		done += b.n;
		attempts += b.attempts;
		tsc += b.tsc_total;
	}
	dt = now() - t0;
	printf("bench: %s: %lu cases in %.3f s (this system's clock) = %.0f cases/s on one CPU; "
	       "%.0f TSC cycles per entry attempt in the module", what, done, dt,
	       done / dt, attempts ? (double)tsc / attempts : 0.0);
	if (tsc_khz > 0)
		printf(" (%.2f us)", attempts ? tsc / (double)attempts / tsc_khz * 1000 : 0.0);
	printf("; first outcome kind %u reason %u\n", res[0].outcome.kind, res[0].outcome.reason);
	ret = 0;
	if (rb && !(rb[0].flags & VMXCC_RB_READ)) {
		printf("bench: %s: no read-back\n", what);
		ret = -1;
	}
out:
	free(cases);
	free(res);
	free(rb);
	return ret;
}

int mode_bench(struct vmx_backend *unused, const struct vmx_caps *caps, unsigned long n)
{
	struct vmxcc_query q = { .size = sizeof(q), .version = VMXCC_QUERY_VERSION };
	struct vmx_case c;
	int fd, err = 0;

	fd = open(VMXCC_DEVICE, O_RDWR);
	if (fd < 0 || ioctl(fd, VMXCC_IOC_QUERY, &q)) {
		perror(VMXCC_DEVICE);
		return -1;
	}
	if (vmx_baseline_build(BL_LONG64, caps, &c)) {
		printf("bench: no long64 baseline for this profile\n");
		close(fd);
		return -1;
	}
	err |= bench_one(fd, "long64 (enters, timer exit)", &c, n, q.tsc_khz, false);
	err |= bench_one(fd, "long64 with read-back", &c, n, q.tsc_khz, true);
	c.f[VF_CR3_TARGET_COUNT] = caps->cr3_target_max + 1;
	err |= bench_one(fd, "long64 with CR3-target count too big (VMfail 7)", &c, n,
			 q.tsc_khz, false);
	close(fd);
	return err;
}
