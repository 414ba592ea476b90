// SPDX-License-Identifier: GPL-2.0
/* The field table, expanded from fields.def; lookups by name and encoding. */
#include "vmxcc/fields.h"

#include <string.h>

const struct vmx_field_info vmx_fields[VF_COUNT] = {
#define FIELD(n, enc, w, g, off) [VF_##n] = { #n, enc, w, g, off },
#include "vmxcc/fields.def"
#undef FIELD
};

int vmx_field_by_name(const char *name)
{
	for (int i = 0; i < VF_COUNT; i++)
		if (strcmp(vmx_fields[i].name, name) == 0)
			return i;
	return -1;
}

int vmx_field_by_encoding(uint32_t encoding)
{
	for (int i = 0; i < VF_COUNT; i++)
		if (vmx_fields[i].encoding == encoding)
			return i;
	return -1;
}
