// SPDX-License-Identifier: GPL-2.0
/* Console on port E9H and the Bochs shutdown port. */
#include "probe.h"

#define PORT_E9		0xe9
#define PORT_SHUTDOWN	0x8900

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

/* Bochs leaves on the string "Shutdown" written to port 8900H. */
void probe_shutdown(void)
{
	for (const char *s = "Shutdown"; *s; s++)
		outb(PORT_SHUTDOWN, *s);
	for (;;)
		asm volatile("cli; hlt");
}
