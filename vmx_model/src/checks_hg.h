/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the host-state and guest-register check files
 * (checks_host_*.c, checks_guest_{regs,segs,desc,rip_rflags}.c).  All are
 * branch-light bit tests on field values: the model's hot path.
 */
#ifndef VMXCC_CHECKS_HG_H
#define VMXCC_CHECKS_HG_H

#include "model_internal.h"

/* Access-rights bits that are reserved for every segment register. */
#define HG_AR_RSVD		0xfffe0f00u
#define HG_AR_TYPE(ar)		((ar) & VMX_AR_TYPE_MASK)
#define HG_AR_DPL(ar)		(((ar) & VMX_AR_DPL_MASK) >> VMX_AR_DPL_SHIFT)

/* IA32_S_CET (SDM Vol. 1 "Control-flow Enforcement Technology"). */
#define HG_CET_SH_STK		0x3ull			/* SH_STK_EN, WR_SHSTK_EN */
#define HG_CET_IBT		(0x3cull | ~0x3ffull)	/* ENDBR_EN..NO_TRACK, SUPPRESS, TRACKER, legacy bitmap */
#define HG_CET_RSVD_ALWAYS	0x3c0ull		/* bits 9:6 */
#define HG_CET_SUPPRESS		BIT_ULL(10)
#define HG_CET_TRACKER		BIT_ULL(11)

/* IA32_FRED_CONFIG bits 2, 5:4 and 11 are reserved; RSPn are 64-byte
 * aligned; SSPn are 8-byte aligned. */
#define HG_FRED_CONFIG_RSVD	0x834ull
#define HG_FRED_RSP_LOW		0x3full
#define HG_FRED_SSP_LOW		0x7ull

/* CR0.NW and CR0.CD are never checked, in the guest or the host field:
 * neither VM entry nor VM exit changes them (SDM 26.2.2 and 26.3.1.1). */
#define HG_CR0_UNCHECKED	(X86_CR0_NW | X86_CR0_CD)

/* CR3: bits 63:52 and bits 51:32 beyond MAXPHYADDR must be 0.  Unlike the
 * VMCS pointers, CR3 is not narrowed by IA32_VMX_BASIC[48]. */
static inline bool hg_cr3_bad(const struct vmx_caps *caps, uint64_t cr3)
{
	return cr3 & (~0ull << caps->p.maxphyaddr);
}

static inline bool hg_has_cet(const struct vmx_caps *caps)
{
	return caps->p.has_cet_ss || caps->p.has_cet_ibt;
}

/* IA32_S_CET bits that are reserved on this profile: bits 9:6 always,
 * the shadow-stack bits without CET_SS, the IBT bits without CET_IBT. */
static inline uint64_t hg_s_cet_rsvd(const struct vmx_caps *caps)
{
	return HG_CET_RSVD_ALWAYS |
	       (caps->p.has_cet_ss ? 0 : HG_CET_SH_STK) |
	       (caps->p.has_cet_ibt ? 0 : HG_CET_IBT);
}

/* "Bits 63:N must be identical" (N = linear-address width): one bit looser
 * than canonical, which requires bits 63:N-1 to be identical. */
static inline bool hg_upper_identical(const struct vmx_caps *caps, uint64_t a)
{
	unsigned int shift = 63 - caps->p.linear_width;

	return (uint64_t)((int64_t)(a << shift) >> shift) == a;
}

/* Every byte of a PAT value is 0 (UC), 1 (WC), 4 (WT), 5 (WP), 6 (WB) or 7 (UC-). */
static inline bool hg_pat_ok(uint64_t pat)
{
	/* A byte is bad if any of bits 7:3 is set, or if bits 2:1 are 01b. */
	uint64_t hi = pat & 0xf8f8f8f8f8f8f8f8ull;
	uint64_t b1 = pat & 0x0202020202020202ull;
	uint64_t b2 = (pat >> 1) & 0x0202020202020202ull;

	return !hi && !(b1 & ~b2);
}

/* Limit/G consistency: limit bits 11:0 not all 1 need G = 0, limit bits
 * 31:20 not all 0 need G = 1. */
static inline bool hg_limit_g_bad(uint64_t limit, uint64_t ar)
{
	if (ar & VMX_AR_G)
		return (limit & 0xfff) != 0xfff;
	return (limit & 0xfff00000u) != 0;
}

static inline bool hg_unrestricted(const struct vmx_case *c)
{
	return (c->f[VF_CPU_BASED_VM_EXEC_CONTROL] & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
	       (c->f[VF_SECONDARY_VM_EXEC_CONTROL] & SECONDARY_EXEC_UNRESTRICTED_GUEST);
}

static inline bool hg_ia32e_guest(const struct vmx_case *c)
{
	return c->f[VF_VM_ENTRY_CONTROLS] & VM_ENTRY_IA32E_MODE;
}

/* The guest will run 64-bit code: IA-32e mode guest and CS.L = 1. */
static inline bool hg_64bit_guest(const struct vmx_case *c)
{
	return hg_ia32e_guest(c) && (c->f[VF_GUEST_CS_AR_BYTES] & VMX_AR_L);
}

/* The FRED MSR block (CONFIG, RSP1-3, SSP1-3) is checked the same way when
 * loaded into the guest on entry and into the host on exit; @first is the
 * CONFIG field, the others follow it in fields.def order (RSP1-3, STKLVLS,
 * SSP1-3), and @ids are the six check ids of the side being checked:
 * config reserved, config canonical, RSP alignment, RSP canonical, SSP
 * alignment, SSP canonical. */
_Static_assert(VF_GUEST_IA32_FRED_SSP3 == VF_GUEST_IA32_FRED_CONFIG + 7 &&
	       VF_HOST_IA32_FRED_SSP3 == VF_HOST_IA32_FRED_CONFIG + 7,
	       "fields.def must keep the FRED MSR block together and in order");

static inline void hg_fred_block(const struct vmx_caps *caps, const struct vmx_case *c,
				 struct vmx_verdict *v, enum vmx_field first,
				 const enum vmx_check_id ids[6])
{
	uint64_t config = c->f[first];
	bool rsp_low = false, rsp_canon = false, ssp_low = false, ssp_canon = false;

	for (int i = 0; i < 3; i++) {
		uint64_t rsp = c->f[first + 1 + i], ssp = c->f[first + 5 + i];

		rsp_low |= (rsp & HG_FRED_RSP_LOW) != 0;
		rsp_canon |= !vmx_is_canonical(caps, rsp);
		ssp_low |= (ssp & HG_FRED_SSP_LOW) != 0;
		ssp_canon |= !vmx_is_canonical(caps, ssp);
	}
	CC(v, ids[0], config & HG_FRED_CONFIG_RSVD);
	CC(v, ids[1], !vmx_is_canonical(caps, config & ~0xfffull));
	CC(v, ids[2], rsp_low);
	CC(v, ids[3], rsp_canon);
	CC(v, ids[4], ssp_low);
	CC(v, ids[5], ssp_canon);
}

#endif
