// SPDX-License-Identifier: GPL-2.0
/* Placeholder: the owner of guest modes fills these in. */
#include "baseline_internal.h"

int bl_build_pae32(const struct vmx_caps *caps, struct vmx_case *c) { return -1; }
int bl_build_pae32_ept(const struct vmx_caps *caps, struct vmx_case *c) { return -1; }
int bl_build_prot32(const struct vmx_caps *caps, struct vmx_case *c) { return -1; }
int bl_build_real_ug(const struct vmx_caps *caps, struct vmx_case *c) { return -1; }
int bl_build_v86(const struct vmx_caps *caps, struct vmx_case *c) { return -1; }
int bl_build_long64_msrload(const struct vmx_caps *caps, struct vmx_case *c) { return -1; }
