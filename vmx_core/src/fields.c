// SPDX-License-Identifier: GPL-2.0
/* Field encodings for the core, expanded from the one field table. */
#include "vmx_core.h"

static const uint32_t core_encodings[VF_COUNT] = {
#define FIELD(n, enc, w, g, off) [VF_##n] = enc,
#include "vmxcc/fields.def"
#undef FIELD
};

static const uint8_t core_groups[VF_COUNT] = {
#define FIELD(n, enc, w, g, off) [VF_##n] = g,
#include "vmxcc/fields.def"
#undef FIELD
};

static const uint8_t core_widths[VF_COUNT] = {
#define FIELD(n, enc, w, g, off) [VF_##n] = w,
#include "vmxcc/fields.def"
#undef FIELD
};

uint32_t vmx_core_field_encoding(enum vmx_field f)
{
	return core_encodings[f];
}

uint8_t vmx_core_field_group(enum vmx_field f)
{
	return core_groups[f];
}

uint64_t vmx_core_field_mask(enum vmx_field f)
{
	switch (core_widths[f]) {
	case W16: return 0xffffull;
	case W32: return 0xffffffffull;
	default:  return ~0ull;
	}
}

bool vmx_core_field_supported(const struct vmx_core_cpu *cpu, enum vmx_field f)
{
	return (cpu->supported[f / 64] >> (f % 64)) & 1;
}
