// SPDX-License-Identifier: GPL-2.0
/*
 * vmx_caps_from_profile(): the synthetic profile is consistent, and each
 * kind of inconsistent profile is rejected with a message that names the
 * MSR and the offending value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vmxcc/arch.h"
#include "vmxcc/profile.h"

static char err[256];

static int digest(const struct vmx_profile *p, struct vmx_caps *caps)
{
	err[0] = 0;
	return vmx_caps_from_profile(caps, p, err, sizeof(err));
}

/* Rejected, and the message contains every one of @words. */
static void assert_rejected(const struct vmx_profile *p, const char *const *words)
{
	struct vmx_caps caps;

	assert_int_equal(digest(p, &caps), -1);
	for (; *words; words++)
		if (!strstr(err, *words))
			fail_msg("message \"%s\" does not name \"%s\"", err, *words);
}

#define REJECTED(p, ...) assert_rejected((p), (const char *const[]){ __VA_ARGS__, NULL })

static void synthetic_accepted(void **state)
{
	struct vmx_profile p;
	struct vmx_caps caps;

	(void)state;
	vmx_profile_synthetic_full(&p);
	if (digest(&p, &caps))
		fail_msg("synthetic profile rejected: %s", err);
	/* TRUE controls are used because IA32_VMX_BASIC[55] is set. */
	assert_int_equal(caps.proc_must1, 0x04006172);
	assert_int_equal(caps.proc3_may1, 0x9f);
	assert_int_equal(caps.exit2_may1, 0x3);
	assert_int_equal(caps.cr3_target_max, 4);
	assert_true(caps.true_ctls && caps.relaxed_errcode);
	assert_true(caps.phys_mask == ~0ull << 46);
}

static void allowed0_not_in_allowed1(void **state)
{
	struct vmx_profile p;

	(void)state;
	vmx_profile_synthetic_full(&p);
	p.msr[PMSR_PINBASED] |= 1ull << 8;	/* must be 1, may not be 1 */
	REJECTED(&p, "IA32_VMX_PINBASED_CTLS", "allowed-0 bit 8", "0xff00000116");
}

static void true_allowed0_not_in_allowed1(void **state)
{
	struct vmx_profile p;

	(void)state;
	vmx_profile_synthetic_full(&p);
	p.msr[PMSR_TRUE_ENTRY] &= ~(1ull << (32 + 9));	/* IA-32e mode guest */
	p.msr[PMSR_TRUE_ENTRY] |= 1ull << 9;
	REJECTED(&p, "IA32_VMX_TRUE_ENTRY_CTLS", "allowed-0 bit 9");
}

static void true_forces_a_legacy_optional_bit(void **state)
{
	struct vmx_profile p;

	(void)state;
	vmx_profile_synthetic_full(&p);
	p.msr[PMSR_TRUE_PINBASED] |= PIN_BASED_NMI_EXITING;
	REJECTED(&p, "IA32_VMX_TRUE_PINBASED_CTLS", "allowed-0 bit 3",
		 "IA32_VMX_PINBASED_CTLS", "0xff0000001e");
}

static void secondary_allowed0(void **state)
{
	struct vmx_profile p;

	(void)state;
	vmx_profile_synthetic_full(&p);
	p.msr[PMSR_PROCBASED2] |= SECONDARY_EXEC_ENABLE_EPT;
	REJECTED(&p, "IA32_VMX_PROCBASED_CTLS2", "0x2");
}

static void cr0_fixed0_not_in_fixed1(void **state)
{
	struct vmx_profile p;

	(void)state;
	vmx_profile_synthetic_full(&p);
	p.msr[PMSR_CR0_FIXED1] &= ~X86_CR0_NE;
	REJECTED(&p, "IA32_VMX_CR0_FIXED0 bit 5", "IA32_VMX_CR0_FIXED1");
}

static void cr4_fixed0_not_in_fixed1(void **state)
{
	struct vmx_profile p;

	(void)state;
	vmx_profile_synthetic_full(&p);
	p.msr[PMSR_CR4_FIXED1] &= ~X86_CR4_VMXE;
	REJECTED(&p, "IA32_VMX_CR4_FIXED0 bit 13", "IA32_VMX_CR4_FIXED1");
}

static void maxphyaddr_out_of_range(void **state)
{
	struct vmx_profile p;

	(void)state;
	vmx_profile_synthetic_full(&p);
	p.maxphyaddr = 31;
	REJECTED(&p, "MAXPHYADDR 31");
	p.maxphyaddr = 53;
	REJECTED(&p, "MAXPHYADDR 53");
}

static void true_msrs_missing(void **state)
{
	static const enum vmx_profile_msr t[] = {
		PMSR_TRUE_PINBASED, PMSR_TRUE_PROCBASED, PMSR_TRUE_EXIT, PMSR_TRUE_ENTRY,
	};
	struct vmx_profile p;

	(void)state;
	for (unsigned int i = 0; i < 4; i++) {
		vmx_profile_synthetic_full(&p);
		p.msr_present &= ~(1u << t[i]);
		REJECTED(&p, vmx_profile_msr_names[t[i]], "missing", "IA32_VMX_BASIC[55]");
	}
}

/* Without IA32_VMX_BASIC[55] the TRUE MSRs may be absent and the legacy
 * MSRs decide. */
static void true_msrs_absent_without_bit55(void **state)
{
	struct vmx_profile p;
	struct vmx_caps caps;

	(void)state;
	vmx_profile_synthetic_full(&p);
	p.msr[PMSR_BASIC] &= ~VMX_BASIC_TRUE_CTLS;
	p.msr_present &= ~((1u << PMSR_TRUE_PINBASED) | (1u << PMSR_TRUE_PROCBASED) |
			   (1u << PMSR_TRUE_EXIT) | (1u << PMSR_TRUE_ENTRY));
	if (digest(&p, &caps))
		fail_msg("rejected: %s", err);
	assert_int_equal(caps.proc_must1, 0x0401e172);
	assert_false(caps.true_ctls);
}

static void tertiary_msr_missing(void **state)
{
	struct vmx_profile p;

	(void)state;
	vmx_profile_synthetic_full(&p);
	p.msr_present &= ~(1u << PMSR_PROCBASED3);
	REJECTED(&p, "IA32_VMX_PROCBASED_CTLS3", "missing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(synthetic_accepted),
		cmocka_unit_test(allowed0_not_in_allowed1),
		cmocka_unit_test(true_allowed0_not_in_allowed1),
		cmocka_unit_test(true_forces_a_legacy_optional_bit),
		cmocka_unit_test(secondary_allowed0),
		cmocka_unit_test(cr0_fixed0_not_in_fixed1),
		cmocka_unit_test(cr4_fixed0_not_in_fixed1),
		cmocka_unit_test(maxphyaddr_out_of_range),
		cmocka_unit_test(true_msrs_missing),
		cmocka_unit_test(true_msrs_absent_without_bit55),
		cmocka_unit_test(tertiary_msr_missing),
	};

	return cmocka_run_group_tests_name("model-profile", tests, NULL, NULL);
}
