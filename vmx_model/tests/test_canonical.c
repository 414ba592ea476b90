// SPDX-License-Identifier: GPL-2.0
/*
 * The address-width and bit-field helpers of the host/guest-register checks
 * (src/checks_hg.h), and the profile gating of those checks: a rule for a
 * feature the profile lacks is never applied.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "../src/checks_hg.h"
#include "vmxcc/baseline.h"

static struct vmx_caps caps_for(unsigned int width, void (*edit)(struct vmx_profile *))
{
	struct vmx_profile p;
	struct vmx_caps caps;
	char err[256];

	vmx_profile_synthetic_full(&p);
	p.linear_width = width;
	if (edit)
		edit(&p);
	assert_int_equal(vmx_caps_from_profile(&caps, &p, err, sizeof(err)), 0);
	return caps;
}

static bool applied(const struct vmx_verdict *v, enum vmx_check_id id)
{
	return (v->applied[id / 64] >> (id % 64)) & 1;
}

static void canonical_vs_upper_identical(void **state)
{
	struct vmx_caps c48 = caps_for(48, NULL), c57 = caps_for(57, NULL);

	(void)state;
	assert_true(vmx_is_canonical(&c48, 0x00007fffffffffffull));
	assert_true(vmx_is_canonical(&c48, 0xffff800000000000ull));
	assert_false(vmx_is_canonical(&c48, 0x0000800000000000ull));
	assert_false(vmx_is_canonical(&c48, 0xffff000000000000ull));
	/* Bits 63:48 identical is one bit looser than canonical. */
	assert_true(hg_upper_identical(&c48, 0x0000800000000000ull));
	assert_true(hg_upper_identical(&c48, 0xffff000000000000ull));
	assert_false(hg_upper_identical(&c48, 0x0001000000000000ull));
	assert_false(hg_upper_identical(&c48, 0x8000000000000000ull));
	/* 57-bit linear addresses. */
	assert_true(vmx_is_canonical(&c57, 0x0000800000000000ull));
	assert_false(vmx_is_canonical(&c57, 0x0100000000000000ull));
	assert_true(hg_upper_identical(&c57, 0x0100000000000000ull));
	assert_false(hg_upper_identical(&c57, 0x0200000000000000ull));
}

static void pat_types(void **state)
{
	(void)state;
	for (int pos = 0; pos < 8; pos++) {
		for (unsigned int t = 0; t < 256; t++) {
			uint64_t pat = 0x0606060606060606ull & ~(0xffull << (8 * pos));
			bool ok = t < 8 && t != 2 && t != 3;

			pat |= (uint64_t)t << (8 * pos);
			assert_int_equal(hg_pat_ok(pat), ok);
		}
	}
}

static void limit_granularity(void **state)
{
	(void)state;
	assert_false(hg_limit_g_bad(0xffffffff, VMX_AR_G));
	assert_false(hg_limit_g_bad(0x000fffff, 0));
	assert_false(hg_limit_g_bad(0x00000fff, VMX_AR_G));
	assert_false(hg_limit_g_bad(0x00000000, 0));
	assert_true(hg_limit_g_bad(0xfffff000, VMX_AR_G));	/* 11:0 not all 1 */
	assert_true(hg_limit_g_bad(0x00100000, 0));		/* 31:20 not all 0 */
}

/* Host RIP 0000_8000_0000_0000H is canonical only with 57-bit addresses;
 * guest RIP needs bits 63:N identical, so it passes with 48 bits too. */
static void width_follows_profile(void **state)
{
	struct vmx_caps c48 = caps_for(48, NULL), c57 = caps_for(57, NULL);
	struct vmx_case c;
	struct vmx_verdict v;

	(void)state;
	assert_int_equal(vmx_baseline_build(BL_LONG64, &c48, &c), 0);
	c.f[VF_HOST_RIP] = 0x0000800000000000ull;
	vmx_model_eval(&c48, &c, &v);
	assert_true(vmx_verdict_failed(&v, HST_ASZ1_RIP_CANON));
	vmx_model_eval(&c57, &c, &v);
	assert_false(vmx_verdict_failed(&v, HST_ASZ1_RIP_CANON));

	assert_int_equal(vmx_baseline_build(BL_LONG64, &c48, &c), 0);
	c.f[VF_GUEST_RIP] = 0x0000800000000000ull;
	vmx_model_eval(&c48, &c, &v);
	assert_true(applied(&v, GST_RIP_CANON));
	assert_false(vmx_verdict_failed(&v, GST_RIP_CANON));
}

static void cr0_fixed1_no_nw_cd(struct vmx_profile *p)
{
	p->msr[PMSR_CR0_FIXED1] &= ~(X86_CR0_NW | X86_CR0_CD);
}
static void cr0_fixed0_cd(struct vmx_profile *p) { p->msr[PMSR_CR0_FIXED0] |= X86_CR0_CD; }
static void basic_addr32(struct vmx_profile *p) { p->msr[PMSR_BASIC] |= VMX_BASIC_32BIT_PHYS; }

static void assert_entered(const struct vmx_caps *caps, const struct vmx_case *c)
{
	struct vmx_verdict v;
	char got[256];

	vmx_model_eval(caps, c, &v);
	vmx_outcome_set_format(got, sizeof(got), &v.allowed);
	assert_string_equal(got, "{entered}");
}

/* CR0.NW (29) and CR0.CD (30) are never checked against the fixed bits,
 * in the guest or the host field (SDM 26.2.2, 26.3.1.1). */
static void cr0_nw_cd_never_checked(void **state)
{
	struct vmx_caps caps = caps_for(48, cr0_fixed1_no_nw_cd);
	struct vmx_case c;
	struct vmx_verdict v;

	(void)state;
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.f[VF_GUEST_CR0] |= X86_CR0_NW | X86_CR0_CD;
	c.f[VF_HOST_CR0] |= X86_CR0_NW | X86_CR0_CD;
	assert_entered(&caps, &c);
	/* Bit 28 is still checked. */
	caps = caps_for(48, cr0_fixed1_no_nw_cd);
	caps.cr0_fixed1 &= ~(1ull << 28);
	c.f[VF_GUEST_CR0] |= 1ull << 28;
	vmx_model_eval(&caps, &c, &v);
	assert_true(vmx_verdict_failed(&v, GST_CR0_FIXED));

	caps = caps_for(48, cr0_fixed0_cd);
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.f[VF_GUEST_CR0] &= ~X86_CR0_CD;
	c.f[VF_HOST_CR0] &= ~X86_CR0_CD;
	assert_entered(&caps, &c);
}

/* IA32_VMX_BASIC[48] limits the VMCS's pointers to 32 bits, not CR3: CR3
 * only has to fit MAXPHYADDR. */
static void cr3_ignores_basic48(void **state)
{
	struct vmx_caps caps = caps_for(48, basic_addr32);
	struct vmx_case c;
	struct vmx_verdict v;

	(void)state;
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.f[VF_GUEST_CR3] |= 1ull << 40;
	c.f[VF_HOST_CR3] |= 1ull << 40;
	assert_entered(&caps, &c);
	c.f[VF_GUEST_CR3] |= 1ull << 46;	/* MAXPHYADDR 46 */
	c.f[VF_HOST_CR3] |= 1ull << 46;
	vmx_model_eval(&caps, &c, &v);
	assert_true(vmx_verdict_failed(&v, GST_CR3_RSVD));
	assert_true(vmx_verdict_failed(&v, HST_CR3_RSVD));
	/* The pointers are still limited to 32 bits. */
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.f[VF_VMCS_LINK_POINTER] = 1ull << 40;
	vmx_model_eval(&caps, &c, &v);
	assert_true(vmx_verdict_failed(&v, GST_LINK_PHYS));
}

static void no_cet(struct vmx_profile *p) { p->has_cet_ss = p->has_cet_ibt = false; }
static void no_fred(struct vmx_profile *p) { p->has_fred = false; }
static void no_pks(struct vmx_profile *p) { p->has_pks = false; }

/* Without the feature, the rules about it are not applied even when the
 * case sets the state they would reject (the control checks reject the
 * control instead). */
static void features_gate_rules(void **state)
{
	struct vmx_caps caps = caps_for(48, no_cet);
	struct vmx_case c;
	struct vmx_verdict v;

	(void)state;
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.f[VF_HOST_CR4] |= X86_CR4_CET;
	c.f[VF_HOST_CR0] &= ~X86_CR0_WP;
	c.f[VF_GUEST_CR4] |= X86_CR4_CET;
	c.f[VF_GUEST_CR0] &= ~X86_CR0_WP;
	c.f[VF_VM_EXIT_CONTROLS] |= VM_EXIT_LOAD_CET_STATE;
	c.f[VF_VM_ENTRY_CONTROLS] |= VM_ENTRY_LOAD_CET_STATE;
	c.f[VF_HOST_SSP] = c.f[VF_GUEST_SSP] = 1;
	vmx_model_eval(&caps, &c, &v);
	assert_false(applied(&v, HST_CET_NEEDS_WP));
	assert_false(applied(&v, GST_CET_NEEDS_WP));
	assert_false(applied(&v, HST_SSP_ALIGN));
	assert_false(applied(&v, HST_ASZ1_SSP_CANON));
	assert_false(applied(&v, GST_SSP_ALIGN));
	assert_false(applied(&v, GST_S_CET_RSVD));

	caps = caps_for(48, no_fred);
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.f[VF_VM_ENTRY_CONTROLS] &= ~VM_ENTRY_IA32E_MODE;
	c.f[VF_GUEST_CR4] &= ~X86_CR4_PAE;
	vmx_model_eval(&caps, &c, &v);
	assert_false(applied(&v, GST_NON_IA32E_FRED));

	caps = caps_for(48, no_pks);
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.f[VF_VM_EXIT_CONTROLS] |= VM_EXIT_LOAD_IA32_PKRS;
	c.f[VF_HOST_IA32_PKRS] = 1ull << 32;
	vmx_model_eval(&caps, &c, &v);
	assert_false(applied(&v, HST_PKRS_RSVD));
}

/* IA32_RTIT_CTL bits whose reservation depends on CPUID.14H leave the
 * outcome open: exit 33 or entry. */
static void rtit_cpuid_bits_uncertain(void **state)
{
	struct vmx_caps caps = caps_for(48, NULL);
	struct vmx_case c;
	struct vmx_verdict v;
	char got[256];

	(void)state;
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.f[VF_VM_ENTRY_CONTROLS] |= VM_ENTRY_LOAD_IA32_RTIT_CTL;
	c.f[VF_GUEST_IA32_RTIT_CTL] = 1ull << 1;	/* CYCEn */
	vmx_model_eval(&caps, &c, &v);
	vmx_outcome_set_format(got, sizeof(got), &v.allowed);
	assert_string_equal(got, "{exit(33,qual=0), entered}");
	c.f[VF_GUEST_IA32_RTIT_CTL] = (1ull << 13) | 1;	/* BranchEn | TraceEn */
	vmx_model_eval(&caps, &c, &v);
	vmx_outcome_set_format(got, sizeof(got), &v.allowed);
	assert_string_equal(got, "{entered}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canonical_vs_upper_identical),
		cmocka_unit_test(pat_types),
		cmocka_unit_test(limit_granularity),
		cmocka_unit_test(width_follows_profile),
		cmocka_unit_test(cr0_nw_cd_never_checked),
		cmocka_unit_test(cr3_ignores_basic48),
		cmocka_unit_test(features_gate_rules),
		cmocka_unit_test(rtit_cpuid_bits_uncertain),
	};

	return cmocka_run_group_tests_name("model-host-guest-helpers", tests, NULL, NULL);
}
