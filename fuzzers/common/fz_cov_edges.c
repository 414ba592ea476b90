// SPDX-License-Identifier: GPL-2.0
/*
 * Check coverage for AFL++ (and any edge-coverage engine): one small
 * function per check id x outcome, generated from the catalogue.  Calling
 * it executes a basic block of its own, so the instrumentation gives every
 * feature its own entry in the coverage map without touching the map's
 * layout.  Each body stores a different constant so no two functions can
 * be merged.
 */
#include "fz_common.h"

volatile int vmxfz_edge_sink;

#define CHECK(id, cls, qual, section, stmt)					\
	static __attribute__((noinline)) void hit_fail_##id(void) { vmxfz_edge_sink = 2 * id; } \
	static __attribute__((noinline)) void hit_pass_##id(void) { vmxfz_edge_sink = 2 * id + 1; }
#include "vmxcc/catalogue.def"
#undef CHECK

static void (*const hit[VMXFZ_N_FEATURES])(void) = {
#define CHECK(id, cls, qual, section, stmt) \
	[2 * id] = hit_fail_##id, [2 * id + 1] = hit_pass_##id,
#include "vmxcc/catalogue.def"
#undef CHECK
};

void vmxfz_cov_report(const struct vmx_verdict *v)
{
	uint8_t map[VMXFZ_N_FEATURES] = { 0 };

	vmxfz_features(v, map);
	for (int i = 0; i < VMXFZ_N_FEATURES; i++)
		if (map[i])
			hit[i]();
}
