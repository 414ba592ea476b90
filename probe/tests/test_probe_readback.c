// SPDX-License-Identifier: GPL-2.0
/*
 * Read-back under a probe back end: the model's test cases run twice in one
 * batch each, read-back off and on.
 *
 *  - Every outcome must be the same both times: reading the VMCS back (and
 *    the core then trusting what it read instead of rewriting the guest
 *    area) must not change what the implementation does.
 *  - Every case that reached the VMCS must come back with a read-back.
 *  - What the attempt may change: after a VMfail or a VM-entry failure
 *    only read-only fields (SDM "VM-Entry Failures During or After Loading
 *    Guest State": no guest state is saved); after a real VM exit also the
 *    guest-state area, the valid bit of the VM-entry interruption
 *    information and the "IA-32e mode guest" entry control (a VM exit
 *    stores IA32_EFER.LMA there).  Any other field must read back as the effective image
 *    has it -- a difference is printed with the field and both values.
 *
 *   test_probe_readback BACKEND[:ARG]      (bochs:tigerlake, kvm)
 * Exit 0, 1 on any failure, 77 when the back end is not available here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_cases.h"
#include "vmxcc/arch.h"
#include "vmxcc/backend.h"

static bool valid(const struct vmx_backend_result *r, int f)
{
	return (r->readback_valid[f / 64] >> (f % 64)) & 1;
}

static bool same_outcome(const struct vmx_outcome *a, const struct vmx_outcome *b)
{
	return a->kind == b->kind && a->error == b->error && a->reason == b->reason &&
	       a->qual == b->qual;
}

/* May this attempt have changed field @f? */
static bool may_change(int f, const struct vmx_outcome *o)
{
	if (vmx_fields[f].group == RO)
		return true;
	if (o->kind != VO_ENTERED)
		return false;
	return vmx_fields[f].group == GUEST || f == VF_VM_ENTRY_INTR_INFO_FIELD;
}

static int check_readback(const struct model_case_info *info,
			  const struct vmx_backend_result *r)
{
	int bad = 0, n = 0;

	if (!r->have_readback) {
		printf("FAIL %s: no read-back\n", info->name);
		return 1;
	}
	for (int f = 0; f < VF_COUNT; f++) {
		uint64_t want = r->effective.f[f] & vmx_field_mask(f);

		if (!valid(r, f))
			continue;
		n++;
		if (may_change(f, &r->outcome) || r->readback[f] == want)
			continue;
		if (f == VF_VM_ENTRY_CONTROLS && r->outcome.kind == VO_ENTERED &&
		    ((r->readback[f] ^ want) & ~(uint64_t)VM_ENTRY_IA32E_MODE) == 0)
			continue;
		printf("FAIL %s: %s written %#llx, read back %#llx\n", info->name,
		       vmx_fields[f].name, (unsigned long long)want,
		       (unsigned long long)r->readback[f]);
		bad++;
	}
	if (!n) {
		printf("FAIL %s: read-back holds no field\n", info->name);
		bad++;
	}
	return bad != 0;
}

int main(int argc, char **argv)
{
	const struct vmx_backend_ops *ops;
	struct vmx_backend_result *plain, *rb;
	struct vmx_backend *b;
	struct vmx_profile p;
	struct vmx_caps caps;
	struct model_cases mc;
	char err[512], name[32];
	const char *colon;
	int bad = 0, checked = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s BACKEND[:ARG]\n", argv[0]);
		return 2;
	}
	colon = strchr(argv[1], ':');
	snprintf(name, sizeof(name), "%.*s",
		 colon ? (int)(colon - argv[1]) : (int)strlen(argv[1]), argv[1]);
	ops = vmx_backend_find(name);
	if (!ops || !ops->set_readback) {
		fprintf(stderr, "%s: unknown back end or no read-back\n", argv[1]);
		return 1;
	}
	b = ops->open(colon ? colon + 1 : NULL, err, sizeof(err));
	if (!b) {
		printf("SKIP: %s: %s\n", argv[1], err);
		return strstr(err, "not available") ? 77 : 1;
	}
	if (ops->profile(b, &p, err, sizeof(err)) ||
	    vmx_caps_from_profile(&caps, &p, err, sizeof(err)) ||
	    model_cases_build(&mc, &caps)) {
		fprintf(stderr, "%s: profile or cases: %s\n", argv[1], err);
		return 1;
	}
	plain = calloc(mc.n, sizeof(*plain));
	rb = calloc(mc.n, sizeof(*rb));
	if (!plain || !rb ||
	    ops->run(b, mc.cases, mc.n, plain, err, sizeof(err)) ||
	    ops->set_readback(b, true, err, sizeof(err)) ||
	    ops->run(b, mc.cases, mc.n, rb, err, sizeof(err))) {
		fprintf(stderr, "%s run: %s\n", argv[1], err);
		return 1;
	}
	for (size_t i = 0; i < mc.n; i++) {
		char a[128], c[128];

		if (plain[i].have_readback) {
			printf("FAIL %s: read-back without asking\n", mc.info[i].name);
			bad++;
		}
		if (!same_outcome(&plain[i].outcome, &rb[i].outcome)) {
			vmx_outcome_format(a, sizeof(a), &plain[i].outcome);
			vmx_outcome_format(c, sizeof(c), &rb[i].outcome);
			printf("FAIL %s: %s without read-back, %s with\n", mc.info[i].name, a, c);
			bad++;
			continue;
		}
		if (rb[i].outcome.kind == VO_SKIPPED || rb[i].outcome.kind == VO_BACKEND_ERROR)
			continue;
		checked++;
		bad += check_readback(&mc.info[i], &rb[i]);
	}
	printf("SUMMARY %s: %zu cases, %d read back and checked, %d FAIL\n",
	       argv[1], mc.n, checked, bad);
	free(plain);
	free(rb);
	model_cases_free(&mc);
	ops->close(b);
	return bad ? 1 : 0;
}
