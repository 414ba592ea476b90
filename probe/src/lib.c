// SPDX-License-Identifier: GPL-2.0
/* The three memory functions the compiler may call on its own. */
#include "probe.h"

/* Quadwords first: Bochs counts every iteration of a REP string insn. */
void *memcpy(void *d, const void *s, size_t n)
{
	void *r = d;
	size_t q = n / 8, b = n % 8;

	asm volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(q) :: "memory");
	asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(b) :: "memory");
	return r;
}

void *memset(void *d, int c, size_t n)
{
	void *r = d;

	asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return r;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
