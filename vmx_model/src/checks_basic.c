// SPDX-License-Identifier: GPL-2.0
/*
 * SDM 26.1 "Basic VM-Entry Checks".  The #UD/#GP checks (virtual-8086 or
 * compatibility mode, CPL > 0) are faults of the VM-entry instruction, not
 * outcomes of a VMCS, and are outside the model.  The rest are evaluated in
 * the SDM's order; model.c takes the first failure as the outcome.
 */
#include "model_internal.h"

void vmx_check_basic(const struct vmx_caps *caps, const struct vmx_case *c,
		     struct vmx_verdict *v)
{
	if (CC(v, BASIC_NO_CURRENT_VMCS, c->no_current_vmcs))
		return;	/* nothing else exists without a current VMCS */
	CC(v, BASIC_SHADOW_VMCS, c->current_is_shadow);
	CC(v, BASIC_MOVSS_BLOCKING, c->movss_blocking);
	if (c->instr == VMX_VMLAUNCH)
		CC(v, BASIC_LAUNCH_NOT_CLEAR, c->launch_state != 0);
	else
		CC(v, BASIC_RESUME_NOT_LAUNCHED, c->launch_state != 1);
}
