// SPDX-License-Identifier: GPL-2.0
/*
 * Valid variations of the baselines: every activity state and every kind of
 * event injection the SDM allows, each of which must pass every check and
 * enter the guest (no failing and no uncertain check).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "vmxcc/arch.h"
#include "vmxcc/baseline.h"
#include "vmxcc/model.h"

#define FLD(c, name) ((c)->f[VF_##name])
#define INJ(type, vector) (INTR_INFO_VALID | ((type) << INTR_INFO_TYPE_SHIFT) | (vector))

struct variant {
	const char *name;
	enum vmx_baseline base;
	uint32_t activity;
	uint32_t intr_info;		/* VM-entry interruption information */
	uint32_t ilen;			/* VM-entry instruction length */
	uint64_t rflags_set;
};

static const struct variant variants[] = {
	{ "HLT", BL_LONG64, GUEST_ACTIVITY_HLT, 0, 0, 0 },
	{ "shutdown", BL_LONG64, GUEST_ACTIVITY_SHUTDOWN, 0, 0, 0 },
	{ "wait-for-SIPI", BL_LONG64, GUEST_ACTIVITY_WAIT_SIPI, 0, 0, 0 },
	{ "HLT in PAE mode", BL_PAE32, GUEST_ACTIVITY_HLT, 0, 0, 0 },
	{ "HLT in real mode", BL_REAL_UG, GUEST_ACTIVITY_HLT, 0, 0, 0 },
	{ "external interrupt", BL_LONG64, 0, INJ(INTR_TYPE_EXT_INTR, 0x20), 0, X86_RFLAGS_IF },
	{ "NMI", BL_LONG64, 0, INJ(INTR_TYPE_NMI, 2), 0, 0 },
	{ "#GP with error code", BL_LONG64, 0,
	  INJ(INTR_TYPE_HARD_EXCEPTION, 13) | INTR_INFO_DELIVER_CODE, 0, 0 },
	{ "#UD without error code", BL_LONG64, 0, INJ(INTR_TYPE_HARD_EXCEPTION, 6), 0, 0 },
	{ "software interrupt INT 80H", BL_LONG64, 0, INJ(INTR_TYPE_SOFT_INTR, 0x80), 2, 0 },
	{ "privileged software exception INT1", BL_LONG64, 0,
	  INJ(INTR_TYPE_PRIV_SW_EXCEPTION, 1), 1, 0 },
	{ "software exception INT3", BL_LONG64, 0, INJ(INTR_TYPE_SOFT_EXCEPTION, 3), 1, 0 },
	{ "other event: pending MTF VM exit", BL_LONG64, 0, INJ(INTR_TYPE_OTHER_EVENT, 0), 0, 0 },
	{ "HLT + external interrupt", BL_LONG64, GUEST_ACTIVITY_HLT,
	  INJ(INTR_TYPE_EXT_INTR, 0x30), 0, X86_RFLAGS_IF },
	{ "HLT + NMI", BL_LONG64, GUEST_ACTIVITY_HLT, INJ(INTR_TYPE_NMI, 2), 0, 0 },
	{ "HLT + #DB", BL_LONG64, GUEST_ACTIVITY_HLT, INJ(INTR_TYPE_HARD_EXCEPTION, 1), 0, 0 },
	{ "HLT + #MC", BL_LONG64, GUEST_ACTIVITY_HLT, INJ(INTR_TYPE_HARD_EXCEPTION, 18), 0, 0 },
	{ "HLT + pending MTF VM exit", BL_LONG64, GUEST_ACTIVITY_HLT,
	  INJ(INTR_TYPE_OTHER_EVENT, 0), 0, 0 },
	{ "shutdown + NMI", BL_LONG64, GUEST_ACTIVITY_SHUTDOWN, INJ(INTR_TYPE_NMI, 2), 0, 0 },
	{ "shutdown + #MC", BL_LONG64, GUEST_ACTIVITY_SHUTDOWN,
	  INJ(INTR_TYPE_HARD_EXCEPTION, 18), 0, 0 },
	{ "PAE guest + #PF with error code", BL_PAE32, 0,
	  INJ(INTR_TYPE_HARD_EXCEPTION, 14) | INTR_INFO_DELIVER_CODE, 0, 0 },
	{ "v86 guest + external interrupt", BL_V86, 0, INJ(INTR_TYPE_EXT_INTR, 0x21), 0, X86_RFLAGS_IF },
	{ "real-mode guest + software interrupt", BL_REAL_UG, 0, INJ(INTR_TYPE_SOFT_INTR, 0x10), 2, 0 },
	{ "MSR-load baseline + NMI", BL_LONG64_MSRLOAD, 0, INJ(INTR_TYPE_NMI, 2), 0, 0 },
};

static void run_variant(void **state)
{
	const struct variant *t = *state;
	struct vmx_profile p;
	struct vmx_caps caps;
	struct vmx_case c;
	struct vmx_verdict v;
	char err[256], got[256];

	vmx_profile_synthetic_full(&p);
	assert_int_equal(vmx_caps_from_profile(&caps, &p, err, sizeof(err)), 0);
	assert_int_equal(vmx_baseline_build(t->base, &caps, &c), 0);
	FLD(&c, GUEST_ACTIVITY_STATE) = t->activity;
	FLD(&c, VM_ENTRY_INTR_INFO_FIELD) = t->intr_info;
	FLD(&c, VM_ENTRY_INSTRUCTION_LEN) = t->ilen;
	FLD(&c, GUEST_RFLAGS) |= t->rflags_set;
	vmx_model_eval(&caps, &c, &v);

	for (int id = 0; id < VMX_CHECK_COUNT; id++) {
		if (vmx_verdict_failed(&v, id))
			fail_msg("%s: fails %s", t->name, vmx_checks[id].id);
		if ((v.uncertain[id / 64] >> (id % 64)) & 1)
			fail_msg("%s: %s is uncertain", t->name, vmx_checks[id].id);
	}
	vmx_outcome_set_format(got, sizeof(got), &v.allowed);
	assert_string_equal(got, "{entered}");
}

int main(void)
{
	enum { N = sizeof(variants) / sizeof(variants[0]) };
	struct CMUnitTest tests[N];

	for (size_t i = 0; i < N; i++)
		tests[i] = (struct CMUnitTest){ variants[i].name, run_variant, NULL, NULL,
						(void *)&variants[i] };
	return _cmocka_run_group_tests("model-baselines", tests, N, NULL, NULL);
}
