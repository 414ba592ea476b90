// SPDX-License-Identifier: GPL-2.0
/*
 * SDM 26.4 "Loading MSRs": the VM-entry MSR-load entries are processed in
 * order, each as WRMSR of bits 127:64 to the MSR in bits 31:0.  The first
 * entry that fails ends VM entry with exit 34, qualification = its 1-based
 * number.  An entry fails for the fixed reasons of 26.4 or because WRMSR
 * would #GP; the model knows the #GP rules of a few MSRs (MSR_WR_*) and
 * treats any other MSR as uncertain: that entry may fail (exit 34 with its
 * number) or load, and the walk goes on.
 *
 * A count above 512 * (IA32_VMX_MISC[27:25] + 1) is "undefined processor
 * behavior ... (including a machine check during the VMX transition)"
 * (Appendix A.6).  The model then allows every outcome a processor or a
 * nested hypervisor can plausibly produce at this point: VMfail 7 (KVM since
 * 2025), exit 34 with any qualification (KVM before), exit 41 (the machine
 * check the SDM names) and a successful entry.
 */
#include "vmxcc/impl_rules.h"
#include "model_internal.h"

#define MSR_IA32_XSS	0xda0	/* only the MSR-load checks name it */

/* Uncertain entries reported one by one; beyond this, exit 34 with any qualification. */
#define MSR_UNSURE_MAX	8

enum msr_result { MSR_OK, MSR_FAIL, MSR_UNSURE };

struct msr_walk {
	int64_t fail;			/* 0-based failing entry, or -1 */
	uint64_t n_unsure;		/* uncertain entries before it */
	uint32_t unsure[MSR_UNSURE_MAX];
};

static enum msr_result unsure(struct vmx_verdict *v, enum vmx_check_id id)
{
	vmx_cc_uncertain(v, id);
	return MSR_UNSURE;
}

static enum msr_result ok_unless(bool bad)
{
	return bad ? MSR_FAIL : MSR_OK;
}

/* IA32_EFER.LME/LMA after the guest state is loaded (SDM 26.3.2.1). */
static uint64_t guest_efer(const struct vmx_case *c)
{
	bool ia32e = F(c, VM_ENTRY_CONTROLS) & VM_ENTRY_IA32E_MODE;

	if (F(c, VM_ENTRY_CONTROLS) & VM_ENTRY_LOAD_IA32_EFER)
		return F(c, GUEST_IA32_EFER);
	return ia32e ? EFER_LME | EFER_LMA : 0;
}

static enum msr_result write_efer(const struct vmx_caps *caps, const struct vmx_case *c,
				  struct vmx_verdict *v, uint64_t val)
{
	uint64_t cur = guest_efer(c);
	bool pg = F(c, GUEST_CR0) & X86_CR0_PG;
	bool bad;

	/* No rule for LMA: "attempts to modify the value of IA32_EFER.LMA by
	 * WRMSR are ignored", and so are they through the MSR-load area
	 * (SDM 26.4, footnote 1). */
	bad = CC(v, MSR_WR_EFER_RSVD, val & ~caps->p.efer_allowed);
	bad |= CC(v, MSR_WR_EFER_LME_PG, pg && ((val ^ cur) & EFER_LME));
	return bad ? MSR_FAIL : MSR_OK;
}

static bool pat_bad(uint64_t val)
{
	for (int i = 0; i < 8; i++) {
		uint8_t type = (uint8_t)(val >> (8 * i));

		if (type > 7 || type == 2 || type == 3)
			return true;
	}
	return false;
}

/* Would WRMSR of @val to @index #GP at CPL 0, for the MSRs the model knows? */
static enum msr_result wrmsr(const struct vmx_caps *caps, const struct vmx_case *c,
			     struct vmx_verdict *v, uint32_t index, uint64_t val)
{
	switch (index) {
	case MSR_IA32_TSC:
	case MSR_STAR:
	case MSR_IA32_SYSENTER_CS:
		return MSR_OK;		/* every 64-bit value is accepted */
	case MSR_LSTAR:
	case MSR_CSTAR:
	case MSR_KERNEL_GS_BASE:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
		return ok_unless(CC(v, MSR_WR_NONCANONICAL, !vmx_is_canonical(caps, val)));
	case MSR_TSC_AUX:
		return ok_unless(CC(v, MSR_WR_TSC_AUX_RSVD, val >> 32));
	case MSR_IA32_DEBUGCTL:
		return ok_unless(CC(v, MSR_WR_DEBUGCTL_RSVD, val & ~caps->p.debugctl_allowed));
	case MSR_IA32_PERF_GLOBAL_CTRL:
		return ok_unless(CC(v, MSR_WR_PERF_GLOBAL_RSVD,
				    val & ~caps->p.perf_global_ctrl_allowed));
	case MSR_IA32_XSS:
		return ok_unless(CC(v, MSR_WR_XSS_RSVD, val & ~caps->p.xss_allowed));
	case MSR_IA32_PAT:
		return ok_unless(CC(v, MSR_WR_PAT_TYPE, pat_bad(val)));
	case MSR_IA32_EFER:
		return write_efer(caps, c, v, val);
	default:
		return unsure(v, MSR_ENT_UNKNOWN);
	}
}

static enum msr_result check_entry(const struct vmx_caps *caps, const struct vmx_case *c,
				   struct vmx_verdict *v, struct vmx_msr_entry e)
{
	bool bad = CC(v, MSR_ENT_RSVD, e.reserved != 0);

	switch (e.index) {
	case MSR_FS_BASE:
	case MSR_GS_BASE:
		CC(v, MSR_ENT_FS_GS_BASE, true);
		return MSR_FAIL;
	case MSR_IA32_SMM_MONITOR_CTL:
		CC(v, MSR_ENT_SMM_MONITOR_CTL, true);	/* writable only in SMM */
		return MSR_FAIL;
	case MSR_IA32_BIOS_UPDT_TRIG:
	case MSR_IA32_BIOS_SIGN_ID:
		CC(v, MSR_ENT_UCODE, true);
		return MSR_FAIL;
	}
	/*
	 * 800H-8FFH fail in x2APIC mode by the rule of 26.4 and otherwise
	 * because WRMSR to them #GPs: either way, whatever c->x2apic_mode.
	 */
	if (CC(v, MSR_ENT_X2APIC, (e.index >> 8) == (MSR_X2APIC_FIRST >> 8)))
		return MSR_FAIL;
	if (bad)
		return MSR_FAIL;
	return wrmsr(caps, c, v, e.index, e.value);
}

/* Entries first .. first + n - 1 are uncertain. */
static void note_unsure(struct msr_walk *w, uint32_t first, uint64_t n)
{
	for (uint64_t k = 0; k < n && w->n_unsure + k < MSR_UNSURE_MAX; k++)
		w->unsure[w->n_unsure + k] = first + (uint32_t)k;
	w->n_unsure += n;
}

/* Walk the entries in order up to the first failure.  Entries past those the
 * case gives read as zero, so they are all alike: judge one for all. */
static void walk(const struct vmx_caps *caps, const struct vmx_case *c,
		 struct vmx_verdict *v, uint32_t count, struct msr_walk *w)
{
	uint32_t given = count < c->n_msr_load ? count : c->n_msr_load;
	enum msr_result r;

	w->fail = -1;
	w->n_unsure = 0;
	for (uint32_t i = 0; i < given; i++) {
		r = check_entry(caps, c, v, c->msr_load[i]);
		if (r == MSR_FAIL) {
			w->fail = i;
			return;
		}
		if (r == MSR_UNSURE)
			note_unsure(w, i, 1);
	}
	if (count == given)
		return;
	r = check_entry(caps, c, v, vmx_case_msr_entry(c, given));
	if (r == MSR_FAIL) {
		w->fail = given;
	} else if (r == MSR_UNSURE) {
		note_unsure(w, given, count - given);
	}
}

static struct vmx_outcome any_qual(uint32_t reason)
{
	struct vmx_outcome o = vo_entry_fail(reason, 0);

	o.qual_any = 1;
	return o;
}

static void add_undefined(struct vmx_outcome_set *s)
{
	vmx_outcome_set_add(s, vo_vmfail(VMXERR_ENTRY_INVALID_CONTROL_FIELD));
	vmx_outcome_set_add(s, any_qual(EXIT_REASON_MSR_LOAD_FAIL));
	vmx_outcome_set_add(s, any_qual(EXIT_REASON_MCE_DURING_VMENTRY));
	vmx_outcome_set_add(s, vo_entered());
}

void vmx_check_msr_load(const struct vmx_caps *caps, const struct vmx_case *c,
			struct vmx_verdict *v)
{
	uint32_t count = (uint32_t)F(c, VM_ENTRY_MSR_LOAD_COUNT);
	struct vmx_outcome_set *s = &v->allowed;
	struct msr_walk w;

	/* Beyond the limit nothing about the entries is defined: no walk. */
	if (count > caps->msr_list_max) {
		vmx_cc_uncertain(v, MSR_COUNT_OVER_MAX);
		add_undefined(s);
		return;
	}
	walk(caps, c, v, count, &w);
	v->msr_fail_entry = (int32_t)w.fail;
	if (w.n_unsure > MSR_UNSURE_MAX)
		vmx_outcome_set_add(s, any_qual(EXIT_REASON_MSR_LOAD_FAIL));
	else
		for (uint64_t i = 0; i < w.n_unsure; i++)
			vmx_outcome_set_add(s, vo_entry_fail(EXIT_REASON_MSR_LOAD_FAIL,
							     w.unsure[i] + 1ull));
	if (w.fail >= 0)
		vmx_outcome_set_add(s, vo_entry_fail(EXIT_REASON_MSR_LOAD_FAIL,
						     (uint64_t)w.fail + 1));
	else
		vmx_outcome_set_add(s, vo_entered());
}

/*
 * Rules "no-ia32-debugctl" and "no-ia32-perf-global-ctrl" (Bochs
 * 2.7 implements neither MSR): the first entry, among the @count the VM
 * entry reads, that writes @index fails whatever its value.  Entries past
 * those the case gives read as zero (MSR 0), never one of these.
 */
static int64_t first_entry_for(const struct vmx_case *c, uint32_t index)
{
	uint32_t count = (uint32_t)F(c, VM_ENTRY_MSR_LOAD_COUNT);

	for (uint32_t i = 0; i < count && i < c->n_msr_load; i++)
		if (c->msr_load[i].index == index)
			return i;
	return -1;
}

int64_t vmx_rule_no_debugctl(const struct vmx_caps *caps, const struct vmx_case *c)
{
	(void)caps;
	return first_entry_for(c, MSR_IA32_DEBUGCTL);
}

int64_t vmx_rule_no_perf_global_ctrl(const struct vmx_caps *caps, const struct vmx_case *c)
{
	(void)caps;
	return first_entry_for(c, MSR_IA32_PERF_GLOBAL_CTRL);
}

/*
 * Rule "xss-cet-bits" (Bochs 2.7, a skip): its WRMSR of IA32_XSS accepts
 * CET_U and CET_S (bits 11 and 12) although its CPUID.(0DH,1) enumerates
 * no IA32_XSS bit.  The first entry the VM entry reads that writes IA32_XSS
 * with no reserved bits in the entry, fails MSR_WR_XSS_RSVD on this profile
 * and sets no unsupported bit besides those two.
 */
#define MSR_XSS_CET_BITS	(BIT_ULL(11) | BIT_ULL(12))

int64_t vmx_rule_xss_cet_bits(const struct vmx_caps *caps, const struct vmx_case *c)
{
	uint32_t count = (uint32_t)F(c, VM_ENTRY_MSR_LOAD_COUNT);
	uint64_t ok = caps->p.xss_allowed;

	for (uint32_t i = 0; i < count && i < c->n_msr_load; i++) {
		struct vmx_msr_entry e = c->msr_load[i];

		if (e.index == MSR_IA32_XSS && !e.reserved && (e.value & ~ok) &&
		    !(e.value & ~(ok | MSR_XSS_CET_BITS)))
			return i;
	}
	return -1;
}
