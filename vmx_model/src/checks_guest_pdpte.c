// SPDX-License-Identifier: GPL-2.0
/*
 * SDM 26.3.1.6 "Checks on Guest Page-Directory-Pointer-Table Entries".
 *
 * A VM entry is to a PAE-paging guest if guest CR0.PG = 1, CR4.PAE = 1 and
 * "IA-32e mode guest" = 0.  With EPT the PDPTE fields of the VMCS are
 * checked; without EPT the PDPTEs at guest CR3 are, "if PAE paging was not in
 * use before the VM entry or CR3 changes".  The harness executes VM entries
 * in IA-32e mode (4-level paging), so PAE paging is never in use before the
 * entry and those PDPTEs are always checked.  The checks are those of MOV to
 * CR3 under PAE paging: a present entry must not set reserved bits.
 */
#include "model_internal.h"

#define PDPTE_P		BIT_ULL(0)
#define PDPTE_RSVD_LOW	(0x6ull | 0x1e0ull)	/* bits 2:1 and 8:5 */

static bool pdpte_bad(const struct vmx_caps *caps, uint64_t e)
{
	uint64_t rsvd = PDPTE_RSVD_LOW | (~0ull << caps->p.maxphyaddr);

	return (e & PDPTE_P) && (e & rsvd);
}

void vmx_check_guest_pdpte(const struct vmx_caps *caps, const struct vmx_case *c,
			   struct vmx_verdict *v)
{
	bool ept = (F(c, CPU_BASED_VM_EXEC_CONTROL) & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
		   (F(c, SECONDARY_VM_EXEC_CONTROL) & SECONDARY_EXEC_ENABLE_EPT);
	bool bad = false;

	if (!(F(c, GUEST_CR0) & X86_CR0_PG) || !(F(c, GUEST_CR4) & X86_CR4_PAE) ||
	    (F(c, VM_ENTRY_CONTROLS) & VM_ENTRY_IA32E_MODE))
		return;
	if (ept) {
		bad = pdpte_bad(caps, F(c, GUEST_PDPTR0)) || pdpte_bad(caps, F(c, GUEST_PDPTR1)) ||
		      pdpte_bad(caps, F(c, GUEST_PDPTR2)) || pdpte_bad(caps, F(c, GUEST_PDPTR3));
		CC(v, GST_PDPTE_VMCS_RSVD, bad);
		return;
	}
	for (int i = 0; i < 4; i++)
		bad |= pdpte_bad(caps, c->pdpte[i]);
	CC(v, GST_PDPTE_CR3_RSVD, bad);
}
