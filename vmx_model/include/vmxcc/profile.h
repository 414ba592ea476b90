/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A capability profile: the IA32_VMX_* MSRs plus the CPUID facts the VM-entry
 * checks read.  The raw form (struct vmx_profile) is what files, the kernel
 * module and the probe produce; vmx_caps_from_profile() validates it and
 * derives the per-control allowed-0/allowed-1 masks the model uses, so the
 * model's hot path never re-derives them.
 */
#ifndef VMXCC_PROFILE_H
#define VMXCC_PROFILE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

/* Which MSRs a profile actually has (a CPU lacking one #GPs on RDMSR). */
enum vmx_profile_msr {
	PMSR_BASIC, PMSR_PINBASED, PMSR_PROCBASED, PMSR_EXIT, PMSR_ENTRY,
	PMSR_MISC, PMSR_CR0_FIXED0, PMSR_CR0_FIXED1, PMSR_CR4_FIXED0,
	PMSR_CR4_FIXED1, PMSR_VMCS_ENUM, PMSR_PROCBASED2, PMSR_EPT_VPID_CAP,
	PMSR_TRUE_PINBASED, PMSR_TRUE_PROCBASED, PMSR_TRUE_EXIT,
	PMSR_TRUE_ENTRY, PMSR_VMFUNC, PMSR_PROCBASED3, PMSR_EXIT2,
	PMSR_COUNT
};

struct vmx_profile {
	char name[64];
	uint64_t msr[PMSR_COUNT];	/* values, indexed by enum vmx_profile_msr */
	uint32_t msr_present;		/* bit i: msr[i] exists on the CPU */

	/* CPUID facts the checks read */
	uint8_t maxphyaddr;		/* CPUID.80000008H:EAX[7:0] */
	uint8_t linear_width;		/* 48, or 57 with 5-level paging */
	uint64_t efer_allowed;		/* EFER bits that are not reserved */
	uint64_t debugctl_allowed;	/* IA32_DEBUGCTL bits that are not reserved */
	uint64_t perf_global_ctrl_allowed; /* from CPUID.0AH counters */
	uint64_t xss_allowed;		/* IA32_XSS bits (MSR-load checks) */
	bool has_rtm;			/* pending-debug bit 16 allowed */
	bool has_cet_ibt, has_cet_ss;	/* CPUID.7.0:EDX[20], ECX[7] */
	bool has_pks;
	bool has_fred;
	bool has_lass;
	bool has_uintr;
	bool has_enclave_intr;		/* SGX: interruptibility bit 4 */
	bool has_intel_pt;
	bool has_arch_lbr;
	bool has_mpx;
};

/* A profile made consistent and pre-digested for the model. */
struct vmx_caps {
	struct vmx_profile p;
	/* Effective allowed-0 (must be 1) and allowed-1 (may be 1) per control,
	 * from the TRUE_* MSRs when IA32_VMX_BASIC[55] is set. */
	uint32_t pin_must1, pin_may1;
	uint32_t proc_must1, proc_may1;
	uint32_t proc2_may1;		/* allowed-0 of secondary is all zero */
	uint64_t proc3_may1;
	uint32_t exit_must1, exit_may1;
	uint64_t exit2_may1;
	uint32_t entry_must1, entry_may1;
	uint64_t vmfunc_may1;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t phys_mask;		/* bits beyond MAXPHYADDR */
	uint32_t revision;		/* IA32_VMX_BASIC[30:0] */
	uint32_t cr3_target_max;	/* IA32_VMX_MISC[24:16] */
	uint32_t msr_list_max;		/* 512 * (IA32_VMX_MISC[27:25] + 1) */
	bool addr32;			/* IA32_VMX_BASIC[48] */
	bool true_ctls;			/* IA32_VMX_BASIC[55] */
	bool relaxed_errcode;		/* IA32_VMX_BASIC[56] */
};

/*
 * Validate @p and fill @caps.  Returns 0, or -1 with a sentence naming the
 * offending value in @err (e.g. "IA32_VMX_PINBASED_CTLS: allowed-0 bit 1 is
 * not in allowed-1").  Pure: no I/O, no globals.
 */
int vmx_caps_from_profile(struct vmx_caps *caps, const struct vmx_profile *p,
			  char *err, size_t errlen);

/* Names of the MSRs, e.g. "IA32_VMX_TRUE_PINBASED_CTLS", and their numbers. */
extern const char *const vmx_profile_msr_names[PMSR_COUNT];
extern const uint32_t vmx_profile_msr_numbers[PMSR_COUNT];

/* Built-in profiles used by tests and as defaults. */
/* Every feature the model knows, MAXPHYADDR 46, 4-level paging. */
void vmx_profile_synthetic_full(struct vmx_profile *p);

#endif
