// SPDX-License-Identifier: GPL-2.0
/* Placeholder: the owner of the VM-execution controls fills this in. */
#include "baseline_internal.h"

int bl_build_long64_full(const struct vmx_caps *caps, struct vmx_case *c) { return -1; }
