// SPDX-License-Identifier: GPL-2.0
/*
 * Divergence records: content, torn lines, and kill -9 during appends
 * never leaving a counted record that is incomplete.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "vmxcc/backend_session.h"
#include "vmxcc/baseline.h"
#include "vmxcc/profile_text.h"
#include "vmxcc/record.h"

static char path[256];

static json_t *sample(int big)
{
	struct vmx_case_file cf;
	struct vmx_backend_result r;
	struct vmx_comparison cmp;
	struct vmx_profile p;
	char err[256];
	struct vmx_record_src src;

	assert_int_equal(vmx_case_parse("r.vmcs", "baseline = long64\nCR3_TARGET_COUNT = 9\n",
					 &cf, err, sizeof(err)), 0);
	if (big)	/* a long case text: the line spans several pages */
		for (int f = 0; f < VF_COUNT; f++)
			cf.c.f[f] ^= 0x1111 & vmx_field_mask(f);
	vmx_profile_synthetic_full(&p);
	memset(&r, 0, sizeof(r));
	r.effective = cf.c;
	r.outcome = vo_entered();
	snprintf(r.text, sizeof(r.text), "entered although CR3-target count is 9");
	vmx_compare(&cf.caps, "mutant:x", vmx_profile_fingerprint(&p), &r, &cmp);
	src = (struct vmx_record_src){ "mutant:x", &p, &cf, &r.effective, &cmp, r.text };
	return vmx_record_build(&src);
}

static int setup(void **state)
{
	snprintf(path, sizeof(path), "/tmp/vmxcc-records-%d.jsonl", getpid());
	unlink(path);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

static void content(void **state)
{
	json_t *r = sample(0);
	const char *keys[] = { "v", "time", "signature", "backend", "profile", "profile_fp",
			       "model", "observed", "failing_checks", "baseline", "field_diff",
			       "case", "triage" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_non_null(json_object_get(r, keys[i]));
	assert_string_equal(json_string_value(json_object_get(r, "model")), "{vmfail(7)}");
	assert_string_equal(json_string_value(json_object_get(r, "observed")), "entered");
	assert_string_equal(json_string_value(json_object_get(r, "baseline")), "long64");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "field_diff"),
							      "CR3_TARGET_COUNT")), "0x9");
	assert_int_equal(strlen(json_string_value(json_object_get(r, "signature"))), 16);
	json_decref(r);
}

static void torn_line_skipped(void **state)
{
	struct vmx_record_stats st;
	char err[256];
	json_t *r = sample(0);
	FILE *f;

	assert_int_equal(vmx_record_append(path, r, err, sizeof(err)), 0);
	assert_int_equal(vmx_record_append(path, r, err, sizeof(err)), 0);
	f = fopen(path, "a");
	fputs("{\"v\":1,\"signature\":\"00", f);	/* a writer killed mid-line */
	fclose(f);
	if (vmx_record_read(path, NULL, NULL, &st, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(st.records, 2);
	assert_int_equal(st.torn, 1);
	/* The next append starts a fresh line: nothing is lost or glued. */
	assert_int_equal(vmx_record_append(path, r, err, sizeof(err)), 0);
	assert_int_equal(vmx_record_read(path, NULL, NULL, &st, err, sizeof(err)), 0);
	assert_int_equal(st.records, 3);
	assert_int_equal(st.torn, 1);
	json_decref(r);
}

/* Children append big records in a loop and are killed with SIGKILL at
 * varying moments; every line a reader counts must be a whole record and
 * the count must never go down. */
static void kill9(void **state)
{
	struct vmx_record_stats st;
	size_t last = 0;
	char err[256];

	for (int round = 0; round < 20; round++) {
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0) {
			json_t *r = sample(1);

			for (;;)
				if (vmx_record_append(path, r, err, sizeof(err)))
					_exit(3);
		}
		usleep(2000 + 1500 * (useconds_t)round);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		assert_int_equal(vmx_record_read(path, NULL, NULL, &st, err, sizeof(err)), 0);
		assert_true(st.records >= last);
		last = st.records;
	}
	assert_true(last > 0);
}

static int count_cb(json_t *rec, void *arg)
{
	const char *text = json_string_value(json_object_get(rec, "case"));

	/* A counted record is complete: its case text parses again. */
	struct vmx_case_file cf;
	char err[256];

	(*(int *)arg)++;
	return vmx_case_parse("rec", text, &cf, err, sizeof(err));
}

static void counted_records_are_whole(void **state)
{
	struct vmx_record_stats st;
	char err[256];
	int n = 0;

	assert_int_equal(vmx_record_read(path, count_cb, &n, &st, err, sizeof(err)), 0);
	assert_int_equal((size_t)n, st.records);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(content),
		cmocka_unit_test(torn_line_skipped),
		cmocka_unit_test(kill9),
		cmocka_unit_test(counted_records_are_whole),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
