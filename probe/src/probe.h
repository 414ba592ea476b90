/* SPDX-License-Identifier: GPL-2.0 */
/* The L1 probe's own small runtime: port I/O, console, disk, traps. */
#ifndef PROBE_H
#define PROBE_H

#include "vmx_core_types.h"

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Saved by traps.S, in push order reversed. */
struct probe_frame {
	uint64_t r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* console.c: port E9H (Bochs prints it on stdout) */
void con_putc(char c);
void con_puts(const char *s);
void con_hex(uint64_t v);
void con_dec(uint64_t v);
void probe_shutdown(void) __attribute__((noreturn));

/* ata.c: primary master, LBA28, PIO */
void ata_read(uint32_t lba, uint32_t count, void *buf);
void ata_write(uint32_t lba, uint32_t count, const void *buf);

/* traps.c / traps.S */
void probe_traps_init(void);
int probe_rdmsr_safe(uint32_t msr, uint64_t *val);
int probe_wrmsr_safe(uint32_t msr, uint64_t val);
void probe_load_gdt(const void *gdtr);
extern volatile uint32_t probe_msr_guard, probe_msr_faulted;

/* lib.c */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
