// SPDX-License-Identifier: GPL-2.0
/*
 * The table of stricter rules (vmxcc/stricter.h).  The rules themselves live
 * next to the checks they tighten; this file only names them.  Ids are
 * stable: known-deviations files refer to them.
 */
#include <string.h>

#include "vmxcc/stricter.h"

const struct vmx_stricter_rule vmx_stricter_rules[] = {
	{ "ssp-canonical", GST_SSP_CANON,
	  "with \"load CET state\", guest SSP must be canonical (bits 63:N-1 identical), "
	  "whatever the guest mode", vmx_stricter_ssp_canonical },
	{ "cs-rpl-eq-dpl", GST_CS_DPL_NONCONF,
	  "a non-conforming CS (type 9 or 11) needs CS.DPL equal to the RPL of the CS "
	  "selector, also with unrestricted guest", vmx_stricter_cs_rpl_dpl },
	{ "no-ia32-debugctl", MSR_WR_DEBUGCTL_RSVD,
	  "every VM-entry MSR-load entry for IA32_DEBUGCTL (1D9H) fails, whatever its value",
	  vmx_stricter_no_debugctl },
	{ "no-ia32-perf-global-ctrl", MSR_WR_PERF_GLOBAL_RSVD,
	  "every VM-entry MSR-load entry for IA32_PERF_GLOBAL_CTRL (38FH) fails, whatever "
	  "its value", vmx_stricter_no_perf_global_ctrl },
	{ "exit-msr-store-end-32bit", CTL_EXIT_MSR_STORE_ADDR,
	  "the VM-exit MSR-store area's last byte is address + (count * 16 mod 2^32) - 1",
	  vmx_stricter_exit_store_end32 },
	{ "exit-msr-load-end-32bit", CTL_EXIT_MSR_LOAD_ADDR,
	  "the VM-exit MSR-load area's last byte is address + (count * 16 mod 2^32) - 1",
	  vmx_stricter_exit_load_end32 },
};

const int vmx_stricter_rule_count = sizeof(vmx_stricter_rules) / sizeof(vmx_stricter_rules[0]);

const struct vmx_stricter_rule *vmx_stricter_by_name(const char *name)
{
	for (int i = 0; i < vmx_stricter_rule_count; i++)
		if (strcmp(vmx_stricter_rules[i].id, name) == 0)
			return &vmx_stricter_rules[i];
	return NULL;
}
