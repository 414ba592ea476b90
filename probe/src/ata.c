// SPDX-License-Identifier: GPL-2.0
/*
 * ATA PIO on the primary channel, LBA28: the batch comes in and the results
 * go out through the flat disk image the back end created.
 */
#include "probe.h"

#define ATA_DATA	0x1f0
#define ATA_COUNT	0x1f2
#define ATA_LBA0	0x1f3
#define ATA_LBA1	0x1f4
#define ATA_LBA2	0x1f5
#define ATA_DRIVE	0x1f6
#define ATA_CMD		0x1f7
#define ATA_STATUS	0x1f7

#define ST_BSY		0x80
#define ST_DRQ		0x08
#define ST_ERR		0x01

#define CMD_READ	0x20
#define CMD_WRITE	0x30
#define CMD_FLUSH	0xe7

static void ata_fail(const char *what, uint32_t lba)
{
	con_puts("\nPROBE-ERROR ata ");
	con_puts(what);
	con_puts(" lba ");
	con_dec(lba);
	con_putc('\n');
	probe_shutdown();
}

static uint8_t ata_wait(uint8_t want)
{
	uint8_t st;

	do
		st = inb(ATA_STATUS);
	while ((st & ST_BSY) || (want && !(st & (want | ST_ERR))));
	return st;
}

static void ata_cmd(uint32_t lba, uint32_t n, uint8_t cmd)
{
	ata_wait(0);
	outb(ATA_DRIVE, 0xe0 | ((lba >> 24) & 0x0f));
	outb(ATA_COUNT, n == 256 ? 0 : n);
	outb(ATA_LBA0, lba);
	outb(ATA_LBA1, lba >> 8);
	outb(ATA_LBA2, lba >> 16);
	outb(ATA_CMD, cmd);
}

void ata_read(uint32_t lba, uint32_t count, void *buf)
{
	uint8_t *p = buf;

	while (count) {
		uint32_t n = count > 256 ? 256 : count;

		ata_cmd(lba, n, CMD_READ);
		for (uint32_t i = 0; i < n; i++, p += 512) {
			if (ata_wait(ST_DRQ) & ST_ERR)
				ata_fail("read", lba + i);
			uint8_t *q = p;
			uint64_t dwords = 128;

			/* 32-bit PIO: half the emulated iterations of insw */
			asm volatile("rep insl" : "+D"(q), "+c"(dwords)
				     : "d"(ATA_DATA) : "memory");
		}
		lba += n;
		count -= n;
	}
}

void ata_write(uint32_t lba, uint32_t count, const void *buf)
{
	const uint8_t *p = buf;

	while (count) {
		uint32_t n = count > 256 ? 256 : count;

		ata_cmd(lba, n, CMD_WRITE);
		for (uint32_t i = 0; i < n; i++, p += 512) {
			if (ata_wait(ST_DRQ) & ST_ERR)
				ata_fail("write", lba + i);
			const uint8_t *q = p;
			uint64_t dwords = 128;

			asm volatile("rep outsl" : "+S"(q), "+c"(dwords)
				     : "d"(ATA_DATA) : "memory");
		}
		lba += n;
		count -= n;
	}
	outb(ATA_CMD, CMD_FLUSH);
	ata_wait(0);
}
