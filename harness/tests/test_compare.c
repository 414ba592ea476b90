// SPDX-License-Identifier: GPL-2.0
/* compare, signatures and minimize, against the "mutant" test double. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmxcc/baseline.h"
#include "vmxcc/run.h"

static void parse(const char *text, struct vmx_case_file *cf)
{
	char err[512];

	if (vmx_case_parse("t.vmcs", text, cf, err, sizeof(err)))
		fail_msg("%s", err);
}

static void agree_and_diverge(void **state)
{
	struct vmx_backend_inst good, bad;
	struct vmx_backend_result r;
	struct vmx_comparison c1, c2;
	struct vmx_case_file cf;
	char err[512];

	parse("baseline = long64\nCR3_TARGET_COUNT = 9\n", &cf);
	assert_int_equal(vmx_backend_open_spec("mutant", &good, err, sizeof(err)), 0);
	assert_int_equal(vmx_backend_open_spec("mutant:CTL_EXEC_CR3_TARGET_COUNT", &bad, err, sizeof(err)), 0);
	assert_int_equal(vmx_run_compare(&good, &cf.c, 1, &r, &c1, err, sizeof(err)), 0);
	assert_int_equal(c1.agreement, VMX_AGREE);
	assert_int_equal(r.effective.f[VF_HOST_RIP], 0x5000);
	assert_int_equal(vmx_run_compare(&bad, &cf.c, 1, &r, &c2, err, sizeof(err)), 0);
	assert_int_equal(c2.agreement, VMX_DIVERGE);
	assert_int_equal(r.outcome.kind, VO_ENTERED);
	assert_int_not_equal(c2.signature, 0);
	/* Same divergence with another CR3-target count: same bucket. */
	cf.c.f[VF_CR3_TARGET_COUNT] = 100;
	assert_int_equal(vmx_run_compare(&bad, &cf.c, 1, &r, &c1, err, sizeof(err)), 0);
	assert_int_equal(c1.signature, c2.signature);
	vmx_backend_inst_close(&good);
	vmx_backend_inst_close(&bad);
}

static void signature_ignores_backend_argument(void **state)
{
	struct vmx_verdict v;
	struct vmx_outcome o = vo_entered(), plain = vo_entered();

	memset(&v, 0, sizeof(v));
	vmx_outcome_set_add(&v.allowed, vo_vmfail(7));
	assert_int_equal(vmx_signature(&v, &o, 1, "bochs:tigerlake"), vmx_signature(&v, &o, 1, "bochs:icelake"));
	assert_int_not_equal(vmx_signature(&v, &o, 1, "bochs"), vmx_signature(&v, &o, 1, "kmod"));
	assert_int_not_equal(vmx_signature(&v, &o, 1, "bochs"), vmx_signature(&v, &o, 2, "bochs"));
	o.reason = 12;	/* another first exit reason: same bucket */
	assert_int_equal(vmx_signature(&v, &o, 1, "bochs"), vmx_signature(&v, &plain, 1, "bochs"));
}

static void not_built_and_unknown(void **state)
{
	struct vmx_backend_inst bi;
	char err[512];

	assert_int_equal(vmx_backend_open_spec("nosuch", &bi, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "backend nosuch: unknown back end (known: "));
	assert_int_equal(vmx_backend_open_spec("mutant:absent", &bi, err, sizeof(err)), -1);
	assert_string_equal(err, "backend mutant: not available on this machine: test double asked to be absent");
}

static void minimize_keeps_signature(void **state)
{
	struct vmx_backend_inst bad;
	struct vmx_backend_result r;
	struct vmx_comparison c, c2;
	struct vmx_minimize_stats st;
	struct vmx_case_file cf;
	char err[512];

	/* The divergence needs only CR3_TARGET_COUNT; the rest is noise that
	 * the model does not care about. */
	parse("baseline = long64\nCR3_TARGET_COUNT = 9\nEXCEPTION_BITMAP = 0xffff\n"
	      "TSC_OFFSET = 0x1234\nPAGE_FAULT_ERROR_CODE_MASK = 3\nCR0_READ_SHADOW = 0x10\n"
	      "[state]\nvtpr = 0x40\n", &cf);
	assert_int_equal(vmx_backend_open_spec("mutant:CTL_EXEC_CR3_TARGET_COUNT", &bad, err, sizeof(err)), 0);
	assert_int_equal(vmx_run_compare(&bad, &cf.c, 1, &r, &c, err, sizeof(err)), 0);
	assert_int_equal(c.agreement, VMX_DIVERGE);
	assert_int_equal(vmx_minimize(&bad, &cf, c.signature, &st, err, sizeof(err)), 0);
	assert_int_equal(st.units_before, 6);
	assert_int_equal(st.units_after, 1);
	assert_int_equal(cf.c.f[VF_CR3_TARGET_COUNT], 9);
	assert_int_equal(vmx_run_compare(&bad, &cf.c, 1, &r, &c2, err, sizeof(err)), 0);
	assert_int_equal(c2.signature, c.signature);
	vmx_backend_inst_close(&bad);
}

static void minimize_picks_nearest_baseline(void **state)
{
	struct vmx_backend_inst bad;
	struct vmx_backend_result r;
	struct vmx_comparison c;
	struct vmx_minimize_stats st;
	struct vmx_case_file cf;
	char err[512], *text;

	parse("baseline = long64\nCR3_TARGET_COUNT = 9\nTSC_OFFSET = 5\n", &cf);
	cf.baseline = VMX_CASE_NO_BASELINE;	/* as if imported from a vmcs12 */
	assert_int_equal(vmx_backend_open_spec("mutant:CTL_EXEC_CR3_TARGET_COUNT", &bad, err, sizeof(err)), 0);
	assert_int_equal(vmx_run_compare(&bad, &cf.c, 1, &r, &c, err, sizeof(err)), 0);
	assert_int_equal(vmx_minimize(&bad, &cf, c.signature, &st, err, sizeof(err)), 0);
	assert_int_equal(cf.baseline, BL_LONG64);
	assert_int_equal(st.units_after, 1);
	text = vmx_case_to_text(&cf);
	assert_string_equal(text, "profile = synthetic-full\nbaseline = long64\nCR3_TARGET_COUNT = 0x9\n");
	free(text);
	vmx_backend_inst_close(&bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(agree_and_diverge),
		cmocka_unit_test(signature_ignores_backend_argument),
		cmocka_unit_test(not_built_and_unknown),
		cmocka_unit_test(minimize_keeps_signature),
		cmocka_unit_test(minimize_picks_nearest_baseline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
