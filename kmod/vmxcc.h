/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces of the vmxcc kernel module. */
#ifndef VMXCC_MODULE_H
#define VMXCC_MODULE_H

#include <linux/types.h>

struct file;

#include "vmx_core.h"
#include "vmxcc_policy.h"

/*
 * Per-CPU VMX state: VMXON region, the VMCS cases run in, and the pages
 * the core relocates MSR-load entries, PDPTEs, VTPR and link pointer to.
 */
struct vmxcc_pcpu {
	struct vmx_core_cpu core;
	struct vmx_core_vmcs vmcs;
	struct vmx_core_env env;
	u64 good_host[VF_COUNT];
	struct vmx_core_result res;		/* scratch for one attempt */
	struct vmxcc_policy_out pol;		/* scratch for one case */
};

#define VMXCC_MSR_LOAD_ORDER	4		/* 16 pages: 4096 entries */

/* vmxcc_cpu.c */
int vmxcc_pcpu_alloc_all(void);
void vmxcc_pcpu_free_all(void);
struct vmxcc_pcpu *vmxcc_this_pcpu(void);
int vmxcc_cpu_on(struct vmxcc_pcpu *p);	/* preemption off */
void vmxcc_cpu_off_this(void *unused);		/* any context, this CPU */
void vmxcc_capture_host(struct vmxcc_pcpu *p);	/* preemption off */

/* vmxcc_sandbox.c */
int vmxcc_sandbox_alloc(void);
void vmxcc_sandbox_free(void);
void vmxcc_policy_env_fill(struct vmxcc_policy_env *pe, struct vmxcc_pcpu *p);

/* vmxcc_ioctl.c */
long vmxcc_ioctl(struct file *f, unsigned int cmd, unsigned long arg);

/*
 * Exported by kvm.ko (declared in <linux/kvm_host.h>, which this module
 * does not otherwise need): only looked up with symbol_get(), so the module
 * neither needs nor pins kvm.ko.
 */
extern bool kvm_rebooting;

/* Module parameters (vmxcc_main.c) */
extern bool vmxcc_host_fuzz;

#endif
