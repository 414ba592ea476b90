// SPDX-License-Identifier: GPL-2.0
/* Tests for SDM 26.1 "Basic VM-Entry Checks". */
#include "check_test.h"

static void no_vmcs(struct vmx_case *c, struct vmx_profile *p) { c->no_current_vmcs = 1; }
static void shadow(struct vmx_case *c, struct vmx_profile *p) { c->current_is_shadow = 1; }
static void movss(struct vmx_case *c, struct vmx_profile *p) { c->movss_blocking = 1; }
static void launch_launched(struct vmx_case *c, struct vmx_profile *p) { c->launch_state = 1; }
static void resume_clear(struct vmx_case *c, struct vmx_profile *p) { c->instr = VMX_VMRESUME; }

CHECK_TEST_TABLE(basic,
	{ "no current VMCS", BASIC_NO_CURRENT_VMCS, BL_LONG64, no_vmcs, "{vmfail-invalid}" },
	{ "current VMCS is a shadow VMCS", BASIC_SHADOW_VMCS, BL_LONG64, shadow, "{vmfail-invalid}" },
	{ "MOV-SS blocking", BASIC_MOVSS_BLOCKING, BL_LONG64, movss, "{vmfail(26)}" },
	{ "VMLAUNCH with launched VMCS", BASIC_LAUNCH_NOT_CLEAR, BL_LONG64, launch_launched, "{vmfail(4)}" },
	{ "VMRESUME with clear VMCS", BASIC_RESUME_NOT_LAUNCHED, BL_LONG64, resume_clear, "{vmfail(5)}" },
);
