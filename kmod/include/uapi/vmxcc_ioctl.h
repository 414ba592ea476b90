/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The /dev/vmxcc ioctl ABI, shared by the kernel module (kmod/) and the
 * harness' kmod back end.  Every struct starts with its own size and
 * version; the module rejects unknown versions, wrong sizes, unknown flags
 * and nonzero reserved fields with -EINVAL, and bounds every count.
 *
 * Kernel addresses never reach user space: a field the module filled with
 * one (its own host state, HOST_RIP/HOST_RSP, or a guest field a VM exit
 * saved from the host) reads as a placeholder of the same canonical class
 * (VMXCC_HIDDEN_*), in the effective image and in the read-back alike.
 *
 * Cases and effective images travel as struct vmx_case (vmxcc/case.h), whose
 * layout depends on fields.def: VMXCC_IOC_QUERY reports the module's field
 * count and a hash of the field encodings, and every batch repeats the
 * caller's, so a module and a harness built from different field tables
 * refuse each other instead of misreading fields.
 */
#ifndef VMXCC_IOCTL_H
#define VMXCC_IOCTL_H

#ifdef __KERNEL__
#include <linux/ioctl.h>
#include <linux/types.h>
#else
#include <linux/ioctl.h>
#include <linux/types.h>
#endif

#include "vmxcc/case.h"
#include "vmxcc/outcome.h"
#include "vmxcc/profile.h"

#define VMXCC_DEVICE		"/dev/vmxcc"
#define VMXCC_ABI_VERSION	1
#define VMXCC_MAX_BATCH		4096	/* cases per VMXCC_IOC_RUN */

/* ---- VMXCC_IOC_QUERY: what this module and CPU are ---- */

#define VMXCC_QUERY_VERSION	1

/* policy_flags: how the module treats cases (docs/safety.md) */
#define VMXCC_POLICY_HOST_FUZZ	(1u << 0)	/* module loaded with host_fuzz=1 */
/* batches of version 2 may ask for read-back (VMXCC_BATCH_READBACK) */
#define VMXCC_POLICY_READBACK	(1u << 1)

struct vmxcc_query {
	__u32 size;			/* in: sizeof(struct vmxcc_query) */
	__u32 version;			/* in: VMXCC_QUERY_VERSION */
	__u32 abi_version;		/* out: VMXCC_ABI_VERSION */
	__u32 max_batch;		/* out: VMXCC_MAX_BATCH */
	__u32 n_fields;			/* out: VF_COUNT of the module's build */
	__u32 fields_hash;		/* out: vmxcc_fields_hash() of that build */
	__u32 case_size;		/* out: sizeof(struct vmxcc_case) */
	__u32 result_size;		/* out: sizeof(struct vmxcc_result) */
	__u32 policy_flags;		/* out: VMXCC_POLICY_* */
	__u32 online_cpus;		/* out */
	__u64 tsc_khz;			/* out: for cycles -> time */
	struct vmx_profile profile;	/* out: the capabilities of this CPU */
};

/* ---- VMXCC_IOC_RUN: run a batch of cases ---- */

#define VMXCC_CASE_VERSION	1
#define VMXCC_RESULT_VERSION	1
/*
 * Batch version 1 ends at "attempts" (VMXCC_BATCH_V1_SIZE bytes, flags 0);
 * version 2 adds the read-back buffer.  The module takes both.
 */
#define VMXCC_BATCH_VERSION	2
#define VMXCC_BATCH_V1_SIZE	72
#define VMXCC_READBACK_VERSION	1

/* vmxcc_case.flags */
#define VMXCC_CASE_HOST_AS_GIVEN (1u << 0)	/* needs host_fuzz=1, else -EPERM */
#define VMXCC_CASE_FLAGS	VMXCC_CASE_HOST_AS_GIVEN

struct vmxcc_case {
	__u32 size;			/* sizeof(struct vmxcc_case) */
	__u32 version;			/* VMXCC_CASE_VERSION */
	__u32 flags;			/* VMXCC_CASE_* */
	__u32 reserved;			/* must be 0 */
	struct vmx_case c;
};

/* vmxcc_result.policy: what the safety policy changed or refused */
#define VMXCC_POL_HOST		(1u << 0)	/* host-state fields are the module's */
#define VMXCC_POL_EPT_SANDBOX	(1u << 1)	/* EPTP points at the sandbox EPT */
#define VMXCC_POL_TIMER		(1u << 2)	/* preemption timer forced on, value 0 */
#define VMXCC_POL_POINTERS	(1u << 3)	/* host-physical pointers relocated */
#define VMXCC_POL_MSR_VALUE	(1u << 4)	/* a must-fail MSR entry got the host value */
#define VMXCC_POL_EARLY_ONLY	(1u << 5)	/* only the VMfail phase ran */
#define VMXCC_POL_NMI_REPLAYED	(1u << 6)	/* an NMI taken by the guest was re-raised */
#define VMXCC_POL_INTR_EXITING	(1u << 7)	/* external-interrupt exiting forced on */
#define VMXCC_POL_EXIT_LOADS	(1u << 8)	/* exit loads host EFER/PAT/... forced on */
#define VMXCC_POL_HIDDEN	(1u << 9)	/* kernel addresses shown as VMXCC_HIDDEN_* */

/*
 * Placeholders for kernel addresses (bit 63 set) the module put into a
 * field or read back from one.  The low 12 bits stay (alignment checks see
 * them; they carry no KASLR offset); the base keeps the value's canonical
 * class for 48- and 57-bit linear addresses, so every check judges the
 * placeholder as it would the real address.  HOST_CR3, a physical address,
 * keeps bits 11:0 and the bits beyond MAXPHYADDR; the rest reads as 1000H
 * when nonzero.  A read-back value that differs from the written one gets
 * bit 13 flipped should its placeholder equal the written one's.
 */
#define VMXCC_HIDDEN_VA48	0xffff800000000000ull	/* 48- and 57-bit canonical */
#define VMXCC_HIDDEN_VA57	0xff00000000000000ull	/* 57-bit canonical only */
#define VMXCC_HIDDEN_VA_NC	0x8000000000000000ull	/* not canonical */
#define VMXCC_HIDDEN_PA		0x1000ull
#define VMXCC_HIDDEN_FLIP	0x2000ull

struct vmxcc_result {
	__u32 size;			/* sizeof(struct vmxcc_result) */
	__u32 version;			/* VMXCC_RESULT_VERSION */
	__u32 policy;			/* VMXCC_POL_* */
	__u32 reserved;
	__u64 tsc_attempt;		/* TSC cycles of the VMLAUNCH/VMRESUME attempt(s) */
	struct vmx_outcome outcome;	/* any of the six kinds */
	char text[128];			/* skip reason or error, NUL-terminated */
	struct vmx_case effective;	/* what really ran */
};

/*
 * The VMCS after one attempt, VMREAD field by field (batch flag
 * VMXCC_BATCH_READBACK).  flags has VMXCC_RB_READ when the attempt reached
 * the VMCS and the module read it; bit f of valid[] then says field f was
 * read (the VMCS has it and VMREAD succeeded), value[f] is 0 otherwise.
 * A skipped case or a back-end error has no read-back: only size, version,
 * n_fields and flags = 0 are written.  Kernel addresses: as above.
 */
#define VMXCC_RB_WORDS		((VF_COUNT + 63) / 64)
#define VMXCC_RB_READ		(1u << 0)

struct vmxcc_readback {
	__u32 size;			/* out: sizeof(struct vmxcc_readback) */
	__u32 version;			/* out: VMXCC_READBACK_VERSION */
	__u32 n_fields;			/* out: VF_COUNT */
	__u32 flags;			/* out: VMXCC_RB_* */
	__u64 valid[VMXCC_RB_WORDS];	/* out */
	__u64 value[VF_COUNT];		/* out */
};

/* vmxcc_batch.flags (version 2; version 1 requires 0) */
#define VMXCC_BATCH_READBACK	(1u << 0)	/* fill readback[0..n) */
#define VMXCC_BATCH_FLAGS	VMXCC_BATCH_READBACK

struct vmxcc_batch {
	__u32 size;			/* VMXCC_BATCH_V1_SIZE or sizeof() */
	__u32 version;			/* 1 or VMXCC_BATCH_VERSION */
	__u32 n;			/* cases, 1..VMXCC_MAX_BATCH */
	__u32 n_fields;			/* caller's VF_COUNT */
	__u32 fields_hash;		/* caller's vmxcc_fields_hash() */
	__u32 flags;			/* VMXCC_BATCH_* (version 1: "reserved", 0) */
	__u64 cases;			/* user pointer: n x struct vmxcc_case */
	__u64 results;			/* user pointer: n x struct vmxcc_result */
	/*
	 * Optional (0: none): a case that enters cleanly, run first when a
	 * case asks for VMRESUME (the VMCS must be launched).
	 */
	__u64 prep;			/* user pointer: one struct vmxcc_case */
	/* out */
	__u32 cpu;			/* CPU the batch ran on */
	__u32 done;			/* cases completed */
	__u64 tsc_total;		/* sum of tsc_attempt */
	__u64 attempts;			/* VMLAUNCH/VMRESUME executed */
	/* version 2 */
	__u32 readback_size;		/* sizeof(struct vmxcc_readback), or 0 */
	__u32 reserved;			/* must be 0 */
	__u64 readback;			/* user pointer: n x struct vmxcc_readback */
};

#define VMXCC_IOC_MAGIC		0xb8
#define VMXCC_IOC_QUERY		_IOWR(VMXCC_IOC_MAGIC, 1, struct vmxcc_query)
#define VMXCC_IOC_RUN		_IOWR(VMXCC_IOC_MAGIC, 2, struct vmxcc_batch)
/* The same request with a version 1 batch (the command encodes the size). */
#define VMXCC_IOC_RUN_V1	_IOC(_IOC_READ | _IOC_WRITE, VMXCC_IOC_MAGIC, 2, \
				     VMXCC_BATCH_V1_SIZE)

/*
 * FNV-1a over the field encodings and widths in fields.def order: both sides
 * compute it from their own build of the table.
 */
static inline __u32 vmxcc_fields_hash(void)
{
	static const __u32 enc[VF_COUNT] = {
#define FIELD(name, e, width, ...) \
		[VF_##name] = (e) | ((__u32)(width) << 16),
#include "vmxcc/fields.def"
#undef FIELD
	};
	__u32 h = 2166136261u;
	unsigned int i;

	for (i = 0; i < VF_COUNT; i++) {
		h ^= enc[i];
		h *= 16777619u;
	}
	return h;
}

#endif
