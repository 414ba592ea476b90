/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compact binary case encoding for fuzzers (docs/compact-encoding.md):
 * a 4-byte header naming a baseline, then sparse operations (field deltas
 * by SDM encoding, state bytes, PDPTEs, MSR-load entries).  The decoder is
 * lenient: every byte string decodes to some case, so byte-level mutation
 * always yields something to run.
 */
#ifndef VMXCC_CASE_COMPACT_H
#define VMXCC_CASE_COMPACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmxcc/case_file.h"

#define VMX_COMPACT_MAGIC0	'V'
#define VMX_COMPACT_MAGIC1	'X'
#define VMX_COMPACT_VERSION	1
#define VMX_COMPACT_NO_BASELINE	0xff

enum vmx_compact_op {
	VCO_FIELD = 0,		/* arg[2:0] = value bytes - 1; u16 encoding; value */
	VCO_STATE = 1,		/* arg = state key (mod SK_COUNT); 1 byte, 4 for link_revision */
	VCO_PDPTE = 2,		/* arg[1:0] = index; u64 */
	VCO_MSR_CLEAR = 3,	/* empty the MSR-load list */
	VCO_MSR_ADD = 4,	/* u32 index, u32 reserved, u64 value */
};

/* Encode @cf (its case relative to its baseline).  Writes at most @cap bytes
 * and returns the length needed (like snprintf). */
size_t vmx_compact_encode(const struct vmx_case_file *cf, uint8_t *buf, size_t cap);

/*
 * Decode @len bytes for the profile @caps into @c; *@baseline gets the
 * baseline actually used (VMX_CASE_NO_BASELINE for none).  Never fails.
 */
void vmx_compact_decode(const uint8_t *buf, size_t len, const struct vmx_caps *caps,
			struct vmx_case *c, int *baseline);

/* Does @buf start with the compact header (magic and version)? */
bool vmx_compact_is(const uint8_t *buf, size_t len);

#endif
