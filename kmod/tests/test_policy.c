// SPDX-License-Identifier: GPL-2.0
/*
 * The silicon safety policy, rule by rule, on the host: each test starts
 * from a valid baseline, sets up one situation and asserts what the policy
 * does to the image, which VMXCC_POL_* bits it reports and whether it
 * limits the case to the VMfail phase.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vmxcc/arch.h"
#include "vmxcc/baseline.h"
#include "vmxcc_ioctl.h"
#include "vmxcc_policy.h"

#define F(c, name) ((c)->f[VF_##name])

static uint64_t good_host[VF_COUNT];
static struct vmxcc_policy_env env;
static struct vmx_caps caps;
static struct vmx_case c;
static struct vmxcc_policy_out out;

static int setup(void **state)
{
	struct vmx_profile p;
	char err[256];

	vmx_profile_synthetic_full(&p);
	if (vmx_caps_from_profile(&caps, &p, err, sizeof(err)))
		return -1;
	if (vmx_baseline_build(BL_LONG64, &caps, &c))
		return -1;
	for (int f = 0; f < VF_COUNT; f++)
		good_host[f] = c.f[f];
	good_host[VF_HOST_GS_BASE] = 0xffff888000100000ull;
	memset(&env, 0, sizeof(env));
	env.good_host = good_host;
	env.phys_mask = caps.phys_mask;
	env.ept_root4 = 0x1000000;
	env.ept_root5 = 0x1001000;
	env.scratch = 0x1002000;
	env.exit_store = 0x1003000;
	env.exit_load = 0x1004000;
	env.ept_cap = p.msr[PMSR_EPT_VPID_CAP];
	env.pin_may1 = caps.pin_may1;
	env.exit_may1 = caps.exit_may1;
	env.fs_base = 0x7f0000001000ull;
	env.gs_base = good_host[VF_HOST_GS_BASE];
	return 0;
}

static void apply(void)
{
	assert_int_equal(vmxcc_policy_apply(&env, &c, false, &out), 0);
}

static void test_host_state_is_the_modules(void **state)
{
	F(&c, HOST_CR3) = 0x1234000;
	F(&c, HOST_RIP) = 0xdead;
	apply();
	assert_int_equal(F(&out.img, HOST_CR3), good_host[VF_HOST_CR3]);
	assert_int_equal(F(&out.img, HOST_RIP), 0xdead);	/* the core's job */
	assert_true(out.changes & VMXCC_POL_HOST);
	assert_int_equal(out.verdict, VMXCC_RUN);
}

static void test_exit_loads_host_msrs(void **state)
{
	F(&c, VM_EXIT_CONTROLS) &= ~(VM_EXIT_LOAD_IA32_EFER | VM_EXIT_LOAD_IA32_PAT);
	apply();
	assert_true(F(&out.img, VM_EXIT_CONTROLS) & VM_EXIT_LOAD_IA32_EFER);
	assert_true(F(&out.img, VM_EXIT_CONTROLS) & VM_EXIT_LOAD_IA32_PAT);
	assert_true(out.changes & VMXCC_POL_EXIT_LOADS);
	/* Only what the CPU allows. */
	env.exit_may1 &= ~VM_EXIT_LOAD_IA32_PAT;
	apply();
	assert_false(F(&out.img, VM_EXIT_CONTROLS) & VM_EXIT_LOAD_IA32_PAT);
	env.exit_may1 = caps.exit_may1;
}

static void test_host_as_given_needs_opt_in(void **state)
{
	assert_int_equal(vmxcc_policy_apply(&env, &c, true, &out), -1);
	env.host_fuzz = true;
	F(&c, HOST_CR3) = 0x1234000;
	assert_int_equal(vmxcc_policy_apply(&env, &c, true, &out), 0);
	assert_int_equal(F(&out.img, HOST_CR3), 0x1234000);
	env.host_fuzz = false;
}

static void test_timer_forced_to_zero(void **state)
{
	F(&c, VMX_PREEMPTION_TIMER_VALUE) = 1000;
	apply();
	assert_true(F(&out.img, PIN_BASED_VM_EXEC_CONTROL) & PIN_BASED_VMX_PREEMPTION_TIMER);
	assert_int_equal(F(&out.img, VMX_PREEMPTION_TIMER_VALUE), 0);
	assert_true(out.changes & VMXCC_POL_TIMER);
}

static void test_no_timer_means_vmfail_phase_only(void **state)
{
	env.pin_may1 &= ~PIN_BASED_VMX_PREEMPTION_TIMER;
	apply();
	assert_int_equal(out.verdict, VMXCC_EARLY_ONLY);
	assert_non_null(strstr(out.why, "preemption timer"));
	env.pin_may1 = caps.pin_may1;
}

static void test_interrupt_exiting(void **state)
{
	F(&c, PIN_BASED_VM_EXEC_CONTROL) &= ~PIN_BASED_EXT_INTR_MASK;
	apply();
	assert_true(F(&out.img, PIN_BASED_VM_EXEC_CONTROL) & PIN_BASED_EXT_INTR_MASK);
	assert_true(out.changes & VMXCC_POL_INTR_EXITING);
	assert_int_equal(out.verdict, VMXCC_RUN);
	/* Posted interrupts' checks read the control: not forced. */
	F(&c, PIN_BASED_VM_EXEC_CONTROL) |= PIN_BASED_POSTED_INTR;
	apply();
	assert_false(F(&out.img, PIN_BASED_VM_EXEC_CONTROL) & PIN_BASED_EXT_INTR_MASK);
	assert_int_equal(out.verdict, VMXCC_EARLY_ONLY);
}

static void test_ack_on_exit(void **state)
{
	F(&c, VM_EXIT_CONTROLS) |= VM_EXIT_ACK_INTR_ON_EXIT;
	apply();
	assert_int_equal(out.verdict, VMXCC_EARLY_ONLY);
	assert_non_null(strstr(out.why, "acknowledge interrupt"));
}

static void enable_ept(uint64_t eptp)
{
	F(&c, CPU_BASED_VM_EXEC_CONTROL) |= CPU_BASED_ACTIVATE_SECONDARY_CONTROLS;
	F(&c, SECONDARY_VM_EXEC_CONTROL) |= SECONDARY_EXEC_ENABLE_EPT;
	F(&c, EPT_POINTER) = eptp;
}

static void test_valid_eptp_goes_to_sandbox(void **state)
{
	enable_ept(0x5000 | (3 << 3) | 6);
	apply();
	assert_int_equal(F(&out.img, EPT_POINTER), env.ept_root4 | (3 << 3) | 6);
	assert_true(out.changes & VMXCC_POL_EPT_SANDBOX);
}

static void test_invalid_eptp_is_kept(void **state)
{
	enable_ept(0x5000 | (1 << 3) | 6);	/* walk length 2: invalid */
	apply();
	assert_int_equal(F(&out.img, EPT_POINTER), 0x5000 | (1 << 3) | 6);
	assert_false(out.changes & VMXCC_POL_EPT_SANDBOX);
}

static void test_injection_without_ept(void **state)
{
	F(&c, VM_ENTRY_INTR_INFO_FIELD) = INTR_INFO_VALID | (3 << 8) | 13;
	apply();
	assert_int_equal(out.verdict, VMXCC_EARLY_ONLY);
	enable_ept(0x5000 | (3 << 3) | 6);
	apply();
	assert_int_equal(out.verdict, VMXCC_RUN);	/* delivered into the sandbox */
}

static void test_wait_for_sipi(void **state)
{
	enable_ept(0x5000 | (3 << 3) | 6);
	F(&c, GUEST_ACTIVITY_STATE) = GUEST_ACTIVITY_WAIT_SIPI;
	apply();
	assert_int_equal(out.verdict, VMXCC_EARLY_ONLY);
	assert_non_null(strstr(out.why, "wait-for-SIPI"));
	/* A 32-bit field keeps its low half: still wait-for-SIPI (found by
	 * fuzzing in Bochs: the guest sat in wait-for-SIPI forever). */
	F(&c, GUEST_ACTIVITY_STATE) = 0x100000000ull | GUEST_ACTIVITY_WAIT_SIPI;
	apply();
	assert_int_equal(out.verdict, VMXCC_EARLY_ONLY);
	assert_int_equal(F(&out.img, GUEST_ACTIVITY_STATE), GUEST_ACTIVITY_WAIT_SIPI);
}

static void test_pointers(void **state)
{
	F(&c, IO_BITMAP_A) = 0x7000;			/* usable: relocated */
	F(&c, IO_BITMAP_B) = 0x7010;			/* misaligned: kept */
	F(&c, MSR_BITMAP) = caps.phys_mask | 0x1000;	/* beyond MAXPHYADDR: kept */
	F(&c, POSTED_INTR_DESC_ADDR) = 0x9040;		/* 64-byte aligned */
	apply();
	assert_int_equal(F(&out.img, IO_BITMAP_A), env.scratch);
	assert_int_equal(F(&out.img, IO_BITMAP_B), 0x7010);
	assert_int_equal(F(&out.img, MSR_BITMAP), caps.phys_mask | 0x1000);
	assert_int_equal(F(&out.img, POSTED_INTR_DESC_ADDR), env.scratch | 0x40);
	assert_true(out.changes & VMXCC_POL_POINTERS);
}

static void test_exit_msr_lists(void **state)
{
	F(&c, VM_EXIT_MSR_LOAD_COUNT) = 3;
	F(&c, VM_EXIT_MSR_LOAD_ADDR) = 0x8000;
	apply();
	assert_int_equal(F(&out.img, VM_EXIT_MSR_LOAD_ADDR), env.exit_load);
	/* Longer than any recommended maximum: the exit of even a failed
	 * entry would read past the module's area, so nothing is sent. */
	F(&c, VM_EXIT_MSR_LOAD_COUNT) = VMXCC_POLICY_EXIT_MSRS + 1;
	apply();
	assert_int_equal(out.verdict, VMXCC_SKIP);
	/* Misaligned: VMfail 7 before anything is read; kept. */
	F(&c, VM_EXIT_MSR_LOAD_ADDR) = 0x8008;
	apply();
	assert_int_equal(out.verdict, VMXCC_RUN);
	assert_int_equal(F(&out.img, VM_EXIT_MSR_LOAD_ADDR), 0x8008);
}

static void msr_entries(int n, const uint32_t *idx)
{
	c.n_msr_load = n;
	for (int i = 0; i < n; i++) {
		c.msr_load[i].index = idx[i];
		c.msr_load[i].reserved = 0;
		c.msr_load[i].value = 0x1234;
	}
	F(&c, VM_ENTRY_MSR_LOAD_COUNT) = n;
	F(&c, VM_ENTRY_MSR_LOAD_ADDR) = 0x6000;
}

static void test_msr_allow_list(void **state)
{
	static const uint32_t ok[] = { 0x174, 0xc0000082, 0xc0000102 };
	static const uint32_t apic[] = { 0x174, 0x830 };

	msr_entries(3, ok);
	apply();
	assert_int_equal(out.verdict, VMXCC_RUN);
	msr_entries(2, apic);
	apply();
	assert_int_equal(out.verdict, VMXCC_EARLY_ONLY);
	assert_int_equal(out.why_msr, 0x830);
}

static void test_msr_must_fail_gets_host_value(void **state)
{
	static const uint32_t gs[] = { 0xc0000101 };

	msr_entries(1, gs);
	apply();
	assert_int_equal(out.verdict, VMXCC_RUN);
	assert_int_equal(out.img.msr_load[0].value, env.gs_base);
	assert_true(out.changes & VMXCC_POL_MSR_VALUE);
}

static void test_msr_count_past_entries(void **state)
{
	static const uint32_t ok[] = { 0x174 };

	msr_entries(1, ok);
	F(&c, VM_ENTRY_MSR_LOAD_COUNT) = 2;	/* entry 1 reads as index 0 */
	apply();
	assert_int_equal(out.verdict, VMXCC_EARLY_ONLY);
	assert_int_equal(out.why_msr, 0);
}

static void test_invalid_msr_area_is_not_read(void **state)
{
	static const uint32_t apic[] = { 0x830 };

	msr_entries(1, apic);
	F(&c, VM_ENTRY_MSR_LOAD_ADDR) = 0x6008;	/* misaligned: VMfail 7 */
	apply();
	assert_int_equal(out.verdict, VMXCC_RUN);
}

static void test_allow_list_is_small(void **state)
{
	assert_true(vmxcc_policy_msr_allowed(0xc0000082));
	assert_false(vmxcc_policy_msr_allowed(0x277));	/* PAT: memory types */
	assert_false(vmxcc_policy_msr_allowed(0x79));	/* microcode */
	assert_false(vmxcc_policy_msr_allowed(0x9b));	/* SMM monitor */
	assert_int_equal(vmxcc_policy_msr_allow_count, 9);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int run_hide_tests(void);	/* test_hide.c */

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_host_state_is_the_modules), T(test_host_as_given_needs_opt_in),
		T(test_exit_loads_host_msrs),
		T(test_timer_forced_to_zero), T(test_no_timer_means_vmfail_phase_only),
		T(test_interrupt_exiting), T(test_ack_on_exit),
		T(test_valid_eptp_goes_to_sandbox), T(test_invalid_eptp_is_kept),
		T(test_injection_without_ept), T(test_wait_for_sipi), T(test_pointers),
		T(test_exit_msr_lists), T(test_msr_allow_list),
		T(test_msr_must_fail_gets_host_value), T(test_msr_count_past_entries),
		T(test_invalid_msr_area_is_not_read), T(test_allow_list_is_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL) | run_hide_tests();
}
