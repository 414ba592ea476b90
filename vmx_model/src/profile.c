// SPDX-License-Identifier: GPL-2.0
/*
 * Capability profiles: validation and digestion into struct vmx_caps, and the
 * built-in synthetic profile the model's tests use.
 */
#include <stdio.h>
#include <string.h>

#include "vmxcc/arch.h"
#include "vmxcc/profile.h"

const char *const vmx_profile_msr_names[PMSR_COUNT] = {
	[PMSR_BASIC] = "IA32_VMX_BASIC",
	[PMSR_PINBASED] = "IA32_VMX_PINBASED_CTLS",
	[PMSR_PROCBASED] = "IA32_VMX_PROCBASED_CTLS",
	[PMSR_EXIT] = "IA32_VMX_EXIT_CTLS",
	[PMSR_ENTRY] = "IA32_VMX_ENTRY_CTLS",
	[PMSR_MISC] = "IA32_VMX_MISC",
	[PMSR_CR0_FIXED0] = "IA32_VMX_CR0_FIXED0",
	[PMSR_CR0_FIXED1] = "IA32_VMX_CR0_FIXED1",
	[PMSR_CR4_FIXED0] = "IA32_VMX_CR4_FIXED0",
	[PMSR_CR4_FIXED1] = "IA32_VMX_CR4_FIXED1",
	[PMSR_VMCS_ENUM] = "IA32_VMX_VMCS_ENUM",
	[PMSR_PROCBASED2] = "IA32_VMX_PROCBASED_CTLS2",
	[PMSR_EPT_VPID_CAP] = "IA32_VMX_EPT_VPID_CAP",
	[PMSR_TRUE_PINBASED] = "IA32_VMX_TRUE_PINBASED_CTLS",
	[PMSR_TRUE_PROCBASED] = "IA32_VMX_TRUE_PROCBASED_CTLS",
	[PMSR_TRUE_EXIT] = "IA32_VMX_TRUE_EXIT_CTLS",
	[PMSR_TRUE_ENTRY] = "IA32_VMX_TRUE_ENTRY_CTLS",
	[PMSR_VMFUNC] = "IA32_VMX_VMFUNC",
	[PMSR_PROCBASED3] = "IA32_VMX_PROCBASED_CTLS3",
	[PMSR_EXIT2] = "IA32_VMX_EXIT_CTLS2",
};

const uint32_t vmx_profile_msr_numbers[PMSR_COUNT] = {
	0x480, 0x481, 0x482, 0x483, 0x484, 0x485, 0x486, 0x487, 0x488, 0x489,
	0x48a, 0x48b, 0x48c, 0x48d, 0x48e, 0x48f, 0x490, 0x491, 0x492, 0x493,
};

#define ERR(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

static uint64_t msr_or0(const struct vmx_profile *p, enum vmx_profile_msr m)
{
	return (p->msr_present >> m) & 1 ? p->msr[m] : 0;
}

/* A 2x32-bit control MSR: allowed-0 settings in 31:0, allowed-1 in 63:32.
 * Every bit that must be 1 has to be allowed to be 1. */
static int split_ctls(const struct vmx_profile *p, enum vmx_profile_msr m,
		      uint32_t *must1, uint32_t *may1, char *err, size_t errlen)
{
	uint64_t v = msr_or0(p, m);

	*must1 = (uint32_t)v;
	*may1 = (uint32_t)(v >> 32);
	if (*must1 & ~*may1)
		ERR("%s: allowed-0 bit %d is not in allowed-1 (value %#llx)",
		    vmx_profile_msr_names[m], __builtin_ctz(*must1 & ~*may1),
		    (unsigned long long)v);
	return 0;
}

/*
 * A TRUE_* MSR may only report more 0-settings than its legacy twin (SDM
 * Appendix A.2: it exists to reveal that some default-1 controls can be 0):
 * a control the legacy MSR lets be 0 must not be forced to 1 by the TRUE one.
 */
static int true_ctls_narrower(const struct vmx_profile *p, char *err, size_t errlen)
{
	static const enum vmx_profile_msr pair[4][2] = {
		{ PMSR_PINBASED, PMSR_TRUE_PINBASED },
		{ PMSR_PROCBASED, PMSR_TRUE_PROCBASED },
		{ PMSR_EXIT, PMSR_TRUE_EXIT },
		{ PMSR_ENTRY, PMSR_TRUE_ENTRY },
	};

	for (unsigned int i = 0; i < 4; i++) {
		uint32_t legacy = (uint32_t)p->msr[pair[i][0]];
		uint32_t truem = (uint32_t)p->msr[pair[i][1]];

		if (truem & ~legacy)
			ERR("%s: allowed-0 bit %d is set but it is clear in %s (value %#llx)",
			    vmx_profile_msr_names[pair[i][1]], __builtin_ctz(truem & ~legacy),
			    vmx_profile_msr_names[pair[i][0]],
			    (unsigned long long)p->msr[pair[i][1]]);
	}
	return 0;
}

int vmx_caps_from_profile(struct vmx_caps *caps, const struct vmx_profile *p,
			  char *err, size_t errlen)
{
	uint64_t basic, misc;

	memset(caps, 0, sizeof(*caps));
	caps->p = *p;
	for (int m = PMSR_BASIC; m <= PMSR_CR4_FIXED1; m++)
		if (!((p->msr_present >> m) & 1))
			ERR("%s is missing (every VMX CPU has it)", vmx_profile_msr_names[m]);
	if (p->maxphyaddr < 32 || p->maxphyaddr > 52)
		ERR("MAXPHYADDR %u is out of range (32..52)", p->maxphyaddr);
	if (p->linear_width != 48 && p->linear_width != 57)
		ERR("linear-address width %u is neither 48 nor 57", p->linear_width);

	basic = p->msr[PMSR_BASIC];
	caps->revision = (uint32_t)(basic & VMX_BASIC_REVISION_MASK);
	caps->addr32 = basic & VMX_BASIC_32BIT_PHYS;
	caps->true_ctls = basic & VMX_BASIC_TRUE_CTLS;
	caps->relaxed_errcode = basic & VMX_BASIC_NO_HW_ERRCODE_CC;
	if (basic & (1ull << 31))
		ERR("IA32_VMX_BASIC: bit 31 is set (it is always 0), value %#llx",
		    (unsigned long long)basic);

	if (split_ctls(p, PMSR_PINBASED, &caps->pin_must1, &caps->pin_may1, err, errlen) ||
	    split_ctls(p, PMSR_PROCBASED, &caps->proc_must1, &caps->proc_may1, err, errlen) ||
	    split_ctls(p, PMSR_EXIT, &caps->exit_must1, &caps->exit_may1, err, errlen) ||
	    split_ctls(p, PMSR_ENTRY, &caps->entry_must1, &caps->entry_may1, err, errlen))
		return -1;
	if (caps->true_ctls) {
		static const enum vmx_profile_msr t[] = {
			PMSR_TRUE_PINBASED, PMSR_TRUE_PROCBASED, PMSR_TRUE_EXIT, PMSR_TRUE_ENTRY,
		};
		for (unsigned int i = 0; i < 4; i++)
			if (!((p->msr_present >> t[i]) & 1))
				ERR("%s is missing but IA32_VMX_BASIC[55] says it exists",
				    vmx_profile_msr_names[t[i]]);
		if (split_ctls(p, PMSR_TRUE_PINBASED, &caps->pin_must1, &caps->pin_may1, err, errlen) ||
		    split_ctls(p, PMSR_TRUE_PROCBASED, &caps->proc_must1, &caps->proc_may1, err, errlen) ||
		    split_ctls(p, PMSR_TRUE_EXIT, &caps->exit_must1, &caps->exit_may1, err, errlen) ||
		    split_ctls(p, PMSR_TRUE_ENTRY, &caps->entry_must1, &caps->entry_may1, err, errlen))
			return -1;
		if (true_ctls_narrower(p, err, errlen))
			return -1;
	}
	if (caps->proc_may1 & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) {
		uint32_t must1;

		if (!((p->msr_present >> PMSR_PROCBASED2) & 1))
			ERR("IA32_VMX_PROCBASED_CTLS2 is missing but secondary controls are allowed");
		if (split_ctls(p, PMSR_PROCBASED2, &must1, &caps->proc2_may1, err, errlen))
			return -1;
		if (must1)
			ERR("IA32_VMX_PROCBASED_CTLS2: allowed-0 bits %#x are set (secondary controls have no default-1 bits)", must1);
	}
	if (caps->proc_may1 & CPU_BASED_ACTIVATE_TERTIARY_CONTROLS) {
		if (!((p->msr_present >> PMSR_PROCBASED3) & 1))
			ERR("IA32_VMX_PROCBASED_CTLS3 is missing but tertiary controls are allowed");
		caps->proc3_may1 = p->msr[PMSR_PROCBASED3];
	}
	if (caps->exit_may1 & VM_EXIT_ACTIVATE_SECONDARY_CONTROLS) {
		if (!((p->msr_present >> PMSR_EXIT2) & 1))
			ERR("IA32_VMX_EXIT_CTLS2 is missing but secondary VM-exit controls are allowed");
		caps->exit2_may1 = p->msr[PMSR_EXIT2];
	}
	if (caps->proc2_may1 & SECONDARY_EXEC_ENABLE_VMFUNC) {
		if (!((p->msr_present >> PMSR_VMFUNC) & 1))
			ERR("IA32_VMX_VMFUNC is missing but \"enable VM functions\" is allowed");
		caps->vmfunc_may1 = p->msr[PMSR_VMFUNC];
	}
	if ((caps->proc2_may1 & (SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID)) &&
	    !((p->msr_present >> PMSR_EPT_VPID_CAP) & 1))
		ERR("IA32_VMX_EPT_VPID_CAP is missing but EPT or VPID is allowed");

	caps->cr0_fixed0 = p->msr[PMSR_CR0_FIXED0];
	caps->cr0_fixed1 = p->msr[PMSR_CR0_FIXED1];
	caps->cr4_fixed0 = p->msr[PMSR_CR4_FIXED0];
	caps->cr4_fixed1 = p->msr[PMSR_CR4_FIXED1];
	if (caps->cr0_fixed0 & ~caps->cr0_fixed1)
		ERR("IA32_VMX_CR0_FIXED0 bit %d is not in IA32_VMX_CR0_FIXED1",
		    __builtin_ctzll(caps->cr0_fixed0 & ~caps->cr0_fixed1));
	if (caps->cr4_fixed0 & ~caps->cr4_fixed1)
		ERR("IA32_VMX_CR4_FIXED0 bit %d is not in IA32_VMX_CR4_FIXED1",
		    __builtin_ctzll(caps->cr4_fixed0 & ~caps->cr4_fixed1));

	misc = p->msr[PMSR_MISC];
	caps->cr3_target_max = (uint32_t)((misc >> VMX_MISC_CR3_TARGETS_SHIFT) & VMX_MISC_CR3_TARGETS_MASK);
	caps->msr_list_max = 512u * (uint32_t)(((misc >> VMX_MISC_MSR_LIST_SHIFT) & VMX_MISC_MSR_LIST_MASK) + 1);

	caps->phys_mask = ~0ull << (caps->addr32 ? 32 : p->maxphyaddr);
	if (caps->addr32 && p->maxphyaddr < 32)
		caps->phys_mask = ~0ull << p->maxphyaddr;
	return 0;
}

void vmx_profile_synthetic_full(struct vmx_profile *p)
{
	static const uint64_t msr[PMSR_COUNT] = {
		/* revision 1, 4 KiB region, WB, INS/OUTS info, TRUE ctls, relaxed
		 * errcode, FRED nested-exception injection */
		[PMSR_BASIC] = 0x05d8100000000001ull,
		[PMSR_PINBASED] = 0x000000ff00000016ull,
		[PMSR_PROCBASED] = 0xfffbfffe0401e172ull,
		[PMSR_EXIT] = 0xffffffff00036dffull,
		[PMSR_ENTRY] = 0x00ffffff000011ffull,
		/* preempt rate 5, LMA saved, HLT/shutdown/SIPI, PT, 4 CR3 targets,
		 * 512 MSRs, VMWRITE any field, zero-length injection */
		[PMSR_MISC] = 0x00000000600441e5ull,
		[PMSR_CR0_FIXED0] = 0x80000021ull,
		[PMSR_CR0_FIXED1] = 0xffffffffull,
		[PMSR_CR4_FIXED0] = 0x2000ull,
		[PMSR_CR4_FIXED1] = 0x1bff7fffull | X86_CR4_FRED,
		[PMSR_VMCS_ENUM] = 0x2eull,
		[PMSR_PROCBASED2] = 0xffffffff00000000ull,
		/* exec-only, PWL 4+5, UC, WB, 2M, 1G, INVEPT, A/D, adv. exit info,
		 * supervisor shadow stack, INVVPID */
		[PMSR_EPT_VPID_CAP] = 0x00000f0106f741c1ull,
		[PMSR_TRUE_PINBASED] = 0x000000ff00000016ull,
		[PMSR_TRUE_PROCBASED] = 0xfffbfffe04006172ull,
		[PMSR_TRUE_EXIT] = 0xffffffff00036dfbull,
		[PMSR_TRUE_ENTRY] = 0x00ffffff000011fbull,
		[PMSR_VMFUNC] = 0x1ull,
		[PMSR_PROCBASED3] = 0x9full,
		[PMSR_EXIT2] = 0x3ull,
	};

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "synthetic-full");
	memcpy(p->msr, msr, sizeof(msr));
	p->msr_present = (1u << PMSR_COUNT) - 1;
	p->maxphyaddr = 46;
	p->linear_width = 48;
	p->efer_allowed = EFER_SCE | EFER_LME | EFER_LMA | EFER_NX;
	p->debugctl_allowed = 0xffc3;
	p->perf_global_ctrl_allowed = 0x7000000ffull;
	p->xss_allowed = 0x1d00;
	p->has_rtm = p->has_cet_ibt = p->has_cet_ss = p->has_pks = true;
	p->has_fred = p->has_lass = p->has_uintr = p->has_enclave_intr = true;
	p->has_intel_pt = p->has_arch_lbr = p->has_mpx = true;
}
