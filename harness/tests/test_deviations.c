// SPDX-License-Identifier: GPL-2.0
/*
 * Known-deviations files: parsing, errors naming file:line, and the rule
 * that a divergence is known only when the listed deviations explain it:
 * skip entries (a check not performed, or "observed" instead) and stricter
 * entries (a rule that rejects cases the SDM allows), which must explain
 * exactly the cases their rule rejects and nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "vmxcc/arch.h"
#include "vmxcc/baseline.h"
#include "vmxcc/deviations.h"

static char path[64];
static struct vmx_caps caps;

static void write_file(const char *text)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/vmxcc-devs-%d.txt", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct vmx_profile p;
	char err[128];

	(void)state;
	vmx_profile_synthetic_full(&p);
	return vmx_caps_from_profile(&caps, &p, err, sizeof(err));
}

static void bad_file(const char *text, const char *want)
{
	static struct deviations d;
	char err[256], full[256];

	write_file(text);
	assert_int_equal(deviations_load(&d, path, err, sizeof(err)), -1);
	snprintf(full, sizeof(full), "%s:%s", path, want);
	assert_string_equal(err, full);
	unlink(path);
}

static void errors_name_file_and_line(void **state)
{
	char longer[513], text[600];

	(void)state;
	bad_file("# c\ncheck: NO_SUCH_CHECK\n", "2: check: unknown check id \"NO_SUCH_CHECK\"");
	bad_file("check: GST_RIP_CANON\nsdm: x\n\n", "3: entry needs check, sdm and impl");
	bad_file("check: GST_RIP_CANON\nwhat: x\n", "2: unknown key \"what\"");
	bad_file("check: GST_RIP_CANON\nsdm: x\nimpl: y\nobserved: vmfail(7)\n",
		 "4: observed: not an outcome set (e.g. {vmfail(7)}): \"vmfail(7)\"");
	bad_file("kind: looser\n", "1: kind: expected skip or stricter");
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = 0;
	snprintf(text, sizeof(text), "check: GST_RIP_CANON\nimpl: %s\n", longer);
	bad_file(text, "2: impl: longer than 511 characters");
	bad_file("check: GST_SSP_CANON\nkind: stricter\nrule: no-such-rule\n",
		 "3: rule: unknown rule \"no-such-rule\"");
	bad_file("check: GST_SSP_CANON\nrule: ssp-canonical\nsdm: x\nimpl: y\n\n",
		 "2: rule: ssp-canonical rejects, not with kind: skip");
	bad_file("kind: stricter\ncheck: GST_DATA_DPL_RPL\nrule: data-type11-dpl\nsdm: x\n"
		 "impl: y\n", "3: rule: data-type11-dpl skips, not with kind: stricter");
	bad_file("kind: stricter\ncheck: GST_SSP_CANON\nsdm: x\nimpl: y\n",
		 "1: kind: stricter needs rule");
	bad_file("kind: stricter\ncheck: GST_SSP_ALIGN\nrule: ssp-canonical\nsdm: x\nimpl: y\n",
		 "3: rule: ssp-canonical concerns GST_SSP_CANON, not GST_SSP_ALIGN");
	bad_file("kind: stricter\ncheck: GST_SSP_CANON\nrule: ssp-canonical\nsdm: x\n"
		 "impl: y\nobserved: {exit(33,qual=0)}\n",
		 "6: observed: not with kind: stricter (the rule's check gives the outcome)");
}

static void skipped_check_explains_only_its_own_effect(void **state)
{
	static struct deviations d;
	struct vmx_case c;
	struct vmx_outcome entered = vo_entered(), exit33 = vo_entry_fail(33, 0);
	char err[256];

	(void)state;
	write_file("check: GST_RIP_CANON\nsdm: RIP canonical\nimpl: not checked\n");
	assert_int_equal(deviations_load(&d, path, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(d.n, 1);
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.f[VF_GUEST_RIP] = 0x8000000000000000ull;
	/* Skipping the RIP check: the back end enters. */
	assert_true(deviations_explain(&d, &caps, &c, &entered));
	/* ...but it must still fail a second, unlisted guest check. */
	c.f[VF_GUEST_DR7] = 1ull << 32;
	c.f[VF_VM_ENTRY_CONTROLS] |= VM_ENTRY_LOAD_DEBUG_CONTROLS;
	assert_false(deviations_explain(&d, &caps, &c, &entered));
	assert_true(deviations_explain(&d, &caps, &c, &exit33));
}

static void observed_line_names_what_it_reports(void **state)
{
	static struct deviations d;
	struct vmx_case c;
	struct vmx_outcome v7 = vo_vmfail(7), v8 = vo_vmfail(8);
	char err[256];

	(void)state;
	write_file("check: BASIC_SHADOW_VMCS\nsdm: VMfailInvalid\nimpl: goes on\n"
		   "observed: {vmfail(7)}\n");
	assert_int_equal(deviations_load(&d, path, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.current_is_shadow = 1;
	assert_true(deviations_explain(&d, &caps, &c, &v7));
	assert_false(deviations_explain(&d, &caps, &c, &v8));
	/* The entry only speaks for cases that fail its check. */
	c.current_is_shadow = 0;
	assert_false(deviations_explain(&d, &caps, &c, &v7));
}

static void load_text(struct deviations *d, const char *text)
{
	char err[256];

	write_file(text);
	assert_int_equal(deviations_load(d, path, err, sizeof(err)), 0);
	unlink(path);
}

#define STRICTER(check, rule) \
	"kind: stricter\ncheck: " check "\nrule: " rule "\nsdm: allowed\nimpl: rejected\n\n"

static bool explains(const struct deviations *d, const struct vmx_case *c,
		     struct vmx_outcome o)
{
	return deviations_explain(d, &caps, c, &o);
}

/* A 64-bit guest with "load CET state" and SSP = 0000_8000_0000_0000H:
 * bits 63:48 identical, so the SDM lets it enter; not canonical. */
static void build_ssp_case(struct vmx_case *c)
{
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, c), 0);
	c->f[VF_VM_ENTRY_CONTROLS] |= VM_ENTRY_LOAD_CET_STATE;
	c->f[VF_GUEST_SSP] = 1ull << 47;
}

static void stricter_explains_only_its_rejections(void **state)
{
	static struct deviations d;
	struct vmx_case c;
	struct vmx_verdict v;

	(void)state;
	load_text(&d, STRICTER("GST_SSP_CANON", "ssp-canonical"));
	assert_int_equal(d.e[0].kind, DEV_STRICTER);
	/* Not "not performed": nothing is ignored. */
	for (int w = 0; w < VMX_CHECK_WORDS; w++)
		assert_true(d.ignore[w] == 0);
	build_ssp_case(&c);
	vmx_model_eval(&caps, &c, &v);
	assert_false(vmx_verdict_failed(&v, GST_SSP_CANON));
	assert_true(explains(&d, &c, vo_entry_fail(33, 0)));
	/* Not what the rule's check gives, or not where it rejects. */
	assert_false(explains(&d, &c, vo_entry_fail(33, 4)));
	assert_false(explains(&d, &c, vo_vmfail(7)));
	assert_false(explains(&d, &c, vo_entry_fail(34, 1)));
	/* A canonical SSP: the rule rejects nothing, exit 33 stays new. */
	c.f[VF_GUEST_SSP] = 0x7ffffffff000ull;
	assert_false(explains(&d, &c, vo_entry_fail(33, 0)));
	/* Without "load CET state" the rule does not apply either. */
	build_ssp_case(&c);
	c.f[VF_VM_ENTRY_CONTROLS] &= ~(uint64_t)VM_ENTRY_LOAD_CET_STATE;
	assert_false(explains(&d, &c, vo_entry_fail(33, 0)));
}

static void stricter_rejects_only_where_its_check_is_reached(void **state)
{
	static struct deviations d;
	struct vmx_case c;

	(void)state;
	load_text(&d, STRICTER("GST_SSP_CANON", "ssp-canonical"));
	/* A bad control decides first (VMfail 7): the guest-state rule
	 * never gets to reject. */
	build_ssp_case(&c);
	c.f[VF_VM_ENTRY_INTR_INFO_FIELD] = INTR_INFO_VALID | (1u << INTR_INFO_TYPE_SHIFT);
	assert_false(explains(&d, &c, vo_entry_fail(33, 0)));
	/* Guest-state checks are not ordered: a failing link pointer
	 * (qualification 4) may be hidden by the rule's exit 33. */
	build_ssp_case(&c);
	c.f[VF_VMCS_LINK_POINTER] = 0x1000;
	assert_true(explains(&d, &c, vo_entry_fail(33, 0)));
	/* MSR loading comes after the guest state: the rule hides it. */
	assert_int_equal(vmx_baseline_build(BL_LONG64_MSRLOAD, &caps, &c), 0);
	c.f[VF_VM_ENTRY_CONTROLS] |= VM_ENTRY_LOAD_CET_STATE;
	c.f[VF_GUEST_SSP] = 1ull << 47;
	c.msr_load[0].index = MSR_FS_BASE;
	assert_true(explains(&d, &c, vo_entry_fail(33, 0)));
	assert_false(explains(&d, &c, vo_entry_fail(34, 2)));
}

static void stricter_msr_rule_rejects_its_entry(void **state)
{
	static struct deviations d;
	struct vmx_case c;

	(void)state;
	load_text(&d, STRICTER("MSR_WR_DEBUGCTL_RSVD", "no-ia32-debugctl")
		      STRICTER("GST_SSP_CANON", "ssp-canonical"));
	assert_int_equal(vmx_baseline_build(BL_LONG64_MSRLOAD, &caps, &c), 0);
	c.msr_load[1] = (struct vmx_msr_entry){ MSR_IA32_DEBUGCTL, 0, 0 };
	/* The SDM loads 0 into IA32_DEBUGCTL; the rule fails entry 2. */
	assert_true(explains(&d, &c, vo_entry_fail(34, 2)));
	assert_false(explains(&d, &c, vo_entry_fail(34, 1)));
	assert_false(explains(&d, &c, vo_entry_fail(34, 3)));
	assert_false(explains(&d, &c, vo_entry_fail(33, 0)));
	/* An entry the SDM fails before it ends the walk there. */
	c.msr_load[0].reserved = 1;
	assert_false(explains(&d, &c, vo_entry_fail(34, 2)));
	/* One the SDM fails after it does not. */
	c.msr_load[0].reserved = 0;
	c.msr_load[2].index = MSR_GS_BASE;
	assert_true(explains(&d, &c, vo_entry_fail(34, 2)));
	/* Past the count the entry is never read. */
	c.f[VF_VM_ENTRY_MSR_LOAD_COUNT] = 1;
	assert_false(explains(&d, &c, vo_entry_fail(34, 2)));
	/* The first rejection wins: the guest-state rule comes before
	 * MSR loading, so entry 2's exit 34 is no longer explained. */
	c.f[VF_VM_ENTRY_MSR_LOAD_COUNT] = 3;
	c.f[VF_VM_ENTRY_CONTROLS] |= VM_ENTRY_LOAD_CET_STATE;
	c.f[VF_GUEST_SSP] = 1ull << 47;
	assert_false(explains(&d, &c, vo_entry_fail(34, 2)));
	assert_true(explains(&d, &c, vo_entry_fail(33, 0)));
}

static void stricter_area_end_rule(void **state)
{
	static struct deviations d;
	struct vmx_case c;

	(void)state;
	load_text(&d, STRICTER("CTL_EXIT_MSR_STORE_ADDR", "exit-msr-store-end-32bit"));
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	/* 80000000H * 16 in 32 bits is 0: the last byte wraps to 2^64 - 1. */
	c.f[VF_VM_EXIT_MSR_STORE_COUNT] = 0x80000000u;
	c.f[VF_VM_EXIT_MSR_STORE_ADDR] = 0;
	assert_true(explains(&d, &c, vo_vmfail(7)));
	assert_false(explains(&d, &c, vo_vmfail(8)));
	/* Controls and host state are not ordered: a bad host CR4 (VMfail 8)
	 * may be hidden by the rule's VMfail 7. */
	c.f[VF_HOST_CR4] = 0;
	assert_true(explains(&d, &c, vo_vmfail(7)));
	/* With an address above 0 the wrapped area ends below MAXPHYADDR. */
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.f[VF_VM_EXIT_MSR_STORE_COUNT] = 0x80000000u;
	c.f[VF_VM_EXIT_MSR_STORE_ADDR] = 0x10000;
	assert_false(explains(&d, &c, vo_vmfail(7)));
	/* The rule is about the store area only. */
	c.f[VF_VM_EXIT_MSR_STORE_COUNT] = 0;
	c.f[VF_VM_EXIT_MSR_LOAD_COUNT] = 0x80000000u;
	c.f[VF_VM_EXIT_MSR_LOAD_ADDR] = 0;
	assert_false(explains(&d, &c, vo_vmfail(7)));
}

static void stricter_cs_rule(void **state)
{
	static struct deviations d;
	struct vmx_case c;

	(void)state;
	load_text(&d, STRICTER("GST_CS_DPL_NONCONF", "cs-rpl-eq-dpl"));
	/* Unrestricted guest, CS type 11 with DPL 0, CS selector RPL 3. */
	assert_int_equal(vmx_baseline_build(BL_REAL_UG, &caps, &c), 0);
	c.f[VF_GUEST_CS_SELECTOR] |= 3;
	assert_true(explains(&d, &c, vo_entry_fail(33, 0)));
	c.f[VF_GUEST_CS_SELECTOR] &= ~3ull;
	assert_false(explains(&d, &c, vo_entry_fail(33, 0)));
}

static void skip_and_stricter_on_one_check(void **state)
{
	static struct deviations d;
	struct vmx_case c;
	uint64_t in[VMX_CHECK_WORDS];

	(void)state;
	load_text(&d, "check: GST_CS_DPL_NONCONF\nsdm: a\nimpl: b\n\n"
		      STRICTER("GST_CS_DPL_NONCONF", "cs-rpl-eq-dpl")
		      STRICTER("MSR_WR_DEBUGCTL_RSVD", "no-ia32-debugctl"));
	assert_int_equal(d.n, 3);
	assert_true((d.ignore[GST_CS_DPL_NONCONF / 64] >> (GST_CS_DPL_NONCONF % 64)) & 1);
	assert_false((d.ignore[MSR_WR_DEBUGCTL_RSVD / 64] >> (MSR_WR_DEBUGCTL_RSVD % 64)) & 1);
	assert_int_equal(vmx_baseline_build(BL_REAL_UG, &caps, &c), 0);
	c.f[VF_GUEST_CS_SELECTOR] |= 3;
	deviations_involved(&d, &caps, &c, in);
	assert_true((in[GST_CS_DPL_NONCONF / 64] >> (GST_CS_DPL_NONCONF % 64)) & 1);
	assert_false((in[MSR_WR_DEBUGCTL_RSVD / 64] >> (MSR_WR_DEBUGCTL_RSVD % 64)) & 1);
	/* CS.DPL 3 with SS.DPL 0 and RPL 3: the skip entry explains entering. */
	c.f[VF_GUEST_CS_AR_BYTES] |= 3u << VMX_AR_DPL_SHIFT;
	assert_true(explains(&d, &c, vo_entered()));
	/* ...and an unrelated guest failure is still not explained. */
	c.f[VF_GUEST_RFLAGS] |= 1ull << 3;
	assert_false(explains(&d, &c, vo_entered()));
}

static void stricter_s_cet_rule(void **state)
{
	static struct deviations d;
	struct vmx_case c;

	(void)state;
	load_text(&d, STRICTER("GST_S_CET_CANON", "s-cet-hi32"));
	/* A 32-bit guest loading a canonical S_CET with bit 34 set. */
	assert_int_equal(vmx_baseline_build(BL_PROT32, &caps, &c), 0);
	c.f[VF_VM_ENTRY_CONTROLS] |= VM_ENTRY_LOAD_CET_STATE;
	c.f[VF_GUEST_S_CET] = 1ull << 34;
	assert_true(explains(&d, &c, vo_entry_fail(33, 0)));
	assert_false(explains(&d, &c, vo_vmfail(8)));
	/* The same value for an IA-32e guest: the rule does not apply. */
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.f[VF_VM_ENTRY_CONTROLS] |= VM_ENTRY_LOAD_CET_STATE;
	c.f[VF_GUEST_S_CET] = 1ull << 34;
	assert_false(explains(&d, &c, vo_entry_fail(33, 0)));
}

/* GS as an execute/read accessed code segment, DPL 0, selector RPL 3. */
static void build_gs_case(struct vmx_case *c, unsigned int type)
{
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, c), 0);
	c->f[VF_GUEST_GS_SELECTOR] = 0x13;
	c->f[VF_GUEST_GS_AR_BYTES] = 0xa090 | type;
}

static void narrowed_skip_covers_only_its_cases(void **state)
{
	static struct deviations d;
	uint64_t ignore[VMX_CHECK_WORDS];
	struct vmx_case c, copy;
	struct vmx_verdict v;

	(void)state;
	load_text(&d, "check: GST_DATA_DPL_RPL\nrule: data-type11-dpl\nsdm: a\nimpl: b\n");
	/* The engine may not treat the check as never performed. */
	assert_false((d.ignore[GST_DATA_DPL_RPL / 64] >> (GST_DATA_DPL_RPL % 64)) & 1);
	build_gs_case(&c, 11);
	vmx_model_eval(&caps, &c, &v);
	assert_true(vmx_verdict_failed(&v, GST_DATA_DPL_RPL));
	assert_true(explains(&d, &c, vo_entered()));
	assert_ptr_equal(deviations_as_treated(&d, &caps, &c, &copy, ignore), &c);
	assert_true((ignore[GST_DATA_DPL_RPL / 64] >> (GST_DATA_DPL_RPL % 64)) & 1);
	/* Type 3 (data): the implementation checks it, entering is new. */
	build_gs_case(&c, 3);
	assert_false(explains(&d, &c, vo_entered()));
	/* Type 11 in GS and a type-3 violation in DS: still checked. */
	build_gs_case(&c, 11);
	c.f[VF_GUEST_DS_SELECTOR] = 0x13;
	c.f[VF_GUEST_DS_AR_BYTES] = 0xc093;
	assert_false(explains(&d, &c, vo_entered()));
	/* An unrelated failure next to the covered one is not explained. */
	build_gs_case(&c, 11);
	c.f[VF_GUEST_RFLAGS] |= 1ull << 3;
	assert_false(explains(&d, &c, vo_entered()));
	assert_true(explains(&d, &c, vo_entry_fail(33, 0)));
}

/* A profile enumerating no IA32_XSS bit, like Bochs' tigerlake. */
static void caps_without_xss(struct vmx_caps *out)
{
	struct vmx_profile p;
	char err[128];

	vmx_profile_synthetic_full(&p);
	p.xss_allowed = 0;
	assert_int_equal(vmx_caps_from_profile(out, &p, err, sizeof(err)), 0);
}

static void narrowed_skip_on_an_msr_entry(void **state)
{
	static struct deviations d;
	struct vmx_outcome o;
	struct vmx_caps xcaps;
	struct vmx_case c;

	(void)state;
	caps_without_xss(&xcaps);
	load_text(&d, "check: MSR_WR_XSS_RSVD\nrule: xss-cet-bits\nsdm: a\nimpl: b\n");
	assert_int_equal(vmx_baseline_build(BL_LONG64_MSRLOAD, &xcaps, &c), 0);
	/* Entry 2 sets CET_U: the SDM fails it, the implementation loads
	 * it and goes on to entry 3 (TSC_AUX = 1), so it enters. */
	c.msr_load[1] = (struct vmx_msr_entry){ 0xda0, 0, 0x800 };
	o = vo_entered();
	assert_true(deviations_explain(&d, &xcaps, &c, &o));
	o = vo_entry_fail(34, 3);
	assert_false(deviations_explain(&d, &xcaps, &c, &o));
	/* A later entry the SDM fails is still where the walk stops. */
	c.msr_load[2].index = MSR_FS_BASE;
	assert_true(deviations_explain(&d, &xcaps, &c, &o));
	o = vo_entered();
	assert_false(deviations_explain(&d, &xcaps, &c, &o));
	/* As treated: entry 2 became one the model loads. */
	{
		uint64_t ignore[VMX_CHECK_WORDS];
		struct vmx_case copy;
		const struct vmx_case *t;

		t = deviations_as_treated(&d, &xcaps, &c, &copy, ignore);
		assert_ptr_equal(t, &copy);
		assert_int_not_equal(t->msr_load[1].index, 0xda0);
		assert_int_equal(c.msr_load[1].index, 0xda0);
	}
	/* Another reserved bit (bit 0): not covered, entering is new. */
	c.msr_load[2].index = MSR_TSC_AUX;
	c.msr_load[1].value = 0x801;
	assert_false(deviations_explain(&d, &xcaps, &c, &o));
}

static void bochs_file_loads(void **state)
{
	static struct deviations d;
	char file[512], err[512];
	int stricter = 0;

	(void)state;
	deviations_default_path("bochs:tigerlake", file, sizeof(file));
	assert_int_equal(deviations_load(&d, file, err, sizeof(err)), 0);
	for (int i = 0; i < d.n; i++)
		stricter += d.e[i].kind == DEV_STRICTER;
	assert_true(stricter >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errors_name_file_and_line),
		cmocka_unit_test(skipped_check_explains_only_its_own_effect),
		cmocka_unit_test(observed_line_names_what_it_reports),
		cmocka_unit_test(stricter_explains_only_its_rejections),
		cmocka_unit_test(stricter_rejects_only_where_its_check_is_reached),
		cmocka_unit_test(stricter_msr_rule_rejects_its_entry),
		cmocka_unit_test(stricter_area_end_rule),
		cmocka_unit_test(stricter_cs_rule),
		cmocka_unit_test(skip_and_stricter_on_one_check),
		cmocka_unit_test(stricter_s_cet_rule),
		cmocka_unit_test(narrowed_skip_covers_only_its_cases),
		cmocka_unit_test(narrowed_skip_on_an_msr_entry),
		cmocka_unit_test(bochs_file_loads),
	};
	return cmocka_run_group_tests_name("deviations", tests, setup, NULL);
}
