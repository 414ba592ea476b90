// SPDX-License-Identifier: GPL-2.0
/*
 * Replay the model's own single-check tests (model_set.c) and random
 * mutations of the baselines through /dev/vmxcc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "vmxcc/baseline.h"

#define BATCH 512

struct pending {
	size_t n;
	bool readback;
	const char *names[BATCH];
	char fuzz_names[BATCH][32];
	struct vmx_case cases[BATCH];
	struct vmx_backend_result res[BATCH];
};

static int flush(struct vmx_backend *b, struct judge *j, struct pending *q)
{
	char err[256];

	if (!q->n)
		return 0;
	if (vmx_backend_kmod.run(b, q->cases, q->n, q->res, err, sizeof(err))) {
		printf("run: %s\n", err);
		return -1;
	}
	for (size_t i = 0; i < q->n; i++) {
		judge_one(j, q->names[i], &q->res[i]);
		if (q->readback)
			judge_readback(j, q->names[i], &q->cases[i], &q->res[i]);
	}
	q->n = 0;
	return 0;
}

int mode_replay(struct vmx_backend *b, struct judge *j)
{
	struct vmx_backend_result *res = calloc(BATCH, sizeof(*res));
	struct model_set m = { 0 };
	char err[256];
	int ret = -1;

	if (!res || model_set_build(&m, &j->caps))
		goto out;
	for (size_t at = 0; at < m.n; at += BATCH) {
		size_t k = m.n - at < BATCH ? m.n - at : BATCH;

		if (vmx_backend_kmod.run(b, m.cases + at, k, res, err, sizeof(err))) {
			printf("run: %s\n", err);
			goto out;
		}
		for (size_t i = 0; i < k; i++)
			judge_one(j, m.names[at + i], &res[i]);
	}
	printf("replay: %lu model tests: %lu need a profile change, %lu need a "
	       "baseline this CPU cannot build\n", m.total, m.needs_profile, m.no_baseline);
	judge_print(j, "replay");
	ret = j->disagree || j->errors ? 1 : 0;
out:
	model_set_free(&m);
	free(res);
	return ret;
}

static unsigned long rnd(unsigned long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static const uint32_t fuzz_msrs[] = {
	0x174, 0x175, 0x176, 0xc0000081, 0xc0000082, 0xc0000102, 0xc0000103,
	0xc0000100, 0xc0000101, 0x802, 0x830, 0x79, 0x9b, 0x277, 0x10, 0x0,
};

static uint64_t fuzz_value(unsigned long *s)
{
	switch (rnd(s) % 6) {
	case 0: return 0;
	case 1: return ~0ull;
	case 2: return 1ull << (rnd(s) % 64);
	case 3: return rnd(s);
	default: return rnd(s) & 0xffff;
	}
}

/* Break 1-3 things in a valid baseline. */
static void mutate(struct vmx_case *c, unsigned long *s)
{
	int k = 1 + rnd(s) % 3;

	while (k--) {
		unsigned long what = rnd(s) % 16;
		int f = rnd(s) % VF_COUNT;

		if (what < 10 && vmx_fields[f].group != RO) {
			if (rnd(s) & 1)
				c->f[f] ^= 1ull << (rnd(s) % 64);
			else
				c->f[f] = fuzz_value(s);
		} else if (what < 13 && c->n_msr_load < VMX_CASE_MAX_MSR_LOAD) {
			struct vmx_msr_entry *e = &c->msr_load[c->n_msr_load++];

			e->index = fuzz_msrs[rnd(s) % (sizeof(fuzz_msrs) / sizeof(fuzz_msrs[0]))];
			e->reserved = rnd(s) % 8 ? 0 : 1;
			e->value = fuzz_value(s);
			c->f[VF_VM_ENTRY_MSR_LOAD_COUNT] = c->n_msr_load;
		} else if (what == 13) {
			c->instr ^= 1;
		} else if (what == 14) {
			c->launch_state ^= 1;
		} else {
			c->f[VF_GUEST_ACTIVITY_STATE] = rnd(s) % 4;
		}
	}
}

/* Triage of a case that hangs or kills the guest: from case index
 * $vmxcc_trace on, each case runs alone after a line in the kernel log
 * (printk reaches the serial console synchronously). */
static void trace_case(unsigned long i, const struct vmx_case *c,
		       const struct vmx_case *base)
{
	static FILE *kmsg;

	if (!kmsg)
		kmsg = fopen("/dev/kmsg", "w");
	if (!kmsg)
		return;
	fprintf(kmsg, "<3>vmxcc-trace: case %lu instr %u launched %u act %llu pin %#llx "
		"proc %#llx proc2 %#llx entry %#llx exit %#llx intr %#llx msrs %u\n",
		i, c->instr, c->launch_state,
		(unsigned long long)c->f[VF_GUEST_ACTIVITY_STATE],
		(unsigned long long)c->f[VF_PIN_BASED_VM_EXEC_CONTROL],
		(unsigned long long)c->f[VF_CPU_BASED_VM_EXEC_CONTROL],
		(unsigned long long)c->f[VF_SECONDARY_VM_EXEC_CONTROL],
		(unsigned long long)c->f[VF_VM_ENTRY_CONTROLS],
		(unsigned long long)c->f[VF_VM_EXIT_CONTROLS],
		(unsigned long long)c->f[VF_VM_ENTRY_INTR_INFO_FIELD], c->n_msr_load);
	for (int f = 0; f < VF_COUNT; f++)
		if (c->f[f] != base->f[f])
			fprintf(kmsg, "<3>vmxcc-trace:   %s = %#llx\n", vmx_fields[f].name,
				(unsigned long long)c->f[f]);
	for (uint32_t m = 0; m < c->n_msr_load; m++)
		fprintf(kmsg, "<3>vmxcc-trace:   msr[%u] = %#x/%u/%#llx\n", m,
			c->msr_load[m].index, c->msr_load[m].reserved,
			(unsigned long long)c->msr_load[m].value);
	fflush(kmsg);
}

int mode_fuzz(struct vmx_backend *b, struct judge *j, unsigned long n,
	      unsigned long seed, bool readback)
{
	const char *tr = getenv("vmxcc_trace");
	unsigned long trace_from = tr ? strtoul(tr, NULL, 0) : ~0ul;

	struct pending *q = calloc(1, sizeof(*q));
	struct vmx_case base[BL_COUNT];
	int nbase = 0, which[BL_COUNT];
	unsigned long s = seed | 1;
	char err[256];

	if (!q)
		return -1;
	q->readback = readback;
	if (readback && vmx_backend_kmod.set_readback(b, true, err, sizeof(err))) {
		printf("fuzz: %s\n", err);
		free(q);
		return -1;
	}
	for (int bl = 0; bl < BL_COUNT; bl++)
		if (!vmx_baseline_build(bl, &j->caps, &base[nbase]))
			which[nbase++] = bl;
	if (!nbase) {
		printf("fuzz: no baseline builds for this profile\n");
		free(q);
		return -1;
	}
	for (unsigned long i = 0; i < n; i++) {
		int bi = rnd(&s) % nbase;

		q->cases[q->n] = base[bi];
		mutate(&q->cases[q->n], &s);
		snprintf(q->fuzz_names[q->n], sizeof(q->fuzz_names[0]), "fuzz#%lu(%s)",
			 i, vmx_baseline_names[which[bi]]);
		q->names[q->n] = q->fuzz_names[q->n];
		q->n++;
		if (i >= trace_from) {
			trace_case(i, &q->cases[q->n - 1], &base[bi]);
			if (flush(b, j, q))
				break;
			continue;
		}
		if (q->n < BATCH)
			continue;
		if (flush(b, j, q)) {
			free(q);
			return -1;
		}
		printf("fuzz: %lu/%lu\n", i + 1, n);
	}
	if (flush(b, j, q)) {
		free(q);
		return -1;
	}
	judge_print(j, "fuzz");
	free(q);
	return j->disagree || j->errors ? 1 : 0;
}
