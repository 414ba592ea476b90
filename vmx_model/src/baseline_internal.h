/* SPDX-License-Identifier: GPL-2.0 */
/* Building blocks shared by the baseline files. */
#ifndef VMXCC_BASELINE_INTERNAL_H
#define VMXCC_BASELINE_INTERNAL_H

#include "vmxcc/arch.h"
#include "vmxcc/baseline.h"

#define SET(name, val) (c->f[VF_##name] = (val))

void bl_host64(const struct vmx_caps *caps, struct vmx_case *c);
/* VM-exit controls always get "host address-space size"; a non-zero
 * @proc2 also sets "activate secondary controls". */
void bl_controls(const struct vmx_caps *caps, struct vmx_case *c,
		 uint32_t pin, uint32_t proc, uint32_t proc2,
		 uint32_t exit, uint32_t entry);
/* CS/SS/DS/ES/FS/GS flat 4 GiB with the given access rights; unusable
 * LDTR; busy TSS; small GDTR/IDTR. */
void bl_flat_segs(struct vmx_case *c, uint32_t cs_ar, uint32_t data_ar);

int bl_build_long64(const struct vmx_caps *caps, struct vmx_case *c);
/* baseline_modes.c: the other paging/operating modes and the MSR-load list */
int bl_build_pae32(const struct vmx_caps *caps, struct vmx_case *c);
int bl_build_pae32_ept(const struct vmx_caps *caps, struct vmx_case *c);
int bl_build_prot32(const struct vmx_caps *caps, struct vmx_case *c);
int bl_build_real_ug(const struct vmx_caps *caps, struct vmx_case *c);
int bl_build_v86(const struct vmx_caps *caps, struct vmx_case *c);
int bl_build_long64_msrload(const struct vmx_caps *caps, struct vmx_case *c);
/* baseline_full.c: 64-bit guest with the optional controls turned on */
int bl_build_long64_full(const struct vmx_caps *caps, struct vmx_case *c);

#endif
