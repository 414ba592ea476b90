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

/* SDM 26.4 footnote 1: an MSR-load entry that would change IA32_EFER.LMA
 * is ignored like WRMSR's attempt, not a failure. */
static void efer_entry_lma_cleared(struct vmx_case *c)
{
	c->msr_load[1].index = MSR_IA32_EFER;
	c->msr_load[1].value = EFER_SCE | EFER_LME | EFER_NX;
}
static void efer_entry_lma_set_non_ia32e(struct vmx_case *c)
{
	FLD(c, VM_ENTRY_MSR_LOAD_ADDR) = 0x9000;
	FLD(c, VM_ENTRY_MSR_LOAD_COUNT) = 1;
	c->n_msr_load = 1;
	c->msr_load[0].index = MSR_IA32_EFER;
	c->msr_load[0].value = EFER_LMA;
}

/* The link VMCS's header: bits 30:0 the revision, bit 31 the shadow
 * indicator -- which the case holds as link_shadow, so bit 31 of
 * link_revision is never in memory and decides nothing (found by the
 * Bochs campaign: the probe writes the header from both). */
static void link_revision_bit31(struct vmx_case *c)
{
	FLD(c, VMCS_LINK_POINTER) = 0x8000;
	c->link_revision |= 0x80000000u;
	c->link_shadow = 0;
}

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

/* Other valid changes that a plausible (wrong) rule would reject. */
struct edited {
	const char *name;
	enum vmx_baseline base;
	void (*edit)(struct vmx_case *c);
};

static const struct edited edits[] = {
	{ "MSR-load entry clears EFER.LMA (ignored)", BL_LONG64_MSRLOAD, efer_entry_lma_cleared },
	{ "MSR-load entry sets EFER.LMA in a PAE guest (ignored)", BL_PAE32,
	  efer_entry_lma_set_non_ia32e },
	{ "link VMCS revision with bit 31 set, shadow indicator clear", BL_LONG64,
	  link_revision_bit31 },
};

static void assert_enters(const char *name, const struct vmx_caps *caps,
			  const struct vmx_case *c)
{
	struct vmx_verdict v;
	char got[256];

	vmx_model_eval(caps, c, &v);
	for (int id = 0; id < VMX_CHECK_COUNT; id++) {
		if (vmx_verdict_failed(&v, id))
			fail_msg("%s: fails %s", name, vmx_checks[id].id);
		if ((v.uncertain[id / 64] >> (id % 64)) & 1)
			fail_msg("%s: %s is uncertain", name, vmx_checks[id].id);
	}
	vmx_outcome_set_format(got, sizeof(got), &v.allowed);
	assert_string_equal(got, "{entered}");
}

static void build(enum vmx_baseline base, struct vmx_caps *caps, struct vmx_case *c)
{
	struct vmx_profile p;
	char err[256];

	vmx_profile_synthetic_full(&p);
	assert_int_equal(vmx_caps_from_profile(caps, &p, err, sizeof(err)), 0);
	assert_int_equal(vmx_baseline_build(base, caps, c), 0);
}

static void run_variant(void **state)
{
	const struct variant *t = *state;
	struct vmx_caps caps;
	struct vmx_case c;

	build(t->base, &caps, &c);
	FLD(&c, GUEST_ACTIVITY_STATE) = t->activity;
	FLD(&c, VM_ENTRY_INTR_INFO_FIELD) = t->intr_info;
	FLD(&c, VM_ENTRY_INSTRUCTION_LEN) = t->ilen;
	FLD(&c, GUEST_RFLAGS) |= t->rflags_set;
	assert_enters(t->name, &caps, &c);
}

static void run_edited(void **state)
{
	const struct edited *t = *state;
	struct vmx_caps caps;
	struct vmx_case c;

	build(t->base, &caps, &c);
	t->edit(&c);
	assert_enters(t->name, &caps, &c);
}

int main(void)
{
	enum {
		NV = sizeof(variants) / sizeof(variants[0]),
		NE = sizeof(edits) / sizeof(edits[0]),
	};
	struct CMUnitTest tests[NV + NE];

	for (size_t i = 0; i < NV; i++)
		tests[i] = (struct CMUnitTest){ variants[i].name, run_variant, NULL, NULL,
						(void *)&variants[i] };
	for (size_t i = 0; i < NE; i++)
		tests[NV + i] = (struct CMUnitTest){ edits[i].name, run_edited, NULL, NULL,
						     (void *)&edits[i] };
	return _cmocka_run_group_tests("model-baselines", tests, NV + NE, NULL, NULL);
}
