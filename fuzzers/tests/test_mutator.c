// SPDX-License-Identifier: GPL-2.0
/*
 * Mutator unit tests: every mutation stays decodable and round-trips
 * through the compact encoding; with within_caps the control words and
 * CR0/CR4 stay inside the profile's allowed settings (checked bit by bit
 * and by the model); every operator applies on the full profile; the
 * multi-violation operator aims at 2-3 classes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vmxcc/arch.h"
#include "vmxcc/baseline.h"
#include "vmxcc/case_compact.h"
#include "vmxcc/case_file.h"
#include "fz_common.h"
#include "mut_internal.h"

#define ROUNDS 3000

static void roundtrip(const uint8_t *buf, size_t n)
{
	static uint8_t again[1 << 16];
	const struct vmx_caps *caps = vmxfz_caps();
	struct vmx_case a, b;
	int ba, bb;
	size_t m;

	assert_true(vmx_compact_is(buf, n));
	vmx_compact_decode(buf, n, caps, &a, &ba);
	m = vmxfz_encode(caps, &a, ba, again, sizeof(again));
	assert_true(m <= sizeof(again));
	vmx_compact_decode(again, m, caps, &b, &bb);
	assert_int_equal(ba, bb);
	assert_true(vmx_case_equal(&a, &b));
}

/* Chains of byte-level mutations from every baseline, at two size limits. */
static void mutations_stay_decodable(void **state)
{
	static uint8_t buf[4096];
	const struct vmx_caps *caps = vmxfz_caps();
	struct vmx_case c;
	size_t limits[2] = { sizeof(buf), 256 };

	(void)state;
	for (int b = 0; b < BL_COUNT; b++) {
		if (vmx_baseline_build(b, caps, &c))
			continue;
		for (int l = 0; l < 2; l++) {
			size_t n = vmxfz_encode(caps, &c, b, buf, sizeof(buf));

			for (int i = 0; i < ROUNDS; i++) {
				n = vmxfz_mutate_bytes(caps, buf, n, limits[l],
						       (uint64_t)i * 7919 + b, NULL);
				assert_true(n <= limits[l]);
				roundtrip(buf, n);
				if (i % 64 == 63)	/* restart now and then */
					n = vmxfz_encode(caps, &c, b, buf, sizeof(buf));
			}
		}
	}
}

static void crossover_stays_decodable(void **state)
{
	static uint8_t a[4096], b[4096], out[4096];
	const struct vmx_caps *caps = vmxfz_caps();
	struct vmx_case c;
	size_t na, nb, n;

	(void)state;
	assert_int_equal(vmx_baseline_build(BL_LONG64, caps, &c), 0);
	na = vmxfz_encode(caps, &c, BL_LONG64, a, sizeof(a));
	nb = na;
	memcpy(b, a, na);
	for (int i = 0; i < ROUNDS; i++) {
		na = vmxfz_mutate_bytes(caps, a, na, sizeof(a), i, NULL);
		nb = vmxfz_mutate_bytes(caps, b, nb, sizeof(b), i + 100000, NULL);
		n = vmxfz_crossover_bytes(caps, a, na, b, nb, out, sizeof(out), i);
		assert_true(n <= sizeof(out));
		roundtrip(out, n);
	}
}

/* Model check ids that a within-caps mutation must never fail (those that
 * are in the catalogue). */
static const char *const caps_checks[] = {
	"CTL_EXEC_PIN_RSVD", "CTL_EXEC_PROC_RSVD", "CTL_EXEC_PROC2_RSVD",
	"CTL_EXEC_PROC3_RSVD", "CTL_EXIT_RSVD", "CTL_EXIT2_RSVD", "CTL_ENT_RSVD",
	"CTL_EXEC_VMFUNC_RSVD", "HST_CR0_FIXED", "HST_CR4_FIXED", "GST_CR4_FIXED",
};

static void assert_within(const struct vmx_caps *caps, const struct vmx_case *c)
{
	struct vmxfz_ctl ctls[VMXFZ_N_CTLS];
	struct vmx_verdict v;
	uint64_t cr0_keep = X86_CR0_PE | X86_CR0_PG;	/* unrestricted guest may clear */

	vmxfz_ctls(caps, ctls);
	for (int i = 0; i < VMXFZ_N_CTLS; i++) {
		uint64_t w = c->f[ctls[i].f];

		if ((w & ctls[i].must1) != ctls[i].must1 || (w & ~ctls[i].may1))
			fail_msg("%s = %#llx outside allowed-0 %#llx / allowed-1 %#llx",
				 vmx_fields[ctls[i].f].name, (unsigned long long)w,
				 (unsigned long long)ctls[i].must1,
				 (unsigned long long)ctls[i].may1);
	}
	assert_int_equal(FV(c, HOST_CR0) & caps->cr0_fixed0, caps->cr0_fixed0);
	assert_int_equal(FV(c, HOST_CR0) & ~caps->cr0_fixed1, 0);
	assert_int_equal(FV(c, GUEST_CR0) & caps->cr0_fixed0 & ~cr0_keep,
			 caps->cr0_fixed0 & ~cr0_keep);
	assert_int_equal(FV(c, GUEST_CR0) & ~caps->cr0_fixed1, 0);
	assert_int_equal(FV(c, HOST_CR4) & caps->cr4_fixed0, caps->cr4_fixed0);
	assert_int_equal(FV(c, GUEST_CR4) & ~caps->cr4_fixed1, 0);

	vmx_model_eval(caps, c, &v);
	for (size_t i = 0; i < sizeof(caps_checks) / sizeof(caps_checks[0]); i++) {
		int id = vmx_check_by_name(caps_checks[i]);

		if (id >= 0 && vmx_verdict_failed(&v, id))
			fail_msg("within-caps mutation failed %s", caps_checks[i]);
	}
}

static void within_caps_respected(void **state)
{
	const struct vmx_caps *caps = vmxfz_caps();
	struct vmxfz_opts o = { .within_caps = true };
	struct vmxfz_rng r;
	struct vmx_case c;

	(void)state;
	vmxfz_seed(&r, 42);
	for (int b = 0; b < BL_COUNT; b++) {
		int base = b;

		if (vmx_baseline_build(b, caps, &c))
			continue;
		for (int i = 0; i < ROUNDS; i++) {
			vmxfz_mutate_case(&r, caps, &c, &base, &o);
			assert_within(caps, &c);
		}
	}
}

static void every_operator_applies(void **state)
{
	const struct vmx_caps *caps = vmxfz_caps();
	struct vmxfz_rng r;

	(void)state;
	vmxfz_seed(&r, 7);
	for (int op = 0; op < OP_COUNT; op++) {
		int applied = 0;

		for (int i = 0; i < 200; i++) {
			struct vmx_case c;
			int base = BL_LONG64;
			struct vmxfz_ctx m = { &r, caps, &c, &base, false, false };

			assert_int_equal(vmx_baseline_build(BL_LONG64, caps, &c), 0);
			if (op == OP_REVERT)
				FV(&c, GUEST_RIP) ^= 0x10;	/* something to revert */
			applied += vmxfz_apply_op(&m, op) >= 0;
		}
		if (!applied)
			fail_msg("operator %s never applied on long64", vmxfz_op_names[op]);
	}
}

static void multi_aims_at_several_classes(void **state)
{
	const struct vmx_caps *caps = vmxfz_caps();
	struct vmxfz_rng r;
	int multi = 0, tries = 0;

	(void)state;
	vmxfz_seed(&r, 99);
	for (int i = 0; i < 1000; i++) {
		struct vmx_case c;
		int base = BL_LONG64, mask;
		struct vmxfz_ctx m = { &r, caps, &c, &base, false, false };

		assert_int_equal(vmx_baseline_build(BL_LONG64, caps, &c), 0);
		mask = vmxfz_apply_op(&m, OP_MULTI);
		if (mask < 0)
			continue;
		tries++;
		multi += __builtin_popcount((unsigned int)mask) >= 2;
	}
	print_message("multi: %d of %d applications aimed at >= 2 classes\n", multi, tries);
	assert_true(tries > 900);
	assert_true(multi * 10 >= tries * 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mutations_stay_decodable),
		cmocka_unit_test(crossover_stays_decodable),
		cmocka_unit_test(within_caps_respected),
		cmocka_unit_test(every_operator_applies),
		cmocka_unit_test(multi_aims_at_several_classes),
	};

	return cmocka_run_group_tests_name("fuzz-mutator", tests, NULL, NULL);
}
