// SPDX-License-Identifier: GPL-2.0
/* Outcome sets: canonical text round trip, ordering, membership rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vmxcc/outcome.h"

static void roundtrip(const char *text)
{
	struct vmx_outcome_set s;
	char buf[256];

	if (vmx_outcome_set_parse(text, &s) != 0)
		fail_msg("did not parse: %s", text);
	vmx_outcome_set_format(buf, sizeof(buf), &s);
	if (strcmp(buf, text) != 0)
		fail_msg("%s printed back as %s", text, buf);
}

static void text_round_trips(void **state)
{
	(void)state;
	roundtrip("{}");
	roundtrip("{vmfail-invalid}");
	roundtrip("{vmfail(7), vmfail(8)}");
	roundtrip("{exit(33,qual=0), exit(33,qual=4)}");
	roundtrip("{exit(34,qual=*)}");
	roundtrip("{exit(34,qual=2), entered}");
}

static void sets_are_sorted_and_deduplicated(void **state)
{
	struct vmx_outcome_set s;
	char buf[128];

	(void)state;
	assert_int_equal(vmx_outcome_set_parse("{vmfail(8), vmfail(7), vmfail(8)}", &s), 0);
	assert_int_equal(s.n, 2);
	vmx_outcome_set_format(buf, sizeof(buf), &s);
	assert_string_equal(buf, "{vmfail(7), vmfail(8)}");
}

static void malformed_text_is_rejected(void **state)
{
	static const char *const bad[] = {
		"vmfail(7)", "{vmfail(7)", "{vmfail()}", "{exit(33)}", "{entered, }",
		"{vmfail(7)x}", "{exit(33,qual=1)junk}", "{bogus}",
	};
	struct vmx_outcome_set s;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (vmx_outcome_set_parse(bad[i], &s) == 0)
			fail_msg("accepted malformed %s", bad[i]);
}

static void membership(void **state)
{
	struct vmx_outcome_set s;
	struct vmx_outcome o;

	(void)state;
	assert_int_equal(vmx_outcome_set_parse("{vmfail(7), exit(34,qual=*), entered}", &s), 0);
	o = vo_vmfail(7);
	assert_true(vmx_outcome_set_allows(&s, &o));
	o = vo_vmfail(8);
	assert_false(vmx_outcome_set_allows(&s, &o));
	o = vo_entry_fail(34, 17);
	assert_true(vmx_outcome_set_allows(&s, &o));
	o = vo_entry_fail(33, 0);
	assert_false(vmx_outcome_set_allows(&s, &o));
	o = vo_entered();
	o.reason = 52;	/* entered with any first exit reason */
	assert_true(vmx_outcome_set_allows(&s, &o));
	o.kind = VO_SKIPPED;
	assert_false(vmx_outcome_set_allows(&s, &o));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_round_trips),
		cmocka_unit_test(sets_are_sorted_and_deduplicated),
		cmocka_unit_test(malformed_text_is_rejected),
		cmocka_unit_test(membership),
	};
	return cmocka_run_group_tests_name("outcome", tests, NULL, NULL);
}
