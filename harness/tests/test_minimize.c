// SPDX-License-Identifier: GPL-2.0
/*
 * Delta debugging against the "mutant" test double: noise is reverted,
 * a divergence that needs two differences keeps both, MSR-load entries
 * are reverted one by one, the nearest valid baseline is chosen, and each
 * ddmin round is exactly one call into the back end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmxcc/baseline.h"
#include "vmxcc/run.h"

/* Back-end calls, counted by wrapping the mutant's run(). */
static struct vmx_backend_ops counting_ops;
static const struct vmx_backend_ops *real_ops;
static int backend_calls;

static int counting_run(struct vmx_backend *b, const struct vmx_case *cases, size_t n,
			struct vmx_backend_result *res, char *err, size_t errlen)
{
	backend_calls++;
	return real_ops->run(b, cases, n, res, err, errlen);
}

static void open_mutant(const char *spec, struct vmx_backend_inst *bi)
{
	char err[512];

	if (vmx_backend_open_spec(spec, bi, err, sizeof(err)))
		fail_msg("%s", err);
	real_ops = bi->ops;
	counting_ops = *bi->ops;
	counting_ops.run = counting_run;
	bi->ops = &counting_ops;
	backend_calls = 0;
}

static void close_mutant(struct vmx_backend_inst *bi)
{
	bi->ops = real_ops;
	vmx_backend_inst_close(bi);
}

static void parse(const char *text, struct vmx_case_file *cf)
{
	char err[512];

	if (vmx_case_parse("t.vmcs", text, cf, err, sizeof(err)))
		fail_msg("%s", err);
}

/* The divergence's signature on @bi (asserting there is one). */
static uint64_t diverge(struct vmx_backend_inst *bi, const struct vmx_case *c)
{
	struct vmx_backend_result r;
	struct vmx_comparison cmp;
	char err[512];

	assert_int_equal(vmx_run_compare(bi, c, 1, &r, &cmp, err, sizeof(err)), 0);
	assert_int_equal(cmp.agreement, VMX_DIVERGE);
	return cmp.signature;
}

/* Minimize @cf on @spec; check the signature is kept and that every
 * batch (ddmin round, plus the baselines' batch) was one back-end call. */
static void minimize_cf(const char *spec, struct vmx_case_file *cf, struct vmx_minimize_stats *st)
{
	struct vmx_backend_inst bi;
	uint64_t sig;
	char err[512];

	open_mutant(spec, &bi);
	sig = diverge(&bi, &cf->c);
	backend_calls = 0;
	if (vmx_minimize(&bi, cf, sig, st, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(backend_calls, st->batches);
	assert_true(st->runs > st->batches);
	assert_int_equal(diverge(&bi, &cf->c), sig);
	close_mutant(&bi);
}

static void minimize(const char *spec, const char *text, struct vmx_case_file *cf,
		     struct vmx_minimize_stats *st)
{
	parse(text, cf);
	minimize_cf(spec, cf, st);
}

/* @cf is exactly its baseline plus @text's lines (parsed on that baseline). */
static void assert_case(const struct vmx_case_file *cf, const char *text)
{
	struct vmx_case_file want;
	char buf[1024];

	snprintf(buf, sizeof(buf), "baseline = %s\n%s", vmx_baseline_names[cf->baseline], text);
	parse(buf, &want);
	assert_true(vmx_case_equal(&cf->c, &want.c));
}

static const char noise[] =
	"EXCEPTION_BITMAP = 0xffff\nTSC_OFFSET = 0x1234\nPAGE_FAULT_ERROR_CODE_MASK = 3\n"
	"PAGE_FAULT_ERROR_CODE_MATCH = 1\nCR0_READ_SHADOW = 0x10\nCR4_READ_SHADOW = 0x20\n"
	"CR0_GUEST_HOST_MASK = 0x8\nCR4_GUEST_HOST_MASK = 0x4\nGUEST_SYSENTER_CS = 0x10\n"
	"GUEST_SYSENTER_ESP = 0x1000\nGUEST_SYSENTER_EIP = 0x2000\n"
	"[state]\nvtpr = 0x40\n[pdpte]\npdpte0 = 0x1001\npdpte3 = 0x2001\n";

static void one_relevant_among_noise(void **state)
{
	struct vmx_minimize_stats st;
	struct vmx_case_file cf;
	char text[2048];

	snprintf(text, sizeof(text), "baseline = long64\nCR3_TARGET_COUNT = 9\n%s", noise);
	minimize("mutant:CTL_EXEC_CR3_TARGET_COUNT", text, &cf, &st);
	assert_int_equal(st.units_before, 15);
	assert_int_equal(st.units_after, 1);
	assert_int_equal(cf.baseline, BL_LONG64);
	assert_case(&cf, "CR3_TARGET_COUNT = 9\n");
}

/* "unrestricted guest" without EPT needs the secondary controls activated
 * as well: neither difference alone diverges, so ddmin must keep both
 * (it gets there by removing complements). */
static void two_needed_together(void **state)
{
	struct vmx_minimize_stats st;
	struct vmx_case_file cf;
	char text[2048];

	snprintf(text, sizeof(text), "baseline = long64\nCPU_BASED_VM_EXEC_CONTROL = 0x84006172\n"
		 "SECONDARY_VM_EXEC_CONTROL = 0x80\n%s", noise);
	minimize("mutant:CTL_EXEC_UG_NEEDS_EPT", text, &cf, &st);
	assert_int_equal(st.units_before, 16);
	assert_int_equal(st.units_after, 2);
	assert_case(&cf, "CPU_BASED_VM_EXEC_CONTROL = 0x84006172\nSECONDARY_VM_EXEC_CONTROL = 0x80\n");
}

/* long64-msrload loads LSTAR, SYSENTER_ESP, TSC_AUX.  Entry 0 gets another
 * (valid) value, entry 2 a non-zero reserved half (the divergence), and an
 * entry 3 past the count is never read: only entry 2 must stay. */
static const char msr_case[] =
	"TSC_OFFSET = 5\n[msr_load]\n0xc0000082 0xffffffff81234000\n0x175 0x8000\n"
	"0xc0000103 1 0x1\n0x10 0x55\n";

static void msr_entries_one_by_one(void **state)
{
	struct vmx_minimize_stats st;
	struct vmx_case_file cf;
	char text[1024];

	snprintf(text, sizeof(text), "baseline = long64-msrload\n%s", msr_case);
	minimize("mutant:MSR_ENT_RSVD", text, &cf, &st);
	assert_int_equal(st.units_before, 4);
	assert_int_equal(st.units_after, 1);
	assert_int_equal(cf.baseline, BL_LONG64_MSRLOAD);
	assert_int_equal(cf.c.n_msr_load, 3);
	assert_case(&cf, "[msr_load]\n0xc0000082 0xffffffff81000000\n0x175 0x8000\n0xc0000103 1 0x1\n");
}

/* The same case written on long64: the MSR-load address, count and three
 * entries differ from it, only one entry from long64-msrload. */
static void nearest_baseline_chosen(void **state)
{
	struct vmx_minimize_stats st;
	struct vmx_case_file cf;
	char text[1024], *out;

	snprintf(text, sizeof(text), "baseline = long64\nVM_ENTRY_MSR_LOAD_ADDR = 0x9000\n"
		 "VM_ENTRY_MSR_LOAD_COUNT = 3\n%s", msr_case);
	minimize("mutant:MSR_ENT_RSVD", text, &cf, &st);
	assert_int_equal(st.given_baseline, BL_LONG64);
	assert_int_equal(st.given_units, 7);
	assert_int_equal(st.baseline, BL_LONG64_MSRLOAD);
	assert_int_equal(st.units_before, 4);
	assert_int_equal(st.units_after, 1);
	out = vmx_case_to_text(&cf);
	assert_non_null(strstr(out, "baseline = long64-msrload\n"));
	free(out);
	assert_case(&cf, "[msr_load]\n0xc0000082 0xffffffff81000000\n0x175 0x8000\n0xc0000103 1 0x1\n");
}

/* Without any baseline (as imported from a vmcs12) the nearest is found. */
static void no_baseline(void **state)
{
	struct vmx_minimize_stats st;
	struct vmx_case_file cf;
	char text[2048];

	snprintf(text, sizeof(text), "baseline = long64\nCR3_TARGET_COUNT = 9\n%s", noise);
	parse(text, &cf);
	cf.baseline = VMX_CASE_NO_BASELINE;
	minimize_cf("mutant:CTL_EXEC_CR3_TARGET_COUNT", &cf, &st);
	assert_int_equal(st.given_baseline, VMX_CASE_NO_BASELINE);
	assert_int_equal(st.baseline, BL_LONG64);
	assert_int_equal(st.units_after, 1);
	assert_case(&cf, "CR3_TARGET_COUNT = 9\n");
}

/* Property: whatever subset of the noise comes along, and in whichever
 * field order, the result is exactly the relevant difference. */
static void random_noise_subsets(void **state)
{
	static const char *const lines[] = {
		"EXCEPTION_BITMAP = 0xffff\n", "TSC_OFFSET = 0x1234\n",
		"PAGE_FAULT_ERROR_CODE_MASK = 3\n", "CR0_READ_SHADOW = 0x10\n",
		"CR4_READ_SHADOW = 0x20\n", "CR0_GUEST_HOST_MASK = 0x8\n",
		"GUEST_SYSENTER_CS = 0x10\n", "GUEST_SYSENTER_ESP = 0x1000\n",
		"GUEST_SYSENTER_EIP = 0x2000\n", "PAGE_FAULT_ERROR_CODE_MATCH = 1\n",
	};
	unsigned int seed = 12345;

	for (int t = 0; t < 40; t++) {
		struct vmx_minimize_stats st;
		struct vmx_case_file cf;
		char text[2048] = "baseline = long64\n";
		int n = 0;

		for (int i = 0; i < 10; i++) {
			seed = seed * 1103515245u + 12345u;
			if (((seed >> 16) & 1) == 0)
				continue;
			strcat(text, lines[i]);
			n++;
		}
		strcat(text, "CR3_TARGET_COUNT = 300\n");
		minimize("mutant:CTL_EXEC_CR3_TARGET_COUNT", text, &cf, &st);
		assert_int_equal(st.units_before, n + 1);
		assert_int_equal(st.units_after, 1);
		assert_case(&cf, "CR3_TARGET_COUNT = 300\n");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_relevant_among_noise),
		cmocka_unit_test(two_needed_together),
		cmocka_unit_test(msr_entries_one_by_one),
		cmocka_unit_test(nearest_baseline_chosen),
		cmocka_unit_test(no_baseline),
		cmocka_unit_test(random_noise_subsets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
