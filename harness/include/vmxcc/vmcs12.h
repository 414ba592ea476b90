/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM interoperability: KVM's struct vmcs12 (arch/x86/kvm/vmx/vmcs12.h) and
 * the KVM_GET_NESTED_STATE blob (struct kvm_nested_state,
 * arch/x86/include/uapi/asm/kvm.h), so a real L1's state can be replayed.
 * Field offsets come from fields.def (vmcs12_offset).
 */
#ifndef VMXCC_VMCS12_H
#define VMXCC_VMCS12_H

#include <stddef.h>
#include <stdint.h>

#include "vmxcc/case.h"

#define VMCS12_REVISION		0x11e57ed0u
#define VMCS12_SIZE		4096	/* KVM_STATE_NESTED_VMX_VMCS_SIZE */
#define VMCS12_ABORT_OFFSET	4
#define VMCS12_LAUNCH_STATE_OFFSET 8
#define VMCS12_FIELDS_START	40	/* after hdr, abort, launch_state, padding[7] */

/* struct kvm_nested_state: u16 flags, u16 format, u32 size, a header union
 * padded to 120 bytes, then the data. */
#define KVM_NESTED_HDR_SIZE	128
#define KVM_NESTED_FORMAT_VMX	0
#define KVM_STATE_NESTED_GUEST_MODE	0x1
#define KVM_STATE_NESTED_RUN_PENDING	0x2
#define KVM_STATE_NESTED_EVMCS		0x4
#define KVM_STATE_NESTED_MTF_PENDING	0x8

/* What a nested-state blob says besides the VMCS contents. */
struct vmx_nested_info {
	uint16_t flags;			/* KVM_STATE_NESTED_* */
	uint64_t vmxon_pa;
	uint64_t vmcs12_pa;		/* ~0 when there is no current VMCS */
	uint16_t smm_flags;
	uint32_t vmx_flags;		/* KVM_STATE_VMX_PREEMPTION_TIMER_DEADLINE */
	uint64_t preemption_timer_deadline;
	int has_shadow;			/* blob carries a shadow vmcs12 */
};

/*
 * Import a 4096-byte vmcs12: fields with a vmcs12 slot, the launch state,
 * and the header's shadow-VMCS bit (current_is_shadow).  State KVM does
 * not keep in vmcs12 (MSR-load entries, PDPTEs in memory, ...) is zero;
 * instr is VMRESUME when the VMCS is launched, else VMLAUNCH.  Returns 0,
 * or -1 with "file: what is wrong" in @err.
 */
int vmx_vmcs12_import(const char *file, const uint8_t *buf, size_t len,
		      struct vmx_case *c, char *err, size_t errlen);
/* Export into @out[VMCS12_SIZE].  A field without a vmcs12 slot holding a
 * non-zero value is an error naming the field. */
int vmx_vmcs12_export(const struct vmx_case *c, uint8_t *out, char *err, size_t errlen);
/* Describe (for a warning) the case state a vmcs12 cannot carry and that is
 * not at its default; empty string when nothing is lost. */
void vmx_vmcs12_lost_state(const struct vmx_case *c, char *buf, size_t len);

int vmx_nested_import(const char *file, const uint8_t *buf, size_t len,
		      struct vmx_case *c, struct vmx_nested_info *info,
		      char *err, size_t errlen);
/* Build a blob into malloc'ed *@out.  @info supplies vmxon_pa/vmcs12_pa/
 * flags (may be NULL for defaults); the shadow vmcs12 is included when the
 * case enables VMCS shadowing with a valid link pointer, as KVM does. */
int vmx_nested_export(const struct vmx_case *c, const struct vmx_nested_info *info,
		      uint8_t **out, size_t *len, char *err, size_t errlen);

#endif
