// SPDX-License-Identifier: GPL-2.0
/* Profile text: the shipped synthetic-full, round trips, errors, diff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmxcc/profile_text.h"

static void shipped_synthetic_full(void **state)
{
	struct vmx_profile builtin, shipped;
	char err[512];

	vmx_profile_synthetic_full(&builtin);
	assert_int_equal(vmx_profile_load("synthetic-full", NULL, &shipped, err, sizeof(err)), 0);
	if (!vmx_profile_equal(&builtin, &shipped)) {
		char *want = vmx_profile_to_text(&builtin, true);

		fail_msg("profiles/synthetic-full.profile differs from vmx_profile_synthetic_full(); "
			 "regenerate it:\n%s", want);
	}
	assert_int_equal(vmx_profile_fingerprint(&builtin), vmx_profile_fingerprint(&shipped));
}

static void round_trip_and_fingerprint(void **state)
{
	struct vmx_profile p, back;
	char err[512], *text;

	vmx_profile_synthetic_full(&p);
	p.msr_present &= ~(1u << PMSR_EXIT2);
	p.msr[PMSR_EXIT2] = 0;
	p.msr[PMSR_EXIT] &= ~(1ull << 63);	/* no secondary exit controls */
	p.msr[PMSR_TRUE_EXIT] &= ~(1ull << 63);
	p.has_mpx = false;
	text = vmx_profile_to_text(&p, true);
	assert_int_equal(vmx_profile_parse("p.profile", text, &back, err, sizeof(err)), 0);
	assert_true(vmx_profile_equal(&p, &back));
	/* The name is not part of the fingerprint; values are. */
	snprintf(back.name, sizeof(back.name), "other");
	assert_int_equal(vmx_profile_fingerprint(&p), vmx_profile_fingerprint(&back));
	back.maxphyaddr = 39;
	assert_int_not_equal(vmx_profile_fingerprint(&p), vmx_profile_fingerprint(&back));
	free(text);
}

static void expect_error(const char *edit_from, const char *edit_to, const char *msg)
{
	struct vmx_profile p;
	char err[512], *text, *at, buf[8192];

	vmx_profile_synthetic_full(&p);
	text = vmx_profile_to_text(&p, true);
	at = strstr(text, edit_from);
	assert_non_null(at);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - text), text, edit_to, at + strlen(edit_from));
	assert_int_equal(vmx_profile_parse("p.profile", buf, &p, err, sizeof(err)), -1);
	assert_string_equal(err, msg);
	free(text);
}

static void errors(void **state)
{
	expect_error("maxphyaddr = 46", "maxphyaddr = 4x6", "p.profile:22: maxphyaddr: malformed number \"4x6\"");
	expect_error("maxphyaddr = 46", "maxphyaddr = 460", "p.profile:22: maxphyaddr: value 460 is out of range (max 0xff)");
	expect_error("has_mpx = 1", "has_mpx = 1\nhas_mpx = 0",
		     "p.profile:39: has_mpx: duplicate (first on line 38)");
	expect_error("has_mpx = 1", "has_mpc = 1", "p.profile:38: has_mpc: unknown key");
	expect_error("has_mpx = 1\n", "", "p.profile: missing key \"has_mpx\"");
	expect_error("maxphyaddr = 46", "maxphyaddr = 20",
		     "p.profile: inconsistent profile: MAXPHYADDR 20 is out of range (32..52)");
}

static void diff_in_words(void **state)
{
	struct vmx_profile a, b;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	vmx_profile_synthetic_full(&a);
	b = a;
	b.msr[PMSR_PROCBASED2] &= ~(1ull << (32 + 1));	/* no EPT */
	b.maxphyaddr = 39;
	assert_int_equal(vmx_profile_diff(f, &a, &b), 2);
	fclose(f);
	assert_non_null(strstr(out, "IA32_VMX_PROCBASED_CTLS2: SECONDARY_EXEC_ENABLE_EPT (bit 1) may be 1: A yes, B no\n"));
	assert_non_null(strstr(out, "maxphyaddr: A 0x2e, B 0x27\n"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_synthetic_full),
		cmocka_unit_test(round_trip_and_fingerprint),
		cmocka_unit_test(errors),
		cmocka_unit_test(diff_in_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
