/* SPDX-License-Identifier: GPL-2.0 */
/* Deterministic generator of varied cases for the round-trip tests. */
#ifndef VMXCC_TEST_GEN_H
#define VMXCC_TEST_GEN_H

#include <stdint.h>
#include <string.h>

#include "vmxcc/baseline.h"
#include "vmxcc/case_file.h"
#include "vmxcc/profile_text.h"

static inline uint64_t gen_next(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

/* Interesting values more often than uniform ones. */
static inline uint64_t gen_value(uint64_t *s)
{
	switch (gen_next(s) % 6) {
	case 0: return 0;
	case 1: return ~0ull;
	case 2: return 1ull << (gen_next(s) % 64);
	case 3: return gen_next(s) & 0xffff;
	default: return gen_next(s);
	}
}

/* Case @i: long64 or no baseline, random fields/state/PDPTEs/MSR list. */
static inline void gen_case(uint64_t seed, const struct vmx_caps *caps, struct vmx_case_file *cf)
{
	uint64_t s = seed * 0x9e3779b97f4a7c15ull + 1;
	int nf = (int)(gen_next(&s) % 12);

	memset(cf, 0, sizeof(*cf));
	snprintf(cf->profile_name, sizeof(cf->profile_name), "synthetic-full");
	cf->caps = *caps;
	cf->baseline = gen_next(&s) % 3 ? BL_LONG64 : VMX_CASE_NO_BASELINE;
	vmx_case_base(cf, &cf->c);
	for (int i = 0; i < nf; i++) {
		int f = (int)(gen_next(&s) % VF_COUNT);

		cf->c.f[f] = gen_value(&s) & vmx_field_mask(f);
	}
	if (gen_next(&s) % 2)
		for (int k = 0; k < SK_COUNT; k++)
			if (gen_next(&s) % 3 == 0)
				vmx_state_set(&cf->c, k, gen_next(&s) % (vmx_state_max(k) + 1));
	if (gen_next(&s) % 3 == 0)
		cf->c.pdpte[gen_next(&s) % 4] = gen_value(&s);
	if (gen_next(&s) % 3 == 0) {
		cf->c.n_msr_load = (uint32_t)(gen_next(&s) % 5);
		memset(cf->c.msr_load, 0, sizeof(cf->c.msr_load));
		for (uint32_t i = 0; i < cf->c.n_msr_load; i++) {
			cf->c.msr_load[i].index = (uint32_t)gen_next(&s);
			cf->c.msr_load[i].reserved = gen_next(&s) % 4 ? 0 : (uint32_t)gen_next(&s);
			cf->c.msr_load[i].value = gen_value(&s);
		}
	}
}

#endif
