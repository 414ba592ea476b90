// SPDX-License-Identifier: GPL-2.0
/*
 * SDM Vol. 3C 26.3.1.2 "Checks on Guest Segment Registers".  Every failure
 * is a VM exit with basic reason 33, exit qualification 0.
 *
 * Terms as in the SDM: the guest is virtual-8086 if RFLAGS.VM = 1; a
 * register is usable if access-rights bit 16 is 0; "UG" is the
 * "unrestricted guest" VM-execution control.
 */
#include "vmxcc/impl_rules.h"
#include "checks_hg.h"

/* Segment registers in field order: the selector, limit, access-rights and
 * base fields of ES, CS, SS, DS, FS, GS, LDTR, TR are each contiguous in
 * fields.def, so one index reaches all four fields of a register. */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };

_Static_assert(VF_GUEST_TR_SELECTOR - VF_GUEST_ES_SELECTOR == SEG_TR &&
	       VF_GUEST_TR_LIMIT - VF_GUEST_ES_LIMIT == SEG_TR &&
	       VF_GUEST_TR_AR_BYTES - VF_GUEST_ES_AR_BYTES == SEG_TR &&
	       VF_GUEST_TR_BASE - VF_GUEST_ES_BASE == SEG_TR,
	       "guest segment fields must be contiguous in ES..TR order");

#define SEL(c, s)	((c)->f[VF_GUEST_ES_SELECTOR + (s)])
#define LIM(c, s)	((c)->f[VF_GUEST_ES_LIMIT + (s)])
#define AR(c, s)	((c)->f[VF_GUEST_ES_AR_BYTES + (s)])
#define BASE(c, s)	((c)->f[VF_GUEST_ES_BASE + (s)])

static inline bool usable(const struct vmx_case *c, int s)
{
	return !(AR(c, s) & VMX_AR_UNUSABLE);
}

/* Virtual-8086 guest: CS, SS, DS, ES, FS and GS look like real-mode
 * segments (base = selector * 16, limit FFFFH, access rights F3H). */
static void v86_segs(const struct vmx_case *c, struct vmx_verdict *v)
{
	bool base = false, limit = false, ar = false;

	for (int s = SEG_ES; s <= SEG_GS; s++) {
		base |= BASE(c, s) != (SEL(c, s) & 0xffff) << 4;
		limit |= LIM(c, s) != 0xffff;
		ar |= AR(c, s) != 0xf3;
	}
	CC(v, GST_V86_BASE, base);
	CC(v, GST_V86_LIMIT, limit);
	CC(v, GST_V86_AR, ar);
}

/* Base-address rules, which hold in every mode. */
static void seg_bases(const struct vmx_caps *caps, const struct vmx_case *c,
		      struct vmx_verdict *v)
{
	CC(v, GST_TR_BASE_CANON, !vmx_is_canonical(caps, BASE(c, SEG_TR)));
	CC(v, GST_FS_BASE_CANON, !vmx_is_canonical(caps, BASE(c, SEG_FS)));
	CC(v, GST_GS_BASE_CANON, !vmx_is_canonical(caps, BASE(c, SEG_GS)));
	if (usable(c, SEG_LDTR))
		CC(v, GST_LDTR_BASE_CANON, !vmx_is_canonical(caps, BASE(c, SEG_LDTR)));
	CC(v, GST_CS_BASE_HI32, BASE(c, SEG_CS) >> 32);
	if (usable(c, SEG_SS))
		CC(v, GST_SS_BASE_HI32, BASE(c, SEG_SS) >> 32);
	if (usable(c, SEG_DS))
		CC(v, GST_DS_BASE_HI32, BASE(c, SEG_DS) >> 32);
	if (usable(c, SEG_ES))
		CC(v, GST_ES_BASE_HI32, BASE(c, SEG_ES) >> 32);
}

/* Access rights of a usable DS, ES, FS or GS outside virtual-8086 mode. */
static inline void data_seg(const struct vmx_case *c, struct vmx_verdict *v,
			    int s, bool ug)
{
	uint64_t ar = AR(c, s);
	unsigned int type = HG_AR_TYPE(ar);

	CC(v, GST_DATA_TYPE_ACCESSED, !(type & 1));
	CC(v, GST_DATA_TYPE_READABLE, (type & 8) && !(type & 2));
	CC(v, GST_DATA_S, !(ar & VMX_AR_S));
	if (!ug && type <= 11)
		CC(v, GST_DATA_DPL_RPL, HG_AR_DPL(ar) < (SEL(c, s) & 3));
	CC(v, GST_DATA_P, !(ar & VMX_AR_P));
	CC(v, GST_DATA_AR_RSVD, ar & HG_AR_RSVD);
	CC(v, GST_DATA_LIMIT_G, hg_limit_g_bad(LIM(c, s), ar));
}

/* CS is checked whether or not it is marked unusable. */
static void cs_seg(const struct vmx_case *c, struct vmx_verdict *v, bool ug,
		   bool ia32e)
{
	uint64_t ar = AR(c, SEG_CS);
	unsigned int type = HG_AR_TYPE(ar), dpl = HG_AR_DPL(ar);
	unsigned int ss_dpl = HG_AR_DPL(AR(c, SEG_SS));

	CC(v, GST_CS_TYPE, (type & 9) != 9 && !(ug && type == 3));
	CC(v, GST_CS_S, !(ar & VMX_AR_S));
	if (type == 3)
		CC(v, GST_CS_DPL_TYPE3, dpl != 0);
	else if (type == 9 || type == 11)
		CC(v, GST_CS_DPL_NONCONF, dpl != ss_dpl);
	else if (type == 13 || type == 15)
		CC(v, GST_CS_DPL_CONF, dpl > ss_dpl);
	CC(v, GST_CS_P, !(ar & VMX_AR_P));
	CC(v, GST_CS_AR_RSVD, ar & HG_AR_RSVD);
	if (ia32e)
		CC(v, GST_CS_DB_L, (ar & VMX_AR_L) && (ar & VMX_AR_DB));
	CC(v, GST_CS_LIMIT_G, hg_limit_g_bad(LIM(c, SEG_CS), ar));
}

/* SS.DPL is the CPL after entry, so its rules hold even for an unusable SS. */
static void ss_seg(const struct vmx_case *c, struct vmx_verdict *v, bool ug)
{
	uint64_t ar = AR(c, SEG_SS);
	unsigned int dpl = HG_AR_DPL(ar);

	if (!ug)
		CC(v, GST_SS_DPL_RPL, dpl != (SEL(c, SEG_SS) & 3));
	CC(v, GST_SS_DPL_ZERO, dpl != 0 &&
	   (HG_AR_TYPE(AR(c, SEG_CS)) == 3 || !(F(c, GUEST_CR0) & X86_CR0_PE)));
	if (!usable(c, SEG_SS))
		return;
	CC(v, GST_SS_TYPE, HG_AR_TYPE(ar) != 3 && HG_AR_TYPE(ar) != 7);
	CC(v, GST_SS_S, !(ar & VMX_AR_S));
	CC(v, GST_SS_P, !(ar & VMX_AR_P));
	CC(v, GST_SS_AR_RSVD, ar & HG_AR_RSVD);
	CC(v, GST_SS_LIMIT_G, hg_limit_g_bad(LIM(c, SEG_SS), ar));
}

static void tr_seg(const struct vmx_case *c, struct vmx_verdict *v, bool ia32e)
{
	uint64_t ar = AR(c, SEG_TR);
	unsigned int type = HG_AR_TYPE(ar);

	CC(v, GST_TR_SEL_TI, SEL(c, SEG_TR) & 4);
	CC(v, GST_TR_TYPE, ia32e ? type != 11 : type != 3 && type != 11);
	CC(v, GST_TR_S, ar & VMX_AR_S);
	CC(v, GST_TR_P, !(ar & VMX_AR_P));
	CC(v, GST_TR_AR_RSVD, ar & HG_AR_RSVD);
	CC(v, GST_TR_LIMIT_G, hg_limit_g_bad(LIM(c, SEG_TR), ar));
	CC(v, GST_TR_UNUSABLE, ar & VMX_AR_UNUSABLE);
}

static void ldtr_seg(const struct vmx_case *c, struct vmx_verdict *v)
{
	uint64_t ar = AR(c, SEG_LDTR);

	if (ar & VMX_AR_UNUSABLE)
		return;
	CC(v, GST_LDTR_SEL_TI, SEL(c, SEG_LDTR) & 4);
	CC(v, GST_LDTR_TYPE, HG_AR_TYPE(ar) != 2);
	CC(v, GST_LDTR_S, ar & VMX_AR_S);
	CC(v, GST_LDTR_P, !(ar & VMX_AR_P));
	CC(v, GST_LDTR_AR_RSVD, ar & HG_AR_RSVD);
	CC(v, GST_LDTR_LIMIT_G, hg_limit_g_bad(LIM(c, SEG_LDTR), ar));
}

/* FRED: CPL (SS.DPL) is 0 or 3, and CPL 0 runs 64-bit code only. */
static void fred_segs(const struct vmx_case *c, struct vmx_verdict *v)
{
	unsigned int ss_dpl = HG_AR_DPL(AR(c, SEG_SS));

	CC(v, GST_FRED_SS_DPL, ss_dpl == 1 || ss_dpl == 2);
	if (ss_dpl == 0)
		CC(v, GST_FRED_CPL0_CS_L, !(AR(c, SEG_CS) & VMX_AR_L));
}

void vmx_check_guest_segs(const struct vmx_caps *caps, const struct vmx_case *c,
			  struct vmx_verdict *v)
{
	bool ug = hg_unrestricted(c), ia32e = hg_ia32e_guest(c);

	seg_bases(caps, c, v);
	if (F(c, GUEST_RFLAGS) & X86_RFLAGS_VM) {
		v86_segs(c, v);
	} else {
		if (!ug)
			CC(v, GST_SS_RPL_CS_RPL, (SEL(c, SEG_SS) & 3) != (SEL(c, SEG_CS) & 3));
		cs_seg(c, v, ug, ia32e);
		ss_seg(c, v, ug);
		for (int s = SEG_ES; s <= SEG_GS; s++)
			if (s != SEG_CS && s != SEG_SS && usable(c, s))
				data_seg(c, v, s, ug);
	}
	tr_seg(c, v, ia32e);
	ldtr_seg(c, v);
	if (ia32e && caps->p.has_fred && (F(c, GUEST_CR4) & X86_CR4_FRED))
		fred_segs(c, v);
}

/*
 * Rule "cs-rpl-eq-dpl" (Bochs 2.7): the CS DPL rule of SDM editions
 * before unrestricted guest, a non-conforming CS (type 9 or 11) with DPL
 * equal to its selector's RPL.  Without unrestricted guest it follows from
 * GST_SS_RPL_CS_RPL, GST_SS_DPL_RPL and GST_CS_DPL_NONCONF; with it, the SDM
 * does not relate CS.DPL to any RPL.  Same preconditions as cs_seg().
 */
int64_t vmx_rule_cs_rpl_dpl(const struct vmx_caps *caps, const struct vmx_case *c)
{
	uint64_t ar = AR(c, SEG_CS);
	unsigned int type = HG_AR_TYPE(ar);

	(void)caps;
	if ((F(c, GUEST_RFLAGS) & X86_RFLAGS_VM) || (type != 9 && type != 11))
		return -1;
	return (SEL(c, SEG_CS) & 3) != HG_AR_DPL(ar) ? 0 : -1;
}

/* Does usable data register @s fail GST_DATA_DPL_RPL (type 0-11, DPL < RPL)? */
static bool data_dpl_below_rpl(const struct vmx_case *c, int s)
{
	uint64_t ar = AR(c, s);

	return usable(c, s) && HG_AR_TYPE(ar) <= 11 && HG_AR_DPL(ar) < (SEL(c, s) & 3);
}

/*
 * Rule "data-type11-dpl" (Bochs 2.7, a skip): the DPL/RPL rule of DS, ES,
 * FS and GS is tested for "type < 11", so an execute/read accessed
 * non-conforming code segment (type 11) escapes it.  It covers a case only
 * if every register that fails GST_DATA_DPL_RPL has type 11: then that
 * check, as a whole, is not performed.  Same preconditions as data_seg().
 */
int64_t vmx_rule_data_type11_dpl(const struct vmx_caps *caps, const struct vmx_case *c)
{
	bool type11 = false;

	(void)caps;
	if ((F(c, GUEST_RFLAGS) & X86_RFLAGS_VM) || hg_unrestricted(c))
		return -1;
	for (int s = SEG_ES; s <= SEG_GS; s++) {
		if (s == SEG_CS || s == SEG_SS || !data_dpl_below_rpl(c, s))
			continue;
		if (HG_AR_TYPE(AR(c, s)) != 11)
			return -1;
		type11 = true;
	}
	return type11 ? 0 : -1;
}
