// SPDX-License-Identifier: GPL-2.0
/*
 * SDM Vol. 3C 26.2.3 "Checks on Host Segment and Descriptor-Table
 * Registers".  Every failure is VMfailValid with error 8.
 *
 * "The selector field for SS cannot be 0000H if the host address-space
 * size VM-exit control is 0" is not modelled: vmxcc's L1 is in IA-32e
 * mode, so address-space size 0 already fails HST_ASZ_HOST64 with the same
 * outcome (docs/model-notes-host-guest.md).
 */
#include "checks_hg.h"

void vmx_check_host_segs(const struct vmx_caps *caps, const struct vmx_case *c,
			 struct vmx_verdict *v)
{
	uint64_t sels = F(c, HOST_CS_SELECTOR) | F(c, HOST_SS_SELECTOR) |
			F(c, HOST_DS_SELECTOR) | F(c, HOST_ES_SELECTOR) |
			F(c, HOST_FS_SELECTOR) | F(c, HOST_GS_SELECTOR) |
			F(c, HOST_TR_SELECTOR);

	CC(v, HST_SEL_RPL, sels & 3);
	CC(v, HST_SEL_TI, sels & 4);
	CC(v, HST_CS_SEL_NULL, (F(c, HOST_CS_SELECTOR) & 0xffff) == 0);
	CC(v, HST_TR_SEL_NULL, (F(c, HOST_TR_SELECTOR) & 0xffff) == 0);
	CC(v, HST_FS_BASE_CANON, !vmx_is_canonical(caps, F(c, HOST_FS_BASE)));
	CC(v, HST_GS_BASE_CANON, !vmx_is_canonical(caps, F(c, HOST_GS_BASE)));
	CC(v, HST_TR_BASE_CANON, !vmx_is_canonical(caps, F(c, HOST_TR_BASE)));
	CC(v, HST_GDTR_BASE_CANON, !vmx_is_canonical(caps, F(c, HOST_GDTR_BASE)));
	CC(v, HST_IDTR_BASE_CANON, !vmx_is_canonical(caps, F(c, HOST_IDTR_BASE)));
}
