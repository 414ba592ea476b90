// SPDX-License-Identifier: GPL-2.0
/*
 * The table of implementation rules (vmxcc/impl_rules.h).  The rules
 * themselves live next to the checks they concern; this file only names
 * them.  Ids are stable: known-deviations files refer to them.
 */
#include <string.h>

#include "vmxcc/impl_rules.h"

const struct vmx_impl_rule vmx_impl_rules[] = {
	{ "ssp-canonical", GST_SSP_CANON, VMX_RULE_REJECTS,
	  "with \"load CET state\", guest SSP must be canonical (bits 63:N-1 identical), "
	  "whatever the guest mode", vmx_rule_ssp_canonical },
	{ "s-cet-hi32", GST_S_CET_CANON, VMX_RULE_REJECTS,
	  "with \"load CET state\" and \"IA-32e mode guest\" 0, bits 63:32 of guest "
	  "IA32_S_CET must be 0", vmx_rule_s_cet_hi32 },
	{ "cs-rpl-eq-dpl", GST_CS_DPL_NONCONF, VMX_RULE_REJECTS,
	  "a non-conforming CS (type 9 or 11) needs CS.DPL equal to the RPL of the CS "
	  "selector, also with unrestricted guest", vmx_rule_cs_rpl_dpl },
	{ "data-type11-dpl", GST_DATA_DPL_RPL, VMX_RULE_SKIPS,
	  "the DPL/RPL rule of DS, ES, FS and GS is applied to types 0-10, not to 11",
	  vmx_rule_data_type11_dpl },
	{ "no-ia32-debugctl", MSR_WR_DEBUGCTL_RSVD, VMX_RULE_REJECTS,
	  "every VM-entry MSR-load entry for IA32_DEBUGCTL (1D9H) fails, whatever its value",
	  vmx_rule_no_debugctl },
	{ "no-ia32-perf-global-ctrl", MSR_WR_PERF_GLOBAL_RSVD, VMX_RULE_REJECTS,
	  "every VM-entry MSR-load entry for IA32_PERF_GLOBAL_CTRL (38FH) fails, whatever "
	  "its value", vmx_rule_no_perf_global_ctrl },
	{ "xss-cet-bits", MSR_WR_XSS_RSVD, VMX_RULE_SKIPS,
	  "WRMSR of IA32_XSS accepts CET_U and CET_S (bits 11, 12) whatever CPUID.(0DH,1) "
	  "enumerates", vmx_rule_xss_cet_bits },
	{ "exit-msr-store-end-32bit", CTL_EXIT_MSR_STORE_ADDR, VMX_RULE_REJECTS,
	  "the VM-exit MSR-store area's last byte is address + (count * 16 mod 2^32) - 1",
	  vmx_rule_exit_store_end32 },
	{ "exit-msr-load-end-32bit", CTL_EXIT_MSR_LOAD_ADDR, VMX_RULE_REJECTS,
	  "the VM-exit MSR-load area's last byte is address + (count * 16 mod 2^32) - 1",
	  vmx_rule_exit_load_end32 },
};

const int vmx_impl_rule_count = sizeof(vmx_impl_rules) / sizeof(vmx_impl_rules[0]);

const struct vmx_impl_rule *vmx_impl_rule_by_name(const char *name)
{
	for (int i = 0; i < vmx_impl_rule_count; i++)
		if (strcmp(vmx_impl_rules[i].id, name) == 0)
			return &vmx_impl_rules[i];
	return NULL;
}
