// SPDX-License-Identifier: GPL-2.0
/*
 * Delta debugging (Zeller and Hildebrandt's ddmin) over the differences
 * between a diverging case and the nearest valid baseline.  A candidate
 * "fails" in ddmin's sense when the back end still diverges from the model
 * with the same signature.  Each round tests every subset and every
 * complement of one granularity as a single back-end batch, because a back
 * end like Bochs pays its start-up cost per batch, not per case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/baseline.h"
#include "vmxcc/run.h"
#include "minimize_delta.h"

/* Subsets plus complements of the finest granularity. */
#define CAND_MAX (2 * DELTA_MAX)

struct dd {
	struct vmx_backend_inst *bi;
	const struct vmx_case *c, *base;
	uint64_t sig;
	struct vmx_minimize_stats *st;
	struct vmx_case *cand;
	struct vmx_backend_result *res;
	struct vmx_comparison *cmp;
	bool base_alone;	/* the bare baseline reproduces the divergence */
	char *err;
	size_t errlen;
};

static bool reproduces(const struct dd *d, int i)
{
	return d->cmp[i].agreement == VMX_DIVERGE && d->cmp[i].signature == d->sig;
}

static int run_batch(struct dd *d, int n)
{
	if (vmx_run_compare(d->bi, d->cand, (size_t)n, d->res, d->cmp, d->err, d->errlen))
		return -1;
	d->st->runs += n;
	d->st->batches++;
	return 0;
}

/*
 * One ddmin round at granularity @gran over @cur[0..n): candidate j < gran
 * is chunk j alone, candidate gran + j is everything but chunk j (only
 * when gran > 2: for two chunks the complements are the subsets).
 * Returns the first reproducing candidate, subsets first; -1 if none;
 * -2 if the back end failed.
 */
static int round_of(struct dd *d, const struct delta *cur, int n, int gran)
{
	struct delta part[DELTA_MAX];
	int ncand = gran > 2 ? 2 * gran : gran;

	for (int j = 0; j < gran; j++) {
		int lo = n * j / gran, hi = n * (j + 1) / gran, k = 0;

		delta_apply(d->c, d->base, cur + lo, hi - lo, &d->cand[j]);
		if (ncand == gran)
			continue;
		for (int i = 0; i < n; i++)
			if (i < lo || i >= hi)
				part[k++] = cur[i];
		delta_apply(d->c, d->base, part, k, &d->cand[gran + j]);
	}
	if (run_batch(d, ncand))
		return -2;
	for (int j = 0; j < ncand; j++)
		if (reproduces(d, j))
			return j;
	return -1;
}

/* Keep chunk @j of @gran (@j < @gran) or drop it (@j >= @gran). */
static int narrow(struct delta *cur, int n, int gran, int j)
{
	int lo, hi;

	if (j < gran) {
		lo = n * j / gran;
		hi = n * (j + 1) / gran;
		memmove(cur, cur + lo, (size_t)(hi - lo) * sizeof(*cur));
		return hi - lo;
	}
	lo = n * (j - gran) / gran;
	hi = n * (j - gran + 1) / gran;
	memmove(cur + lo, cur + hi, (size_t)(n - hi) * sizeof(*cur));
	return n - (hi - lo);
}

/* ddmin on @cur[0..*n): leaves a 1-minimal set there.  0, or -1 on error. */
static int ddmin(struct dd *d, struct delta *cur, int *n)
{
	int gran = 2;

	while (*n >= 2) {
		int j;

		if (gran > *n)
			gran = *n;
		j = round_of(d, cur, *n, gran);
		if (j == -2)
			return -1;
		if (j >= 0) {
			*n = narrow(cur, *n, gran, j);
			gran = j < gran ? 2 : (gran - 1 > 2 ? gran - 1 : 2);
		} else if (gran < *n) {
			gran *= 2;
		} else {
			break;
		}
	}
	return 0;
}

/*
 * The baseline to minimize towards: among those the profile can build, the
 * one with the fewest differences from the case that is valid on the back
 * end (it agrees with the model there), or that alone reproduces the
 * divergence (then the smallest case is the baseline itself).  Ties go to
 * the case's own baseline, then to the first in enum order.  All bare
 * baselines run in one batch.  Returns the distance of the choice, or -1
 * if the back end failed; with no valid baseline the case's own is kept.
 */
static int choose_baseline(struct dd *d, struct vmx_case_file *cf)
{
	struct delta scratch[DELTA_MAX];
	int built[BL_COUNT], dist[BL_COUNT], nb = 0, best = -1;

	for (int b = 0; b < BL_COUNT; b++)
		if (vmx_baseline_build(b, &cf->caps, &d->cand[nb]) == 0) {
			dist[nb] = delta_list(&cf->c, &d->cand[nb], scratch);
			built[nb++] = b;
		}
	if (nb && run_batch(d, nb))
		return -1;
	for (int i = 0; i < nb; i++) {
		if (reproduces(d, i))
			dist[i] = 0;
		else if (d->cmp[i].agreement != VMX_AGREE)
			continue;
		if (best < 0 || dist[i] < dist[best] ||
		    (dist[i] == dist[best] && built[i] == cf->baseline))
			best = i;
	}
	if (best < 0)
		return 0;
	cf->baseline = built[best];
	d->base_alone = reproduces(d, best);
	return dist[best];
}

static int alloc_dd(struct dd *d)
{
	d->cand = malloc(sizeof(*d->cand) * CAND_MAX);
	d->res = malloc(sizeof(*d->res) * CAND_MAX);
	d->cmp = malloc(sizeof(*d->cmp) * CAND_MAX);
	if (d->cand && d->res && d->cmp)
		return 0;
	snprintf(d->err, d->errlen, "minimize: out of memory");
	return -1;
}

static int minimize(struct dd *d, struct vmx_case_file *cf)
{
	struct delta cur[DELTA_MAX];
	struct vmx_case base, result;
	struct vmx_minimize_stats *st = d->st;
	int n;

	vmx_case_base(cf, &base);
	st->given_units = delta_list(&cf->c, &base, cur);
	if (choose_baseline(d, cf) < 0)
		return -1;
	st->baseline = cf->baseline;
	vmx_case_base(cf, &base);
	d->base = &base;
	n = delta_list(&cf->c, &base, cur);
	st->units_before = n;
	if (d->base_alone)
		n = 0;
	else if (ddmin(d, cur, &n))
		return -1;
	delta_apply(&cf->c, &base, cur, n, &result);
	cf->c = result;
	st->units_after = n;
	return 0;
}

int vmx_minimize(struct vmx_backend_inst *bi, struct vmx_case_file *cf, uint64_t signature,
		 struct vmx_minimize_stats *st, char *err, size_t errlen)
{
	struct dd d = { .bi = bi, .c = &cf->c, .sig = signature, .st = st,
			.err = err, .errlen = errlen };
	int ret = -1;

	memset(st, 0, sizeof(*st));
	st->given_baseline = cf->baseline;
	if (alloc_dd(&d) == 0)
		ret = minimize(&d, cf);
	free(d.cand);
	free(d.res);
	free(d.cmp);
	return ret;
}
