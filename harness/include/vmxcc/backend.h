/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The back-end interface.  A back end runs cases on an implementation of
 * VMX (Bochs, the kernel module on silicon, a hypervisor's nested VMX) and
 * returns, per case, exactly one outcome plus the effective image it really
 * ran.  It never decides agreement: compare.c judges the effective image
 * with the model.
 */
#ifndef VMXCC_BACKEND_H
#define VMXCC_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmxcc/case.h"
#include "vmxcc/outcome.h"
#include "vmxcc/profile.h"

struct vmx_backend;

#define VMX_READBACK_WORDS ((VF_COUNT + 63) / 64)

struct vmx_backend_result {
	struct vmx_outcome outcome;	/* any of the six kinds */
	struct vmx_case effective;	/* what actually ran (relocations, forced controls) */
	char text[256];			/* skip reason, error, or back end's triage line */
	/*
	 * The VMCS after the attempt, VMREAD field by field, when read-back
	 * was asked for (set_readback) and the attempt reached the VMCS:
	 * have_readback.  Bit i of readback_valid: field i was read (the
	 * implementation supports it and VMREAD succeeded); readback[i] is
	 * then its value, else 0.  Without have_readback both arrays are
	 * left as they were (not cleared: big batches skip the cost).
	 */
	bool have_readback;
	uint64_t readback_valid[VMX_READBACK_WORDS];
	uint64_t readback[VF_COUNT];
};

struct vmx_backend_ops {
	const char *name;		/* "bochs", "kmod", "kvm" */
	const char *help;		/* one line for --help */
	/*
	 * Open an instance.  @arg is what follows "name:" on the command line
	 * (e.g. the Bochs CPU model), or NULL.  Returns NULL and fills @err
	 * with "not available on this machine: <why>" when it cannot run here.
	 */
	struct vmx_backend *(*open)(const char *arg, char *err, size_t errlen);
	/* The capability profile of the implementation under test. */
	int (*profile)(struct vmx_backend *b, struct vmx_profile *p, char *err, size_t errlen);
	/* Run @n cases; fills @res[0..n).  Returns 0, or -1 with @err when the
	 * batch as a whole could not be run (per-case crashes and hangs are
	 * VO_BACKEND_ERROR results, not a -1). */
	int (*run)(struct vmx_backend *b, const struct vmx_case *cases, size_t n,
		   struct vmx_backend_result *res, char *err, size_t errlen);
	/* Read every field back after each attempt from now on (slower: for
	 * repro, replay, minimization and confirming divergences).  NULL when
	 * the back end cannot; returns 0, or -1 with @err. */
	int (*set_readback)(struct vmx_backend *b, bool on, char *err, size_t errlen);
	void (*close)(struct vmx_backend *b);
};

/* Registry: every back end this build knows, built on this machine or not. */
const struct vmx_backend_ops *vmx_backend_find(const char *name);
extern const struct vmx_backend_ops *const vmx_backends[];

#endif
