// SPDX-License-Identifier: GPL-2.0
/*
 * vmx_model_eval_except(): ignoring a check removes it from the outcome
 * (as an implementation that skips it would behave) but keeps it listed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vmxcc/arch.h"
#include "vmxcc/baseline.h"
#include "vmxcc/model.h"

static struct vmx_caps caps;

static int setup(void **state)
{
	struct vmx_profile p;
	char err[128];

	(void)state;
	vmx_profile_synthetic_full(&p);
	return vmx_caps_from_profile(&caps, &p, err, sizeof(err));
}

static void ignore_bit(uint64_t *mask, enum vmx_check_id id)
{
	mask[id / 64] |= 1ull << (id % 64);
}

static void expect(const struct vmx_verdict *v, const char *want)
{
	char got[256];

	vmx_outcome_set_format(got, sizeof(got), &v->allowed);
	assert_string_equal(got, want);
}

static void ignored_basic_check_falls_through_to_controls(void **state)
{
	uint64_t ignore[VMX_CHECK_WORDS] = { 0 };
	struct vmx_case c;
	struct vmx_verdict v;

	(void)state;
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.current_is_shadow = 1;
	c.f[VF_CR3_TARGET_COUNT] = caps.cr3_target_max + 1;
	vmx_model_eval(&caps, &c, &v);
	expect(&v, "{vmfail-invalid}");

	/* An implementation without the shadow-VMCS check goes on to the
	 * control checks: exactly what Bochs does. */
	ignore_bit(ignore, BASIC_SHADOW_VMCS);
	vmx_model_eval_except(&caps, &c, ignore, &v);
	expect(&v, "{vmfail(7)}");
	assert_true(vmx_verdict_failed(&v, BASIC_SHADOW_VMCS));
	assert_true(vmx_verdict_failed(&v, CTL_EXEC_CR3_TARGET_COUNT));
}

static void ignoring_the_only_guest_failure_enters(void **state)
{
	uint64_t ignore[VMX_CHECK_WORDS] = { 0 };
	struct vmx_case c;
	struct vmx_verdict v;

	(void)state;
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.f[VF_GUEST_RIP] = 0x8000000000000000ull;
	vmx_model_eval(&caps, &c, &v);
	expect(&v, "{exit(33,qual=0)}");
	ignore_bit(ignore, GST_RIP_CANON);
	vmx_model_eval_except(&caps, &c, ignore, &v);
	expect(&v, "{entered}");
}

static void null_mask_is_plain_eval(void **state)
{
	struct vmx_case c;
	struct vmx_verdict a, b;

	(void)state;
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &c), 0);
	c.f[VF_HOST_CS_SELECTOR] = 0;
	c.f[VF_CR3_TARGET_COUNT] = caps.cr3_target_max + 1;
	vmx_model_eval(&caps, &c, &a);
	vmx_model_eval_except(&caps, &c, NULL, &b);
	assert_true(vmx_outcome_set_equal(&a.allowed, &b.allowed));
	assert_memory_equal(a.failed, b.failed, sizeof(a.failed));
	expect(&a, "{vmfail(7), vmfail(8)}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ignored_basic_check_falls_through_to_controls),
		cmocka_unit_test(ignoring_the_only_guest_failure_enters),
		cmocka_unit_test(null_mask_is_plain_eval),
	};
	return cmocka_run_group_tests_name("model-except", tests, setup, NULL);
}
