// SPDX-License-Identifier: GPL-2.0
/*
 * Read-back rules (readback.h): per outcome, a field read back other than
 * written is expected or a finding; a failed attempt's read-back corrects
 * the image the model judges; compare and signatures with read-back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmxcc/arch.h"
#include "vmxcc/baseline.h"
#include "vmxcc/profile_text.h"
#include "vmxcc/readback.h"
#include "vmxcc/run.h"

static struct vmx_caps caps;
static struct vmx_backend_result r;
static struct vmx_rb_diffs d;

/* A long64 baseline that ran with @o and read back exactly as written. */
static void ran(struct vmx_outcome o)
{
	struct vmx_profile p;
	char err[256];

	vmx_profile_synthetic_full(&p);
	assert_int_equal(vmx_caps_from_profile(&caps, &p, err, sizeof(err)), 0);
	memset(&r, 0, sizeof(r));
	vmx_baseline_build(BL_LONG64, &caps, &r.effective);
	r.outcome = o;
	r.have_readback = true;
	for (int f = 0; f < VF_COUNT; f++) {
		vmx_rb_set(r.readback_valid, f);
		r.readback[f] = r.effective.f[f] & vmx_field_mask(f);
	}
}

/* The kind of difference found for field @f, or -1 when none. */
static int why(int f)
{
	for (int i = 0; i < d.n; i++)
		if (d.d[i].field == f)
			return d.d[i].why;
	return -1;
}

static void same_is_no_difference(void **state)
{
	ran(vo_entered());
	assert_int_equal(vmx_readback_diff(&r, &d), 0);
	assert_int_equal(d.n, 0);
}

static void read_only_never_a_finding(void **state)
{
	static const struct vmx_outcome outs[] = {
		{ VO_VMFAIL_VALID, 0, 7, 0, 0 }, { VO_ENTRY_FAIL, 0, 0, 33, 0 },
		{ VO_ENTERED, 0, 0, 18, 0 }, { VO_VMFAIL_INVALID, 0, 0, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		ran(outs[i]);
		r.readback[VF_VM_INSTRUCTION_ERROR] = 7;
		r.readback[VF_VM_EXIT_REASON] = 0x80000021;
		r.readback[VF_EXIT_QUALIFICATION] = 2;
		assert_int_equal(vmx_readback_diff(&r, &d), 0);
		assert_int_equal(d.n, 3);
		assert_int_equal(why(VF_VM_EXIT_REASON), VMX_RB_EXIT_INFO);
	}
}

/* VMfail: only the VM-instruction error may change. */
static void vmfail_rules(void **state)
{
	struct vmx_case img;
	uint64_t sub[VMX_READBACK_WORDS];

	ran(vo_vmfail(7));
	r.readback[VF_VM_INSTRUCTION_ERROR] = 7;
	r.readback[VF_CR3_TARGET_COUNT] = 4;		/* 9 was written */
	r.effective.f[VF_CR3_TARGET_COUNT] = 9;
	assert_int_equal(vmx_readback_diff(&r, &d), 1);
	assert_int_equal(why(VF_VM_INSTRUCTION_ERROR), VMX_RB_EXIT_INFO);
	assert_int_equal(why(VF_CR3_TARGET_COUNT), VMX_RB_UNEXPECTED);
	/* A failed attempt: the read-back is what the checks saw. */
	assert_int_equal(vmx_readback_correct(&r, &d, &img, sub), 1);
	assert_int_equal(img.f[VF_CR3_TARGET_COUNT], 4);
	assert_true(vmx_rb_bit(sub, VF_CR3_TARGET_COUNT));
	assert_false(vmx_rb_bit(sub, VF_VM_INSTRUCTION_ERROR));
	assert_int_equal(img.f[VF_VM_INSTRUCTION_ERROR], r.effective.f[VF_VM_INSTRUCTION_ERROR]);
}

/* Entry failure: exit information changes; guest state and the VM-entry
 * interruption information stay as written. */
static void entry_failure_rules(void **state)
{
	struct vmx_case img;
	uint64_t sub[VMX_READBACK_WORDS];

	ran(vo_entry_fail(33, 0));
	r.readback[VF_VM_EXIT_REASON] = 0x80000021;
	r.readback[VF_GUEST_RIP] += 3;
	r.effective.f[VF_VM_ENTRY_INTR_INFO_FIELD] = INTR_INFO_VALID | 0x30e;
	r.readback[VF_VM_ENTRY_INTR_INFO_FIELD] = 0x30e;
	assert_int_equal(vmx_readback_diff(&r, &d), 2);
	assert_int_equal(why(VF_VM_EXIT_REASON), VMX_RB_EXIT_INFO);
	assert_int_equal(why(VF_GUEST_RIP), VMX_RB_UNEXPECTED);
	assert_int_equal(why(VF_VM_ENTRY_INTR_INFO_FIELD), VMX_RB_UNEXPECTED);
	assert_int_equal(vmx_readback_correct(&r, &d, &img, sub), 2);
	assert_int_equal(img.f[VF_GUEST_RIP], r.effective.f[VF_GUEST_RIP] + 3);
}

/* A real exit saves guest state, clears the interruption valid bit and
 * stores EFER.LMA in "IA-32e mode guest"; nothing else. */
static void entered_rules(void **state)
{
	struct vmx_case img;
	uint64_t sub[VMX_READBACK_WORDS];

	ran(vo_entered());
	r.readback[VF_GUEST_RIP] += 3;
	r.readback[VF_GUEST_RFLAGS] = 0x46;
	r.effective.f[VF_VM_ENTRY_INTR_INFO_FIELD] = INTR_INFO_VALID | 0x30e;
	r.readback[VF_VM_ENTRY_INTR_INFO_FIELD] = 0x30e;
	r.readback[VF_VM_ENTRY_CONTROLS] ^= VM_ENTRY_IA32E_MODE;
	assert_int_equal(vmx_readback_diff(&r, &d), 0);
	assert_int_equal(why(VF_GUEST_RIP), VMX_RB_GUEST_SAVED);
	assert_int_equal(why(VF_GUEST_RFLAGS), VMX_RB_GUEST_SAVED);
	assert_int_equal(why(VF_VM_ENTRY_INTR_INFO_FIELD), VMX_RB_INTR_CLEARED);
	assert_int_equal(why(VF_VM_ENTRY_CONTROLS), VMX_RB_IA32E_SAVED);

	/* Other bits of the same fields, or a host field: findings. */
	r.readback[VF_VM_ENTRY_INTR_INFO_FIELD] = 0x30d;
	r.readback[VF_VM_ENTRY_CONTROLS] ^= 1u << 2;
	r.readback[VF_HOST_RIP] ^= 0x1000;
	assert_int_equal(vmx_readback_diff(&r, &d), 3);
	assert_int_equal(why(VF_VM_ENTRY_INTR_INFO_FIELD), VMX_RB_UNEXPECTED);
	assert_int_equal(why(VF_VM_ENTRY_CONTROLS), VMX_RB_UNEXPECTED);
	assert_int_equal(why(VF_HOST_RIP), VMX_RB_UNEXPECTED);
	/* Guest state was overwritten by the exit: nothing to correct with. */
	assert_int_equal(vmx_readback_correct(&r, &d, &img, sub), 0);
	assert_memory_equal(&img, &r.effective, sizeof(img));
}

static void width_and_valid_bits(void **state)
{
	ran(vo_vmfail(7));
	/* Bits a 16-bit field cannot hold are not a difference. */
	r.effective.f[VF_GUEST_CS_SELECTOR] = 0x10010;
	r.readback[VF_GUEST_CS_SELECTOR] = 0x10;
	/* A field the implementation does not have was not read. */
	r.readback[VF_TSC_MULTIPLIER] = 5;
	r.readback_valid[VF_TSC_MULTIPLIER / 64] &= ~(1ull << (VF_TSC_MULTIPLIER % 64));
	assert_int_equal(vmx_readback_diff(&r, &d), 0);
	assert_int_equal(d.n, 0);
}

/* Nothing ran (skip, back-end error) or nothing was read: no judgement. */
static void nothing_to_judge(void **state)
{
	ran(vo_entered());
	r.readback[VF_HOST_RIP] ^= 1;
	r.outcome.kind = VO_SKIPPED;
	assert_false(vmx_readback_judged(&r));
	assert_int_equal(vmx_readback_diff(&r, &d), 0);
	r.outcome.kind = VO_BACKEND_ERROR;
	assert_int_equal(vmx_readback_diff(&r, &d), 0);
	r.outcome = vo_entered();
	r.have_readback = false;
	assert_int_equal(vmx_readback_diff(&r, &d), 0);
	assert_int_equal(d.n, 0);
}

static void print_marks_expected(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ran(vo_entered());
	r.readback[VF_GUEST_RIP] += 3;
	r.readback[VF_VM_EXIT_REASON] = 18;
	r.readback[VF_HOST_RIP] = 0x1234;
	vmx_readback_diff(&r, &d);
	vmx_readback_print(f, &d, "  ");
	fclose(f);
	assert_non_null(strstr(buf, "  UNEXPECTED HOST_RIP: the VMCS holds 0x1234 where"));
	assert_non_null(strstr(buf, "expected (guest state saved by the VM exit): GUEST_RIP "));
	assert_non_null(strstr(buf, "expected (exit information): VM_EXIT_REASON 0->0x12"));
	free(buf);
}

/* compare: without read-back exactly as before; a failed attempt's
 * read-back corrects the judged image and changes the model's verdict. */
static void compare_corrects_failed_attempt(void **state)
{
	struct vmx_comparison plain, c;
	struct vmx_case img;

	ran(vo_entry_fail(33, 0));
	r.readback[VF_VM_EXIT_REASON] = 0x80000021;
	/* The implementation kept bits 15:0 of GUEST_CR0: paging off in an
	 * IA-32e guest, which the guest-state checks reject. */
	r.readback[VF_GUEST_CR0] &= 0xffff;
	r.have_readback = false;
	vmx_compare(&caps, "mutant", 1, &r, &plain);
	assert_int_equal(plain.agreement, VMX_DIVERGE);
	assert_false(plain.readback);
	assert_false(vmx_outcome_set_allows(&plain.model.allowed, &r.outcome));
	assert_int_equal(plain.signature, vmx_signature(&plain.model, &r.outcome, 1, "mutant"));

	r.have_readback = true;
	vmx_compare(&caps, "mutant", 1, &r, &c);
	assert_true(c.readback);
	assert_true(c.corrected);
	assert_int_equal(c.rb_unexpected, 1);
	assert_true(vmx_rb_bit(c.rb_finding, VF_GUEST_CR0));
	assert_true(vmx_rb_bit(c.rb_substituted, VF_GUEST_CR0));
	/* The checks saw the truncated CR0: the model now allows exit(33)... */
	assert_true(vmx_outcome_set_allows(&c.model.allowed, &r.outcome));
	assert_true(vmx_outcome_set_equal(&c.model_effective, &plain.model.allowed));
	/* ...and the truncation itself is the finding, a bucket of its own. */
	assert_int_equal(c.agreement, VMX_DIVERGE);
	assert_int_equal(c.signature, vmx_signature_readback(
		vmx_signature(&c.model, &r.outcome, 1, "mutant"), c.rb_finding));
	vmx_compare_image(&r, &c, &img);
	assert_int_equal(img.f[VF_GUEST_CR0], r.readback[VF_GUEST_CR0]);
}

/* Expected differences alone leave the comparison as it was. */
static void compare_expected_only_agrees(void **state)
{
	struct vmx_comparison c;

	ran(vo_entered());
	r.readback[VF_GUEST_RIP] += 3;
	r.readback[VF_VM_EXIT_REASON] = 18;
	vmx_compare(&caps, "mutant", 1, &r, &c);
	assert_int_equal(c.agreement, VMX_AGREE);
	assert_true(c.readback);
	assert_false(c.corrected);
	assert_int_equal(c.rb_unexpected, 0);
	assert_int_equal(c.signature, 0);
}

/* A finding on an entry the model allows: a divergence, not corrected. */
static void compare_finding_on_entry(void **state)
{
	struct vmx_comparison c, c2;

	ran(vo_entered());
	r.readback[VF_TSC_OFFSET] = 0x42;
	vmx_compare(&caps, "mutant", 1, &r, &c);
	assert_int_equal(c.agreement, VMX_DIVERGE);
	assert_false(c.corrected);
	assert_true(vmx_outcome_set_allows(&c.model.allowed, &r.outcome));
	/* Same field, another value: same bucket; another field: another. */
	r.readback[VF_TSC_OFFSET] = 0x43;
	vmx_compare(&caps, "mutant", 1, &r, &c2);
	assert_int_equal(c.signature, c2.signature);
	r.readback[VF_TSC_OFFSET] = r.effective.f[VF_TSC_OFFSET];
	r.readback[VF_TSC_MULTIPLIER] ^= 1;
	vmx_compare(&caps, "mutant", 1, &r, &c2);
	assert_int_not_equal(c.signature, c2.signature);
}

/* Through the test double: read-back only when switched on. */
static void mutant_truncation(void **state)
{
	struct vmx_backend_inst bi;
	struct vmx_backend_result res;
	struct vmx_comparison c;
	struct vmx_case cse;
	char err[256];

	vmx_baseline_build(BL_LONG64, &caps, &cse);
	assert_int_equal(vmx_backend_open_spec("mutant:trunc16=GUEST_CR0", &bi, err, sizeof(err)), 0);
	assert_int_equal(vmx_run_compare(&bi, &cse, 1, &res, &c, err, sizeof(err)), 0);
	assert_false(res.have_readback);
	assert_int_equal(res.outcome.kind, VO_ENTRY_FAIL);
	assert_int_equal(c.agreement, VMX_DIVERGE);
	assert_false(c.readback);
	assert_int_equal(bi.ops->set_readback(bi.b, true, err, sizeof(err)), 0);
	assert_int_equal(vmx_run_compare(&bi, &cse, 1, &res, &c, err, sizeof(err)), 0);
	assert_true(res.have_readback);
	assert_true(c.corrected);
	assert_true(vmx_outcome_set_allows(&c.model.allowed, &res.outcome));
	assert_int_equal(c.agreement, VMX_DIVERGE);
	vmx_backend_inst_close(&bi);

	/* The faithful double's read-back holds only expected differences. */
	assert_int_equal(vmx_backend_open_spec("mutant", &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.ops->set_readback(bi.b, true, err, sizeof(err)), 0);
	assert_int_equal(vmx_run_compare(&bi, &cse, 1, &res, &c, err, sizeof(err)), 0);
	assert_int_equal(c.agreement, VMX_AGREE);
	assert_true(c.readback);
	assert_int_equal(vmx_readback_diff(&res, &d), 0);
	assert_int_equal(why(VF_GUEST_RIP), VMX_RB_GUEST_SAVED);
	vmx_backend_inst_close(&bi);
	assert_int_equal(vmx_backend_open_spec("mutant-norb", &bi, err, sizeof(err)), 0);
	assert_null(bi.ops->set_readback);
	vmx_backend_inst_close(&bi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_is_no_difference),
		cmocka_unit_test(read_only_never_a_finding),
		cmocka_unit_test(vmfail_rules),
		cmocka_unit_test(entry_failure_rules),
		cmocka_unit_test(entered_rules),
		cmocka_unit_test(width_and_valid_bits),
		cmocka_unit_test(nothing_to_judge),
		cmocka_unit_test(print_marks_expected),
		cmocka_unit_test(compare_corrects_failed_attempt),
		cmocka_unit_test(compare_expected_only_agrees),
		cmocka_unit_test(compare_finding_on_entry),
		cmocka_unit_test(mutant_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
