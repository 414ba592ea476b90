/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A case in memory: every VMCS field value plus the state the VM-entry
 * checks read outside the VMCS.  The same struct describes what a back end
 * actually ran (its "effective image").
 */
#ifndef VMXCC_CASE_H
#define VMXCC_CASE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stdint.h>
#endif

#include "fields.h"

/* Entries of the VM-entry MSR-load area a case can carry.  Entries past
 * the ones given (up to VM_ENTRY_MSR_LOAD_COUNT) read as all zero. */
#define VMX_CASE_MAX_MSR_LOAD 64

struct vmx_msr_entry {
	uint32_t index;
	uint32_t reserved;	/* bits 63:32 of the first quadword: must be 0 */
	uint64_t value;
};

enum vmx_entry_instr { VMX_VMLAUNCH = 0, VMX_VMRESUME = 1 };

struct vmx_case {
	uint64_t f[VF_COUNT];		/* field values, indexed by enum vmx_field */

	/* Basic-check state (SDM "Basic VM-Entry Checks") */
	uint8_t instr;			/* enum vmx_entry_instr */
	uint8_t launch_state;		/* 0 clear, 1 launched */
	uint8_t movss_blocking;		/* VMLAUNCH right after MOV SS / POP SS */
	uint8_t no_current_vmcs;	/* current-VMCS pointer is FFFFFFFF_FFFFFFFFH */
	uint8_t current_is_shadow;	/* current VMCS has its shadow-VMCS indicator set */

	/* Memory and processor state the checks read */
	uint8_t vtpr;			/* byte 80H of the virtual-APIC page */
	uint8_t x2apic_mode;		/* L1's local APIC is in x2APIC mode */
	uint8_t link_shadow;		/* shadow-VMCS indicator in the link-pointer VMCS */
	uint32_t link_revision;		/* revision id in the link-pointer VMCS */
	uint8_t link_is_current;	/* VMCS link pointer == current-VMCS pointer */
	uint64_t pdpte[4];		/* PDPTEs at guest CR3 (used when EPT is off) */

	uint32_t n_msr_load;		/* entries given in msr_load[] */
	struct vmx_msr_entry msr_load[VMX_CASE_MAX_MSR_LOAD];
};

/* MSR-load entry i as the processor would read it (zero past n_msr_load). */
static inline struct vmx_msr_entry vmx_case_msr_entry(const struct vmx_case *c,
						       uint32_t i)
{
	struct vmx_msr_entry zero = { 0, 0, 0 };

	return i < c->n_msr_load ? c->msr_load[i] : zero;
}

#endif
