// SPDX-License-Identifier: GPL-2.0
/*
 * The batch ABI, request by request: versions 1 and 2 of struct
 * vmxcc_batch under their own ioctl commands, the read-back flag with its
 * buffer and size, unknown flags and reserved fields, buffers that end in
 * an unmapped page, and what a skipped case's read-back holds.  Each
 * request has one expected result; any other is a FAIL line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest.h"
#include "vmxcc/baseline.h"
#include "vmxcc_ioctl.h"

#define N 4

struct abi {
	int fd;
	struct vmxcc_batch b;
	struct vmxcc_case cases[N];
	struct vmxcc_result results[N];
	struct vmxcc_readback rb[N];
	int fails;
};

static void batch(struct abi *a, int version, bool readback)
{
	memset(&a->b, 0, sizeof(a->b));
	a->b.size = version == 1 ? VMXCC_BATCH_V1_SIZE : sizeof(a->b);
	a->b.version = version;
	a->b.n = N;
	a->b.n_fields = VF_COUNT;
	a->b.fields_hash = vmxcc_fields_hash();
	a->b.cases = (uintptr_t)a->cases;
	a->b.results = (uintptr_t)a->results;
	if (readback) {
		a->b.flags = VMXCC_BATCH_READBACK;
		a->b.readback_size = sizeof(struct vmxcc_readback);
		a->b.readback = (uintptr_t)a->rb;
	}
	memset(a->rb, 0xa5, sizeof(a->rb));
}

/* Issue the request, require @want (0 or an errno). */
static void expect(struct abi *a, unsigned long cmd, int want, const char *what)
{
	int ret = ioctl(a->fd, cmd, &a->b);
	int got = ret ? errno : 0;

	if (got == want) {
		printf("abi: ok %s\n", what);
		return;
	}
	printf("abi: FAIL %s: %s, want %s\n", what, got ? strerror(got) : "success",
	       want ? strerror(want) : "success");
	a->fails++;
}

static void require(struct abi *a, bool ok, const char *what)
{
	printf("abi: %s %s\n", ok ? "ok" : "FAIL", what);
	a->fails += !ok;
}

static void malformed(struct abi *a)
{
	batch(a, 2, true);
	a->b.readback = 0;
	expect(a, VMXCC_IOC_RUN, EINVAL, "read-back flag without a buffer");
	batch(a, 2, true);
	a->b.readback_size -= 8;
	expect(a, VMXCC_IOC_RUN, EINVAL, "read-back size too small");
	batch(a, 2, true);
	a->b.readback_size += 8;
	expect(a, VMXCC_IOC_RUN, EINVAL, "read-back size too large");
	batch(a, 2, false);
	a->b.readback = (uintptr_t)a->rb;
	expect(a, VMXCC_IOC_RUN, EINVAL, "read-back buffer without the flag");
	batch(a, 2, false);
	a->b.readback_size = sizeof(struct vmxcc_readback);
	expect(a, VMXCC_IOC_RUN, EINVAL, "read-back size without the flag");
	batch(a, 2, true);
	a->b.flags |= 1u << 1;
	expect(a, VMXCC_IOC_RUN, EINVAL, "unknown batch flag 1");
	batch(a, 2, false);
	a->b.flags = 1u << 31;
	expect(a, VMXCC_IOC_RUN, EINVAL, "unknown batch flag 31");
	batch(a, 2, true);
	a->b.reserved = 1;
	expect(a, VMXCC_IOC_RUN, EINVAL, "version 2 reserved field");
	batch(a, 1, false);
	a->b.flags = VMXCC_BATCH_READBACK;
	expect(a, VMXCC_IOC_RUN_V1, EINVAL, "version 1 with a flag");
	batch(a, 1, false);
	expect(a, VMXCC_IOC_RUN, EINVAL, "version 1 batch under the version 2 command");
	batch(a, 2, false);
	expect(a, VMXCC_IOC_RUN_V1, EINVAL, "version 2 batch under the version 1 command");
	batch(a, 2, false);
	a->b.size = VMXCC_BATCH_V1_SIZE;
	expect(a, VMXCC_IOC_RUN, EINVAL, "version 2 with the version 1 size");
	batch(a, 1, false);
	a->b.size = sizeof(a->b);
	expect(a, VMXCC_IOC_RUN_V1, EINVAL, "version 1 with the version 2 size");
	batch(a, 3, false);
	expect(a, VMXCC_IOC_RUN, EINVAL, "version 3");
}

/* A read-back buffer whose end is not mapped: the last copy faults. */
static void short_buffer(struct abi *a)
{
	size_t page = sysconf(_SC_PAGESIZE), len = 2 * sizeof(a->rb) + 2 * page;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	char *end;

	if (m == MAP_FAILED) {
		require(a, false, "mmap for the short read-back buffer");
		return;
	}
	end = m + (len / page - 1) * page;
	munmap(end, page);
	batch(a, 2, true);
	/*
	 * Room for N - 1 read-backs; even the header of the last (a skipped
	 * case: only the header is written) crosses into the hole.
	 */
	a->b.readback = (uintptr_t)(end - (N - 1) * sizeof(struct vmxcc_readback) - 8);
	expect(a, VMXCC_IOC_RUN, EFAULT, "read-back buffer ending in an unmapped page");
	require(a, a->b.done == N - 1, "... done counts the cases whose results were copied");
	batch(a, 2, true);
	a->b.readback = 0xffffffff81000000ull;
	expect(a, VMXCC_IOC_RUN, EFAULT, "read-back buffer at a kernel address");
	munmap(m, len - page);
}

static void good(struct abi *a)
{
	uint32_t seen = 0;

	batch(a, 1, false);
	expect(a, VMXCC_IOC_RUN_V1, 0, "version 1 batch (no read-back)");
	require(a, a->b.done == N, "... all cases done");
	batch(a, 2, false);
	expect(a, VMXCC_IOC_RUN, 0, "version 2 batch without read-back");
	require(a, a->rb[0].size == 0xa5a5a5a5, "... read-back buffer untouched");
	batch(a, 2, true);
	expect(a, VMXCC_IOC_RUN, 0, "version 2 batch with read-back");
	for (int i = 0; i < N; i++) {
		const struct vmxcc_readback *r = &a->rb[i];
		bool ran = a->results[i].outcome.kind != VO_SKIPPED &&
			   a->results[i].outcome.kind != VO_BACKEND_ERROR;

		require(a, r->size == sizeof(*r) && r->version == VMXCC_READBACK_VERSION &&
			   r->n_fields == VF_COUNT, "... read-back header");
		require(a, !!(r->flags & VMXCC_RB_READ) == ran,
			"... read back exactly when the case ran");
		if (ran) {
			seen |= 1u << i;
			require(a, (r->value[VF_HOST_RIP] & ~0xfffull) == VMXCC_HIDDEN_VA48,
				"... HOST_RIP reads as the placeholder");
			require(a, a->results[i].policy & VMXCC_POL_HIDDEN,
				"... result says kernel addresses were hidden");
		} else {
			/* only the header: the sentinel behind it stays */
			require(a, r->valid[0] == 0xa5a5a5a5a5a5a5a5ull,
				"... a skipped case gets only the header");
		}
	}
	require(a, seen == 0x7, "cases 0-2 ran, case 3 was skipped");
}

int mode_abi(const struct vmx_caps *caps)
{
	struct abi *a = calloc(1, sizeof(*a));
	int ret;

	if (!a)
		return -1;
	for (int i = 0; i < N; i++) {
		a->cases[i].size = sizeof(a->cases[i]);
		a->cases[i].version = VMXCC_CASE_VERSION;
		if (vmx_baseline_build(BL_LONG64, caps, &a->cases[i].c)) {
			printf("abi: no long64 baseline on this profile\n");
			free(a);
			return -1;
		}
	}
	a->cases[1].c.f[VF_GUEST_RFLAGS] = 0;		/* VM-entry failure */
	a->cases[2].c.f[VF_CR3_TARGET_COUNT] = 1000;	/* VMfail 7 */
	/* wait-for-SIPI: VMfail phase only, which it passes: skipped */
	a->cases[3].c.f[VF_GUEST_ACTIVITY_STATE] = 3;
	a->fd = open(VMXCC_DEVICE, O_RDWR);
	if (a->fd < 0) {
		perror(VMXCC_DEVICE);
		free(a);
		return -1;
	}
	good(a);
	malformed(a);
	short_buffer(a);
	close(a->fd);
	printf("abi: %d FAIL\n", a->fails);
	ret = a->fails ? 1 : 0;
	free(a);
	return ret;
}
