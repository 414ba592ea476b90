// SPDX-License-Identifier: GPL-2.0
/*
 * Delta debugging over the differences between a diverging case and its
 * baseline (Zeller's ddmin, complement side only).  Each round runs all
 * candidates of one granularity as a single back-end batch, because a back
 * end like Bochs pays its start-up cost per batch, not per case.
 */
#include <stdlib.h>
#include <string.h>

#include "vmxcc/baseline.h"
#include "vmxcc/run.h"

/* A difference: a field index, VF_COUNT + state key, VF_COUNT + SK_COUNT +
 * PDPTE index, or UNIT_MSR for the whole MSR-load list. */
#define UNIT_STATE	VF_COUNT
#define UNIT_PDPTE	(VF_COUNT + SK_COUNT)
#define UNIT_MSR	(UNIT_PDPTE + 4)
#define MAX_UNITS	(UNIT_MSR + 1)

static bool msr_equal(const struct vmx_case *a, const struct vmx_case *b)
{
	if (a->n_msr_load != b->n_msr_load)
		return false;
	for (uint32_t i = 0; i < a->n_msr_load; i++)
		if (a->msr_load[i].index != b->msr_load[i].index ||
		    a->msr_load[i].reserved != b->msr_load[i].reserved ||
		    a->msr_load[i].value != b->msr_load[i].value)
			return false;
	return true;
}

static int list_units(const struct vmx_case *c, const struct vmx_case *base, int *u)
{
	int n = 0;

	for (int f = 0; f < VF_COUNT; f++)
		if (c->f[f] != base->f[f])
			u[n++] = f;
	for (int k = 0; k < SK_COUNT; k++)
		if (vmx_state_get(c, k) != vmx_state_get(base, k))
			u[n++] = UNIT_STATE + k;
	for (int i = 0; i < 4; i++)
		if (c->pdpte[i] != base->pdpte[i])
			u[n++] = UNIT_PDPTE + i;
	if (!msr_equal(c, base))
		u[n++] = UNIT_MSR;
	return n;
}

/* @out = @base with the units @keep[0..n) taken from @c. */
static void compose(const struct vmx_case *c, const struct vmx_case *base,
		    const int *keep, int n, struct vmx_case *out)
{
	*out = *base;
	for (int i = 0; i < n; i++) {
		int u = keep[i];

		if (u < UNIT_STATE)
			out->f[u] = c->f[u];
		else if (u < UNIT_PDPTE)
			vmx_state_set(out, u - UNIT_STATE, vmx_state_get(c, u - UNIT_STATE));
		else if (u < UNIT_MSR)
			out->pdpte[u - UNIT_PDPTE] = c->pdpte[u - UNIT_PDPTE];
		else {
			memcpy(out->msr_load, c->msr_load, sizeof(c->msr_load));
			out->n_msr_load = c->n_msr_load;
		}
	}
}

/* Without a baseline, pick the buildable one closest to the case. */
static void choose_baseline(struct vmx_case_file *cf)
{
	int best = -1, best_n = MAX_UNITS + 1, u[MAX_UNITS];
	struct vmx_case base;

	if (cf->baseline != VMX_CASE_NO_BASELINE)
		return;
	for (int b = 0; b < BL_COUNT; b++) {
		int n;

		if (vmx_baseline_build(b, &cf->caps, &base) != 0)
			continue;
		n = list_units(&cf->c, &base, u);
		if (n < best_n) {
			best = b;
			best_n = n;
		}
	}
	if (best >= 0)
		cf->baseline = best;
}

struct dd {
	struct vmx_backend_inst *bi;
	const struct vmx_case *c, *base;
	uint64_t sig;
	struct vmx_minimize_stats *st;
	struct vmx_case *cand;
	struct vmx_backend_result *res;
	struct vmx_comparison *cmp;
};

/* Try removing each of @nchunks chunks of @units; returns the index of the
 * first chunk whose removal keeps the signature, -1 if none, -2 on error. */
static int try_round(struct dd *d, const int *units, int n, int nchunks, char *err, size_t errlen)
{
	int keep[MAX_UNITS];

	for (int j = 0; j < nchunks; j++) {
		int lo = n * j / nchunks, hi = n * (j + 1) / nchunks, k = 0;

		for (int i = 0; i < n; i++)
			if (i < lo || i >= hi)
				keep[k++] = units[i];
		compose(d->c, d->base, keep, k, &d->cand[j]);
	}
	if (vmx_run_compare(d->bi, d->cand, (size_t)nchunks, d->res, d->cmp, err, errlen))
		return -2;
	d->st->runs += nchunks;
	d->st->batches++;
	for (int j = 0; j < nchunks; j++)
		if (d->cmp[j].agreement == VMX_DIVERGE && d->cmp[j].signature == d->sig)
			return j;
	return -1;
}

int vmx_minimize(struct vmx_backend_inst *bi, struct vmx_case_file *cf, uint64_t signature,
		 struct vmx_minimize_stats *st, char *err, size_t errlen)
{
	int units[MAX_UNITS], n, gran = 2, ret = 0;
	struct vmx_case base, result;
	struct dd d = { bi, &cf->c, &base, signature, st, NULL, NULL, NULL };

	memset(st, 0, sizeof(*st));
	choose_baseline(cf);
	vmx_case_base(cf, &base);
	n = list_units(&cf->c, &base, units);
	st->units_before = n;
	d.cand = malloc(sizeof(*d.cand) * MAX_UNITS);
	d.res = malloc(sizeof(*d.res) * MAX_UNITS);
	d.cmp = malloc(sizeof(*d.cmp) * MAX_UNITS);
	if (!d.cand || !d.res || !d.cmp) {
		snprintf(err, errlen, "out of memory");
		ret = -1;
		goto out;
	}
	if (n == 1)
		gran = 1;
	while (n > 0) {
		int j = try_round(&d, units, n, gran, err, errlen);

		if (j == -2) {
			ret = -1;
			goto out;
		}
		if (j >= 0) {
			int lo = n * j / gran, hi = n * (j + 1) / gran;

			memmove(units + lo, units + hi, (size_t)(n - hi) * sizeof(int));
			n -= hi - lo;
			gran = gran > 2 ? gran - 1 : (n > 1 ? 2 : 1);
			continue;
		}
		if (gran >= n)
			break;
		gran = gran * 2 < n ? gran * 2 : n;
	}
	compose(&cf->c, &base, units, n, &result);
	cf->c = result;
	st->units_after = n;
out:
	free(d.cand);
	free(d.res);
	free(d.cmp);
	return ret;
}
