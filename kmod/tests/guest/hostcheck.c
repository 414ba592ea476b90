// SPDX-License-Identifier: GPL-2.0
/*
 * Host state before and after long fuzzed batches, read from user space so
 * the check does not trust the module: MSRs through /dev/cpu/0/msr (the
 * msr driver), GDTR/IDTR through SGDT/SIDT (unless UMIP hides them), and
 * the TSS limit functionally: with an I/O bitmap armed by ioperm(), port
 * I/O after the batches only works if TR's limit was restored (a VM exit
 * leaves 0x67, which cuts the bitmap off).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <unistd.h>

#include "guest.h"

static const unsigned int msrs[] = {
	0x174, 0x175, 0x176, 0x1d9, 0x277, 0xc0000080, 0xc0000081, 0xc0000082,
	0xc0000083, 0xc0000084, 0xc0000100, 0xc0000102, 0xc0000103,
};
#define NMSRS (sizeof(msrs) / sizeof(msrs[0]))

struct host_snapshot {
	uint64_t msr[NMSRS];
	bool msr_ok[NMSRS];
	unsigned char gdtr[10], idtr[10];
	bool umip;
};

static bool has_umip(void)
{
	char line[4096];
	bool found = false;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5) && strstr(line, " umip"))
			found = true;
	fclose(f);
	return found;
}

struct host_snapshot *host_snapshot_take(void)
{
	struct host_snapshot *s = calloc(1, sizeof(*s));
	int fd = open("/dev/cpu/0/msr", O_RDONLY);

	if (!s)
		return NULL;
	for (size_t i = 0; fd >= 0 && i < NMSRS; i++)
		s->msr_ok[i] = pread(fd, &s->msr[i], 8, msrs[i]) == 8;
	if (fd >= 0)
		close(fd);
	else
		perror("/dev/cpu/0/msr");
	s->umip = has_umip();
	asm volatile("sgdt %0" : "=m"(s->gdtr));
	asm volatile("sidt %0" : "=m"(s->idtr));
	return s;
}

int host_snapshot_compare(const struct host_snapshot *a, const struct host_snapshot *b)
{
	int bad = 0, n = 0;

	for (size_t i = 0; i < NMSRS; i++) {
		if (!a->msr_ok[i] || !b->msr_ok[i])
			continue;
		n++;
		if (a->msr[i] != b->msr[i]) {
			printf("hostcheck: MSR %#x changed: %#llx -> %#llx\n", msrs[i],
			       (unsigned long long)a->msr[i], (unsigned long long)b->msr[i]);
			bad++;
		}
	}
	printf("hostcheck: %d MSRs compared\n", n);
	if (!n) {
		printf("hostcheck: no MSR readable (msr driver missing?)\n");
		bad++;
	}
	if (a->umip) {
		printf("hostcheck: GDTR/IDTR not observable from user mode (UMIP)\n");
	} else if (memcmp(a->gdtr, b->gdtr, 10) || memcmp(a->idtr, b->idtr, 10)) {
		printf("hostcheck: GDTR/IDTR changed (limit %#x/%#x -> %#x/%#x)\n",
		       *(uint16_t *)a->gdtr, *(uint16_t *)a->idtr,
		       *(uint16_t *)b->gdtr, *(uint16_t *)b->idtr);
		bad++;
	} else {
		printf("hostcheck: GDTR limit %#x, IDTR limit %#x unchanged\n",
		       *(uint16_t *)a->gdtr, *(uint16_t *)a->idtr);
	}
	return bad;
}

#define TEST_PORT 0x80		/* POST code port: writes are harmless */

int host_io_bitmap_arm(void)
{
	if (ioperm(TEST_PORT, 1, 1)) {
		perror("ioperm");
		return -1;
	}
	outb(0, TEST_PORT);
	return 0;
}

/* A #GP here (SIGSEGV) means TR's limit stayed 0x67 after a VM exit. */
int host_io_bitmap_check(void)
{
	outb(0, TEST_PORT);
	printf("hostcheck: port I/O through the TSS I/O bitmap works after the batches\n");
	return 0;
}
