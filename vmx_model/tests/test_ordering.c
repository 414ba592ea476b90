// SPDX-License-Identifier: GPL-2.0
/*
 * Two violations at once: the outcome set follows the SDM's order of the
 * stages (basic checks in order; controls and host state in any order; guest
 * state; MSR loading in entry order), and the verdict still lists both
 * failing checks -- except where the SDM says the second is never reached.
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

struct pair {
	const char *name;
	enum vmx_baseline base;
	void (*break_a)(struct vmx_case *c, const struct vmx_caps *caps);
	void (*break_b)(struct vmx_case *c, const struct vmx_caps *caps);
	enum vmx_check_id a, b;
	bool b_reached;		/* false: the SDM never evaluates b once a failed */
	const char *expect;
};

/* One violation each, from the baselines. */
static void ctl_cr3_targets(struct vmx_case *c, const struct vmx_caps *caps)
{
	FLD(c, CR3_TARGET_COUNT) = caps->cr3_target_max + 1;
}
static void host_cs_null(struct vmx_case *c, const struct vmx_caps *caps)
{
	FLD(c, HOST_CS_SELECTOR) = 0;
}
static void guest_int_rsvd(struct vmx_case *c, const struct vmx_caps *caps)
{
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) |= BIT(5);
}
static void guest_link_unaligned(struct vmx_case *c, const struct vmx_caps *caps)
{
	FLD(c, VMCS_LINK_POINTER) = 0x8010;
}
static void guest_pdpte(struct vmx_case *c, const struct vmx_caps *caps)
{
	c->pdpte[1] |= BIT(7);
}
static void guest_nmi_under_sti(struct vmx_case *c, const struct vmx_caps *caps)
{
	FLD(c, GUEST_RFLAGS) |= X86_RFLAGS_IF;
	FLD(c, GUEST_INTERRUPTIBILITY_INFO) |= GUEST_INTR_STATE_STI;
	FLD(c, VM_ENTRY_INTR_INFO_FIELD) = INJ(INTR_TYPE_NMI, 2);
}
static void movss(struct vmx_case *c, const struct vmx_caps *caps) { c->movss_blocking = 1; }
static void no_vmcs(struct vmx_case *c, const struct vmx_caps *caps) { c->no_current_vmcs = 1; }
static void launched(struct vmx_case *c, const struct vmx_caps *caps) { c->launch_state = 1; }
static void msr1_fs_base(struct vmx_case *c, const struct vmx_caps *caps)
{
	c->msr_load[0].index = MSR_FS_BASE;
}
static void msr1_unknown(struct vmx_case *c, const struct vmx_caps *caps)
{
	c->msr_load[0].index = 0x1234;
}
static void msr2_rsvd(struct vmx_case *c, const struct vmx_caps *caps)
{
	c->msr_load[1].reserved = 1;
}
static void msr2_unknown(struct vmx_case *c, const struct vmx_caps *caps)
{
	c->msr_load[1].index = 0x1234;
}
static void msr3_tsc_aux_hi(struct vmx_case *c, const struct vmx_caps *caps)
{
	c->msr_load[2].value = 1ull << 40;
}

static const struct pair pairs[] = {
	{ "controls + guest", BL_LONG64, ctl_cr3_targets, guest_int_rsvd,
	  CTL_EXEC_CR3_TARGET_COUNT, GST_INT_RSVD, true, "{vmfail(7)}" },
	{ "host + guest", BL_LONG64, host_cs_null, guest_int_rsvd,
	  HST_CS_SEL_NULL, GST_INT_RSVD, true, "{vmfail(8)}" },
	{ "controls + host, any order", BL_LONG64, ctl_cr3_targets, host_cs_null,
	  CTL_EXEC_CR3_TARGET_COUNT, HST_CS_SEL_NULL, true, "{vmfail(7), vmfail(8)}" },
	{ "guest + MSR load", BL_LONG64_MSRLOAD, guest_int_rsvd, msr1_fs_base,
	  GST_INT_RSVD, MSR_ENT_FS_GS_BASE, true, "{exit(33,qual=0)}" },
	{ "host + MSR load", BL_LONG64_MSRLOAD, host_cs_null, msr1_fs_base,
	  HST_CS_SEL_NULL, MSR_ENT_FS_GS_BASE, true, "{vmfail(8)}" },
	{ "MOV-SS blocking + controls", BL_LONG64, movss, ctl_cr3_targets,
	  BASIC_MOVSS_BLOCKING, CTL_EXEC_CR3_TARGET_COUNT, true, "{vmfail(26)}" },
	{ "MOV-SS blocking + launch state", BL_LONG64, movss, launched,
	  BASIC_MOVSS_BLOCKING, BASIC_LAUNCH_NOT_CLEAR, true, "{vmfail(26)}" },
	/* checks_basic.c evaluates nothing else without a current VMCS. */
	{ "no current VMCS + MOV-SS blocking", BL_LONG64, no_vmcs, movss,
	  BASIC_NO_CURRENT_VMCS, BASIC_MOVSS_BLOCKING, false, "{vmfail-invalid}" },
	{ "guest qualifications 0 and 4, any order", BL_LONG64, guest_int_rsvd, guest_link_unaligned,
	  GST_INT_RSVD, GST_LINK_ALIGN, true, "{exit(33,qual=0), exit(33,qual=4)}" },
	{ "guest qualifications 2 and 4, any order", BL_PAE32, guest_pdpte, guest_link_unaligned,
	  GST_PDPTE_CR3_RSVD, GST_LINK_ALIGN, true, "{exit(33,qual=2), exit(33,qual=4)}" },
	{ "NMI under STI blocking (qualification 3 or none) + guest failure", BL_LONG64,
	  guest_nmi_under_sti, guest_int_rsvd, GST_INT_NMI_STI, GST_INT_RSVD, true,
	  "{exit(33,qual=0), exit(33,qual=3)}" },
	{ "NMI under STI blocking + MSR load failure", BL_LONG64_MSRLOAD,
	  guest_nmi_under_sti, msr1_fs_base, GST_INT_NMI_STI, MSR_ENT_FS_GS_BASE, true,
	  "{exit(33,qual=3), exit(34,qual=1)}" },
	{ "uncertain MSR entry 1, failing entry 2", BL_LONG64_MSRLOAD, msr1_unknown, msr2_rsvd,
	  MSR_ENT_UNKNOWN, MSR_ENT_RSVD, true, "{exit(34,qual=1), exit(34,qual=2)}" },
	{ "uncertain MSR entry 1, failing entry 3", BL_LONG64_MSRLOAD, msr1_unknown,
	  msr3_tsc_aux_hi, MSR_ENT_UNKNOWN, MSR_WR_TSC_AUX_RSVD, true,
	  "{exit(34,qual=1), exit(34,qual=3)}" },
	/* Processing stops at the first failing entry. */
	{ "failing MSR entry 1, uncertain entry 2", BL_LONG64_MSRLOAD, msr1_fs_base, msr2_unknown,
	  MSR_ENT_FS_GS_BASE, MSR_ENT_UNKNOWN, false, "{exit(34,qual=1)}" },
	{ "failing MSR entries 2 and 3", BL_LONG64_MSRLOAD, msr2_rsvd, msr3_tsc_aux_hi,
	  MSR_ENT_RSVD, MSR_WR_TSC_AUX_RSVD, false, "{exit(34,qual=2)}" },
};

static bool hit(const struct vmx_verdict *v, int id)
{
	return vmx_verdict_failed(v, id) || ((v->uncertain[id / 64] >> (id % 64)) & 1);
}

static void run_pair(void **state)
{
	const struct pair *t = *state;
	struct vmx_profile p;
	struct vmx_caps caps;
	struct vmx_case c;
	struct vmx_verdict v;
	struct vmx_outcome_set want;
	char err[256], got[256];

	vmx_profile_synthetic_full(&p);
	assert_int_equal(vmx_caps_from_profile(&caps, &p, err, sizeof(err)), 0);
	assert_int_equal(vmx_baseline_build(t->base, &caps, &c), 0);
	t->break_a(&c, &caps);
	t->break_b(&c, &caps);
	vmx_model_eval(&caps, &c, &v);

	if (!hit(&v, t->a))
		fail_msg("%s: %s not listed as failing", t->name, vmx_checks[t->a].id);
	if (hit(&v, t->b) != t->b_reached)
		fail_msg("%s: %s %s", t->name, vmx_checks[t->b].id,
			 t->b_reached ? "not listed as failing" : "evaluated although never reached");
	assert_int_equal(vmx_outcome_set_parse(t->expect, &want), 0);
	vmx_outcome_set_format(got, sizeof(got), &v.allowed);
	if (!vmx_outcome_set_equal(&want, &v.allowed))
		fail_msg("%s: outcome %s, expected %s", t->name, got, t->expect);
}

int main(void)
{
	enum { N = sizeof(pairs) / sizeof(pairs[0]) };
	struct CMUnitTest tests[N];

	for (size_t i = 0; i < N; i++)
		tests[i] = (struct CMUnitTest){ pairs[i].name, run_pair, NULL, NULL,
						(void *)&pairs[i] };
	return _cmocka_run_group_tests("model-ordering", tests, N, NULL, NULL);
}
