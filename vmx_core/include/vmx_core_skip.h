/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why the core skipped a case: a number (the probe's result records carry
 * it in one byte) and the text for people.  The core's result has both;
 * the probe back ends turn the number back into the text.
 */
#ifndef VMX_CORE_SKIP_H
#define VMX_CORE_SKIP_H

#define VMX_CORE_SKIPS(X)							\
	X(NONE, "")								\
	X(MSR_AREA, "VM-entry MSR-load count exceeds the back end's area")	\
	X(VMWRITE, "VMWRITE failed")						\
	X(HOST_RSP, "VMWRITE of HOST_RSP failed")				\
	X(FELL_THROUGH, "VMLAUNCH/VMRESUME fell through without CF or ZF")	\
	X(NO_SHADOWING, "VMPTRLD of a shadow VMCS refused (no VMCS shadowing)")	\
	X(CORE_ERROR, "VMX core error")

enum vmx_core_skip {
#define VMX_CORE_SKIP_ENUM(name, text) VMX_CORE_SKIP_##name,
	VMX_CORE_SKIPS(VMX_CORE_SKIP_ENUM)
#undef VMX_CORE_SKIP_ENUM
	VMX_CORE_SKIP_COUNT
};

#endif
