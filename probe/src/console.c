// SPDX-License-Identifier: GPL-2.0
/*
 * Console on port E9H (Bochs' port_e9_hack, QEMU's isa-debugcon) and the
 * way out: Bochs' shutdown port, then QEMU's isa-debug-exit.
 */
#include "probe.h"

#define PORT_E9		0xe9
#define PORT_SHUTDOWN	0x8900
#define PORT_DEBUG_EXIT	0xf4	/* isa-debug-exit,iobase=0xf4 */

void con_putc(char c)
{
	outb(PORT_E9, c);
}

void con_puts(const char *s)
{
	while (*s)
		con_putc(*s++);
}

void con_hex(uint64_t v)
{
	con_puts("0x");
	for (int i = 60; i >= 0; i -= 4)
		con_putc("0123456789abcdef"[(v >> i) & 0xf]);
}

void con_dec(uint64_t v)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		con_putc(buf[--n]);
}

/*
 * Bochs leaves on the string "Shutdown" written to port 8900H and never
 * comes back; QEMU ignores that port and leaves on any write to its
 * isa-debug-exit device (exit status (value << 1) | 1, so 1 here).  The
 * back ends judge completion by the "VMXCC-DONE" marker, not the status.
 */
void probe_shutdown(void)
{
	for (const char *s = "Shutdown"; *s; s++)
		outb(PORT_SHUTDOWN, *s);
	outb(PORT_DEBUG_EXIT, 0);
	for (;;)
		asm volatile("cli; hlt");
}
