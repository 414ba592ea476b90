// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel addresses in what the module returns (vmxcc_hide.h).  The fields
 * that can hold one: the host state the module fills from its own (GDT,
 * IDT and TSS in the CPU entry area, the per-CPU GS base, the kernel
 * stack and the module's exit path in HOST_RSP/HOST_RIP, the SYSENTER
 * entry point and stack, the kernel's page-table root in HOST_CR3) and
 * the shadow-stack and FRED pointers of host and guest: a VM exit saves
 * the guest's CET and FRED state whether or not the entry loaded it, so
 * a case that does not load them reads back the host's values.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#else
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#include "vmxcc_hide.h"
#include "vmxcc_ioctl.h"

#define LOW_BITS	0xfffull	/* page offset: no KASLR entropy */

static const __u16 hidden[] = {
	VF_HOST_CR3, VF_HOST_RIP, VF_HOST_RSP,
	VF_HOST_FS_BASE, VF_HOST_GS_BASE, VF_HOST_TR_BASE,
	VF_HOST_GDTR_BASE, VF_HOST_IDTR_BASE,
	VF_HOST_IA32_SYSENTER_ESP, VF_HOST_IA32_SYSENTER_EIP,
	VF_HOST_SSP, VF_HOST_INTR_SSP_TABLE,
	VF_HOST_IA32_FRED_CONFIG, VF_HOST_IA32_FRED_RSP1,
	VF_HOST_IA32_FRED_RSP2, VF_HOST_IA32_FRED_RSP3,
	VF_HOST_IA32_FRED_SSP1, VF_HOST_IA32_FRED_SSP2,
	VF_HOST_IA32_FRED_SSP3,
	VF_GUEST_SSP, VF_GUEST_INTR_SSP_TABLE,
	VF_GUEST_IA32_FRED_CONFIG, VF_GUEST_IA32_FRED_RSP1,
	VF_GUEST_IA32_FRED_RSP2, VF_GUEST_IA32_FRED_RSP3,
	VF_GUEST_IA32_FRED_SSP1, VF_GUEST_IA32_FRED_SSP2,
	VF_GUEST_IA32_FRED_SSP3,
};

static bool canonical(__u64 v, unsigned int width)
{
	unsigned int shift = 64 - width;

	return (__u64)((__s64)(v << shift) >> shift) == v;
}

__u64 vmxcc_hide_value(int f, __u64 v, __u64 phys_mask)
{
	__u64 keep;

	if (f == VF_HOST_CR3) {
		keep = LOW_BITS | phys_mask;
		return (v & keep) | (v & ~keep ? VMXCC_HIDDEN_PA : 0);
	}
	/* Kernel addresses have bit 63 set; the rest is the caller's. */
	if (!(v >> 63))
		return v;
	if (canonical(v, 48))
		return VMXCC_HIDDEN_VA48 | (v & LOW_BITS);
	if (canonical(v, 57))
		return VMXCC_HIDDEN_VA57 | (v & LOW_BITS);
	return VMXCC_HIDDEN_VA_NC | (v & LOW_BITS);
}

static bool bit(const __u64 *bits, int f)
{
	return (bits[f / 64] >> (f % 64)) & 1;
}

bool vmxcc_hide(const struct vmx_case *given, struct vmx_case *eff,
		__u64 *rb, const __u64 *rb_valid, __u64 phys_mask)
{
	bool any = false;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hidden); i++) {
		int f = hidden[i];
		__u64 real = eff->f[f], shown = real, h;

		if (real != given->f[f])
			shown = vmxcc_hide_value(f, real, phys_mask);
		any |= shown != real;
		eff->f[f] = shown;
		if (!rb || !bit(rb_valid, f) || rb[f] == given->f[f])
			continue;
		if (rb[f] == real) {
			rb[f] = shown;
			continue;
		}
		/* Changed by the attempt: keep the change visible. */
		h = vmxcc_hide_value(f, rb[f], phys_mask);
		if (h != rb[f] && h == shown)
			h ^= VMXCC_HIDDEN_FLIP;
		rb[f] = h;
	}
	return any;
}
