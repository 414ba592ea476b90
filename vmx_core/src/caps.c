// SPDX-License-Identifier: GPL-2.0
/*
 * Capability profile from the processor itself: the IA32_VMX_* MSRs (read
 * under the environment's #GP guard: a model may lack some of them) and the
 * CPUID facts the VM-entry checks read.
 */
#include "core_internal.h"
#include "vmxcc/arch.h"

#define MSR_IA32_XSS		0xda0
#define CPUID_EXT_BASE		0x80000000u

static void copy_name(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i]; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

/* DEBUGCTL bits the processor accepts: try each one alone. */
static uint64_t probe_debugctl(struct vmx_core_env *env)
{
	uint64_t orig, allowed = 0;

	if (!env->wrmsr_safe || env->rdmsr_safe(env->ctx, MSR_IA32_DEBUGCTL, &orig))
		return 0;
	for (int b = 0; b < 64; b++)
		if (env->wrmsr_safe(env->ctx, MSR_IA32_DEBUGCTL, 1ull << b) == 0)
			allowed |= 1ull << b;
	env->wrmsr_safe(env->ctx, MSR_IA32_DEBUGCTL, orig);
	return allowed;
}

static void read_cpuid_facts(struct vmx_core_env *env, struct vmx_profile *p)
{
	uint32_t r[4], max, ext_max;
	uint32_t l7[4] = { 0 }, l71[4] = { 0 };

	vi_cpuid(0, 0, r);
	max = r[0];
	vi_cpuid(CPUID_EXT_BASE, 0, r);
	ext_max = r[0];

	p->maxphyaddr = 36;
	if (ext_max >= 0x80000008) {
		vi_cpuid(0x80000008, 0, r);
		p->maxphyaddr = r[0] & 0xff;
	}
	p->efer_allowed = 0;
	if (ext_max >= 0x80000001) {
		vi_cpuid(0x80000001, 0, r);
		if (r[3] & (1u << 11))
			p->efer_allowed |= EFER_SCE;
		if (r[3] & (1u << 29))
			p->efer_allowed |= EFER_LME | EFER_LMA;
		if (r[3] & (1u << 20))
			p->efer_allowed |= EFER_NX;
	}
	if (max >= 7) {
		vi_cpuid(7, 0, l7);
		if (l7[0] >= 1)
			vi_cpuid(7, 1, l71);
	}
	p->linear_width = (l7[2] & (1u << 16)) ? 57 : 48;
	p->has_rtm = l7[1] & (1u << 11);
	p->has_mpx = l7[1] & (1u << 14);
	p->has_intel_pt = l7[1] & (1u << 25);
	p->has_enclave_intr = l7[1] & (1u << 2);	/* SGX */
	p->has_cet_ss = l7[2] & (1u << 7);
	p->has_pks = l7[2] & (1u << 31);
	p->has_uintr = l7[3] & (1u << 5);
	p->has_arch_lbr = l7[3] & (1u << 19);
	p->has_cet_ibt = l7[3] & (1u << 20);
	p->has_lass = l71[0] & (1u << 6);
	p->has_fred = l71[0] & (1u << 17);

	p->perf_global_ctrl_allowed = 0;
	if (max >= 0xa) {
		vi_cpuid(0xa, 0, r);
		uint32_t ngp = (r[0] >> 8) & 0xff, nfix = r[3] & 0x1f;

		if ((r[0] & 0xff) >= 2) {
			p->perf_global_ctrl_allowed = (ngp >= 64 ? ~0ull : (1ull << ngp) - 1);
			p->perf_global_ctrl_allowed |= ((1ull << nfix) - 1) << 32;
		}
	}
	p->xss_allowed = 0;
	if (max >= 0xd) {
		vi_cpuid(0xd, 1, r);
		p->xss_allowed = r[2] | ((uint64_t)r[3] << 32);
	}
	p->debugctl_allowed = probe_debugctl(env);
}

void vmx_core_read_caps(struct vmx_core_env *env, struct vmx_profile *p)
{
	core_zero(p, sizeof(*p));
	copy_name(p->name, sizeof(p->name), "read from the processor");
	for (int i = 0; i < PMSR_COUNT; i++) {
		uint64_t v;

		/* enum vmx_profile_msr follows the MSR numbers 480H..493H */
		if (env->rdmsr_safe(env->ctx, MSR_IA32_VMX_BASIC + i, &v) == 0) {
			p->msr[i] = v;
			p->msr_present |= 1u << i;
		}
	}
	read_cpuid_facts(env, p);
}
