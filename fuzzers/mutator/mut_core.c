// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing mutations, multi-violation injection, crossover, and the
 * byte-level wrappers over the compact encoding.
 */
#include <string.h>

#include "vmxcc/case_compact.h"
#include "mut_internal.h"

const char *const vmxfz_op_names[OP_COUNT] = {
	[OP_CTRL_BIT] = "ctrl-bit", [OP_CR_BIT] = "cr-bit", [OP_ADDR] = "address",
	[OP_CANON] = "canonical", [OP_SEG] = "segment", [OP_EVENT] = "event",
	[OP_ACTIVITY] = "activity", [OP_MSR_ENTRY] = "msr-entry",
	[OP_BASELINE] = "baseline", [OP_FEATURE] = "feature", [OP_MULTI] = "multi",
	[OP_FIELD] = "field", [OP_STATE] = "state", [OP_REVERT] = "revert", [OP_LOADSTATE] = "load-state",
};

/* Relative weights: the structured operators dominate; plain field edits
 * and reverts keep the search from getting stuck. */
static const uint8_t op_weight[OP_COUNT] = {
	[OP_CTRL_BIT] = 10, [OP_CR_BIT] = 6, [OP_ADDR] = 8, [OP_CANON] = 6,
	[OP_SEG] = 10, [OP_EVENT] = 6, [OP_ACTIVITY] = 6, [OP_MSR_ENTRY] = 6,
	[OP_BASELINE] = 4, [OP_FEATURE] = 12, [OP_MULTI] = 4, [OP_FIELD] = 8,
	[OP_STATE] = 2, [OP_REVERT] = 10, [OP_LOADSTATE] = 10,
};

/* Operators that can aim at each class when asked to violate it. */
static const uint8_t class_ops[VC_COUNT][4] = {
	[VC_CTRL] = { OP_CTRL_BIT, OP_ADDR, OP_EVENT, OP_CTRL_BIT },
	[VC_HOST] = { OP_CR_BIT, OP_CANON, OP_SEG, OP_LOADSTATE },
	[VC_GUEST] = { OP_SEG, OP_ACTIVITY, OP_CR_BIT, OP_LOADSTATE },
	[VC_MSR] = { OP_MSR_ENTRY, OP_MSR_ENTRY, OP_MSR_ENTRY, OP_MSR_ENTRY },
	[VC_BASIC] = { OP_STATE, OP_STATE, OP_STATE, OP_STATE },
};

int vmxfz_apply_op(struct vmxfz_ctx *m, enum vmxfz_op_id op)
{
	switch (op) {
	case OP_CTRL_BIT: return vmxfz_op_ctrl_bit(m);
	case OP_CR_BIT: return vmxfz_op_cr_bit(m);
	case OP_ADDR: return vmxfz_op_addr(m);
	case OP_CANON: return vmxfz_op_canon(m);
	case OP_SEG: return vmxfz_op_seg(m);
	case OP_EVENT: return vmxfz_op_event(m);
	case OP_ACTIVITY: return vmxfz_op_activity(m);
	case OP_MSR_ENTRY: return vmxfz_op_msr_entry(m);
	case OP_BASELINE: return vmxfz_op_baseline(m);
	case OP_FEATURE: return vmxfz_op_feature(m);
	case OP_FIELD: return vmxfz_op_field(m);
	case OP_STATE: return vmxfz_op_state(m);
	case OP_REVERT: return vmxfz_op_revert(m);
	case OP_LOADSTATE: return vmxfz_op_loadstate(m);
	case OP_MULTI: {
		/* 2-3 violations in different classes: probes check ordering
		 * (basic before controls/host, those before guest, guest
		 * before MSR loading). */
		int n = 2 + (int)vmxfz_below(m->rng, 2), got = 0;
		unsigned int used = 0;

		for (int tries = 0; tries < 32 && n > 0; tries++) {
			enum vmxfz_class cls = vmxfz_below(m->rng, VC_COUNT);
			int r;

			if (used & 1u << cls || (cls == VC_BASIC && vmxfz_chance(m->rng, 2, 3)))
				continue;
			r = vmxfz_violate(m, cls);
			if (r < 0)
				continue;
			used |= 1u << cls;
			got |= r;
			n--;
		}
		return got ? got : -1;
	}
	default: return -1;
	}
}

int vmxfz_violate(struct vmxfz_ctx *m, enum vmxfz_class cls)
{
	bool saved = m->violate;
	int r = -1;

	if (m->within_caps && cls == VC_CTRL)
		return -1;
	m->violate = true;
	/* An operator may hit a neighbouring class instead (a segment edit
	 * can land on a host selector): retry until the class is hit. */
	for (int tries = 0; tries < 12; tries++) {
		r = vmxfz_apply_op(m, class_ops[cls][vmxfz_below(m->rng, 4)]);
		if (r >= 0 && (r & 1 << cls))
			break;
		r = -1;
	}
	m->violate = saved;
	return r;
}

static enum vmxfz_op_id pick_op(struct vmxfz_rng *r, bool within_caps)
{
	uint32_t total = 0, k;

	for (int i = 0; i < OP_COUNT; i++)
		total += op_weight[i];
	for (;;) {
		k = vmxfz_below(r, total);
		for (int i = 0; i < OP_COUNT; i++) {
			if (k < op_weight[i]) {
				if (within_caps && i == OP_MULTI)
					break;
				return i;
			}
			k -= op_weight[i];
		}
	}
}

unsigned int vmxfz_mutate_case(struct vmxfz_rng *r, const struct vmx_caps *caps,
			       struct vmx_case *c, int *baseline,
			       const struct vmxfz_opts *o)
{
	struct vmxfz_ctx m = { r, caps, c, baseline, o && o->within_caps, false };
	int n = 1 + (int)vmxfz_below(r, 3), res;
	unsigned int mask = 0;

	while (n > 0) {
		res = vmxfz_apply_op(&m, pick_op(r, m.within_caps));
		if (res < 0)
			continue;
		mask |= (unsigned int)res;
		n--;
	}
	return mask;
}

void vmxfz_crossover_case(struct vmxfz_rng *r, const struct vmx_case *a,
			  const struct vmx_case *b, struct vmx_case *out)
{
	bool from_b[4];

	*out = *a;
	for (int g = 0; g < 4; g++)
		from_b[g] = vmxfz_chance(r, 1, 2);
	for (int f = 0; f < VF_COUNT; f++)
		if (from_b[vmx_fields[f].group])
			out->f[f] = b->f[f];
	if (vmxfz_chance(r, 1, 2)) {
		out->n_msr_load = b->n_msr_load;
		memcpy(out->msr_load, b->msr_load, sizeof(out->msr_load));
	}
}

size_t vmxfz_encode(const struct vmx_caps *caps, const struct vmx_case *c, int baseline,
		    uint8_t *buf, size_t cap)
{
	static __thread struct vmx_case_file cf;	/* large: keep off the stack */

	cf.c = *c;
	cf.caps = *caps;
	cf.baseline = baseline;
	return vmx_compact_encode(&cf, buf, cap);
}

/* Encode into a scratch buffer and copy only if it fits: @data keeps the
 * original bytes until a mutation that fits is found. */
static size_t encode_fit(const struct vmx_caps *caps, const struct vmx_case *c, int b,
			 uint8_t *data, size_t max)
{
	static __thread uint8_t scratch[1 << 16];
	size_t n = vmxfz_encode(caps, c, b, scratch, sizeof(scratch));

	if (n > max || n > sizeof(scratch))
		return 0;
	memcpy(data, scratch, n);
	return n;
}

size_t vmxfz_mutate_bytes(const struct vmx_caps *caps, uint8_t *data, size_t size,
			  size_t max, uint64_t seed, const struct vmxfz_opts *o)
{
	struct vmx_case orig, c;
	struct vmxfz_rng r;
	int base, b;
	size_t n;

	vmxfz_seed(&r, seed);
	vmx_compact_decode(data, size, caps, &orig, &base);
	for (int tries = 0; tries < 4; tries++) {
		c = orig;
		b = base;
		vmxfz_mutate_case(&r, caps, &c, &b, o);
		n = encode_fit(caps, &c, b, data, max);
		if (n)
			return n;
	}
	/* Too big for the engine's limit: shed differences from the baseline
	 * until it fits; the original stays if nothing does. */
	c = orig;
	b = base;
	for (int i = 0; i < VF_COUNT; i++) {
		struct vmxfz_ctx m = { &r, caps, &c, &b, true, false };

		if (vmxfz_op_revert(&m) < 0)
			break;
		n = encode_fit(caps, &c, b, data, max);
		if (n)
			return n;
	}
	return size;
}

size_t vmxfz_crossover_bytes(const struct vmx_caps *caps,
			     const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2,
			     uint8_t *out, size_t max, uint64_t seed)
{
	struct vmx_case a, b, c;
	struct vmxfz_rng r;
	int ba, bb;
	size_t n;

	vmxfz_seed(&r, seed);
	vmx_compact_decode(d1, s1, caps, &a, &ba);
	vmx_compact_decode(d2, s2, caps, &b, &bb);
	vmxfz_crossover_case(&r, &a, &b, &c);
	n = encode_fit(caps, &c, ba, out, max);
	if (n)
		return n;
	n = s1 < max ? s1 : max;
	memcpy(out, d1, n);
	return n;
}
