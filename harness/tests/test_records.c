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
#include "vmxcc/run.h"

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
	assert_null(json_object_get(r, "readback"));	/* none without read-back */
	json_decref(r);
}

static int keep_last(json_t *rec, void *arg)
{
	json_t **last = arg;

	json_decref(*last);
	*last = json_incref(rec);
	return 0;
}

/* A divergence found with read-back: the record lists the unexpected
 * field, says the image was corrected, and survives the round trip. */
static void readback_round_trip(void **state)
{
	struct vmx_backend_inst bi;
	struct vmx_backend_result r;
	struct vmx_comparison cmp;
	struct vmx_record_stats st;
	struct vmx_case_file cf, back;
	struct vmx_verdict v;
	struct vmx_record_src src;
	json_t *rec, *got = NULL, *rb, *u;
	const char *name;
	json_t *val;
	char err[256], set[1024];

	assert_int_equal(vmx_case_parse("r.vmcs", "baseline = long64\n", &cf, err, sizeof(err)), 0);
	assert_int_equal(vmx_backend_open_spec("mutant:trunc16=GUEST_CR0", &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.ops->set_readback(bi.b, true, err, sizeof(err)), 0);
	assert_int_equal(vmx_run_compare(&bi, &cf.c, 1, &r, &cmp, err, sizeof(err)), 0);
	assert_int_equal(cmp.agreement, VMX_DIVERGE);
	src = (struct vmx_record_src){ bi.spec, &bi.profile, &cf, &r.effective, &cmp, r.text };
	rec = vmx_record_build(&src);
	vmx_record_set_readback(rec, &r, &cmp);
	assert_int_equal(vmx_record_append(path, rec, err, sizeof(err)), 0);
	json_decref(rec);
	assert_int_equal(vmx_record_read(path, keep_last, &got, &st, err, sizeof(err)), 0);
	assert_non_null(got);

	rb = json_object_get(got, "readback");
	assert_true(json_is_true(json_object_get(rb, "corrected")));
	assert_int_equal(json_array_size(json_object_get(rb, "unexpected")), 1);
	u = json_array_get(json_object_get(rb, "unexpected"), 0);
	assert_string_equal(json_string_value(json_object_get(u, "field")), "GUEST_CR0");
	snprintf(set, sizeof(set), "%#llx", (unsigned long long)cf.c.f[VF_GUEST_CR0]);
	assert_string_equal(json_string_value(json_object_get(u, "written")), set);
	snprintf(set, sizeof(set), "%#llx", (unsigned long long)(cf.c.f[VF_GUEST_CR0] & 0xffff));
	assert_string_equal(json_string_value(json_object_get(u, "read")), set);
	assert_string_equal(json_string_value(json_array_get(json_object_get(rb, "substituted"), 0)),
			    "GUEST_CR0");
	assert_non_null(strstr(json_string_value(json_object_get(rb, "why")), "failed attempt (exit(33"));
	assert_string_equal(json_string_value(json_object_get(rb, "model_as_written")), "{entered}");
	assert_true(json_integer_value(json_object_get(rb, "expected")) >= 1);

	/* The judged image, rebuilt from the record alone, gives its model. */
	assert_int_equal(vmx_case_parse("rec", json_string_value(json_object_get(got, "case")),
					&back, err, sizeof(err)), 0);
	json_object_foreach(json_object_get(got, "effective_diff"), name, val)
		back.c.f[vmx_field_by_name(name)] = strtoull(json_string_value(val), NULL, 0);
	assert_int_equal(vmx_record_judged_image(got, &back.c, err, sizeof(err)), 0);
	vmx_model_eval(&bi.caps, &back.c, &v);
	vmx_outcome_set_format(set, sizeof(set), &v.allowed);
	assert_string_equal(set, json_string_value(json_object_get(got, "model")));

	/* A substituted field without its value is an error naming it. */
	json_array_clear(json_object_get(rb, "unexpected"));
	assert_int_equal(vmx_record_judged_image(got, &back.c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "readback.substituted[0]"));
	json_decref(got);
	vmx_backend_inst_close(&bi);
	unlink(path);
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
		cmocka_unit_test(readback_round_trip),
		cmocka_unit_test(torn_line_skipped),
		cmocka_unit_test(kill9),
		cmocka_unit_test(counted_records_are_whole),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
