// SPDX-License-Identifier: GPL-2.0
/*
 * SDM Vol. 3C 26.2.4 "Checks Related to Address-Space Size".  Every
 * failure is VMfailValid with error 8.
 *
 * vmxcc's back ends always execute VMLAUNCH/VMRESUME from an L1 in IA-32e
 * mode (IA32_EFER.LMA = 1), so the SDM's rules for a processor outside
 * IA-32e mode never apply, and "host address-space size" must be 1.  The
 * rules that hold when the control is 0 (no IA-32e-mode guest, no host
 * CR4.PCIDE or CR4.FRED, RIP/S_CET/SSP bits 63:32 zero) are not modelled:
 * they could only fail together with HST_ASZ_HOST64 and would not change
 * the outcome, which is VMfail 8 either way.
 */
#include "checks_hg.h"

void vmx_check_host_asz(const struct vmx_caps *caps, const struct vmx_case *c,
			struct vmx_verdict *v)
{
	uint64_t exit = F(c, VM_EXIT_CONTROLS);

	if (CC(v, HST_ASZ_HOST64, !(exit & VM_EXIT_HOST_ADDR_SPACE_SIZE)))
		return;
	CC(v, HST_ASZ1_PAE, !(F(c, HOST_CR4) & X86_CR4_PAE));
	CC(v, HST_ASZ1_RIP_CANON, !vmx_is_canonical(caps, F(c, HOST_RIP)));
	if ((exit & VM_EXIT_LOAD_CET_STATE) && hg_has_cet(caps))
		CC(v, HST_ASZ1_SSP_CANON, !vmx_is_canonical(caps, F(c, HOST_SSP)));
}
