/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel addresses never leave the module (docs/safety.md, "Read-back"):
 * the fields that can hold one are shown to user space as placeholders of
 * the same canonical class (VMXCC_HIDDEN_* in vmxcc_ioctl.h).  Pure C on
 * the vmxcc headers, like the policy, so the host unit test runs it too.
 */
#ifndef VMXCC_HIDE_H
#define VMXCC_HIDE_H

#include <linux/types.h>

#include "vmxcc/case.h"

/*
 * The placeholder for @v in field @f (@f one of the hidden fields);
 * @phys_mask: the physical-address bits beyond MAXPHYADDR.
 */
__u64 vmxcc_hide_value(int f, __u64 v, __u64 phys_mask);

/*
 * Hide, in place, what user space may not see of one attempt: in @eff
 * (the effective image) every hidden field that differs from @given (the
 * case as the caller sent it), and in @rb (read-back values, NULL: none;
 * @rb_valid: which were read) every hidden field that differs from both.
 * A read-back value equal to the effective one reads as the effective
 * one's placeholder, so "unchanged" stays visible.  Returns true when
 * @eff got a placeholder.
 */
bool vmxcc_hide(const struct vmx_case *given, struct vmx_case *eff,
		__u64 *rb, const __u64 *rb_valid, __u64 phys_mask);

#endif
