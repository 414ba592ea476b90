// SPDX-License-Identifier: GPL-2.0
/*
 * Case text, compact encoding and vmcs12/nested-state: round trips over
 * many generated cases, and every error path with its exact message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmxcc/arch.h"
#include "vmxcc/case_compact.h"
#include "vmxcc/vmcs12.h"
#include "gen.h"

#define N_CASES 3000

static struct vmx_caps caps;

static int setup(void **state)
{
	char err[512];

	return vmx_profile_load_caps("synthetic-full", NULL, &caps, err, sizeof(err));
}

static void text_round_trip(void **state)
{
	for (int i = 0; i < N_CASES; i++) {
		struct vmx_case_file cf, back, again;
		char err[512], *t1, *t2;

		gen_case((uint64_t)i, &caps, &cf);
		t1 = vmx_case_to_text(&cf);
		if (vmx_case_parse("gen.vmcs", t1, &back, err, sizeof(err)))
			fail_msg("case %d: %s\n%s", i, err, t1);
		assert_true(vmx_case_file_equal(&cf, &back));
		t2 = vmx_case_to_text(&back);
		assert_string_equal(t1, t2);	/* canonical: writing is a fixed point */
		assert_int_equal(vmx_case_parse("gen.vmcs", t2, &again, err, sizeof(err)), 0);
		assert_true(vmx_case_file_equal(&back, &again));
		free(t1);
		free(t2);
	}
}

static void text_expect_round_trip(void **state)
{
	const char *text = "baseline = long64\nCR3_TARGET_COUNT = 5\n[expect]\n"
			   "outcome = {vmfail(7), vmfail(8)}\nchecks = BASIC_MOVSS_BLOCKING\n";
	struct vmx_case_file cf, back;
	char err[512], *t;

	assert_int_equal(vmx_case_parse("e.vmcs", text, &cf, err, sizeof(err)), 0);
	assert_true(cf.has_expect_outcome && cf.has_expect_checks);
	assert_int_equal(cf.expect_outcome.n, 2);
	assert_int_equal(cf.c.f[VF_CR3_TARGET_COUNT], 5);
	t = vmx_case_to_text(&cf);
	assert_int_equal(vmx_case_parse("e.vmcs", t, &back, err, sizeof(err)), 0);
	assert_true(vmx_case_file_equal(&cf, &back));
	free(t);
}

static void baseline_fills_unspecified(void **state)
{
	struct vmx_case_file cf;
	struct vmx_case base;
	char err[512];

	assert_int_equal(vmx_case_parse("b.vmcs", "baseline = long64\nGUEST_RIP = 0x1234\n",
					 &cf, err, sizeof(err)), 0);
	assert_int_equal(vmx_baseline_build(BL_LONG64, &caps, &base), 0);
	base.f[VF_GUEST_RIP] = 0x1234;
	assert_true(vmx_case_equal(&cf.c, &base));
	/* Without a baseline, unspecified fields are 0. */
	assert_int_equal(vmx_case_parse("b.vmcs", "GUEST_RIP = 7\n", &cf, err, sizeof(err)), 0);
	assert_int_equal(cf.c.f[VF_GUEST_RIP], 7);
	assert_int_equal(cf.c.f[VF_HOST_RIP], 0);
}

static void expect_error(const char *text, const char *msg)
{
	struct vmx_case_file cf;
	char err[512];

	assert_int_equal(vmx_case_parse("x.vmcs", text, &cf, err, sizeof(err)), -1);
	assert_string_equal(err, msg);
}

static void text_errors(void **state)
{
	expect_error("baseline = long64\nGUEST_RIPP = 1\n", "x.vmcs:2: field GUEST_RIPP: unknown field");
	expect_error("GUEST_RIP = 0x12g\n", "x.vmcs:1: field GUEST_RIP: malformed number \"0x12g\"");
	expect_error("GUEST_RIP = -1\n", "x.vmcs:1: field GUEST_RIP: malformed number \"-1\"");
	expect_error("GUEST_RIP = 18446744073709551616\n",
		     "x.vmcs:1: field GUEST_RIP: malformed number \"18446744073709551616\"");
	expect_error("GUEST_CS_SELECTOR = 0x10000\n",
		     "x.vmcs:1: field GUEST_CS_SELECTOR: value 0x10000 is wider than the field (16 bits)");
	expect_error("GUEST_RIP = 1\n# again\nGUEST_RIP = 2\n",
		     "x.vmcs:3: field GUEST_RIP: duplicate (first given on line 1)");
	expect_error("[state]\ninstr = vmlaunch\n[state]\n",
		     "x.vmcs:3: section [state]: duplicate (first on line 1)");
	expect_error("[bogus]\n", "x.vmcs:1: section [bogus]: unknown section (state, pdpte, msr_load, expect)");
	expect_error("[state]\nvtpr = 256\n", "x.vmcs:2: [state] vtpr: value 256 is out of range (max 0xff)");
	expect_error("[state]\n\nlink_is_current = 2\n",
		     "x.vmcs:3: [state] link_is_current: value 2 is out of range (max 0x1)");
	expect_error("[state]\ninstr = vmcall\n", "x.vmcs:2: [state] instr: \"vmcall\" is neither vmlaunch nor vmresume");
	expect_error("[state]\nfoo = 1\n", "x.vmcs:2: [state] foo: unknown key");
	expect_error("[pdpte]\npdpte4 = 1\n", "x.vmcs:2: [pdpte] pdpte4: unknown key (pdpte0..pdpte3)");
	expect_error("[msr_load]\n0x10 zz\n", "x.vmcs:2: [msr_load] entry 0: malformed value \"zz\"");
	expect_error("[msr_load]\n0x100000000 1\n", "x.vmcs:2: [msr_load] entry 0: index is wider than 32 bits");
	expect_error("[expect]\nchecks = NOT_A_CHECK\n", "x.vmcs:2: [expect] checks: unknown check id NOT_A_CHECK");
	expect_error("[expect]\noutcome = vmfail(7)\n",
		     "x.vmcs:2: [expect] outcome: \"vmfail(7)\" is not an outcome set (e.g. {vmfail(7), exit(33,qual=0)})");
	expect_error("baseline = long65\n", "x.vmcs:1: baseline long65: unknown baseline");
	expect_error("GUEST_RIP\n", "x.vmcs:1: expected \"key = value\", got \"GUEST_RIP\"");
	expect_error("profile = no-such-profile\nGUEST_RIP = 1\n",
		     "x.vmcs:1: profile no-such-profile: unknown profile (no no-such-profile.profile in "
		     "$VMXCC_PROFILE_PATH or " VMXCC_SOURCE_DIR "/profiles)");
}

static void compact_round_trip(void **state)
{
	uint8_t buf[8192];

	for (int i = 0; i < N_CASES; i++) {
		struct vmx_case_file cf;
		struct vmx_case back;
		size_t n;
		int bl;

		gen_case((uint64_t)i + 100000, &caps, &cf);
		n = vmx_compact_encode(&cf, buf, sizeof(buf));
		assert_true(n <= sizeof(buf));
		assert_true(vmx_compact_is(buf, n));
		vmx_compact_decode(buf, n, &caps, &back, &bl);
		assert_int_equal(bl, cf.baseline);
		assert_true(vmx_case_equal(&cf.c, &back));
	}
}

/* Every byte string decodes, to a case whose fields fit their widths. */
static void compact_lenient(void **state)
{
	uint64_t s = 42;
	uint8_t buf[512];

	for (int i = 0; i < 20000; i++) {
		size_t n = gen_next(&s) % sizeof(buf);
		struct vmx_case c;
		int bl;

		for (size_t j = 0; j < n; j++)
			buf[j] = (uint8_t)gen_next(&s);
		vmx_compact_decode(buf, n, &caps, &c, &bl);
		for (int f = 0; f < VF_COUNT; f++)
			assert_true((c.f[f] & ~vmx_field_mask(f)) == 0);
		assert_true(c.n_msr_load <= VMX_CASE_MAX_MSR_LOAD);
		assert_true(c.instr <= 1 && c.launch_state <= 1);
	}
}

/* The one-byte-mutation property: an unknown encoding maps to a field. */
static void compact_unknown_encoding(void **state)
{
	uint8_t buf[] = { 'V', 'X', 1, 0xff, VCO_FIELD << 5, 0x01, 0x00, 0x7 };
	struct vmx_case c;
	int bl;

	vmx_compact_decode(buf, sizeof(buf), &caps, &c, &bl);
	assert_int_equal(bl, VMX_CASE_NO_BASELINE);
	/* 0x0001 is no field; the next encoding up is POSTED_INTR_NV (0x0002). */
	assert_int_equal(c.f[VF_POSTED_INTR_NV], 7);
}

static void vmcs12_layout(void **state)
{
	uint8_t used[VMCS12_SIZE] = { 0 };

	for (int f = 0; f < VF_COUNT; f++) {
		int off = vmx_fields[f].vmcs12_offset, w;

		if (off < 0)
			continue;
		w = vmx_fields[f].width == W16 ? 2 : vmx_fields[f].width == W32 ? 4 : 8;
		assert_true(off >= VMCS12_FIELDS_START && off + w <= VMCS12_SIZE);
		for (int b = off; b < off + w; b++) {
			if (used[b])
				fail_msg("%s overlaps another field at byte %d", vmx_fields[f].name, b);
			used[b] = 1;
		}
	}
}

static void slots_only(struct vmx_case *c)
{
	for (int f = 0; f < VF_COUNT; f++)
		if (vmx_fields[f].vmcs12_offset < 0)
			c->f[f] = 0;
	c->movss_blocking = c->no_current_vmcs = c->vtpr = c->x2apic_mode = 0;
	c->link_revision = c->link_shadow = c->link_is_current = 0;
	memset(c->pdpte, 0, sizeof(c->pdpte));
	c->n_msr_load = 0;
	c->instr = c->launch_state ? VMX_VMRESUME : VMX_VMLAUNCH;
}

static void vmcs12_round_trip(void **state)
{
	uint8_t buf[VMCS12_SIZE];

	for (int i = 0; i < N_CASES; i++) {
		struct vmx_case_file cf;
		struct vmx_case back;
		char err[256];

		gen_case((uint64_t)i + 200000, &caps, &cf);
		slots_only(&cf.c);
		assert_int_equal(vmx_vmcs12_export(&cf.c, buf, err, sizeof(err)), 0);
		assert_int_equal(vmx_vmcs12_import("v", buf, sizeof(buf), &back, err, sizeof(err)), 0);
		assert_true(vmx_case_equal(&cf.c, &back));
	}
}

static void nested_round_trip(void **state)
{
	for (int i = 0; i < 500; i++) {
		struct vmx_case_file cf;
		struct vmx_nested_info info;
		struct vmx_case back;
		uint8_t *blob;
		size_t len;
		char err[256];

		gen_case((uint64_t)i + 300000, &caps, &cf);
		slots_only(&cf.c);
		if (i % 2) {	/* shadow VMCS on: the blob carries a shadow vmcs12 */
			cf.c.f[VF_CPU_BASED_VM_EXEC_CONTROL] |= CPU_BASED_ACTIVATE_SECONDARY_CONTROLS;
			cf.c.f[VF_SECONDARY_VM_EXEC_CONTROL] |= SECONDARY_EXEC_SHADOW_VMCS;
			cf.c.f[VF_VMCS_LINK_POINTER] = 0x5000;
			cf.c.link_revision = VMCS12_REVISION;
			cf.c.link_shadow = 1;
		}
		cf.c.no_current_vmcs = i % 7 == 0;
		assert_int_equal(vmx_nested_export(&cf.c, NULL, &blob, &len, err, sizeof(err)), 0);
		assert_int_equal(len, KVM_NESTED_HDR_SIZE + VMCS12_SIZE * (i % 2 ? 2 : 1));
		assert_int_equal(vmx_nested_import("n", blob, len, &back, &info, err, sizeof(err)), 0);
		assert_int_equal(info.has_shadow, i % 2);
		assert_true(vmx_case_equal(&cf.c, &back));
		free(blob);
	}
}

static void vmcs12_errors(void **state)
{
	uint8_t buf[VMCS12_SIZE * 2 + KVM_NESTED_HDR_SIZE];
	struct vmx_case_file cf;
	struct vmx_case c;
	char err[256];

	gen_case(1, &caps, &cf);
	slots_only(&cf.c);
	assert_int_equal(vmx_vmcs12_export(&cf.c, buf, err, sizeof(err)), 0);
	buf[0] ^= 1;
	assert_int_equal(vmx_vmcs12_import("a.vmcs12", buf, VMCS12_SIZE, &c, err, sizeof(err)), -1);
	assert_string_equal(err, "a.vmcs12: vmcs12: wrong revision 0x11e57ed1 (KVM's vmcs12 is 0x11e57ed0)");
	assert_int_equal(vmx_vmcs12_import("a.vmcs12", buf, 100, &c, err, sizeof(err)), -1);
	assert_string_equal(err, "a.vmcs12: short file: 100 bytes, a vmcs12 is exactly 4096");

	cf.c.f[VF_GUEST_SMBASE] = 0x30000;
	assert_int_equal(vmx_vmcs12_export(&cf.c, buf, err, sizeof(err)), -1);
	assert_string_equal(err, "field GUEST_SMBASE: KVM's vmcs12 has no slot for it, but its value is 0x30000");

	memset(buf, 0, sizeof(buf));
	assert_int_equal(vmx_nested_import("n.nested", buf, 64, &c, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "n.nested: short file: 64 bytes, a kvm_nested_state header is 128");
	buf[2] = 1;	/* format SVM */
	buf[4] = KVM_NESTED_HDR_SIZE;
	assert_int_equal(vmx_nested_import("n.nested", buf, KVM_NESTED_HDR_SIZE, &c, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "n.nested: bad nested-state header: format 1 is not VMX (0)");
	buf[2] = 0;
	buf[4] = 0x40;
	assert_int_equal(vmx_nested_import("n.nested", buf, KVM_NESTED_HDR_SIZE, &c, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "n.nested: bad nested-state header: size field 64, but the file has 128 bytes");
	buf[4] = KVM_NESTED_HDR_SIZE;	/* vmcs12_pa 0 but no vmcs12 in the blob */
	assert_int_equal(vmx_nested_import("n.nested", buf, KVM_NESTED_HDR_SIZE, &c, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "n.nested: bad nested-state header: size 128 leaves no room for the vmcs12 (needs 4224)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_round_trip),
		cmocka_unit_test(text_expect_round_trip),
		cmocka_unit_test(baseline_fills_unspecified),
		cmocka_unit_test(text_errors),
		cmocka_unit_test(compact_round_trip),
		cmocka_unit_test(compact_lenient),
		cmocka_unit_test(compact_unknown_encoding),
		cmocka_unit_test(vmcs12_layout),
		cmocka_unit_test(vmcs12_round_trip),
		cmocka_unit_test(nested_round_trip),
		cmocka_unit_test(vmcs12_errors),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
