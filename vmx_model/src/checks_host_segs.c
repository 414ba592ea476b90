// SPDX-License-Identifier: GPL-2.0
/* Placeholder: filled in by the owner of this SDM subsection. */
#include "model_internal.h"

void vmx_check_host_segs(const struct vmx_caps *caps, const struct vmx_case *c,
		  struct vmx_verdict *v)
{
}
