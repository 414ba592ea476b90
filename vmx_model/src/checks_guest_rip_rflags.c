// SPDX-License-Identifier: GPL-2.0
/*
 * SDM Vol. 3C 26.3.1.4 "Checks on Guest RIP, RFLAGS, and SSP".  Every
 * failure is a VM exit with basic reason 33, exit qualification 0.
 *
 * RIP and SSP of a 64-bit guest need bits 63:N identical (N = linear-
 * address width), not the stricter canonical form (bits 63:N-1).
 */
#include "vmxcc/impl_rules.h"
#include "checks_hg.h"

#define HG_RFLAGS_RSVD0		0xffffffffffc08028ull	/* 63:22, 15, 5, 3 */
#define HG_RFLAGS_IOPL		(3ull << 12)

static void guest_ssp(const struct vmx_caps *caps, const struct vmx_case *c,
		      struct vmx_verdict *v, bool code64)
{
	uint64_t ssp = F(c, GUEST_SSP);

	CC(v, GST_SSP_ALIGN, ssp & 3);
	if (code64)
		CC(v, GST_SSP_CANON, !hg_upper_identical(caps, ssp));
	else
		CC(v, GST_SSP_HI32, ssp >> 32);
}

void vmx_check_guest_rip_rflags(const struct vmx_caps *caps, const struct vmx_case *c,
				struct vmx_verdict *v)
{
	uint64_t rflags = F(c, GUEST_RFLAGS), rip = F(c, GUEST_RIP);
	uint64_t entry = F(c, VM_ENTRY_CONTROLS), intr = F(c, VM_ENTRY_INTR_INFO_FIELD);
	bool ia32e = entry & VM_ENTRY_IA32E_MODE, code64 = hg_64bit_guest(c);

	if (code64)
		CC(v, GST_RIP_CANON, !hg_upper_identical(caps, rip));
	else
		CC(v, GST_RIP_HI32, rip >> 32);
	CC(v, GST_RFLAGS_RSVD0, rflags & HG_RFLAGS_RSVD0);
	CC(v, GST_RFLAGS_FIXED1, !(rflags & X86_RFLAGS_FIXED));
	if (ia32e)
		CC(v, GST_RFLAGS_VM_IA32E, rflags & X86_RFLAGS_VM);
	if (!(F(c, GUEST_CR0) & X86_CR0_PE))
		CC(v, GST_RFLAGS_VM_REAL, rflags & X86_RFLAGS_VM);
	if ((intr & INTR_INFO_VALID) &&
	    ((intr & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT) == INTR_TYPE_EXT_INTR)
		CC(v, GST_RFLAGS_IF_EXTINT, !(rflags & X86_RFLAGS_IF));
	if (ia32e && caps->p.has_fred && (F(c, GUEST_CR4) & X86_CR4_FRED) &&
	    HG_AR_DPL(F(c, GUEST_SS_AR_BYTES)) == 3)
		CC(v, GST_FRED_IOPL, rflags & HG_RFLAGS_IOPL);
	if ((entry & VM_ENTRY_LOAD_CET_STATE) && hg_has_cet(caps))
		guest_ssp(caps, c, v, code64);
}

/*
 * Rule "ssp-canonical" (Bochs 2.7): with "load CET state", SSP must
 * be canonical for every guest, one bit more than GST_SSP_CANON asks of a
 * 64-bit guest.  Same preconditions as guest_ssp() above.
 */
int64_t vmx_rule_ssp_canonical(const struct vmx_caps *caps, const struct vmx_case *c)
{
	if (!(F(c, VM_ENTRY_CONTROLS) & VM_ENTRY_LOAD_CET_STATE) || !hg_has_cet(caps))
		return -1;
	return vmx_is_canonical(caps, F(c, GUEST_SSP)) ? -1 : 0;
}
