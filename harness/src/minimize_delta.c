// SPDX-License-Identifier: GPL-2.0
/*
 * Differences between a case and a baseline, one unit each.  MSR-load
 * entries are units of their own: a list that differs from the baseline's
 * in one entry minimizes to that entry, not to the whole list.
 */
#include <string.h>

#include "minimize_delta.h"

static int max_u32(uint32_t a, uint32_t b)
{
	return (int)(a > b ? a : b);
}

/* Entry @i differs when its value differs or when one list gives it and
 * the other does not (an explicit zero entry is still text to revert). */
static bool msr_differs(const struct vmx_case *c, const struct vmx_case *base, uint32_t i)
{
	struct vmx_msr_entry x = vmx_case_msr_entry(c, i), y = vmx_case_msr_entry(base, i);

	if ((i < c->n_msr_load) != (i < base->n_msr_load))
		return true;
	return x.index != y.index || x.reserved != y.reserved || x.value != y.value;
}

static void add(struct delta *d, int *n, enum delta_kind kind, int idx)
{
	d[*n].kind = (uint8_t)kind;
	d[*n].idx = (uint16_t)idx;
	(*n)++;
}

int delta_list(const struct vmx_case *c, const struct vmx_case *base, struct delta *d)
{
	int n = 0;

	for (int f = 0; f < VF_COUNT; f++)
		if (c->f[f] != base->f[f])
			add(d, &n, D_FIELD, f);
	for (int k = 0; k < SK_COUNT; k++)
		if (vmx_state_get(c, k) != vmx_state_get(base, k))
			add(d, &n, D_STATE, k);
	if (c->link_is_current != base->link_is_current)
		add(d, &n, D_LINK_CURRENT, 0);
	for (int i = 0; i < 4; i++)
		if (c->pdpte[i] != base->pdpte[i])
			add(d, &n, D_PDPTE, i);
	for (int i = 0; i < max_u32(c->n_msr_load, base->n_msr_load); i++)
		if (msr_differs(c, base, (uint32_t)i))
			add(d, &n, D_MSR, i);
	return n;
}

/*
 * Entry i comes from @c if its difference is kept, else from @base; the
 * list is as long as the last entry its source gives.  Entries in a gap
 * read as zero, which is what the processor reads there anyway.
 */
static void apply_msr(const struct vmx_case *c, const struct vmx_case *base,
		      const bool *from_c, struct vmx_case *out)
{
	int len = max_u32(c->n_msr_load, base->n_msr_load);
	uint32_t n = 0;

	for (int i = 0; i < len; i++) {
		const struct vmx_case *src = from_c[i] ? c : base;

		if ((uint32_t)i < src->n_msr_load)
			n = (uint32_t)i + 1;
	}
	memset(out->msr_load, 0, sizeof(out->msr_load));
	for (uint32_t i = 0; i < n; i++)
		out->msr_load[i] = vmx_case_msr_entry(from_c[i] ? c : base, i);
	out->n_msr_load = n;
}

void delta_apply(const struct vmx_case *c, const struct vmx_case *base,
		 const struct delta *d, int n, struct vmx_case *out)
{
	bool msr_from_c[VMX_CASE_MAX_MSR_LOAD] = { false };

	*out = *base;
	for (int i = 0; i < n; i++) {
		int x = d[i].idx;

		switch (d[i].kind) {
		case D_FIELD:
			out->f[x] = c->f[x];
			break;
		case D_STATE:
			vmx_state_set(out, x, vmx_state_get(c, x));
			break;
		case D_LINK_CURRENT:
			out->link_is_current = c->link_is_current;
			break;
		case D_PDPTE:
			out->pdpte[x] = c->pdpte[x];
			break;
		case D_MSR:
			msr_from_c[x] = true;
			break;
		}
	}
	apply_msr(c, base, msr_from_c, out);
}
