/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMCS field identities, generated from fields.def.  Freestanding: usable
 * from the model, the harness, the L1 probe and the kernel module.
 */
#ifndef VMXCC_FIELDS_H
#define VMXCC_FIELDS_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

enum vmx_field_width { W16, W32, W64, WNAT };
enum vmx_field_group { CTRL, RO, GUEST, HOST };

/* VF_<KVM name>: dense index of a field, used to index struct vmx_case. */
enum vmx_field {
#define FIELD(name, enc, width, group, off) VF_##name,
#include "fields.def"
#undef FIELD
	VF_COUNT
};

struct vmx_field_info {
	const char *name;	/* KVM's name, as written in .vmcs files */
	uint32_t encoding;	/* SDM encoding */
	uint8_t width;		/* enum vmx_field_width */
	uint8_t group;		/* enum vmx_field_group */
	int16_t vmcs12_offset;	/* offset in KVM's struct vmcs12, or -1 */
};

extern const struct vmx_field_info vmx_fields[VF_COUNT];

/* Mask of the bits a field of this width can hold. */
static inline uint64_t vmx_field_mask(enum vmx_field f)
{
	switch (vmx_fields[f].width) {
	case W16: return 0xffffull;
	case W32: return 0xffffffffull;
	default:  return ~0ull;
	}
}

/* Field by KVM name (exact, case-sensitive); -1 if unknown. */
int vmx_field_by_name(const char *name);
/* Field by SDM encoding (full, not high half); -1 if unknown. */
int vmx_field_by_encoding(uint32_t encoding);

static const char *const vmx_field_width_names[] = { "16", "32", "64", "natural" };
static const char *const vmx_field_group_names[] = { "control", "read-only", "guest", "host" };

#endif
