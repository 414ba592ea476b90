// SPDX-License-Identifier: GPL-2.0
/*
 * SDM Vol. 3C 26.3.1.3 "Checks on Guest Descriptor-Table Registers".
 * Every failure is a VM exit with basic reason 33, exit qualification 0.
 */
#include "checks_hg.h"

void vmx_check_guest_desc(const struct vmx_caps *caps, const struct vmx_case *c,
			  struct vmx_verdict *v)
{
	CC(v, GST_GDTR_BASE_CANON, !vmx_is_canonical(caps, F(c, GUEST_GDTR_BASE)));
	CC(v, GST_IDTR_BASE_CANON, !vmx_is_canonical(caps, F(c, GUEST_IDTR_BASE)));
	CC(v, GST_GDTR_LIMIT_HI, F(c, GUEST_GDTR_LIMIT) & 0xffff0000u);
	CC(v, GST_IDTR_LIMIT_HI, F(c, GUEST_IDTR_LIMIT) & 0xffff0000u);
}
