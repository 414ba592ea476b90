/* SPDX-License-Identifier: GPL-2.0 */
/* The kvm back end: the probe runner (probe_run.h) with QEMU. */
#ifndef VMXCC_KVM_INTERNAL_H
#define VMXCC_KVM_INTERNAL_H

#include "probe_run.h"

struct kvm_emu_ctx {
	char qemu[512];		/* qemu-system-x86_64 */
	bool tcg;		/* kvm:tcg, the plumbing check without VMX */
};

/* kvm_qemu.c: command line of one QEMU run */
extern const struct prun_emu kvm_qemu_emu;

#endif
