// SPDX-License-Identifier: GPL-2.0
/*
 * "vmxcc profile diff": how two profiles differ, in words.  Control MSRs are
 * decoded bit by bit with the control names from arch.h, so the answer reads
 * "SECONDARY_EXEC_ENABLE_EPT may be 1: A yes, B no" rather than two hex
 * numbers.
 */
#include <stdio.h>

#include "vmxcc/arch.h"
#include "vmxcc/profile_text.h"
#include "profile_internal.h"

struct bit_name {
	uint8_t msr;		/* enum vmx_profile_msr the bit belongs to */
	uint8_t bit;
	const char *name;
};

#define NB(m, macro) { m, (uint8_t)__builtin_ctzll(macro), #macro }

/* Names of the capability bits, grouped by the MSR that reports them (the
 * TRUE_* MSRs share the names of their plain counterparts). */
static const struct bit_name bits[] = {
	NB(PMSR_PINBASED, PIN_BASED_EXT_INTR_MASK),
	NB(PMSR_PINBASED, PIN_BASED_NMI_EXITING),
	NB(PMSR_PINBASED, PIN_BASED_VIRTUAL_NMIS),
	NB(PMSR_PINBASED, PIN_BASED_VMX_PREEMPTION_TIMER),
	NB(PMSR_PINBASED, PIN_BASED_POSTED_INTR),
	NB(PMSR_PROCBASED, CPU_BASED_INTR_WINDOW_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_USE_TSC_OFFSETTING),
	NB(PMSR_PROCBASED, CPU_BASED_HLT_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_INVLPG_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_MWAIT_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_RDPMC_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_RDTSC_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_CR3_LOAD_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_CR3_STORE_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_ACTIVATE_TERTIARY_CONTROLS),
	NB(PMSR_PROCBASED, CPU_BASED_CR8_LOAD_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_CR8_STORE_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_TPR_SHADOW),
	NB(PMSR_PROCBASED, CPU_BASED_NMI_WINDOW_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_MOV_DR_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_UNCOND_IO_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_USE_IO_BITMAPS),
	NB(PMSR_PROCBASED, CPU_BASED_MONITOR_TRAP_FLAG),
	NB(PMSR_PROCBASED, CPU_BASED_USE_MSR_BITMAPS),
	NB(PMSR_PROCBASED, CPU_BASED_MONITOR_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_PAUSE_EXITING),
	NB(PMSR_PROCBASED, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_ENABLE_EPT),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_DESC),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_ENABLE_RDTSCP),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_ENABLE_VPID),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_WBINVD_EXITING),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_UNRESTRICTED_GUEST),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_APIC_REGISTER_VIRT),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_PAUSE_LOOP_EXITING),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_RDRAND_EXITING),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_ENABLE_INVPCID),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_ENABLE_VMFUNC),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_SHADOW_VMCS),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_ENCLS_EXITING),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_RDSEED_EXITING),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_ENABLE_PML),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_EPT_VIOLATION_VE),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_PT_CONCEAL_VMX),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_ENABLE_XSAVES),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_PASID_TRANSLATION),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_MODE_BASED_EPT_EXEC),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_SPP),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_PT_USE_GPA),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_TSC_SCALING),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_ENABLE_PCONFIG),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_ENCLV_EXITING),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_EPC_VIRT),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_BUS_LOCK_DETECTION),
	NB(PMSR_PROCBASED2, SECONDARY_EXEC_NOTIFY_VM_EXITING),
	NB(PMSR_PROCBASED3, TERTIARY_EXEC_LOADIWKEY_EXITING),
	NB(PMSR_PROCBASED3, TERTIARY_EXEC_ENABLE_HLAT),
	NB(PMSR_PROCBASED3, TERTIARY_EXEC_EPT_PAGING_WRITE),
	NB(PMSR_PROCBASED3, TERTIARY_EXEC_GUEST_PAGING_VERIFY),
	NB(PMSR_PROCBASED3, TERTIARY_EXEC_IPI_VIRT),
	NB(PMSR_PROCBASED3, TERTIARY_EXEC_VIRT_SPEC_CTRL),
	NB(PMSR_EXIT, VM_EXIT_SAVE_DEBUG_CONTROLS),
	NB(PMSR_EXIT, VM_EXIT_HOST_ADDR_SPACE_SIZE),
	NB(PMSR_EXIT, VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL),
	NB(PMSR_EXIT, VM_EXIT_ACK_INTR_ON_EXIT),
	NB(PMSR_EXIT, VM_EXIT_SAVE_IA32_PAT),
	NB(PMSR_EXIT, VM_EXIT_LOAD_IA32_PAT),
	NB(PMSR_EXIT, VM_EXIT_SAVE_IA32_EFER),
	NB(PMSR_EXIT, VM_EXIT_LOAD_IA32_EFER),
	NB(PMSR_EXIT, VM_EXIT_SAVE_VMX_PREEMPTION_TIMER),
	NB(PMSR_EXIT, VM_EXIT_CLEAR_BNDCFGS),
	NB(PMSR_EXIT, VM_EXIT_PT_CONCEAL_PIP),
	NB(PMSR_EXIT, VM_EXIT_CLEAR_IA32_RTIT_CTL),
	NB(PMSR_EXIT, VM_EXIT_CLEAR_IA32_LBR_CTL),
	NB(PMSR_EXIT, VM_EXIT_CLEAR_UINV),
	NB(PMSR_EXIT, VM_EXIT_LOAD_CET_STATE),
	NB(PMSR_EXIT, VM_EXIT_LOAD_IA32_PKRS),
	NB(PMSR_EXIT, VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL),
	NB(PMSR_EXIT, VM_EXIT_ACTIVATE_SECONDARY_CONTROLS),
	NB(PMSR_EXIT2, SECONDARY_VM_EXIT_SAVE_IA32_FRED),
	NB(PMSR_EXIT2, SECONDARY_VM_EXIT_LOAD_IA32_FRED),
	NB(PMSR_ENTRY, VM_ENTRY_LOAD_DEBUG_CONTROLS),
	NB(PMSR_ENTRY, VM_ENTRY_IA32E_MODE),
	NB(PMSR_ENTRY, VM_ENTRY_SMM),
	NB(PMSR_ENTRY, VM_ENTRY_DEACT_DUAL_MONITOR),
	NB(PMSR_ENTRY, VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL),
	NB(PMSR_ENTRY, VM_ENTRY_LOAD_IA32_PAT),
	NB(PMSR_ENTRY, VM_ENTRY_LOAD_IA32_EFER),
	NB(PMSR_ENTRY, VM_ENTRY_LOAD_BNDCFGS),
	NB(PMSR_ENTRY, VM_ENTRY_PT_CONCEAL_PIP),
	NB(PMSR_ENTRY, VM_ENTRY_LOAD_IA32_RTIT_CTL),
	NB(PMSR_ENTRY, VM_ENTRY_LOAD_UINV),
	NB(PMSR_ENTRY, VM_ENTRY_LOAD_CET_STATE),
	NB(PMSR_ENTRY, VM_ENTRY_LOAD_IA32_LBR_CTL),
	NB(PMSR_ENTRY, VM_ENTRY_LOAD_IA32_PKRS),
	NB(PMSR_ENTRY, VM_ENTRY_LOAD_IA32_FRED),
	NB(PMSR_BASIC, VMX_BASIC_32BIT_PHYS),
	NB(PMSR_BASIC, VMX_BASIC_TRUE_CTLS),
	NB(PMSR_BASIC, VMX_BASIC_NO_HW_ERRCODE_CC),
	NB(PMSR_MISC, VMX_MISC_SAVE_EFER_LMA),
	NB(PMSR_MISC, VMX_MISC_ACT_HLT),
	NB(PMSR_MISC, VMX_MISC_ACT_SHUTDOWN),
	NB(PMSR_MISC, VMX_MISC_ACT_WAIT_SIPI),
	NB(PMSR_MISC, VMX_MISC_INTEL_PT),
	NB(PMSR_MISC, VMX_MISC_RDMSR_SMM),
	NB(PMSR_MISC, VMX_MISC_SMM_MONITOR_CTL_B2),
	NB(PMSR_MISC, VMX_MISC_VMWRITE_ANY),
	NB(PMSR_MISC, VMX_MISC_ZERO_LEN_INJ),
	NB(PMSR_EPT_VPID_CAP, VMX_EPT_EXEC_ONLY),
	NB(PMSR_EPT_VPID_CAP, VMX_EPT_PWL4),
	NB(PMSR_EPT_VPID_CAP, VMX_EPT_PWL5),
	NB(PMSR_EPT_VPID_CAP, VMX_EPT_MT_UC),
	NB(PMSR_EPT_VPID_CAP, VMX_EPT_MT_WB),
	NB(PMSR_EPT_VPID_CAP, VMX_EPT_2MB),
	NB(PMSR_EPT_VPID_CAP, VMX_EPT_1GB),
	NB(PMSR_EPT_VPID_CAP, VMX_EPT_INVEPT),
	NB(PMSR_EPT_VPID_CAP, VMX_EPT_AD),
	NB(PMSR_EPT_VPID_CAP, VMX_EPT_ADV_EXIT_INFO),
	NB(PMSR_EPT_VPID_CAP, VMX_EPT_SSS),
	NB(PMSR_EPT_VPID_CAP, VMX_VPID_INVVPID),
};

/* The MSR whose bit names apply to @m. */
static int name_group(int m)
{
	switch (m) {
	case PMSR_TRUE_PINBASED:	return PMSR_PINBASED;
	case PMSR_TRUE_PROCBASED:	return PMSR_PROCBASED;
	case PMSR_TRUE_EXIT:		return PMSR_EXIT;
	case PMSR_TRUE_ENTRY:		return PMSR_ENTRY;
	default:			return m;
	}
}

static bool is_2x32(int m)
{
	switch (name_group(m)) {
	case PMSR_PINBASED: case PMSR_PROCBASED: case PMSR_PROCBASED2:
	case PMSR_EXIT: case PMSR_ENTRY:
		return true;
	default:
		return false;
	}
}

static void bit_name(int m, int bit, char *buf, size_t len)
{
	int g = name_group(m);

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (bits[i].msr == g && bits[i].bit == bit) {
			snprintf(buf, len, "%s (bit %d)", bits[i].name, bit);
			return;
		}
	snprintf(buf, len, "bit %d", bit);
}

static const char *yes_no(uint64_t v, int bit)
{
	return (v >> bit) & 1 ? "yes" : "no";
}

/* A control MSR: allowed-0 in 31:0 ("must be 1" where set), allowed-1 in 63:32. */
static int diff_ctls(FILE *f, int m, uint64_t a, uint64_t b)
{
	const char *msr = vmx_profile_msr_names[m];
	int lines = 0;
	char name[96];

	for (int bit = 0; bit < 32; bit++) {
		if (((a ^ b) >> (bit + 32)) & 1) {
			bit_name(m, bit, name, sizeof(name));
			fprintf(f, "%s: %s may be 1: A %s, B %s\n", msr, name,
				yes_no(a, bit + 32), yes_no(b, bit + 32));
			lines++;
		}
		if (((a ^ b) >> bit) & 1) {
			bit_name(m, bit, name, sizeof(name));
			fprintf(f, "%s: %s must be 1: A %s, B %s\n", msr, name, yes_no(a, bit), yes_no(b, bit));
			lines++;
		}
	}
	return lines;
}

static int diff_bits(FILE *f, int m, uint64_t a, uint64_t b)
{
	const char *msr = vmx_profile_msr_names[m];
	int lines = 0;
	char name[96];

	for (int bit = 0; bit < 64; bit++) {
		if (!(((a ^ b) >> bit) & 1))
			continue;
		bit_name(m, bit, name, sizeof(name));
		fprintf(f, "%s: %s: A %llu, B %llu\n", msr, name,
			(unsigned long long)((a >> bit) & 1), (unsigned long long)((b >> bit) & 1));
		lines++;
	}
	return lines;
}

int vmx_profile_diff(FILE *f, const struct vmx_profile *a, const struct vmx_profile *b)
{
	int lines = 0;

	uint32_t only_a = a->msr_present & ~b->msr_present;
	uint32_t only_b = b->msr_present & ~a->msr_present;
	uint32_t both = a->msr_present & b->msr_present;

	for (int m = 0; m < PMSR_COUNT; m++) {
		uint32_t bit = 1u << m;

		if ((only_a | only_b) & bit) {
			fprintf(f, "%s: present in %s only\n", vmx_profile_msr_names[m],
				only_a & bit ? "A" : "B");
			lines++;
		} else if ((both & bit) && a->msr[m] != b->msr[m]) {
			lines += is_2x32(m) ? diff_ctls(f, m, a->msr[m], b->msr[m])
					    : diff_bits(f, m, a->msr[m], b->msr[m]);
		}
	}
	for (int i = 0; i < vmx_profile_fact_count(); i++) {
		uint64_t va = vmx_profile_fact_value(a, i), vb = vmx_profile_fact_value(b, i);

		if (va == vb)
			continue;
		fprintf(f, "%s: A %#llx, B %#llx\n", vmx_profile_fact_key(i),
			(unsigned long long)va, (unsigned long long)vb);
		lines++;
	}
	return lines;
}
