/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The structure-aware mutator (fuzzers/README.md, docs/fuzzing.md).  It
 * works on struct vmx_case, not on bytes: a case is decoded from the compact
 * encoding (harness/include/vmxcc/case_compact.h), mutated with knowledge of
 * the capability profile, and encoded again.  libFuzzer and AFL++ both call
 * the byte-level entry points at the bottom; everything above them is
 * engine-neutral so the unit tests can drive it directly.
 */
#ifndef VMXFZ_MUTATOR_H
#define VMXFZ_MUTATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmxcc/case.h"
#include "vmxcc/profile.h"

/* xorshift64*: fast, seedable, good enough to pick mutations. */
struct vmxfz_rng {
	uint64_t s;
};

static inline void vmxfz_seed(struct vmxfz_rng *r, uint64_t seed)
{
	r->s = seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	if (!r->s)
		r->s = 1;
}

static inline uint64_t vmxfz_next(struct vmxfz_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, n); n == 0 gives 0. */
static inline uint32_t vmxfz_below(struct vmxfz_rng *r, uint32_t n)
{
	return n ? (uint32_t)(((vmxfz_next(r) >> 32) * n) >> 32) : 0;
}

/* True with probability num/den. */
static inline bool vmxfz_chance(struct vmxfz_rng *r, uint32_t num, uint32_t den)
{
	return vmxfz_below(r, den) < num;
}

/* The class of VM-entry check a violating mutation aims at. */
enum vmxfz_class {
	VC_CTRL,	/* VM-execution/exit/entry controls: VMfail 7 */
	VC_HOST,	/* host state: VMfail 8 */
	VC_GUEST,	/* guest state: exit 33 */
	VC_MSR,		/* MSR-load entries: exit 34 */
	VC_BASIC,	/* basic checks: VMfailInvalid, VMfail 4/5/26 */
	VC_COUNT
};

struct vmxfz_opts {
	/* Keep control words within allowed-0/allowed-1 and CR0/CR4 within
	 * their fixed bits: never break a capability check on purpose. */
	bool within_caps;
};

/* One mutation context: what is mutated and with which profile. */
struct vmxfz_ctx {
	struct vmxfz_rng *rng;
	const struct vmx_caps *caps;
	struct vmx_case *c;
	int *baseline;			/* enum vmx_baseline or VMX_CASE_NO_BASELINE */
	bool within_caps;
	bool violate;			/* operators pick an invalid variant */
};

/*
 * Apply one to a few structure-aware mutations to @c.  Returns a bit mask
 * of enum vmxfz_class naming the classes a deliberate violation was aimed at
 * (0 when only valid-preserving changes were made).
 */
unsigned int vmxfz_mutate_case(struct vmxfz_rng *r, const struct vmx_caps *caps,
			       struct vmx_case *c, int *baseline,
			       const struct vmxfz_opts *o);

/* Mix two cases: whole groups of fields (controls, host, guest, MSR list)
 * come from one parent or the other.  Result in @out, baseline of @a. */
void vmxfz_crossover_case(struct vmxfz_rng *r, const struct vmx_case *a,
			  const struct vmx_case *b, struct vmx_case *out);

/* Names of the operators, for statistics and tests. */
enum vmxfz_op_id {
	OP_CTRL_BIT, OP_CR_BIT, OP_ADDR, OP_CANON, OP_SEG, OP_EVENT,
	OP_ACTIVITY, OP_MSR_ENTRY, OP_BASELINE, OP_FEATURE, OP_MULTI,
	OP_FIELD, OP_STATE, OP_REVERT, OP_LOADSTATE, OP_COUNT
};
extern const char *const vmxfz_op_names[OP_COUNT];

/* Run operator @op once; returns the violated-class mask like above, or -1
 * when the operator did not apply (e.g. a feature the profile lacks). */
int vmxfz_apply_op(struct vmxfz_ctx *m, enum vmxfz_op_id op);

/*
 * Byte-level entry points over the compact encoding.  @data holds @size
 * bytes and has room for @max.  Return the new size (never above @max); an
 * input that would not fit is mutated less.
 */
size_t vmxfz_mutate_bytes(const struct vmx_caps *caps, uint8_t *data, size_t size,
			  size_t max, uint64_t seed, const struct vmxfz_opts *o);
size_t vmxfz_crossover_bytes(const struct vmx_caps *caps,
			     const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2,
			     uint8_t *out, size_t max, uint64_t seed);

/* Encode @c on @baseline for @caps; returns the size needed (like snprintf). */
size_t vmxfz_encode(const struct vmx_caps *caps, const struct vmx_case *c, int baseline,
		    uint8_t *buf, size_t cap);

#endif
