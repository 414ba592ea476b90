// SPDX-License-Identifier: GPL-2.0
/*
 * SDM 26.3.1.5 "Checks on Guest Non-Register State": activity state,
 * interruptibility state, pending debug exceptions, VMCS link pointer.
 *
 * The model describes VM entries executed outside SMM (the harness never runs
 * in SMM), so "blocking by SMI" must always be 0 and the link pointer must
 * never be the current-VMCS pointer; the two rules that need "entry to SMM"
 * = 1 are dominated by the VM-entry control check and are not modelled.
 */
#include "model_internal.h"

#define PDE_RSVD	(0xff0ull | BIT_ULL(13) | BIT_ULL(15) | ~0x1ffffull)
#define PDE_ENABLED_BP	BIT_ULL(12)
#define PDE_BS		BIT_ULL(14)
#define PDE_RTM		BIT_ULL(16)
#define DEBUGCTL_BTF	BIT_ULL(1)

/* The event VM entry injects, if any. */
struct injection {
	bool valid;
	uint32_t type;
	uint32_t vector;
};

static struct injection injected(const struct vmx_case *c)
{
	uint32_t info = (uint32_t)F(c, VM_ENTRY_INTR_INFO_FIELD);
	struct injection e = {
		.valid = info & INTR_INFO_VALID,
		.type = (info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT,
		.vector = info & INTR_INFO_VECTOR_MASK,
	};

	return e;
}

/* HLT wakes on external interrupts, NMIs, #DB, #MC and a pending MTF exit. */
static bool allowed_in_hlt(struct injection e)
{
	switch (e.type) {
	case INTR_TYPE_EXT_INTR:
	case INTR_TYPE_NMI:
		return true;
	case INTR_TYPE_HARD_EXCEPTION:
		return e.vector == 1 || e.vector == 18;
	case INTR_TYPE_OTHER_EVENT:
		return e.vector == 0;
	default:
		return false;
	}
}

static bool allowed_in_shutdown(struct injection e)
{
	return e.type == INTR_TYPE_NMI ||
	       (e.type == INTR_TYPE_HARD_EXCEPTION && e.vector == 18);
}

static void check_activity(const struct vmx_caps *caps, const struct vmx_case *c,
			   struct vmx_verdict *v, struct injection e)
{
	uint64_t act = F(c, GUEST_ACTIVITY_STATE);
	uint64_t misc = caps->p.msr[PMSR_MISC];
	uint32_t intr = (uint32_t)F(c, GUEST_INTERRUPTIBILITY_INFO);
	uint32_t ss_dpl = ((uint32_t)F(c, GUEST_SS_AR_BYTES) & VMX_AR_DPL_MASK) >> VMX_AR_DPL_SHIFT;

	/* IA32_VMX_MISC bit 5 + state reports states 1..3 (bits 8:6). */
	CC(v, GST_ACT_VALID, act > GUEST_ACTIVITY_WAIT_SIPI ||
	   (act != GUEST_ACTIVITY_ACTIVE && !(misc & BIT_ULL(5 + act))));
	CC(v, GST_ACT_HLT_SS_DPL, act == GUEST_ACTIVITY_HLT && ss_dpl != 0);
	CC(v, GST_ACT_BLOCKING_NOT_ACTIVE,
	   (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) &&
	   act != GUEST_ACTIVITY_ACTIVE);
	if (!e.valid)
		return;
	if (act == GUEST_ACTIVITY_HLT)
		CC(v, GST_ACT_INJ_HLT, !allowed_in_hlt(e));
	else if (act == GUEST_ACTIVITY_SHUTDOWN)
		CC(v, GST_ACT_INJ_SHUTDOWN, !allowed_in_shutdown(e));
	else if (act == GUEST_ACTIVITY_WAIT_SIPI)
		CC(v, GST_ACT_INJ_WAIT_SIPI, true);
}

static void check_interruptibility(const struct vmx_caps *caps, const struct vmx_case *c,
				   struct vmx_verdict *v, struct injection e)
{
	uint32_t intr = (uint32_t)F(c, GUEST_INTERRUPTIBILITY_INFO);
	bool sti = intr & GUEST_INTR_STATE_STI;
	bool movss = intr & GUEST_INTR_STATE_MOV_SS;
	bool vnmi = F(c, PIN_BASED_VM_EXEC_CONTROL) & PIN_BASED_VIRTUAL_NMIS;

	CC(v, GST_INT_RSVD, intr & ~0x1fu);
	CC(v, GST_INT_STI_AND_MOVSS, sti && movss);
	CC(v, GST_INT_STI_IF0, sti && !(F(c, GUEST_RFLAGS) & X86_RFLAGS_IF));
	CC(v, GST_INT_SMI_OUTSIDE_SMM, intr & GUEST_INTR_STATE_SMI);
	if (intr & GUEST_INTR_STATE_ENCLAVE_INTR) {
		CC(v, GST_INT_ENCLAVE_NO_SGX, !caps->p.has_enclave_intr);
		CC(v, GST_INT_ENCLAVE_MOVSS, movss);
	}
	if (!e.valid)
		return;
	if (e.type == INTR_TYPE_EXT_INTR)
		CC(v, GST_INT_EXTINT_BLOCKED, sti || movss);
	if (e.type != INTR_TYPE_NMI)
		return;
	CC(v, GST_INT_NMI_MOVSS, movss);
	/* "A processor may require" it: some do (qualification 3), some not. */
	if (sti)
		vmx_cc_uncertain(v, GST_INT_NMI_STI);
	if (vnmi)
		CC(v, GST_INT_VNMI_BLOCKED, intr & GUEST_INTR_STATE_NMI);
}

static void check_pending_debug(const struct vmx_caps *caps, const struct vmx_case *c,
				struct vmx_verdict *v)
{
	uint64_t pde = F(c, GUEST_PENDING_DBG_EXCEPTIONS);
	uint32_t intr = (uint32_t)F(c, GUEST_INTERRUPTIBILITY_INFO);
	bool tf = F(c, GUEST_RFLAGS) & X86_RFLAGS_TF;
	/* The SDM names the IA32_DEBUGCTL *field*, whatever "load debug controls" says. */
	bool btf = F(c, GUEST_IA32_DEBUGCTL) & DEBUGCTL_BTF;

	CC(v, GST_PDE_RSVD, pde & PDE_RSVD);
	if ((intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) ||
	    F(c, GUEST_ACTIVITY_STATE) == GUEST_ACTIVITY_HLT) {
		CC(v, GST_PDE_BS_SET, tf && !btf && !(pde & PDE_BS));
		CC(v, GST_PDE_BS_CLEAR, (!tf || btf) && (pde & PDE_BS));
	}
	if (!(pde & PDE_RTM))
		return;
	CC(v, GST_PDE_RTM_NO_RTM, !caps->p.has_rtm);
	/* Bits 11:0, 15:13, 63:17 clear and bit 12 set: only 12 and 16 remain. */
	CC(v, GST_PDE_RTM_BITS, (pde & ~(PDE_RTM | PDE_ENABLED_BP)) ||
	   !(pde & PDE_ENABLED_BP));
	CC(v, GST_PDE_RTM_MOVSS, intr & GUEST_INTR_STATE_MOV_SS);
}

static void check_link_pointer(const struct vmx_caps *caps, const struct vmx_case *c,
			       struct vmx_verdict *v)
{
	uint64_t link = F(c, VMCS_LINK_POINTER);
	bool shadowing = (F(c, CPU_BASED_VM_EXEC_CONTROL) & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
			 (F(c, SECONDARY_VM_EXEC_CONTROL) & SECONDARY_EXEC_SHADOW_VMCS);

	if (link == ~0ull)
		return;
	CC(v, GST_LINK_ALIGN, link & 0xfff);
	CC(v, GST_LINK_PHYS, !vmx_phys_ok(caps, link));
	/* header bits 30:0; bit 31 of the header is link_shadow */
	CC(v, GST_LINK_REVISION, (c->link_revision & 0x7fffffff) != caps->revision);
	CC(v, GST_LINK_SHADOW, !!c->link_shadow != shadowing);
	CC(v, GST_LINK_CURRENT, c->link_is_current);
}

void vmx_check_guest_nonreg(const struct vmx_caps *caps, const struct vmx_case *c,
			    struct vmx_verdict *v)
{
	struct injection e = injected(c);

	check_activity(caps, c, v, e);
	check_interruptibility(caps, c, v, e);
	check_pending_debug(caps, c, v);
	check_link_pointer(caps, c, v);
}
