// SPDX-License-Identifier: GPL-2.0
/*
 * Operators on segment registers, activity/interruptibility state, MSR-load
 * entries, the basic-check state, and generic field edits.  Same return
 * convention as mut_ops_ctrl.c.
 */
#include <string.h>

#include "mut_internal.h"

/* Access rights that are valid in some mode: 64-bit code, 32-bit code,
 * data, real/virtual-8086 data, LDT, busy 64-bit and 16-bit TSS, unusable. */
static const uint32_t ar_presets[] = {
	0xa09b, 0xc09b, 0xc093, 0x0093, 0x00f3, 0x0082, 0x008b, 0x0083,
	0x10000, 0xc09f, 0xc0fb, 0xc0f3, 0x809b, 0x4093,
};

static const uint32_t limits[] = {
	0, 0xfff, 0x1000, 0x67, 0xffff, 0xfffff, 0x100000, 0xffffffff,
	0xfffff000, 0x00ffffff,
};

static int host_selector(struct vmxfz_ctx *m)
{
	const struct vmxfz_fields *fl = vmxfz_fields();
	int f = fl->host_sel[vmxfz_below(m->rng, 7)];

	if (vmxfz_chance(m->rng, 1, 3))
		m->c->f[f] = 0;			/* null CS/TR (and SS in 32-bit hosts) */
	else
		m->c->f[f] ^= 1 + vmxfz_below(m->rng, 7);	/* RPL and TI */
	return 1 << VC_HOST;
}

int vmxfz_op_seg(struct vmxfz_ctx *m)
{
	const struct vmxfz_fields *fl = vmxfz_fields();
	int s = (int)vmxfz_below(m->rng, 8);
	uint64_t *sel = &m->c->f[fl->seg[s].sel], *base = &m->c->f[fl->seg[s].base];
	uint64_t *lim = &m->c->f[fl->seg[s].limit], *ar = &m->c->f[fl->seg[s].ar];

	switch (vmxfz_below(m->rng, m->violate ? 7 : 9)) {
	case 0: *ar ^= 1ull << vmxfz_below(m->rng, 17); break;
	case 1: *ar |= vmxfz_chance(m->rng, 1, 2) ? 1ull << (8 + vmxfz_below(m->rng, 4)) :
		       1ull << (17 + vmxfz_below(m->rng, 15)); break;
	case 2: *sel ^= 1 + vmxfz_below(m->rng, 7); break;
	case 3: *lim = limits[vmxfz_below(m->rng, sizeof(limits) / sizeof(limits[0]))]; break;
	case 4: *base = vmxfz_chance(m->rng, 1, 2) ? 1ull << (32 + vmxfz_below(m->rng, 32)) :
			0x0000800000000000ull; break;
	case 5: *ar = (*ar & ~(uint64_t)VMX_AR_DPL_MASK) |
		      (uint64_t)vmxfz_below(m->rng, 4) << VMX_AR_DPL_SHIFT; break;
	case 6: return host_selector(m);
	case 7: *ar = ar_presets[vmxfz_below(m->rng, sizeof(ar_presets) / sizeof(ar_presets[0]))];
		return 0;
	default: *base = (*sel & 0xffff) << 4;	/* what virtual-8086 mode wants */
		return 0;
	}
	return 1 << VC_GUEST;
}

/* Activity state, interruptibility and pending debug exceptions, often
 * together with RFLAGS.IF/TF or an injected event so the combination
 * checks are reached. */
int vmxfz_op_activity(struct vmxfz_ctx *m)
{
	uint64_t *act = &m->c->f[VF_GUEST_ACTIVITY_STATE];
	uint64_t *intr = &m->c->f[VF_GUEST_INTERRUPTIBILITY_INFO];
	uint64_t *pde = &m->c->f[VF_GUEST_PENDING_DBG_EXCEPTIONS];

	switch (vmxfz_below(m->rng, 6)) {
	case 0: *act = vmxfz_below(m->rng, m->violate ? 8 : 4); break;
	case 1: *intr = vmxfz_below(m->rng, 32); break;
	case 2: *intr = 1ull << vmxfz_below(m->rng, 32); break;
	case 3: {
		/* BS (14), enabled breakpoint (12), RTM (16): the combinations
		 * the pending-debug checks distinguish, or any single bit */
		static const uint64_t pdes[] = { 1 << 14, 1 << 12, 1 << 16 | 1 << 12,
						 1 << 16, 1 << 16 | 1 << 14, 1 << 16 | 1 };

		*pde = vmxfz_chance(m->rng, 1, 3) ? 1ull << vmxfz_below(m->rng, 64) :
		       pdes[vmxfz_below(m->rng, 6)];
		break;
	}
	case 4: m->c->f[VF_GUEST_RFLAGS] ^= vmxfz_chance(m->rng, 1, 2) ?
			X86_RFLAGS_IF : X86_RFLAGS_TF; break;
	default:
		m->c->f[VF_GUEST_IA32_DEBUGCTL] ^= 1ull << vmxfz_below(m->rng, 16);
		break;
	}
	return m->violate ? 1 << VC_GUEST : 0;
}

/* MSR indexes the MSR-load checks single out, plus a few ordinary ones. */
static const uint32_t msr_indexes[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_X2APIC_FIRST,
	MSR_X2APIC_FIRST + 0x08, MSR_X2APIC_LAST, MSR_IA32_SMM_MONITOR_CTL,
	MSR_IA32_BIOS_UPDT_TRIG, MSR_IA32_BIOS_SIGN_ID, MSR_IA32_EFER,
	MSR_IA32_PAT, MSR_IA32_DEBUGCTL, MSR_IA32_PERF_GLOBAL_CTRL, MSR_TSC_AUX,
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK, MSR_IA32_SYSENTER_CS,
	MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP, 0xda0 /* IA32_XSS */,
	0x4b564d00, 0x12345,
};

/* Make sure the case carries a VM-entry MSR-load list the processor reads. */
static void ensure_msr_list(struct vmxfz_ctx *m)
{
	struct vmx_case *c = m->c;

	if (c->n_msr_load && FV(c, VM_ENTRY_MSR_LOAD_COUNT))
		return;
	c->n_msr_load = 1 + vmxfz_below(m->rng, 3);
	for (uint32_t i = 0; i < c->n_msr_load; i++) {
		c->msr_load[i].index = MSR_STAR;
		c->msr_load[i].reserved = 0;
		c->msr_load[i].value = 0;
	}
	FV(c, VM_ENTRY_MSR_LOAD_COUNT) = c->n_msr_load;
	FV(c, VM_ENTRY_MSR_LOAD_ADDR) = 0x8000;
}

int vmxfz_op_msr_entry(struct vmxfz_ctx *m)
{
	struct vmx_case *c = m->c;
	struct vmx_msr_entry *e;

	ensure_msr_list(m);
	switch (vmxfz_below(m->rng, m->violate ? 4 : 6)) {
	case 0:	/* count beyond the list or beyond IA32_VMX_MISC's maximum */
		FV(c, VM_ENTRY_MSR_LOAD_COUNT) = vmxfz_chance(m->rng, 1, 2) ?
			m->caps->msr_list_max + 1 : c->n_msr_load + 1;
		return 1 << VC_CTRL | 1 << VC_MSR;
	case 1:
		FV(c, VM_ENTRY_MSR_LOAD_ADDR) |= 1ull << vmxfz_below(m->rng, 4);
		return 1 << VC_CTRL;
	case 4:	/* grow the list by one ordinary entry */
		if (c->n_msr_load < VMX_CASE_MAX_MSR_LOAD) {
			c->msr_load[c->n_msr_load++] = (struct vmx_msr_entry){ MSR_LSTAR, 0, 0 };
			FV(c, VM_ENTRY_MSR_LOAD_COUNT) = c->n_msr_load;
		}
		return 0;
	default:
		break;
	}
	e = &c->msr_load[vmxfz_below(m->rng, c->n_msr_load)];
	switch (vmxfz_below(m->rng, 3)) {
	case 0: e->index = msr_indexes[vmxfz_below(m->rng, sizeof(msr_indexes) / 4)]; break;
	case 1: e->reserved = 1u << vmxfz_below(m->rng, 32); break;
	default: e->value = vmxfz_boundary(m->rng, 64); break;
	}
	return 1 << VC_MSR;
}

/* The basic-check state, plus the memory the checks read. */
int vmxfz_op_state(struct vmxfz_ctx *m)
{
	struct vmx_case *c = m->c;

	switch (vmxfz_below(m->rng, 10)) {
	case 0: c->instr ^= 1; break;
	case 1: c->launch_state ^= 1; break;
	case 2: c->movss_blocking ^= 1; break;
	case 3: c->no_current_vmcs ^= 1; break;
	case 4: c->current_is_shadow ^= 1; break;
	case 5: c->vtpr = (uint8_t)vmxfz_next(m->rng); return 0;
	case 6: c->x2apic_mode ^= 1; return 0;
	case 7: c->link_revision ^= 1u << vmxfz_below(m->rng, 32); return 1 << VC_GUEST;
	case 8: c->link_shadow ^= 1; return 1 << VC_GUEST;
	default: c->link_is_current ^= 1; return 1 << VC_GUEST;
	}
	return 1 << VC_BASIC;
}

/* Any field: a boundary value, a flipped bit or a small step. */
static bool caps_bound(int f)
{
	struct vmxfz_ctl ctls[VMXFZ_N_CTLS];
	struct vmx_caps none = { 0 };

	vmxfz_ctls(&none, ctls);
	for (int i = 0; i < VMXFZ_N_CTLS; i++)
		if ((int)ctls[i].f == f)
			return true;
	return f == VF_GUEST_CR0 || f == VF_GUEST_CR4 || f == VF_HOST_CR0 ||
	       f == VF_HOST_CR4;
}

int vmxfz_op_field(struct vmxfz_ctx *m)
{
	int f = (int)vmxfz_below(m->rng, VF_COUNT);
	uint64_t mask = vmx_field_mask(f);
	int bits = mask == ~0ull ? 64 : __builtin_popcountll(mask);

	if (m->within_caps && caps_bound(f))
		return -1;	/* those words are the ctrl-bit and cr-bit operators' */

	switch (vmxfz_below(m->rng, 4)) {
	case 0: m->c->f[f] = vmxfz_boundary(m->rng, bits); break;
	case 1: m->c->f[f] ^= 1ull << vmxfz_below(m->rng, (uint32_t)bits); break;
	case 2: m->c->f[f] += vmxfz_chance(m->rng, 1, 2) ? 1 : -1ull; break;
	default: m->c->f[f] ^= 1ull << vmxfz_below(m->rng, 8); break;
	}
	m->c->f[f] &= mask;
	return 0;
}

/* Put one differing field back to its baseline value: lets an input that
 * piled up violations shed one and reach the checks behind it. */
int vmxfz_op_revert(struct vmxfz_ctx *m)
{
	struct vmx_case base;
	int diff[VF_COUNT], n = 0, f;

	if (*m->baseline < 0 || vmx_baseline_build(*m->baseline, m->caps, &base))
		memset(&base, 0, sizeof(base));
	for (f = 0; f < VF_COUNT; f++)
		if (m->c->f[f] != base.f[f])
			diff[n++] = f;
	if (!n)
		return -1;
	f = diff[vmxfz_below(m->rng, (uint32_t)n)];
	m->c->f[f] = base.f[f];
	return 0;
}

/* Move the case onto another baseline, keeping (most of) its differences
 * from the old one: the same violation is tried in another mode. */
int vmxfz_op_baseline(struct vmxfz_ctx *m)
{
	struct vmx_case old, next;
	int b = (int)vmxfz_below(m->rng, BL_COUNT);
	bool keep = vmxfz_chance(m->rng, 2, 3);

	if (vmx_baseline_build(b, m->caps, &next))
		return -1;
	if (*m->baseline < 0 || vmx_baseline_build(*m->baseline, m->caps, &old))
		memset(&old, 0, sizeof(old));
	for (int f = 0; keep && f < VF_COUNT; f++)
		if (m->c->f[f] != old.f[f])
			next.f[f] = m->c->f[f];
	if (keep) {
		for (int k = 0; k < SK_COUNT; k++)
			if (vmx_state_get(m->c, k) != vmx_state_get(&old, k))
				vmx_state_set(&next, k, vmx_state_get(m->c, k));
	}
	*m->c = next;
	*m->baseline = b;
	return 0;
}
