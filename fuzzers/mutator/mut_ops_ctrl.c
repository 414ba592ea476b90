// SPDX-License-Identifier: GPL-2.0
/*
 * Operators on control words, control registers, addresses and event
 * injection.  Each returns the class mask of the violation it aimed at (0
 * for a change meant to stay valid), or -1 when it could not apply.  With
 * m->violate set an operator picks an invalid variant; with within_caps set
 * it never breaks allowed-0/allowed-1 or the CR fixed bits.
 */
#include "mut_internal.h"

static int pick_bit(struct vmxfz_rng *r, uint64_t mask)
{
	int n = __builtin_popcountll(mask), k;

	if (!n)
		return -1;
	k = (int)vmxfz_below(r, (uint32_t)n);
	for (int b = 0; b < 64; b++)
		if (((mask >> b) & 1) && k-- == 0)
			return b;
	return -1;
}

/* Toggle a control bit.  Flexible bits (may be 0 or 1) keep the word valid;
 * clearing a must-be-1 bit or setting a reserved one breaks the allowed
 * settings check of that word. */
int vmxfz_op_ctrl_bit(struct vmxfz_ctx *m)
{
	struct vmxfz_ctl ctls[VMXFZ_N_CTLS];
	struct vmxfz_ctl *k;
	uint64_t width, flex, bad;
	int b;

	vmxfz_ctls(m->caps, ctls);
	k = &ctls[vmxfz_below(m->rng, VMXFZ_N_CTLS)];
	width = vmx_field_mask(k->f);
	flex = k->may1 & ~k->must1 & width;
	bad = (k->must1 | (~k->may1 & width)) & width;
	if (!m->within_caps && (m->violate || vmxfz_chance(m->rng, 1, 4))) {
		b = pick_bit(m->rng, bad);
		if (b < 0)
			return -1;
		m->c->f[k->f] ^= 1ull << b;
		return 1 << VC_CTRL;
	}
	b = pick_bit(m->rng, flex);
	if (b < 0)
		return -1;
	if (m->c->f[k->f] >> b & 1)
		m->c->f[k->f] &= ~(1ull << b);
	else if (!vmxfz_ctl_set(m, k->f, 1ull << b, true))
		return -1;
	return 0;
}

/* CR0/CR4 of guest or host: flexible bits, or a fixed bit broken. */
int vmxfz_op_cr_bit(struct vmxfz_ctx *m)
{
	static const enum vmx_field crs[4] = {
		VF_GUEST_CR0, VF_GUEST_CR4, VF_HOST_CR0, VF_HOST_CR4,
	};
	int i = (int)vmxfz_below(m->rng, 4), b;
	bool cr4 = i & 1, host = i >= 2;
	uint64_t f0 = cr4 ? m->caps->cr4_fixed0 : m->caps->cr0_fixed0;
	uint64_t f1 = cr4 ? m->caps->cr4_fixed1 : m->caps->cr0_fixed1;
	uint64_t *v = &m->c->f[crs[i]];

	if (!m->within_caps && (m->violate || vmxfz_chance(m->rng, 1, 3))) {
		b = pick_bit(m->rng, f0 | (~f1 & (cr4 ? (1ull << 40) - 1 : 0xffffffffull)));
		if (b < 0)
			return -1;
		*v ^= 1ull << b;
		if (*v & f0 & (1ull << b))	/* set a reserved bit: make sure */
			*v |= 1ull << b;
		return 1 << (host ? VC_HOST : VC_GUEST);
	}
	b = pick_bit(m->rng, f1 & ~f0);
	if (b < 0)
		return -1;
	*v ^= 1ull << b;
	return 0;
}

/* A physical address for an address field: valid, misaligned, or at the
 * MAXPHYADDR (or 4 GiB when IA32_VMX_BASIC[48]) boundary. */
static uint64_t phys_value(struct vmxfz_ctx *m, bool bad)
{
	unsigned int width = m->caps->addr32 ? 32 : m->caps->p.maxphyaddr;
	uint64_t page = 0x1000ull * (1 + vmxfz_below(m->rng, 255));

	if (!bad)
		return vmxfz_chance(m->rng, 1, 8) ? (1ull << width) - 0x1000 : page;
	switch (vmxfz_below(m->rng, 5)) {
	case 0: return page | (1ull << vmxfz_below(m->rng, 12));	/* misaligned */
	case 1: return page | (1 + vmxfz_below(m->rng, 0xfff));
	case 2: return 1ull << width;					/* first bad page */
	case 3: return (1ull << (width + vmxfz_below(m->rng, 64 - width))) | page;
	default: return ~0xfffull;
	}
}

/* EPTP: memory type 2:0, walk length - 1 in 5:3, A/D 6, SSS 7, reserved
 * 11:8, then the address. */
static uint64_t eptp_value(struct vmxfz_ctx *m, bool bad)
{
	uint64_t cap = m->caps->p.msr[PMSR_EPT_VPID_CAP];
	uint64_t mt = cap & VMX_EPT_MT_WB ? 6 : 0, pwl = cap & VMX_EPT_PWL5 &&
		      vmxfz_chance(m->rng, 1, 3) ? 4 : 3;
	uint64_t v = 0x9000 | mt | pwl << 3;

	if (cap & VMX_EPT_AD && vmxfz_chance(m->rng, 1, 2))
		v |= 1 << 6;
	if (!bad)
		return v;
	switch (vmxfz_below(m->rng, 5)) {
	case 0: return (v & ~7ull) | (1 + vmxfz_below(m->rng, 5)); /* UC=0, WB=6 */
	case 1: return (v & ~0x38ull) | (uint64_t)vmxfz_below(m->rng, 8) << 3;
	case 2: return v | 1 << 6 | 1 << 7;
	case 3: return v | 1ull << (8 + vmxfz_below(m->rng, 4));
	default: return (v & 0xfff) | phys_value(m, true);
	}
}

int vmxfz_op_addr(struct vmxfz_ctx *m)
{
	const struct vmxfz_fields *fl = vmxfz_fields();
	bool bad = m->violate || vmxfz_chance(m->rng, 1, 2);
	uint32_t pick = vmxfz_below(m->rng, (uint32_t)fl->n_addr + 2);
	int f;

	if (pick >= (uint32_t)fl->n_addr) {	/* CR3: MAXPHYADDR only */
		f = pick == (uint32_t)fl->n_addr ? VF_GUEST_CR3 : VF_HOST_CR3;
		m->c->f[f] = bad ? phys_value(m, true) & ~0xfffull : phys_value(m, false);
		return bad ? 1 << (f == VF_HOST_CR3 ? VC_HOST : VC_GUEST) : 0;
	}
	f = fl->addr[pick];
	if (f == VF_EPT_POINTER)
		m->c->f[f] = eptp_value(m, bad);
	else if (f == VF_VMCS_LINK_POINTER && !bad && vmxfz_chance(m->rng, 1, 2))
		m->c->f[f] = ~0ull;
	else
		m->c->f[f] = phys_value(m, bad);
	if (!bad)
		return 0;
	return 1 << (vmx_fields[f].group == GUEST ? VC_GUEST : VC_CTRL);
}

/* A linear address: canonical boundaries for 48 and 57 bits, high halves
 * for 32-bit fields, low bits for aligned stacks. */
int vmxfz_op_canon(struct vmxfz_ctx *m)
{
	const struct vmxfz_fields *fl = vmxfz_fields();
	int f = fl->canon[vmxfz_below(m->rng, (uint32_t)fl->n_canon)];
	unsigned int w = vmxfz_chance(m->rng, 1, 2) ? 48 : 57;
	uint64_t lo = (1ull << (w - 1)) - 1, v;

	switch (vmxfz_below(m->rng, 8)) {
	case 0: v = lo; break;				/* highest canonical low half */
	case 1: v = lo + 1; break;			/* first non-canonical */
	case 2: v = ~lo; break;				/* lowest canonical high half */
	case 3: v = ~lo - 1; break;			/* last non-canonical */
	case 4: v = 1ull << (32 + vmxfz_below(m->rng, 32)); break;
	case 5: v = m->c->f[f] | (1 + vmxfz_below(m->rng, 63)); break;	/* misalign */
	case 6: v = 0; break;
	default: v = m->c->f[f] & ~0x3full; break;	/* 64-byte aligned */
	}
	m->c->f[f] = v;
	return m->violate || v == lo + 1 || v == ~lo - 1 ?
	       1 << (vmx_fields[f].group == HOST ? VC_HOST : VC_GUEST) : 0;
}

/* Error-code exceptions: #DF #TS #NP #SS #GP #PF #AC. */
static bool has_errcode(uint32_t vector)
{
	return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17;
}

static uint32_t valid_event(struct vmxfz_ctx *m, uint32_t *len)
{
	static const uint8_t types[] = {
		INTR_TYPE_EXT_INTR, INTR_TYPE_NMI, INTR_TYPE_HARD_EXCEPTION,
		INTR_TYPE_SOFT_INTR, INTR_TYPE_PRIV_SW_EXCEPTION,
		INTR_TYPE_SOFT_EXCEPTION,
	};
	uint32_t type = types[vmxfz_below(m->rng, sizeof(types))], vector;

	switch (type) {
	case INTR_TYPE_NMI: vector = 2; break;
	case INTR_TYPE_HARD_EXCEPTION: vector = vmxfz_below(m->rng, 32); break;
	case INTR_TYPE_SOFT_EXCEPTION: vector = vmxfz_chance(m->rng, 1, 2) ? 3 : 4; break;
	case INTR_TYPE_PRIV_SW_EXCEPTION: vector = 1; break;
	default: vector = 32 + vmxfz_below(m->rng, 224); break;
	}
	if (type == INTR_TYPE_HARD_EXCEPTION && (vector == 2 || vector == 15))
		vector = 13;
	*len = 1 + vmxfz_below(m->rng, 15);
	return INTR_INFO_VALID | type << INTR_INFO_TYPE_SHIFT | vector |
	       (type == INTR_TYPE_HARD_EXCEPTION && has_errcode(vector) &&
		(m->c->f[VF_GUEST_CR0] & X86_CR0_PE) ? INTR_INFO_DELIVER_CODE : 0);
}

/* Event injection: a valid event, or one broken in type, vector, error-code
 * delivery, reserved bits, error code or instruction length. */
int vmxfz_op_event(struct vmxfz_ctx *m)
{
	uint32_t len, info = valid_event(m, &len), err = vmxfz_below(m->rng, 0x8000);

	if (!m->violate && vmxfz_chance(m->rng, 1, 6)) {
		m->c->f[VF_VM_ENTRY_INTR_INFO_FIELD] = 0;
		return 0;
	}
	if (m->violate || vmxfz_chance(m->rng, 1, 2)) {
		switch (vmxfz_below(m->rng, 8)) {
		case 0: info = (info & ~INTR_INFO_TYPE_MASK) | INTR_TYPE_RESERVED << 8; break;
		case 1: info = (info & ~0xffu) | (vmxfz_below(m->rng, 256)); break;
		case 2: info ^= INTR_INFO_DELIVER_CODE; break;
		case 3: info |= 1u << (12 + vmxfz_below(m->rng, 19)); break;
		case 4: err |= 1u << (15 + vmxfz_below(m->rng, 17)); break;
		case 5: len = vmxfz_chance(m->rng, 1, 2) ? 0 : 16 + vmxfz_below(m->rng, 4); break;
		case 6: info = (info & ~INTR_INFO_TYPE_MASK & ~0xffu) |
			       INTR_TYPE_OTHER_EVENT << 8 | vmxfz_below(m->rng, 2); break;
		default: info |= INTR_INFO_NESTED_EXCEPTION; break;
		}
		m->c->f[VF_VM_ENTRY_INTR_INFO_FIELD] = info;
		m->c->f[VF_VM_ENTRY_EXCEPTION_ERROR_CODE] = err;
		m->c->f[VF_VM_ENTRY_INSTRUCTION_LEN] = len;
		return 1 << VC_CTRL;
	}
	m->c->f[VF_VM_ENTRY_INTR_INFO_FIELD] = info;
	m->c->f[VF_VM_ENTRY_EXCEPTION_ERROR_CODE] = err;
	m->c->f[VF_VM_ENTRY_INSTRUCTION_LEN] = len;
	return 0;
}
