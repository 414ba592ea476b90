// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed-ioctl fuzzer: for a bounded time and number of calls (a
 * guest's clock under Bochs runs far slower than the host's), send /dev/vmxcc every kind of
 * broken request (wrong sizes, versions, counts, flags, reserved fields,
 * bad and kernel pointers, unknown commands, random bytes behind valid
 * headers, batch versions 1 and 2 under either command, read-back flags,
 * sizes and buffers).  Every call must return; which errnos came back is
 * printed.
 * The init script then requires a clean dmesg: no oops, no warning.
 */
#define _GNU_SOURCE	/* strerrorname_np */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"
#include "vmxcc_ioctl.h"

#define NCASES 8

static unsigned long rnd(unsigned long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct arena {
	struct vmxcc_batch batch;
	struct vmxcc_query query;
	struct vmxcc_case cases[NCASES];
	struct vmxcc_result results[NCASES];
	struct vmxcc_readback readback[NCASES];
	void *unmapped;
};

static void random_bytes(void *p, size_t n, unsigned long *s)
{
	unsigned char *b = p;

	while (n--)
		*b++ = rnd(s);
}

static uint64_t bad_pointer(struct arena *a, unsigned long *s)
{
	static const uint64_t kernel[] = {
		0xffffffff81000000ull, 0xffff888000000000ull, 0x8000000000000000ull,
	};

	switch (rnd(s) % 5) {
	case 0: return 0;
	case 1: return (uintptr_t)a->unmapped;
	case 2: return kernel[rnd(s) % 3];
	case 3: return (uintptr_t)a->cases + rnd(s) % 64;	/* misaligned */
	default: return (uintptr_t)a->unmapped - 16;		/* crosses into unmapped */
	}
}

static void valid_batch(struct arena *a, uint32_t n)
{
	memset(&a->batch, 0, sizeof(a->batch));
	a->batch.size = sizeof(a->batch);
	a->batch.version = VMXCC_BATCH_VERSION;
	a->batch.n = n;
	a->batch.n_fields = VF_COUNT;
	a->batch.fields_hash = vmxcc_fields_hash();
	a->batch.cases = (uintptr_t)a->cases;
	a->batch.results = (uintptr_t)a->results;
}

/* Half of the valid batches ask for read-back, some as version 1. */
static unsigned long valid_cmd(struct arena *a, unsigned long *s)
{
	switch (rnd(s) % 3) {
	case 0:
		a->batch.flags = VMXCC_BATCH_READBACK;
		a->batch.readback_size = sizeof(struct vmxcc_readback);
		a->batch.readback = (uintptr_t)a->readback;
		return VMXCC_IOC_RUN;
	case 1:
		a->batch.size = VMXCC_BATCH_V1_SIZE;
		a->batch.version = 1;
		return VMXCC_IOC_RUN_V1;
	default:
		return VMXCC_IOC_RUN;
	}
}

/* Random content behind valid headers: the policy and core must cope. */
static void random_cases(struct arena *a, uint32_t n, unsigned long *s)
{
	for (uint32_t i = 0; i < n; i++) {
		random_bytes(&a->cases[i].c, sizeof(a->cases[i].c), s);
		a->cases[i].size = sizeof(a->cases[i]);
		a->cases[i].version = VMXCC_CASE_VERSION;
		a->cases[i].flags = 0;
		a->cases[i].reserved = 0;
		a->cases[i].c.n_msr_load %= VMX_CASE_MAX_MSR_LOAD + 1;
		a->cases[i].c.instr &= 1;
	}
}

static unsigned long break_batch(struct arena *a, unsigned long *s)
{
	uint32_t n = 1 + rnd(s) % NCASES;
	unsigned long cmd;

	valid_batch(a, n);
	random_cases(a, n, s);
	cmd = valid_cmd(a, s);
	switch (rnd(s) % 21) {
	case 0: a->batch.size += 1 + rnd(s) % 64; break;
	case 1: a->batch.version = rnd(s); break;
	case 2: a->batch.n = 0; break;
	case 3: a->batch.n = VMXCC_MAX_BATCH + 1 + rnd(s) % 1000; break;
	case 4: a->batch.n_fields++; break;
	case 5: a->batch.fields_hash ^= 1u << (rnd(s) % 32); break;
	case 6: a->batch.reserved = rnd(s) | 1; break;
	case 14: a->batch.flags = rnd(s); break;
	case 15: a->batch.readback = bad_pointer(a, s); break;
	case 16: a->batch.readback_size = rnd(s) % 4096; break;
	case 17: a->batch.readback = (uintptr_t)a->readback; break;
	case 18: a->batch.size = rnd(s) % 2 ? VMXCC_BATCH_V1_SIZE : sizeof(a->batch); break;
	case 19: a->batch.version = 1 + rnd(s) % 3; break;
	case 20: cmd = rnd(s) % 2 ? VMXCC_IOC_RUN : VMXCC_IOC_RUN_V1; break;
	case 7: a->batch.cases = bad_pointer(a, s); break;
	case 8: a->batch.results = bad_pointer(a, s); break;
	case 9: a->batch.prep = bad_pointer(a, s) | 1; break;
	case 10: a->cases[rnd(s) % n].size ^= 1u << (rnd(s) % 16); break;
	case 11: a->cases[rnd(s) % n].flags = rnd(s) | 1; break;
	case 12: a->cases[rnd(s) % n].c.n_msr_load = VMX_CASE_MAX_MSR_LOAD + 1 + rnd(s) % 100; break;
	default: a->batch.prep = (uintptr_t)&a->cases[0]; break;	/* random prep */
	}
	return cmd;
}

static long one_call(struct arena *a, int fd, unsigned long *s)
{
	unsigned long cmd;
	void *arg;

	switch (rnd(s) % 8) {
	case 0:				/* query with a wrong header */
		memset(&a->query, 0, sizeof(a->query));
		a->query.size = sizeof(a->query) + (rnd(s) % 3) - 1;
		a->query.version = rnd(s) % 3;
		return ioctl(fd, VMXCC_IOC_QUERY, &a->query);
	case 1:				/* unknown commands */
		cmd = _IOC(rnd(s) % 4, VMXCC_IOC_MAGIC, rnd(s) % 16, rnd(s) % 4096);
		return ioctl(fd, cmd, a->cases);
	case 2:
		return ioctl(fd, rnd(s), (void *)(uintptr_t)rnd(s));
	case 3:				/* bad argument pointers */
		arg = (void *)(uintptr_t)bad_pointer(a, s);
		return ioctl(fd, rnd(s) & 1 ? VMXCC_IOC_RUN : VMXCC_IOC_QUERY, arg);
	case 4:				/* random bytes as a batch */
		random_bytes(&a->batch, sizeof(a->batch), s);
		return ioctl(fd, VMXCC_IOC_RUN, &a->batch);
	case 5:				/* valid headers, random cases */
		valid_batch(a, 1 + rnd(s) % NCASES);
		random_cases(a, a->batch.n, s);
		cmd = valid_cmd(a, s);
		return ioctl(fd, cmd, &a->batch);
	default:
		cmd = break_batch(a, s);
		return ioctl(fd, cmd, &a->batch);
	}
}

int mode_badioctl(double seconds, unsigned long max_calls, unsigned long seed)
{
	unsigned long s = seed | 1, calls = 0, ok = 0, errs[4096] = { 0 };
	struct arena *a = calloc(1, sizeof(*a));
	double end = now() + seconds;
	int fd;

	if (!a)
		return -1;
	a->unmapped = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap((char *)a->unmapped + 4096, 4096);	/* second page unmapped */
	a->unmapped = (char *)a->unmapped + 4096;
	fd = open(VMXCC_DEVICE, O_RDWR);
	if (fd < 0) {
		perror(VMXCC_DEVICE);
		return -1;
	}
	while (now() < end && calls < max_calls) {
		if (one_call(a, fd, &s) == 0)
			ok++;
		else if (errno < 4096)
			errs[errno]++;
		calls++;
	}
	close(fd);
	printf("badioctl: %lu calls in %.1f s: %lu returned 0", calls,
	       now() - (end - seconds), ok);
	for (int e = 0; e < 4096; e++)
		if (errs[e])
			printf(", %lu %s", errs[e], strerrorname_np(e) ? strerrorname_np(e) : "?");
	printf("\n");
	free(a);
	return 0;
}
