// SPDX-License-Identifier: GPL-2.0
/* Field encodings for the core, expanded from the one field table. */
#include "core_internal.h"

const uint32_t vmx_core_encodings[VF_COUNT] = {
#define FIELD(n, enc, w, g, off) [VF_##n] = enc,
#include "vmxcc/fields.def"
#undef FIELD
};

const uint8_t vmx_core_groups[VF_COUNT] = {
#define FIELD(n, enc, w, g, off) [VF_##n] = g,
#include "vmxcc/fields.def"
#undef FIELD
};

const uint8_t vmx_core_widths[VF_COUNT] = {
#define FIELD(n, enc, w, g, off) [VF_##n] = w,
#include "vmxcc/fields.def"
#undef FIELD
};

/* Width masks, so masking a value is one load (a case masks many). */
#define WMASK(w) ((w) == W16 ? 0xffffull : (w) == W32 ? 0xffffffffull : ~0ull)
const uint64_t vmx_core_masks[VF_COUNT] = {
#define FIELD(n, enc, w, g, off) [VF_##n] = WMASK(w),
#include "vmxcc/fields.def"
#undef FIELD
};
#undef WMASK

uint32_t vmx_core_field_encoding(enum vmx_field f)
{
	return vmx_core_encodings[f];
}

bool vmx_core_field_supported(const struct vmx_core_cpu *cpu, enum vmx_field f)
{
	return (cpu->supported[f / 64] >> (f % 64)) & 1;
}

const char *const vmx_core_skip_text[VMX_CORE_SKIP_COUNT] = {
#define SKIP_TEXT(name, text) [VMX_CORE_SKIP_##name] = text,
	VMX_CORE_SKIPS(SKIP_TEXT)
#undef SKIP_TEXT
};

#define FIELD_NUMBER(n) VF_##n,
const uint16_t vmx_core_relocated[] = { VMX_CORE_RELOCATED(FIELD_NUMBER) };
const unsigned int vmx_core_n_relocated = VMX_CORE_ARRAY_SIZE(vmx_core_relocated);
const uint16_t vmx_core_relocation_inputs[] = { VMX_CORE_RELOCATION_INPUTS(FIELD_NUMBER) };
const unsigned int vmx_core_n_relocation_inputs =
	VMX_CORE_ARRAY_SIZE(vmx_core_relocation_inputs);
#undef FIELD_NUMBER
