// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by every case encoding: the [state] keys, the baseline a
 * case file stands on, equality, and reading a file whole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/baseline.h"
#include "vmxcc/case_file.h"

const char *const vmx_state_key_names[SK_COUNT] = {
	[SK_INSTR] = "instr",
	[SK_LAUNCH_STATE] = "launch_state",
	[SK_MOVSS_BLOCKING] = "movss_blocking",
	[SK_NO_CURRENT_VMCS] = "no_current_vmcs",
	[SK_CURRENT_IS_SHADOW] = "current_is_shadow",
	[SK_VTPR] = "vtpr",
	[SK_X2APIC_MODE] = "x2apic_mode",
	[SK_LINK_REVISION] = "link_revision",
	[SK_LINK_SHADOW] = "link_shadow",
	[SK_LINK_IS_CURRENT] = "link_is_current",
};

uint64_t vmx_state_get(const struct vmx_case *c, enum vmx_state_key k)
{
	switch (k) {
	case SK_INSTR:			return c->instr;
	case SK_LAUNCH_STATE:		return c->launch_state;
	case SK_MOVSS_BLOCKING:		return c->movss_blocking;
	case SK_NO_CURRENT_VMCS:	return c->no_current_vmcs;
	case SK_CURRENT_IS_SHADOW:	return c->current_is_shadow;
	case SK_VTPR:			return c->vtpr;
	case SK_X2APIC_MODE:		return c->x2apic_mode;
	case SK_LINK_REVISION:		return c->link_revision;
	case SK_LINK_SHADOW:		return c->link_shadow;
	case SK_LINK_IS_CURRENT:	return c->link_is_current;
	default:			return 0;
	}
}

void vmx_state_set(struct vmx_case *c, enum vmx_state_key k, uint64_t v)
{
	switch (k) {
	case SK_INSTR:			c->instr = (uint8_t)v; break;
	case SK_LAUNCH_STATE:		c->launch_state = (uint8_t)v; break;
	case SK_MOVSS_BLOCKING:		c->movss_blocking = (uint8_t)v; break;
	case SK_NO_CURRENT_VMCS:	c->no_current_vmcs = (uint8_t)v; break;
	case SK_CURRENT_IS_SHADOW:	c->current_is_shadow = (uint8_t)v; break;
	case SK_VTPR:			c->vtpr = (uint8_t)v; break;
	case SK_X2APIC_MODE:		c->x2apic_mode = (uint8_t)v; break;
	case SK_LINK_REVISION:		c->link_revision = (uint32_t)v; break;
	case SK_LINK_SHADOW:		c->link_shadow = (uint8_t)v; break;
	case SK_LINK_IS_CURRENT:	c->link_is_current = (uint8_t)v; break;
	default:			break;
	}
}

/* Flags are 0/1, the instruction is one of two, the rest are bytes or a
 * 32-bit revision id: anything else cannot be represented in the case. */
uint64_t vmx_state_max(enum vmx_state_key k)
{
	switch (k) {
	case SK_VTPR:		return 0xff;
	case SK_LINK_REVISION:	return 0xffffffffull;
	default:		return 1;
	}
}

int vmx_case_base(const struct vmx_case_file *cf, struct vmx_case *base)
{
	memset(base, 0, sizeof(*base));
	if (cf->baseline == VMX_CASE_NO_BASELINE)
		return 0;
	return vmx_baseline_build((enum vmx_baseline)cf->baseline, &cf->caps, base);
}

bool vmx_case_equal(const struct vmx_case *a, const struct vmx_case *b)
{
	if (memcmp(a->f, b->f, sizeof(a->f)) != 0)
		return false;
	for (int k = 0; k < SK_COUNT; k++)
		if (vmx_state_get(a, k) != vmx_state_get(b, k))
			return false;
	if (memcmp(a->pdpte, b->pdpte, sizeof(a->pdpte)) != 0)
		return false;
	if (a->n_msr_load != b->n_msr_load)
		return false;
	for (uint32_t i = 0; i < a->n_msr_load; i++) {
		const struct vmx_msr_entry *x = &a->msr_load[i], *y = &b->msr_load[i];

		if (x->index != y->index || x->reserved != y->reserved || x->value != y->value)
			return false;
	}
	return true;
}

bool vmx_case_file_equal(const struct vmx_case_file *a, const struct vmx_case_file *b)
{
	if (!vmx_case_equal(&a->c, &b->c) || a->baseline != b->baseline ||
	    strcmp(a->profile_name, b->profile_name) != 0)
		return false;
	if (a->has_expect_outcome != b->has_expect_outcome ||
	    (a->has_expect_outcome &&
	     !vmx_outcome_set_equal(&a->expect_outcome, &b->expect_outcome)))
		return false;
	if (a->has_expect_checks != b->has_expect_checks ||
	    (a->has_expect_checks &&
	     memcmp(a->expect_checks, b->expect_checks, sizeof(a->expect_checks)) != 0))
		return false;
	return true;
}

char *vmx_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (cap - n < 4096) {
			char *nb = realloc(buf, cap ? cap * 2 : 8192);

			if (!nb) {
				snprintf(err, errlen, "%s: out of memory", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap = cap ? cap * 2 : 8192;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}
