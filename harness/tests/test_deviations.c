// SPDX-License-Identifier: GPL-2.0
/*
 * Known-deviations files: parsing, errors naming file:line, and the rule
 * that a divergence is known only when the listed deviations explain it.
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
	(void)state;
	bad_file("# c\ncheck: NO_SUCH_CHECK\n", "2: check: unknown check id \"NO_SUCH_CHECK\"");
	bad_file("check: GST_RIP_CANON\nsdm: x\n\n", "3: entry needs check, sdm and impl");
	bad_file("check: GST_RIP_CANON\nwhat: x\n", "2: unknown key \"what\"");
	bad_file("check: GST_RIP_CANON\nsdm: x\nimpl: y\nobserved: vmfail(7)\n",
		 "4: observed: not an outcome set (e.g. {vmfail(7)}): \"vmfail(7)\"");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errors_name_file_and_line),
		cmocka_unit_test(skipped_check_explains_only_its_own_effect),
		cmocka_unit_test(observed_line_names_what_it_reports),
	};
	return cmocka_run_group_tests_name("deviations", tests, setup, NULL);
}
