// SPDX-License-Identifier: GPL-2.0
/*
 * Read-back through /dev/vmxcc: the model's test cases run twice, read-back
 * off and on (the rules of probe/tests/test_probe_readback.c):
 *
 *  - every outcome must be the same both times: reading the VMCS back
 *    (and the core then trusting it) must not change what the CPU does;
 *  - the first run must carry no read-back, and every case of the second
 *    that reached the VMCS must carry one;
 *  - no difference vmx_readback_diff() does not expect (after a VMfail or
 *    a VM-entry failure only read-only fields may differ from the
 *    effective image; after a real VM exit also guest state, the valid bit
 *    of the VM-entry interruption information and the IA-32e-mode-guest
 *    control).  The module's own host state is no
 *    exception: it reads back as its placeholder, like the effective
 *    image shows it;
 *  - no value in an effective image or a read-back is a kernel address:
 *    a value with bit 63 set that the case did not hold (in that field or
 *    as an MSR-load value) must be one of the module's placeholders
 *    (VMXCC_HIDDEN_*).
 * The outcomes with read-back are judged by the model as in replay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "vmxcc/readback.h"
#include "vmxcc_ioctl.h"

static bool placeholder(uint64_t v)
{
	uint64_t base = v & ~(0xfffull | VMXCC_HIDDEN_FLIP);

	return base == VMXCC_HIDDEN_VA48 || base == VMXCC_HIDDEN_VA57 ||
	       base == VMXCC_HIDDEN_VA_NC;
}

/*
 * Did the caller hold @v itself: in field @f, or as the value of a VM-entry
 * MSR-load entry (a VM exit saves e.g. the guest's SYSENTER_EIP, which an
 * entry may have loaded from the list)?
 */
static bool callers(const struct vmx_case *given, int f, uint64_t v)
{
	if (v == given->f[f])
		return true;
	for (uint32_t i = 0; i < given->n_msr_load && i < VMX_CASE_MAX_MSR_LOAD; i++)
		if (v == given->msr_load[i].value)
			return true;
	return false;
}

/* A kernel address the module let through? */
static int leak(const char *name, const char *where, int f, uint64_t v,
		const struct vmx_case *given)
{
	if (!(v >> 63) || placeholder(v) || callers(given, f, v))
		return 0;
	printf("FAIL %s: %s %s = %#llx looks like a kernel address\n", name, where,
	       vmx_fields[f].name, (unsigned long long)v);
	return 1;
}

int readback_leaks(const char *name, const struct vmx_case *given,
		   const struct vmx_backend_result *r)
{
	int bad = 0;

	for (int f = 0; f < VF_COUNT; f++) {
		bad += leak(name, "effective", f, r->effective.f[f], given);
		if (r->have_readback && vmx_rb_bit(r->readback_valid, f))
			bad += leak(name, "read back", f, r->readback[f], given);
	}
	return bad;
}

/* vmx_readback_diff()'s rule (harness/src/readback.c, the one repro,
 * replay and the campaign use): every difference it does not expect fails. */
static int check_one(const char *name, const struct vmx_case *given,
		     const struct vmx_backend_result *r, unsigned long *hidden)
{
	static struct vmx_rb_diffs d;
	int bad = 0, n = 0;

	if (!r->have_readback) {
		printf("FAIL %s: no read-back\n", name);
		return 1;
	}
	bad += readback_leaks(name, given, r);
	for (int f = 0; f < VF_COUNT; f++) {
		if (!vmx_rb_bit(r->readback_valid, f))
			continue;
		n++;
		*hidden += placeholder(r->readback[f]);
	}
	if (!n) {
		printf("FAIL %s: read-back holds no field\n", name);
		bad++;
	}
	vmx_readback_diff(r, &d);
	for (int i = 0; i < d.n; i++) {
		if (d.d[i].why != VMX_RB_UNEXPECTED)
			continue;
		printf("FAIL %s: %s written %#llx, read back %#llx\n", name,
		       vmx_fields[d.d[i].field].name, (unsigned long long)d.d[i].written,
		       (unsigned long long)d.d[i].read);
		bad++;
	}
	return bad != 0;
}

static int compare(const struct model_set *m, const struct vmx_backend_result *plain,
		   const struct vmx_backend_result *rb, struct judge *j)
{
	unsigned long checked = 0, hidden = 0;
	int bad = 0;

	for (size_t i = 0; i < m->n; i++) {
		char a[128], c[128];

		judge_one(j, m->names[i], &rb[i]);
		if (plain[i].have_readback) {
			printf("FAIL %s: read-back without asking\n", m->names[i]);
			bad++;
		}
		if (!vmx_outcome_equal(&plain[i].outcome, &rb[i].outcome)) {
			vmx_outcome_format(a, sizeof(a), &plain[i].outcome);
			vmx_outcome_format(c, sizeof(c), &rb[i].outcome);
			printf("FAIL %s: %s without read-back, %s with\n", m->names[i], a, c);
			bad++;
			continue;
		}
		if (rb[i].outcome.kind == VO_SKIPPED || rb[i].outcome.kind == VO_BACKEND_ERROR) {
			if (rb[i].have_readback) {
				printf("FAIL %s: read-back of a case that did not run\n",
				       m->names[i]);
				bad++;
			}
			continue;
		}
		checked++;
		bad += check_one(m->names[i], &m->cases[i], &rb[i], &hidden);
	}
	printf("readback: %zu cases, %lu read back and checked, %lu placeholder values, "
	       "%d FAIL\n", m->n, checked, hidden, bad);
	judge_print(j, "readback");
	return bad || !checked || !hidden || j->disagree || j->errors ? 1 : 0;
}

int mode_readback(struct vmx_backend *b, struct judge *j)
{
	struct vmx_backend_result *plain = NULL, *rb = NULL;
	struct model_set m = { 0 };
	char err[512];
	int ret = -1;

	if (model_set_build(&m, &j->caps))
		goto out;
	plain = calloc(m.n ? m.n : 1, sizeof(*plain));
	rb = calloc(m.n ? m.n : 1, sizeof(*rb));
	if (!plain || !rb)
		goto out;
	if (vmx_backend_kmod.run(b, m.cases, m.n, plain, err, sizeof(err)) ||
	    vmx_backend_kmod.set_readback(b, true, err, sizeof(err)) ||
	    vmx_backend_kmod.run(b, m.cases, m.n, rb, err, sizeof(err)) ||
	    vmx_backend_kmod.set_readback(b, false, err, sizeof(err))) {
		printf("readback: %s\n", err);
		goto out;
	}
	ret = compare(&m, plain, rb, j);
out:
	model_set_free(&m);
	free(plain);
	free(rb);
	return ret;
}
