// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel addresses hidden from user space (policy/vmxcc_hide.c), on the
 * host: the placeholder of each canonical class, what is hidden in the
 * effective image and the read-back and what is not, and -- the property
 * that makes hiding safe for the judgement -- the model fails exactly the
 * same checks on the hidden image as on the real one, for 48- and 57-bit
 * linear addresses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vmxcc/arch.h"
#include "vmxcc/baseline.h"
#include "vmxcc/model.h"
#include "vmxcc_hide.h"
#include "vmxcc_ioctl.h"

#define F(c, name) ((c)->f[VF_##name])
#define PHYS_MASK (~0ull << 46)

int run_hide_tests(void);

static void test_placeholder_classes(void **state)
{
	/* 4-level kernel text, 5-level direct map, not canonical at all */
	assert_int_equal(vmxcc_hide_value(VF_HOST_RIP, 0xffffffffc0a12345ull, PHYS_MASK),
			 VMXCC_HIDDEN_VA48 | 0x345);
	assert_int_equal(vmxcc_hide_value(VF_HOST_GS_BASE, 0xff11000012345abcull, PHYS_MASK),
			 VMXCC_HIDDEN_VA57 | 0xabc);
	assert_int_equal(vmxcc_hide_value(VF_HOST_TR_BASE, 0x8000123400000defull, PHYS_MASK),
			 VMXCC_HIDDEN_VA_NC | 0xdef);
	/* The lower half is never a kernel address: user TLS stays. */
	assert_int_equal(vmxcc_hide_value(VF_HOST_FS_BASE, 0x7f0012345678ull, PHYS_MASK),
			 0x7f0012345678ull);
	/* CR3: PCID and bits beyond MAXPHYADDR stay, the address goes. */
	assert_int_equal(vmxcc_hide_value(VF_HOST_CR3, 0x12345067ull, PHYS_MASK),
			 VMXCC_HIDDEN_PA | 0x067);
	assert_int_equal(vmxcc_hide_value(VF_HOST_CR3, (1ull << 50) | 0x5000, PHYS_MASK),
			 (1ull << 50) | VMXCC_HIDDEN_PA);
	assert_int_equal(vmxcc_hide_value(VF_HOST_CR3, 0x7, PHYS_MASK), 0x7);
}

static void base(struct vmx_case *given, struct vmx_case *eff)
{
	memset(given, 0, sizeof(*given));
	F(given, HOST_RIP) = 0x3000;
	F(given, HOST_GDTR_BASE) = 0xffff800000001000ull;	/* caller's own */
	F(given, EPT_POINTER) = 0x5000;
	*eff = *given;
	F(eff, HOST_RIP) = 0xffffffffc0a00123ull;		/* module's exit path */
	F(eff, HOST_RSP) = 0xffffc90000a03f58ull;
	F(eff, HOST_CR3) = 0x10a2e000ull;
	F(eff, HOST_FS_BASE) = 0x7f0012345678ull;
	F(eff, EPT_POINTER) = 0x1000000 | 0x5e;		/* sandbox: physical */
}

static void test_effective_image(void **state)
{
	struct vmx_case given, eff;

	base(&given, &eff);
	assert_true(vmxcc_hide(&given, &eff, NULL, NULL, PHYS_MASK));
	assert_int_equal(F(&eff, HOST_RIP), VMXCC_HIDDEN_VA48 | 0x123);
	assert_int_equal(F(&eff, HOST_RSP), VMXCC_HIDDEN_VA48 | 0xf58);
	assert_int_equal(F(&eff, HOST_CR3), VMXCC_HIDDEN_PA);
	assert_int_equal(F(&eff, HOST_FS_BASE), 0x7f0012345678ull);
	assert_int_equal(F(&eff, HOST_GDTR_BASE), 0xffff800000001000ull);
	/* Pages the module allocated: physical, like /proc/PID/pagemap. */
	assert_int_equal(F(&eff, EPT_POINTER), 0x100005e);
}

static void test_nothing_to_hide(void **state)
{
	struct vmx_case given, eff;

	base(&given, &eff);
	given = eff;			/* host_fuzz=1: the caller's own values */
	assert_false(vmxcc_hide(&given, &eff, NULL, NULL, PHYS_MASK));
	assert_memory_equal(&given, &eff, sizeof(eff));
}

static void test_readback(void **state)
{
	__u64 rb[VF_COUNT] = { 0 }, valid[VMXCC_RB_WORDS];
	struct vmx_case given, eff;

	base(&given, &eff);
	memset(valid, 0xff, sizeof(valid));
	rb[VF_HOST_RIP] = F(&eff, HOST_RIP);		/* unchanged */
	rb[VF_HOST_RSP] = F(&eff, HOST_RSP) + 0x1000;	/* changed, same offset */
	rb[VF_HOST_CR3] = F(&eff, HOST_CR3);
	rb[VF_GUEST_SSP] = 0xffffc90000a08000ull;	/* a host value saved */
	rb[VF_GUEST_RIP] = 0xffffffff81000000ull;	/* not a hidden field */
	rb[VF_HOST_GDTR_BASE] = F(&given, HOST_GDTR_BASE);
	valid[VF_HOST_IDTR_BASE / 64] &= ~(1ull << (VF_HOST_IDTR_BASE % 64));
	rb[VF_HOST_IDTR_BASE] = 0xfffffe0000000000ull;	/* "not read": left */
	vmxcc_hide(&given, &eff, rb, valid, PHYS_MASK);
	assert_int_equal(rb[VF_HOST_RIP], F(&eff, HOST_RIP));
	assert_int_equal(rb[VF_HOST_CR3], F(&eff, HOST_CR3));
	/* Still shown as different, with the same canonical class. */
	assert_int_equal(rb[VF_HOST_RSP], VMXCC_HIDDEN_VA48 | VMXCC_HIDDEN_FLIP | 0xf58);
	assert_int_equal(rb[VF_GUEST_SSP], VMXCC_HIDDEN_VA48);
	assert_int_equal(rb[VF_GUEST_RIP], 0xffffffff81000000ull);
	assert_int_equal(rb[VF_HOST_GDTR_BASE], 0xffff800000001000ull);
	assert_int_equal(rb[VF_HOST_IDTR_BASE], 0xfffffe0000000000ull);
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint64_t random_address(uint64_t *s)
{
	uint64_t v = rnd(s);

	switch (rnd(s) % 4) {
	case 0: return v | (~0ull << 47);			/* 48-bit kernel */
	case 1: return (v | (~0ull << 56)) & ~(1ull << 47);	/* 57-bit only */
	case 2: return v & ~(~0ull << 47);			/* lower half */
	default: return v;
	}
}

/* The model fails the same checks on the hidden image. */
static void same_verdict(unsigned int width)
{
	static const int fields[] = {
		VF_HOST_RIP, VF_HOST_FS_BASE, VF_HOST_GS_BASE, VF_HOST_TR_BASE,
		VF_HOST_GDTR_BASE, VF_HOST_IDTR_BASE, VF_HOST_IA32_SYSENTER_ESP,
		VF_HOST_IA32_SYSENTER_EIP, VF_HOST_CR3, VF_HOST_SSP,
		VF_HOST_INTR_SSP_TABLE, VF_HOST_IA32_FRED_CONFIG,
		VF_HOST_IA32_FRED_RSP1, VF_HOST_IA32_FRED_RSP2, VF_HOST_IA32_FRED_RSP3,
		VF_HOST_IA32_FRED_SSP1, VF_HOST_IA32_FRED_SSP2, VF_HOST_IA32_FRED_SSP3,
	};
	struct vmx_verdict a, b;
	struct vmx_case given, real, shown;
	struct vmx_profile p;
	struct vmx_caps caps;
	uint64_t s = 0x9e3779b97f4a7c15ull;
	int n_failed = 0;
	char err[256];

	vmx_profile_synthetic_full(&p);
	p.linear_width = width;
	assert_int_equal(vmx_caps_from_profile(&caps, &p, err, sizeof(err)), 0);
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &given), 0);
	/* the exit controls under which the CET and FRED checks apply */
	assert_true(caps.p.has_fred);
	F(&given, VM_EXIT_CONTROLS) |= VM_EXIT_LOAD_CET_STATE |
				       VM_EXIT_ACTIVATE_SECONDARY_CONTROLS;
	F(&given, SECONDARY_VM_EXIT_CONTROLS) |= SECONDARY_VM_EXIT_LOAD_IA32_FRED;
	for (int i = 0; i < 5000; i++) {
		real = given;
		for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
			if (rnd(&s) % 3)
				real.f[fields[k]] = random_address(&s);
		if (rnd(&s) % 2)
			F(&real, HOST_CR3) = rnd(&s) & ~(~0ull << (rnd(&s) % 64));
		shown = real;
		vmxcc_hide(&given, &shown, NULL, NULL, caps.phys_mask);
		vmx_model_eval(&caps, &real, &a);
		vmx_model_eval(&caps, &shown, &b);
		assert_memory_equal(a.failed, b.failed, sizeof(a.failed));
		assert_memory_equal(a.applied, b.applied, sizeof(a.applied));
		n_failed += vmx_verdict_failed(&a, HST_FRED_RSP_CANON) +
			    vmx_verdict_failed(&a, HST_ASZ1_RIP_CANON);
	}
	/* The random values did reach the checks. */
	assert_true(n_failed > 100);
}

static void test_model_judges_alike_48(void **state)
{
	same_verdict(48);
}

static void test_model_judges_alike_57(void **state)
{
	same_verdict(57);
}

int run_hide_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholder_classes),
		cmocka_unit_test(test_effective_image),
		cmocka_unit_test(test_nothing_to_hide),
		cmocka_unit_test(test_readback),
		cmocka_unit_test(test_model_judges_alike_48),
		cmocka_unit_test(test_model_judges_alike_57),
	};

	return cmocka_run_group_tests_name("hide", tests, NULL, NULL);
}
