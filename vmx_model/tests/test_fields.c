// SPDX-License-Identifier: GPL-2.0
/*
 * The field table is the one source of truth, so check it against the
 * architecture: width and group must match the encoding bits (SDM Vol. 3D
 * Appendix B: bits 14:13 width, 11:10 type, bit 0 access type), names and
 * encodings must be unique, and vmcs12 offsets must not overlap, must stay
 * inside KVM's 4 KiB vmcs12 and sit where KVM's layout puts each width.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vmxcc/fields.h"

static const int width_of_enc[4] = { W16, W64, W32, WNAT };

static void width_and_group_match_encoding(void **state)
{
	(void)state;
	for (int i = 0; i < VF_COUNT; i++) {
		uint32_t e = vmx_fields[i].encoding;

		if (vmx_fields[i].width != width_of_enc[(e >> 13) & 3])
			fail_msg("%s: width does not match encoding %#x", vmx_fields[i].name, e);
		if (vmx_fields[i].group != ((e >> 10) & 3))
			fail_msg("%s: group does not match encoding %#x", vmx_fields[i].name, e);
		if (e & 1)
			fail_msg("%s: high-half encodings are not listed", vmx_fields[i].name);
		if (e & 0xffff9000u)
			fail_msg("%s: reserved encoding bits set in %#x", vmx_fields[i].name, e);
	}
}

static void names_and_encodings_unique(void **state)
{
	(void)state;
	for (int i = 0; i < VF_COUNT; i++) {
		assert_int_equal(vmx_field_by_name(vmx_fields[i].name), i);
		assert_int_equal(vmx_field_by_encoding(vmx_fields[i].encoding), i);
	}
	assert_int_equal(vmx_field_by_name("NO_SUCH_FIELD"), -1);
	assert_int_equal(vmx_field_by_encoding(0x7fff), -1);
}

static unsigned int bytes_of(int width)
{
	return width == W16 ? 2 : width == W32 ? 4 : 8;
}

static void vmcs12_offsets_sane(void **state)
{
	static unsigned char owner[4096];
	int with_slot = 0;

	(void)state;
	memset(owner, 0, sizeof(owner));
	for (int i = 0; i < VF_COUNT; i++) {
		int off = vmx_fields[i].vmcs12_offset;
		unsigned int n = bytes_of(vmx_fields[i].width);

		if (off < 0)
			continue;
		with_slot++;
		/* 0..39 is KVM's header (revision, abort, launch_state, padding) */
		if (off < 40 || off + n > 4096)
			fail_msg("%s: vmcs12 offset %d outside the field area", vmx_fields[i].name, off);
		if (off % n)
			fail_msg("%s: vmcs12 offset %d not aligned to %u", vmx_fields[i].name, off, n);
		for (unsigned int b = 0; b < n; b++) {
			if (owner[off + b])
				fail_msg("%s: vmcs12 offset %d overlaps another field",
					 vmx_fields[i].name, off);
			owner[off + b] = 1;
		}
	}
	/* KVM's vmcs12 (revision 0x11e57ed0) has 145 field slots we map. */
	assert_true(with_slot > 140);
	/* Spot checks against KVM's CHECK_OFFSET list. */
	assert_int_equal(vmx_fields[VF_IO_BITMAP_A].vmcs12_offset, 40);
	assert_int_equal(vmx_fields[VF_GUEST_CR0].vmcs12_offset, 424);
	assert_int_equal(vmx_fields[VF_PIN_BASED_VM_EXEC_CONTROL].vmcs12_offset, 744);
	assert_int_equal(vmx_fields[VF_GUEST_PML_INDEX].vmcs12_offset, 996);
	assert_int_equal(vmx_fields[VF_TSC_MULTIPLIER].vmcs12_offset, 328);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(width_and_group_match_encoding),
		cmocka_unit_test(names_and_encodings_unique),
		cmocka_unit_test(vmcs12_offsets_sane),
	};
	return cmocka_run_group_tests_name("fields", tests, NULL, NULL);
}
