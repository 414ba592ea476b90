// SPDX-License-Identifier: GPL-2.0
/*
 * IDT and the trap handler.  A #GP under probe_msr_guard is an absent MSR:
 * skip the RDMSR/WRMSR (2 bytes) and report it.  Anything else is a probe
 * bug or a case that broke the probe: print it and leave Bochs without the
 * completion marker, so the back end bisects the batch.
 */
#include "probe.h"

#define VEC_GP 13

volatile uint32_t probe_msr_guard, probe_msr_faulted;

struct idt_entry {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, zero;
} __attribute__((packed));

static struct idt_entry idt[256] __attribute__((aligned(16)));

#define VECTORS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) \
	X(11) X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19) X(20) X(21)
#define DECL(n) void probe_trap##n(void);
VECTORS(DECL)
void probe_trap32(void);

static void set_gate(int v, void (*fn)(void))
{
	uint64_t a = (uint64_t)(uintptr_t)fn;

	idt[v].off0 = a;
	idt[v].sel = 0x08;
	idt[v].ist = 0;
	idt[v].type = 0x8e;		/* present, 64-bit interrupt gate */
	idt[v].off1 = a >> 16;
	idt[v].off2 = a >> 32;
	idt[v].zero = 0;
}

uint64_t probe_idt_base(void)
{
	return (uint64_t)(uintptr_t)idt;
}

void probe_traps_init(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) d;

	for (int v = 0; v < 256; v++)
		set_gate(v, probe_trap32);
#define SET(n) set_gate(n, probe_trap##n);
	VECTORS(SET)
	d.limit = sizeof(idt) - 1;
	d.base = probe_idt_base();
	asm volatile("lidt %0" :: "m"(d));
}

void probe_trap(struct probe_frame *f)
{
	if (f->vector == VEC_GP && probe_msr_guard) {
		probe_msr_faulted = 1;
		f->rip += 2;
		return;
	}
	con_puts("\nPROBE-FAULT vector ");
	con_dec(f->vector);
	con_puts(" error ");
	con_hex(f->error);
	con_puts(" rip ");
	con_hex(f->rip);
	con_putc('\n');
	probe_shutdown();
}
