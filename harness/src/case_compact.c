// SPDX-License-Identifier: GPL-2.0
/*
 * Compact binary case encoding (docs/compact-encoding.md).  Fields are
 * named by their SDM encoding so a stored input keeps its meaning when
 * fields.def grows; an encoding that names no field is mapped to the next
 * field up, so a mutated byte still changes *some* field.
 */
#include <string.h>

#include "vmxcc/baseline.h"
#include "vmxcc/case_compact.h"

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static size_t put_le(uint8_t *buf, size_t cap, size_t at, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, at++)
		if (at < cap)
			buf[at] = (uint8_t)(v >> (8 * i));
	return at;
}

static int value_bytes(uint64_t v)
{
	int n = 1;

	while (n < 8 && (v >> (8 * n)))
		n++;
	return n;
}

/* The field with encoding @enc, else the next one up (wrapping around). */
static int field_near(uint32_t enc)
{
	int best = -1, lowest = 0;

	for (int i = 0; i < VF_COUNT; i++) {
		uint32_t e = vmx_fields[i].encoding;

		if (e == enc)
			return i;
		if (e < vmx_fields[lowest].encoding)
			lowest = i;
		if (e > enc && (best < 0 || e < vmx_fields[best].encoding))
			best = i;
	}
	return best >= 0 ? best : lowest;
}

static int state_bytes(int k)
{
	return k == SK_LINK_REVISION ? 4 : 1;
}

size_t vmx_compact_encode(const struct vmx_case_file *cf, uint8_t *buf, size_t cap)
{
	const struct vmx_case *c = &cf->c;
	struct vmx_case base;
	size_t at = 0;
	bool msr_same;

	vmx_case_base(cf, &base);
	at = put_le(buf, cap, at, VMX_COMPACT_MAGIC0, 1);
	at = put_le(buf, cap, at, VMX_COMPACT_MAGIC1, 1);
	at = put_le(buf, cap, at, VMX_COMPACT_VERSION, 1);
	at = put_le(buf, cap, at, cf->baseline == VMX_CASE_NO_BASELINE ?
		    VMX_COMPACT_NO_BASELINE : (uint64_t)cf->baseline, 1);
	for (int f = 0; f < VF_COUNT; f++) {
		int n = value_bytes(c->f[f]);

		if (c->f[f] == base.f[f])
			continue;
		at = put_le(buf, cap, at, VCO_FIELD << 5 | (n - 1), 1);
		at = put_le(buf, cap, at, vmx_fields[f].encoding, 2);
		at = put_le(buf, cap, at, c->f[f], n);
	}
	for (int k = 0; k < SK_COUNT; k++) {
		if (vmx_state_get(c, k) == vmx_state_get(&base, k))
			continue;
		at = put_le(buf, cap, at, VCO_STATE << 5 | k, 1);
		at = put_le(buf, cap, at, vmx_state_get(c, k), state_bytes(k));
	}
	for (int i = 0; i < 4; i++) {
		if (c->pdpte[i] == base.pdpte[i])
			continue;
		at = put_le(buf, cap, at, VCO_PDPTE << 5 | i, 1);
		at = put_le(buf, cap, at, c->pdpte[i], 8);
	}
	msr_same = c->n_msr_load == base.n_msr_load;
	for (uint32_t i = 0; msr_same && i < c->n_msr_load; i++)
		msr_same = c->msr_load[i].index == base.msr_load[i].index &&
			   c->msr_load[i].reserved == base.msr_load[i].reserved &&
			   c->msr_load[i].value == base.msr_load[i].value;
	if (!msr_same) {
		at = put_le(buf, cap, at, VCO_MSR_CLEAR << 5, 1);
		for (uint32_t i = 0; i < c->n_msr_load; i++) {
			at = put_le(buf, cap, at, VCO_MSR_ADD << 5, 1);
			at = put_le(buf, cap, at, c->msr_load[i].index, 4);
			at = put_le(buf, cap, at, c->msr_load[i].reserved, 4);
			at = put_le(buf, cap, at, c->msr_load[i].value, 8);
		}
	}
	return at;
}

/* The baseline byte: 0xff means none; any other value picks a baseline
 * modulo the count, falling back to long64 and then to none when the
 * profile cannot build it. */
static void decode_base(uint8_t b, const struct vmx_caps *caps, struct vmx_case *c,
			int *baseline)
{
	memset(c, 0, sizeof(*c));
	*baseline = VMX_CASE_NO_BASELINE;
	if (b == VMX_COMPACT_NO_BASELINE)
		return;
	if (vmx_baseline_build(b % BL_COUNT, caps, c) == 0) {
		*baseline = b % BL_COUNT;
		return;
	}
	if (vmx_baseline_build(BL_LONG64, caps, c) == 0) {
		*baseline = BL_LONG64;
		return;
	}
	memset(c, 0, sizeof(*c));
}

/* Apply one operation at @p; returns its length, or 0 if truncated. */
static size_t decode_op(const uint8_t *p, size_t left, struct vmx_case *c)
{
	int op = p[0] >> 5, arg = p[0] & 31, n, f, k;

	switch (op) {
	case VCO_FIELD:
		n = (arg & 7) + 1;
		if (left < 3 + (size_t)n)
			return 0;
		f = field_near((uint32_t)get_le(p + 1, 2));
		c->f[f] = get_le(p + 3, n) & vmx_field_mask(f);
		return 3 + (size_t)n;
	case VCO_STATE:
		k = arg % SK_COUNT;
		n = state_bytes(k);
		if (left < 1 + (size_t)n)
			return 0;
		vmx_state_set(c, k, get_le(p + 1, n) % (vmx_state_max(k) + 1));
		return 1 + (size_t)n;
	case VCO_PDPTE:
		if (left < 9)
			return 0;
		c->pdpte[arg & 3] = get_le(p + 1, 8);
		return 9;
	case VCO_MSR_CLEAR:
		memset(c->msr_load, 0, sizeof(c->msr_load));
		c->n_msr_load = 0;
		return 1;
	case VCO_MSR_ADD:
		if (left < 17)
			return 0;
		if (c->n_msr_load < VMX_CASE_MAX_MSR_LOAD) {
			struct vmx_msr_entry *e = &c->msr_load[c->n_msr_load++];

			e->index = (uint32_t)get_le(p + 1, 4);
			e->reserved = (uint32_t)get_le(p + 5, 4);
			e->value = get_le(p + 9, 8);
		}
		return 17;
	default:
		return 1;	/* reserved operation: skipped */
	}
}

void vmx_compact_decode(const uint8_t *buf, size_t len, const struct vmx_caps *caps,
			struct vmx_case *c, int *baseline)
{
	size_t at = 4;

	/* Magic and version are not checked: a mutated header still decodes. */
	decode_base(len >= 4 ? buf[3] : BL_LONG64, caps, c, baseline);
	while (at < len) {
		size_t n = decode_op(buf + at, len - at, c);

		if (n == 0)
			break;	/* truncated last operation: ignored */
		at += n;
	}
}

bool vmx_compact_is(const uint8_t *buf, size_t len)
{
	return len >= 4 && buf[0] == VMX_COMPACT_MAGIC0 && buf[1] == VMX_COMPACT_MAGIC1 &&
	       buf[2] == VMX_COMPACT_VERSION;
}
