// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for SDM 26.3.1.2-26.3.1.4: guest segment registers, descriptor-
 * table registers, RIP, RFLAGS and SSP.  Each breaks one check and expects
 * a VM exit with basic reason 33, qualification 0.  Modes other than 64-bit
 * (unrestricted real mode, virtual-8086, compatibility mode) are built from
 * BL_LONG64 by the helpers below, so the tests do not depend on the other
 * baselines.
 */
#include "check_test.h"

#define AR_DPL(d)	((uint64_t)(d) << VMX_AR_DPL_SHIFT)

/* Unrestricted real mode: CR0.PE = CR0.PG = 0, not IA-32e mode. */
static void real_ug(struct vmx_case *c)
{
	ug_on(c);
	FLD(c, GUEST_CR0) &= ~(X86_CR0_PE | X86_CR0_PG);
	FLD(c, VM_ENTRY_CONTROLS) &= ~VM_ENTRY_IA32E_MODE;
}

/* Virtual-8086 segments (base = selector * 16, limit FFFFH, AR F3H) and
 * RFLAGS.VM; the caller decides the paging mode. */
static void v86_segs(struct vmx_case *c)
{
	static const enum vmx_field sel[] = {
		VF_GUEST_ES_SELECTOR, VF_GUEST_CS_SELECTOR, VF_GUEST_SS_SELECTOR,
		VF_GUEST_DS_SELECTOR, VF_GUEST_FS_SELECTOR, VF_GUEST_GS_SELECTOR,
	};

	for (int i = 0; i < 6; i++) {
		uint64_t s = 0x1000 + 0x100 * i;

		c->f[sel[i]] = s;
		c->f[sel[i] - VF_GUEST_ES_SELECTOR + VF_GUEST_ES_BASE] = s << 4;
		c->f[sel[i] - VF_GUEST_ES_SELECTOR + VF_GUEST_ES_LIMIT] = 0xffff;
		c->f[sel[i] - VF_GUEST_ES_SELECTOR + VF_GUEST_ES_AR_BYTES] = 0xf3;
	}
	FLD(c, GUEST_RFLAGS) |= X86_RFLAGS_VM;
}

/* A virtual-8086 guest with 32-bit (non-PAE) paging. */
static void v86(struct vmx_case *c)
{
	FLD(c, VM_ENTRY_CONTROLS) &= ~VM_ENTRY_IA32E_MODE;
	FLD(c, GUEST_CR4) &= ~X86_CR4_PAE;
	v86_segs(c);
}

/* A usable LDT. */
static void ldtr_usable(struct vmx_case *c)
{
	FLD(c, GUEST_LDTR_SELECTOR) = 0x20;
	FLD(c, GUEST_LDTR_LIMIT) = 0xffff;
	FLD(c, GUEST_LDTR_AR_BYTES) = VMX_AR_P | 2;
}

/* CPL 3: CS and SS selectors with RPL 3, DPL 3. */
static void cpl(struct vmx_case *c, unsigned int pl)
{
	FLD(c, GUEST_CS_SELECTOR) = (FLD(c, GUEST_CS_SELECTOR) & ~3ull) | pl;
	FLD(c, GUEST_SS_SELECTOR) = (FLD(c, GUEST_SS_SELECTOR) & ~3ull) | pl;
	FLD(c, GUEST_CS_AR_BYTES) = (FLD(c, GUEST_CS_AR_BYTES) & ~VMX_AR_DPL_MASK) | AR_DPL(pl);
	FLD(c, GUEST_SS_AR_BYTES) = (FLD(c, GUEST_SS_AR_BYTES) & ~VMX_AR_DPL_MASK) | AR_DPL(pl);
}

static void cs_type(struct vmx_case *c, unsigned int type)
{
	FLD(c, GUEST_CS_AR_BYTES) = (FLD(c, GUEST_CS_AR_BYTES) & ~0xfull) | type;
}

/* 26.3.1.2 selectors */
MUT(tr_ti, FLD(c, GUEST_TR_SELECTOR) |= 4)
MUT(ldtr_ti, ldtr_usable(c); FLD(c, GUEST_LDTR_SELECTOR) |= 4)
MUT(cs_rpl3, FLD(c, GUEST_CS_SELECTOR) |= 3)
/* virtual-8086 */
MUT(v86_base, v86(c); FLD(c, GUEST_DS_BASE) += 1)
MUT(v86_limit, v86(c); FLD(c, GUEST_GS_LIMIT) = 0xfffff)
MUT(v86_ar, v86(c); FLD(c, GUEST_CS_AR_BYTES) = 0xfb)
/* bases */
MUT(tr_base, FLD(c, GUEST_TR_BASE) = NONCANON)
MUT(fs_base, FLD(c, GUEST_FS_BASE) = NONCANON)
MUT(gs_base, FLD(c, GUEST_GS_BASE) = NONCANON)
MUT(ldtr_base, ldtr_usable(c); FLD(c, GUEST_LDTR_BASE) = NONCANON)
MUT(cs_base_hi, FLD(c, GUEST_CS_BASE) = 1ull << 32)
MUT(ss_base_hi, FLD(c, GUEST_SS_BASE) = 1ull << 32)
MUT(ds_base_hi, FLD(c, GUEST_DS_BASE) = 1ull << 63)
MUT(es_base_hi, FLD(c, GUEST_ES_BASE) = 1ull << 40)
/* CS */
MUT(cs_data_no_ug, cs_type(c, 3))
MUT(cs_type_8, cs_type(c, 8))
MUT(cs_no_s, FLD(c, GUEST_CS_AR_BYTES) &= ~VMX_AR_S)
MUT(cs_type3_dpl1, real_ug(c); cs_type(c, 3); FLD(c, GUEST_CS_AR_BYTES) |= AR_DPL(1))
MUT(cs_nonconf_dpl, FLD(c, GUEST_CS_AR_BYTES) |= AR_DPL(1))
MUT(cs_conf_dpl, cs_type(c, 15); FLD(c, GUEST_CS_AR_BYTES) |= AR_DPL(2))
MUT(cs_no_p, FLD(c, GUEST_CS_AR_BYTES) &= ~VMX_AR_P)
MUT(cs_rsvd8, FLD(c, GUEST_CS_AR_BYTES) |= 1u << 8)
MUT(cs_rsvd17, FLD(c, GUEST_CS_AR_BYTES) |= 1u << 17)
MUT(cs_db_l, FLD(c, GUEST_CS_AR_BYTES) |= VMX_AR_DB)
MUT(cs_limit_g, FLD(c, GUEST_CS_LIMIT) = 0xfffff000)
/* SS */
MUT(ss_type1, FLD(c, GUEST_SS_AR_BYTES) = (FLD(c, GUEST_SS_AR_BYTES) & ~0xfull) | 1)
MUT(ss_no_s, FLD(c, GUEST_SS_AR_BYTES) &= ~VMX_AR_S)
MUT(ss_dpl3_rpl0, FLD(c, GUEST_SS_AR_BYTES) |= AR_DPL(3); FLD(c, GUEST_CS_AR_BYTES) |= AR_DPL(3))
MUT(ss_dpl3_real, real_ug(c); FLD(c, GUEST_SS_AR_BYTES) |= AR_DPL(3);
    FLD(c, GUEST_CS_AR_BYTES) |= AR_DPL(3))
MUT(ss_no_p, FLD(c, GUEST_SS_AR_BYTES) &= ~VMX_AR_P)
MUT(ss_rsvd, FLD(c, GUEST_SS_AR_BYTES) |= 1u << 31)
MUT(ss_limit_g, FLD(c, GUEST_SS_LIMIT) = 0xffffe)
/* DS, ES, FS, GS */
MUT(ds_not_accessed, FLD(c, GUEST_DS_AR_BYTES) &= ~1ull)
MUT(es_code_exec_only, FLD(c, GUEST_ES_AR_BYTES) = (FLD(c, GUEST_ES_AR_BYTES) & ~0xfull) | 9)
MUT(fs_no_s, FLD(c, GUEST_FS_AR_BYTES) &= ~VMX_AR_S)
MUT(gs_rpl3_dpl0, FLD(c, GUEST_GS_SELECTOR) |= 3)
MUT(ds_no_p, FLD(c, GUEST_DS_AR_BYTES) &= ~VMX_AR_P)
MUT(es_rsvd, FLD(c, GUEST_ES_AR_BYTES) |= 1u << 11)
MUT(fs_limit_g, FLD(c, GUEST_FS_AR_BYTES) &= ~VMX_AR_G)
/* TR */
MUT(tr_type3_ia32e, FLD(c, GUEST_TR_AR_BYTES) = (FLD(c, GUEST_TR_AR_BYTES) & ~0xfull) | 3)
MUT(tr_s, FLD(c, GUEST_TR_AR_BYTES) |= VMX_AR_S)
MUT(tr_no_p, FLD(c, GUEST_TR_AR_BYTES) &= ~VMX_AR_P)
MUT(tr_rsvd, FLD(c, GUEST_TR_AR_BYTES) |= 1u << 9)
MUT(tr_limit_g, FLD(c, GUEST_TR_AR_BYTES) |= VMX_AR_G)
MUT(tr_unusable, FLD(c, GUEST_TR_AR_BYTES) |= VMX_AR_UNUSABLE)
/* LDTR */
MUT(ldtr_type3, ldtr_usable(c); FLD(c, GUEST_LDTR_AR_BYTES) = VMX_AR_P | 3)
MUT(ldtr_s, ldtr_usable(c); FLD(c, GUEST_LDTR_AR_BYTES) |= VMX_AR_S)
MUT(ldtr_no_p, ldtr_usable(c); FLD(c, GUEST_LDTR_AR_BYTES) &= ~VMX_AR_P)
MUT(ldtr_rsvd, ldtr_usable(c); FLD(c, GUEST_LDTR_AR_BYTES) |= 1u << 20)
MUT(ldtr_limit_g, ldtr_usable(c); FLD(c, GUEST_LDTR_LIMIT) = 0x100000)
/* FRED */
MUT(fred_cpl1, FLD(c, GUEST_CR4) |= X86_CR4_FRED; cpl(c, 1))
MUT(fred_cpl0_compat, FLD(c, GUEST_CR4) |= X86_CR4_FRED; FLD(c, GUEST_CS_AR_BYTES) &= ~VMX_AR_L)
/* 26.3.1.3 descriptor tables */
MUT(gdtr_base, FLD(c, GUEST_GDTR_BASE) = NONCANON)
MUT(idtr_base, FLD(c, GUEST_IDTR_BASE) = 0xfff0000000000000ull)
MUT(gdtr_limit, FLD(c, GUEST_GDTR_LIMIT) = 0x10000)
MUT(idtr_limit, FLD(c, GUEST_IDTR_LIMIT) = 0xffffffff)
/* 26.3.1.4 RIP, RFLAGS, SSP */
MUT(rip_hi_compat, FLD(c, GUEST_CS_AR_BYTES) &= ~VMX_AR_L; FLD(c, GUEST_RIP) = 1ull << 32)
MUT(rip_bit48, FLD(c, GUEST_RIP) = 1ull << 48)
MUT(rflags_bit3, FLD(c, GUEST_RFLAGS) |= 1ull << 3)
MUT(rflags_bit22, FLD(c, GUEST_RFLAGS) |= 1ull << 22)
MUT(rflags_zero, FLD(c, GUEST_RFLAGS) = 0)
MUT(rflags_vm_ia32e, v86_segs(c))
MUT(rflags_vm_real, real_ug(c); v86_segs(c))
MUT(extint_if0, FLD(c, VM_ENTRY_INTR_INFO_FIELD) = INTR_INFO_VALID | 0x20)
MUT(fred_cpl3_iopl, FLD(c, GUEST_CR4) |= X86_CR4_FRED; cpl(c, 3); FLD(c, GUEST_RFLAGS) |= 1ull << 12)
MUT(ssp_align, FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_LOAD_CET_STATE; FLD(c, GUEST_SSP) = 0x1001)
MUT(ssp_hi_compat, FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_LOAD_CET_STATE;
    FLD(c, GUEST_CS_AR_BYTES) &= ~VMX_AR_L; FLD(c, GUEST_SSP) = 1ull << 32)
MUT(ssp_bit48, FLD(c, VM_ENTRY_CONTROLS) |= VM_ENTRY_LOAD_CET_STATE; FLD(c, GUEST_SSP) = 1ull << 48)

/* The same rules from the mode baselines of baseline_modes.c */
MUT(bl_v86_ss_ar, FLD(c, GUEST_SS_AR_BYTES) = 0xf2)
MUT(bl_v86_fs_base, FLD(c, GUEST_FS_BASE) = 0)
MUT(bl_real_ss_dpl3, FLD(c, GUEST_SS_AR_BYTES) |= AR_DPL(3); FLD(c, GUEST_CS_AR_BYTES) |= AR_DPL(3))
MUT(bl_real_cs_type3_dpl2, cs_type(c, 3); FLD(c, GUEST_CS_AR_BYTES) |= AR_DPL(2))
MUT(bl_real_vm, v86_segs(c))
MUT(bl_prot32_tr_avail, FLD(c, GUEST_TR_AR_BYTES) = (FLD(c, GUEST_TR_AR_BYTES) & ~0xfull) | 9)
MUT(bl_pae32_ss_rpl, FLD(c, GUEST_SS_SELECTOR) |= 1; FLD(c, GUEST_SS_AR_BYTES) |= AR_DPL(1);
    FLD(c, GUEST_CS_AR_BYTES) |= AR_DPL(1))

#define EXIT33 "{exit(33,qual=0)}"
#define T(name, id, fn) { name, id, BL_LONG64, fn, EXIT33 }
CHECK_TEST_TABLE(guest_segs,
	T("TR selector TI", GST_TR_SEL_TI, tr_ti),
	T("usable LDTR selector TI", GST_LDTR_SEL_TI, ldtr_ti),
	T("CS RPL 3, SS RPL 0", GST_SS_RPL_CS_RPL, cs_rpl3),
	T("virtual-8086 DS base != selector * 16", GST_V86_BASE, v86_base),
	T("virtual-8086 GS limit FFFFFH", GST_V86_LIMIT, v86_limit),
	T("virtual-8086 CS access rights FBH", GST_V86_AR, v86_ar),
	T("TR base non-canonical", GST_TR_BASE_CANON, tr_base),
	T("FS base non-canonical", GST_FS_BASE_CANON, fs_base),
	T("GS base non-canonical", GST_GS_BASE_CANON, gs_base),
	T("usable LDTR base non-canonical", GST_LDTR_BASE_CANON, ldtr_base),
	T("CS base bit 32", GST_CS_BASE_HI32, cs_base_hi),
	T("usable SS base bit 32", GST_SS_BASE_HI32, ss_base_hi),
	T("usable DS base bit 63", GST_DS_BASE_HI32, ds_base_hi),
	T("usable ES base bit 40", GST_ES_BASE_HI32, es_base_hi),
	T("CS data type 3 without unrestricted guest", GST_CS_TYPE, cs_data_no_ug),
	T("CS type 8 (not accessed)", GST_CS_TYPE, cs_type_8),
	T("CS S clear", GST_CS_S, cs_no_s),
	T("unrestricted real mode, CS type 3 with DPL 1", GST_CS_DPL_TYPE3, cs_type3_dpl1),
	T("non-conforming CS DPL 1, SS DPL 0", GST_CS_DPL_NONCONF, cs_nonconf_dpl),
	T("conforming CS DPL 2 > SS DPL 0", GST_CS_DPL_CONF, cs_conf_dpl),
	T("CS not present", GST_CS_P, cs_no_p),
	T("CS access-rights bit 8", GST_CS_AR_RSVD, cs_rsvd8),
	T("CS access-rights bit 17", GST_CS_AR_RSVD, cs_rsvd17),
	T("64-bit CS with D/B set", GST_CS_DB_L, cs_db_l),
	T("CS limit FFFFF000H with G", GST_CS_LIMIT_G, cs_limit_g),
	T("SS type 1 (read-only)", GST_SS_TYPE, ss_type1),
	T("SS S clear", GST_SS_S, ss_no_s),
	T("SS DPL 3 with RPL 0", GST_SS_DPL_RPL, ss_dpl3_rpl0),
	T("unrestricted real mode with SS DPL 3", GST_SS_DPL_ZERO, ss_dpl3_real),
	T("SS not present", GST_SS_P, ss_no_p),
	T("SS access-rights bit 31", GST_SS_AR_RSVD, ss_rsvd),
	T("SS limit FFFFEH with G", GST_SS_LIMIT_G, ss_limit_g),
	T("DS not accessed", GST_DATA_TYPE_ACCESSED, ds_not_accessed),
	T("ES execute-only code", GST_DATA_TYPE_READABLE, es_code_exec_only),
	T("FS S clear", GST_DATA_S, fs_no_s),
	T("GS RPL 3 above DPL 0", GST_DATA_DPL_RPL, gs_rpl3_dpl0),
	T("DS not present", GST_DATA_P, ds_no_p),
	T("ES access-rights bit 11", GST_DATA_AR_RSVD, es_rsvd),
	T("FS limit FFFFFFFFH without G", GST_DATA_LIMIT_G, fs_limit_g),
	T("TR type 3 in IA-32e guest", GST_TR_TYPE, tr_type3_ia32e),
	T("TR S set", GST_TR_S, tr_s),
	T("TR not present", GST_TR_P, tr_no_p),
	T("TR access-rights bit 9", GST_TR_AR_RSVD, tr_rsvd),
	T("TR limit 67H with G", GST_TR_LIMIT_G, tr_limit_g),
	T("TR unusable", GST_TR_UNUSABLE, tr_unusable),
	T("usable LDTR type 3", GST_LDTR_TYPE, ldtr_type3),
	T("usable LDTR S set", GST_LDTR_S, ldtr_s),
	T("usable LDTR not present", GST_LDTR_P, ldtr_no_p),
	T("usable LDTR access-rights bit 20", GST_LDTR_AR_RSVD, ldtr_rsvd),
	T("usable LDTR limit 100000H without G", GST_LDTR_LIMIT_G, ldtr_limit_g),
	T("FRED guest at CPL 1", GST_FRED_SS_DPL, fred_cpl1),
	T("FRED guest at CPL 0 in compatibility mode", GST_FRED_CPL0_CS_L, fred_cpl0_compat),
	T("GDTR base non-canonical", GST_GDTR_BASE_CANON, gdtr_base),
	T("IDTR base non-canonical", GST_IDTR_BASE_CANON, idtr_base),
	T("GDTR limit 10000H", GST_GDTR_LIMIT_HI, gdtr_limit),
	T("IDTR limit FFFFFFFFH", GST_IDTR_LIMIT_HI, idtr_limit),
	T("compatibility-mode RIP bit 32", GST_RIP_HI32, rip_hi_compat),
	T("64-bit RIP bit 48 (bits 63:48 not identical)", GST_RIP_CANON, rip_bit48),
	T("RFLAGS bit 3", GST_RFLAGS_RSVD0, rflags_bit3),
	T("RFLAGS bit 22", GST_RFLAGS_RSVD0, rflags_bit22),
	T("RFLAGS bit 1 clear", GST_RFLAGS_FIXED1, rflags_zero),
	T("RFLAGS.VM in IA-32e guest", GST_RFLAGS_VM_IA32E, rflags_vm_ia32e),
	T("RFLAGS.VM with CR0.PE clear", GST_RFLAGS_VM_REAL, rflags_vm_real),
	T("external interrupt injected with RFLAGS.IF clear", GST_RFLAGS_IF_EXTINT, extint_if0),
	T("FRED guest at CPL 3 with IOPL 1", GST_FRED_IOPL, fred_cpl3_iopl),
	T("guest SSP bit 0", GST_SSP_ALIGN, ssp_align),
	T("compatibility-mode SSP bit 32", GST_SSP_HI32, ssp_hi_compat),
	T("64-bit SSP bit 48 (bits 63:48 not identical)", GST_SSP_CANON, ssp_bit48),
	{ "v86 baseline: SS access rights F2H", GST_V86_AR, BL_V86, bl_v86_ss_ar, EXIT33 },
	{ "v86 baseline: FS base 0 with selector 200H", GST_V86_BASE, BL_V86, bl_v86_fs_base, EXIT33 },
	{ "real-ug baseline: SS DPL 3", GST_SS_DPL_ZERO, BL_REAL_UG, bl_real_ss_dpl3, EXIT33 },
	{ "real-ug baseline: CS type 3 with DPL 2", GST_CS_DPL_TYPE3, BL_REAL_UG, bl_real_cs_type3_dpl2, EXIT33 },
	{ "real-ug baseline: RFLAGS.VM", GST_RFLAGS_VM_REAL, BL_REAL_UG, bl_real_vm, EXIT33 },
	{ "prot32 baseline: TR type 9 (available TSS)", GST_TR_TYPE, BL_PROT32, bl_prot32_tr_avail, EXIT33 },
	{ "pae32 baseline: SS RPL 1, CS RPL 0", GST_SS_RPL_CS_RPL, BL_PAE32, bl_pae32_ss_rpl, EXIT33 },
);
