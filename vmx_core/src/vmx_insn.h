/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Thin wrappers around the VMX and system instructions the core needs.
 * Inline asm without labels, so the compiler may duplicate them freely; the
 * one routine that must exist exactly once (VM entry and the VM-exit landing)
 * lives in vmenter.S.
 */
#ifndef VMX_CORE_INSN_H
#define VMX_CORE_INSN_H

#include "vmx_core_types.h"

#define RFLAGS_CF	(1ull << 0)
#define RFLAGS_ZF	(1ull << 6)

/* VMX instructions report through CF/ZF: return RFLAGS after each one. */
static inline uint64_t vi_vmxon(uint64_t pa)
{
	uint64_t fl;

	asm volatile("vmxon %1; pushfq; popq %0" : "=r"(fl) : "m"(pa) : "cc", "memory");
	return fl;
}

static inline void vi_vmxoff(void)
{
	asm volatile("vmxoff" ::: "cc", "memory");
}

static inline uint64_t vi_vmclear(uint64_t pa)
{
	uint64_t fl;

	asm volatile("vmclear %1; pushfq; popq %0" : "=r"(fl) : "m"(pa) : "cc", "memory");
	return fl;
}

static inline uint64_t vi_vmptrld(uint64_t pa)
{
	uint64_t fl;

	asm volatile("vmptrld %1; pushfq; popq %0" : "=r"(fl) : "m"(pa) : "cc", "memory");
	return fl;
}

static inline uint64_t vi_vmwrite(uint64_t enc, uint64_t val)
{
	uint64_t fl;

	asm volatile("vmwrite %2, %1; pushfq; popq %0"
		     : "=r"(fl) : "r"(enc), "rm"(val) : "cc", "memory");
	return fl;
}

/* VMWRITE, false on VMfail (CF or ZF).  A branch instead of the RFLAGS
 * round trip through the stack: a batch does this millions of times.
 */
static inline bool vi_vmwrite_ok(uint64_t enc, uint64_t val)
{
	asm goto("vmwrite %1, %0; jbe %l[failed]"
		 : : "r"(enc), "rm"(val) : "cc", "memory" : failed);
	return true;
failed:
	return false;
}

static inline uint64_t vi_vmread(uint64_t enc, uint64_t *val)
{
	uint64_t fl, v = 0;

	asm volatile("vmread %2, %1; pushfq; popq %0"
		     : "=r"(fl), "=r"(v) : "r"(enc), "1"(v) : "cc", "memory");
	*val = v;
	return fl;
}

static inline void vi_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(sub));
}

static inline uint64_t vi_read_cr4(void)
{
	uint64_t v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void vi_write_cr4(uint64_t v)
{
	asm volatile("mov %0, %%cr4" :: "r"(v) : "memory");
}

static inline uint64_t vi_read_cr0(void)
{
	uint64_t v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

struct vi_dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static inline void vi_lgdt(uint64_t base, uint16_t limit)
{
	struct vi_dtr d = { limit, base };

	asm volatile("lgdt %0" :: "m"(d) : "memory");
}

static inline void vi_lidt(uint64_t base, uint16_t limit)
{
	struct vi_dtr d = { limit, base };

	asm volatile("lidt %0" :: "m"(d) : "memory");
}

static inline void vi_sgdt(struct vi_dtr *d)
{
	asm volatile("sgdt %0" : "=m"(*d));
}

static inline void vi_sidt(struct vi_dtr *d)
{
	asm volatile("sidt %0" : "=m"(*d));
}

static inline void vi_ltr(uint16_t sel)
{
	asm volatile("ltr %0" :: "rm"(sel) : "memory");
}

static inline void vi_lldt(uint16_t sel)
{
	asm volatile("lldt %0" :: "rm"(sel) : "memory");
}

static inline uint16_t vi_str(void)
{
	uint16_t s;

	asm volatile("str %0" : "=rm"(s));
	return s;
}

static inline uint16_t vi_sldt(void)
{
	uint16_t s;

	asm volatile("sldt %0" : "=rm"(s));
	return s;
}

static inline void vi_load_ds(uint16_t s) { asm volatile("mov %0, %%ds" :: "rm"(s)); }
static inline void vi_load_es(uint16_t s) { asm volatile("mov %0, %%es" :: "rm"(s)); }
static inline void vi_load_fs(uint16_t s) { asm volatile("mov %0, %%fs" :: "rm"(s)); }

#endif
