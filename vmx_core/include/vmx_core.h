/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shared VMX core: everything between "here is a case" and "here is what
 * the processor did with it".  Freestanding C plus one assembly routine
 * (vmenter.S); built unchanged into the L1 probe and into the kernel module.
 * It knows the VMCS fields (fields.def) but not the model.
 *
 * The environment (probe or kernel) supplies what the core cannot do itself:
 * pages with both a virtual and a physical address, a #GP-safe RDMSR, and the
 * host state that must be put back after a VM exit clobbers it.
 *
 * Nothing here is reentrant across CPUs: one struct vmx_core_cpu per logical
 * processor, used only on that processor with interrupts off.
 */
#ifndef VMX_CORE_H
#define VMX_CORE_H

#include "vmx_core_types.h"
#include "vmx_core_skip.h"
#include "vmxcc/case.h"
#include "vmxcc/fields.h"
#include "vmxcc/outcome.h"
#include "vmxcc/profile.h"

#define VMX_CORE_FIELD_WORDS ((VF_COUNT + 63) / 64)

/* A 4 KiB-aligned page the environment owns. */
struct vmx_core_page {
	void *virt;
	uint64_t phys;
};

/*
 * A VMCS region and its launch tracking (KVM's struct loaded_vmcs): which CPU
 * it is active on (-1: clear, not active anywhere) and whether it has been
 * launched there.  A VMCS must be VMCLEARed on that CPU before it is used on
 * another one or freed.
 */
struct vmx_core_vmcs {
	struct vmx_core_page page;
	int cpu;
	bool launched;
	bool shadow_valid;		/* shadow[] mirrors the VMCS contents */
	struct vmx_core_vmcs *next_on_cpu;	/* list of VMCSs active on cpu */
	uint64_t shadow[VF_COUNT];	/* last value written, to skip VMWRITEs */
	uint64_t shadow_known[VMX_CORE_FIELD_WORDS];
};

/* Per-CPU VMX operation state. */
struct vmx_core_cpu {
	int id;				/* the environment's CPU number */
	bool vmxon;
	struct vmx_core_page vmxon_region;
	/* current-VMCS pointer, NULL if none (not "current": the kernel has a
	 * macro of that name)
	 */
	struct vmx_core_vmcs *current_vmcs;
	struct vmx_core_vmcs *active;	/* every VMCS active on this CPU */
	uint32_t revision;		/* IA32_VMX_BASIC[30:0] */
	uint64_t phys_mask;		/* physical-address bits beyond MAXPHYADDR */
	uint8_t linear_width;		/* 48, or 57 with 5-level paging */
	/* Fields this processor's VMCS has (VMREAD did not fail with error 12). */
	uint64_t supported[VMX_CORE_FIELD_WORDS];
	bool supported_known;
	/* Derived once from supported[], so a case costs few instructions:
	 * fields to VMWRITE (supported, not read-only, not HOST_RSP), fields
	 * absent from this VMCS, supported fields narrower than 64 bits, and
	 * the supported fields of each group (enum vmx_field_group).
	 */
	uint16_t n_absent, n_narrow;
	uint16_t absent_list[VF_COUNT];
	uint16_t narrow_list[VF_COUNT];
	uint64_t group_bits[4][VMX_CORE_FIELD_WORDS];
	uint64_t write_bits[VMX_CORE_FIELD_WORDS];	/* fields to VMWRITE */
	/* The fields the effective image relocates, and the fields that
	 * decide how (core_internal.h) -- as sets, for the incremental path.
	 */
	uint64_t relocated[VMX_CORE_FIELD_WORDS];
	uint64_t relocation_inputs[VMX_CORE_FIELD_WORDS];
};

/* Host state a VM exit may clobber and the core restores afterwards. */
struct vmx_core_host {
	uint64_t gdtr_base, idtr_base;
	uint16_t gdtr_limit, idtr_limit;
	uint16_t tr, ldtr;		/* selectors */
	uint16_t ds, es, fs, gs;
	uint64_t fs_base, gs_base, kernel_gs_base;
	uint64_t tr_base;
	uint32_t tr_limit;		/* a VM exit leaves 0x67 */
	void *gdt;			/* virtual address of the GDT (for LTR) */
	/* The environment never uses FS, GS or their bases (the probe): leave
	 * FS and the FS/GS base MSRs as the exit loaded them.
	 */
	bool no_fs_gs;
	/* MSRs put back after an attempt (VM exits load some from the VMCS,
	 * VM-entry MSR loads change others).  Written with wrmsr_safe.
	 */
	uint32_t n_msrs;
	struct { uint32_t index; uint64_t value; } msrs[16];
};

/* How the core treats a case. */
enum vmx_core_policy {
	/*
	 * Run the case as given, fuzzed host state included.  Only HOST_RIP
	 * and HOST_RSP are pointed at the core's exit path, and only when the
	 * case's own values would pass the checks (so the outcome cannot
	 * change).  For the L1 probe, where a mistake only kills the probe.
	 */
	VMX_CORE_AS_IS,
	/*
	 * Phase 1 of the two-phase early check (docs/safety.md): the case's
	 * controls, the environment's known-good host state, guest RFLAGS with
	 * bit 1 clear and no MSR loads.  The only possible outcomes are a
	 * VMfail or an exit 33; nothing of the case executes.
	 */
	VMX_CORE_EARLY_CHECK,
};

struct vmx_core_env {
	void *ctx;			/* passed back to the callbacks */
	/* RDMSR/WRMSR that survive #GP: 0, or -1 if the MSR faulted. */
	int (*rdmsr_safe)(void *ctx, uint32_t msr, uint64_t *val);
	int (*wrmsr_safe)(void *ctx, uint32_t msr, uint64_t val);

	struct vmx_core_cpu *cpu;
	struct vmx_core_vmcs *vmcs;	/* the VMCS cases run in */
	enum vmx_core_policy policy;
	bool readback;			/* read every field back after the attempt */

	/* Pages the relocated address fields point to (see vmx_core_run_case). */
	struct vmx_core_page msr_load;	/* VM-entry MSR-load area */
	uint32_t msr_load_pages;	/* its size in pages (contiguous) */
	struct vmx_core_page pdpte;	/* PAE page-directory-pointer table */
	struct vmx_core_page vapic;	/* virtual-APIC page (VTPR at 80H) */
	struct vmx_core_page link;	/* VMCS link-pointer target */
	struct vmx_core_page shadow_vmcs; /* a VMCS with the shadow indicator */

	/*
	 * Optional speed-up for batches: the fields of the next case that may
	 * differ from the previous case run with this env (bit i: enum
	 * vmx_field i).  When set, the result's .effective must still hold
	 * the previous effective image, and only these fields (plus the ones
	 * the core relocates and the ones a VM exit overwrote) are looked at.
	 * Ignored under VMX_CORE_EARLY_CHECK.  NULL: look at every field.
	 */
	const uint64_t *changed;

	/*
	 * A case that enters and exits cleanly (e.g. a baseline whose guest
	 * executes VMCALL): run first when a case needs a launched VMCS.
	 */
	const struct vmx_case *launch_prep;

	/* Known-good host state for VMX_CORE_EARLY_CHECK (values of the HOST_*
	 * fields, indexed by enum vmx_field; only HOST group entries used).
	 */
	const uint64_t *good_host;
	struct vmx_core_host host;	/* restored after every VM exit */
};

struct vmx_core_result {
	struct vmx_outcome outcome;	/* VMFAIL_*, ENTRY_FAIL, ENTERED or SKIPPED */
	uint64_t rflags;		/* after VMLAUNCH/VMRESUME fell through */
	const char *skip_reason;	/* when outcome.kind == VO_SKIPPED */
	enum vmx_core_skip skip;	/* the same as a number */
	/* What was really in the VMCS and memory when the instruction ran. */
	struct vmx_case effective;
	/* The VMCS after the attempt, when env->readback: have_readback,
	 * and bit f of readback_valid says field f was read (the VMCS has
	 * it and VMREAD succeeded); readback[f] is 0 otherwise.
	 */
	bool have_readback;
	uint64_t readback_valid[VMX_CORE_FIELD_WORDS];
	uint64_t readback[VF_COUNT];
};

/* ---- capabilities ---- */

/* Read the capability MSRs (under rdmsr_safe) and CPUID into @p.  Needs no
 * VMX operation.  wrmsr_safe, when given, is used to find the IA32_DEBUGCTL
 * bits the processor accepts (restoring the original value).
 */
void vmx_core_read_caps(struct vmx_core_env *env, struct vmx_profile *p);

/* ---- VMX operation on this CPU ---- */

/* Set CR4.VMXE (and FEATURE_CONTROL if it is unlocked), VMXON.  Returns 0 or
 * a negative VMX_CORE_E* code.
 */
int vmx_core_cpu_on(struct vmx_core_env *env);
/* VMCLEAR every VMCS active on this CPU, VMXOFF, clear CR4.VMXE. */
void vmx_core_cpu_off(struct vmx_core_env *env);

/* Prepare a VMCS region: revision id, not active anywhere. */
void vmx_core_vmcs_init(struct vmx_core_env *env, struct vmx_core_vmcs *v);
/* Make @v current on this CPU (VMPTRLD if needed). 0 or VMX_CORE_E*. */
int vmx_core_vmcs_load(struct vmx_core_env *env, struct vmx_core_vmcs *v);
/* VMCLEAR @v (must be called on the CPU it is active on, or when clear). */
int vmx_core_vmcs_clear(struct vmx_core_env *env, struct vmx_core_vmcs *v);

/* ---- cases ---- */

/*
 * Write the effective VMCS for @c into env->vmcs, set the launch state the
 * case asks for, execute VMLAUNCH or VMRESUME, classify by RFLAGS first
 * (CF: VMfailInvalid; ZF: VMfailValid + VM-instruction error; otherwise a VM
 * exit: bit 31 gives the entry-failure reason and qualification, else
 * "entered" with the basic exit reason), read the fields back and restore
 * the host state the exit clobbered.
 *
 * Relocation (the effective image): VM-entry MSR-load area, PDPTEs at guest
 * CR3 (PAE paging without EPT), virtual-APIC page and VMCS link pointer are
 * pointed at env pages holding the case's entries, PDPTEs, VTPR and link
 * header -- but only when the case's address is valid (aligned, within
 * MAXPHYADDR); an invalid address is kept, since it is never dereferenced.
 * Fields the processor does not support read as 0 in the effective image.
 *
 * Returns 0, or a negative VMX_CORE_E* when the core itself failed (e.g.
 * VMPTRLD refused); the case's own outcome is always in @r.
 */
int vmx_core_run_case(const struct vmx_case *c, struct vmx_core_env *env,
		      struct vmx_core_result *r);

/* Encoding of a field (from fields.def). */
uint32_t vmx_core_field_encoding(enum vmx_field f);
/* Is @f in the processor's VMCS (after the first vmx_core_vmcs_load)? */
bool vmx_core_field_supported(const struct vmx_core_cpu *cpu, enum vmx_field f);

/* Error codes (negative returns). */
#define VMX_CORE_ENOVMX		1	/* CPUID.1:ECX.VMX clear */
#define VMX_CORE_EFEATCTL	2	/* FEATURE_CONTROL locked without VMX */
#define VMX_CORE_EVMXON		3	/* VMXON failed */
#define VMX_CORE_EVMPTRLD	4	/* VMPTRLD failed */
#define VMX_CORE_EVMCLEAR	5	/* VMCLEAR failed */
#define VMX_CORE_EPREP		6	/* launch preparation did not enter */

#endif
