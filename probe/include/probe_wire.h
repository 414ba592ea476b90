/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The disk-image format between the Bochs back end (host) and the L1 probe
 * (guest).  One flat image per Bochs instance, 512-byte sectors:
 *
 *   sector 0                 struct probe_batch_hdr
 *   sectors 1..              input: launch-prep case, then the cases, each
 *                            a struct probe_case_rec followed by its
 *                            MSR-load entries and field deltas
 *   sectors result_lba, +1   struct probe_result_hdr (written last)
 *   sector result_lba + 2..  struct probe_result_rec[n_cases], written in
 *                            chunks as the batch goes
 *   then, with PROBE_FLAG_READBACK: struct probe_readback_rec[n_cases]
 *                            (sector-aligned start), in the same chunks
 *
 * Cases are delta-encoded against the previous case (the first one against
 * an all-zero case): a batch of mutations of one baseline is small.  Field
 * numbers are enum vmx_field indexes; probe and back end are built from the
 * same fields.def, checked through vf_count and fields_sum.
 */
#ifndef PROBE_WIRE_H
#define PROBE_WIRE_H

#include "vmx_core_types.h"
#include "vmx_core_skip.h"
#include "vmxcc/case.h"
#include "vmxcc/profile.h"

#define PROBE_BATCH_MAGIC	0x3142434358504d56ull	/* "VMPXCCB1" */
#define PROBE_RESULT_MAGIC	0x3152434358504d56ull	/* "VMPXCCR1" */
#define PROBE_SECTOR		512
#define PROBE_CHUNK		64	/* results written (and "P n" printed) per chunk */
#define PROBE_RESULT_HDR_SECTORS 2
#define PROBE_FLAG_MARKERS	1	/* print "C<i>" before case i (triage) */
#define PROBE_FLAG_FINE		2	/* write results every PROBE_FINE_CHUNK cases */
#define PROBE_FINE_CHUNK	8	/* one sector of records */
#define PROBE_FLAG_READBACK	4	/* VMREAD every field after each attempt */

enum probe_mode {
	PROBE_RUN = 0,		/* run the cases */
	PROBE_CAPTURE = 1,	/* only read the capability profile */
};

struct probe_batch_hdr {
	uint64_t magic;
	uint32_t mode;		/* enum probe_mode */
	uint32_t n_cases;
	uint32_t vf_count;	/* VF_COUNT the back end was built with */
	uint32_t fields_sum;	/* sum of encodings, guards against a stale probe */
	uint32_t input_bytes;	/* from sector 1, prep case included */
	uint32_t result_lba;
	uint32_t flags;
};

/* Header of one case in the input stream. */
struct probe_case_rec {
	uint8_t instr, launch_state, movss_blocking, no_current_vmcs;
	uint8_t current_is_shadow, vtpr, x2apic_mode, link_shadow;
	uint32_t link_revision;
	uint32_t n_msr_load;	/* struct vmx_msr_entry follow */
	uint32_t n_deltas;	/* struct probe_delta follow */
	uint8_t link_is_current, pad[3];
	uint64_t pdpte[4];
};

struct probe_delta {
	uint16_t field;		/* enum vmx_field */
	uint16_t pad[3];
	uint64_t value;
};

/* Fields the core may change in the effective image (vmx_core.h); HOST_RSP
 * travels apart (host_rsp). */
#define PROBE_EFF_FIELDS(X)		\
	X(VM_ENTRY_MSR_LOAD_ADDR)	\
	X(GUEST_CR3)			\
	X(VIRTUAL_APIC_PAGE_ADDR)	\
	X(VMCS_LINK_POINTER)		\
	X(HOST_RIP)
#define PROBE_N_EFF 5

/* 64 bytes, 8 per sector: the result stream is PIO the probe pays for. */
struct probe_result_rec {
	uint8_t kind;		/* enum vmx_outcome_kind */
	uint8_t core_err;	/* VMX_CORE_E* when the core itself failed */
	uint8_t skip;		/* enum vmx_core_skip (vmx_core_skip.h) */
	uint8_t pad;
	uint16_t error;
	uint16_t rflags;	/* after a fall-through: only bits 15:0 matter */
	uint32_t reason;
	uint32_t host_rsp;	/* HOST_RSP as written: the probe lives below 4 GiB */
	uint64_t qual;
	uint64_t eff[PROBE_N_EFF];
};

/* With PROBE_FLAG_READBACK: the VMCS after case i's attempt.  Bit f of
 * valid: field f was read (the VMCS has it, VMREAD succeeded). */
#define PROBE_READBACK_WORDS 4
struct probe_readback_rec {
	uint64_t valid[PROBE_READBACK_WORDS];
	uint64_t value[VF_COUNT];
	uint8_t pad[2048 - 8 * PROBE_READBACK_WORDS - 8 * VF_COUNT];
};

/* First sector of the read-back records. */
static inline uint32_t probe_readback_lba(uint32_t result_lba, uint32_t n_cases)
{
	return result_lba + PROBE_RESULT_HDR_SECTORS +
	       (n_cases * 64u + PROBE_SECTOR - 1) / PROBE_SECTOR;
}

struct probe_result_hdr {
	uint64_t magic;
	uint32_t n_done;
	int32_t cpu_on_err;	/* vmx_core_cpu_on() result */
	uint64_t supported[(VF_COUNT + 63) / 64];	/* vmx_core_field_supported */
	struct vmx_profile profile;			/* what the probe read */
};

_Static_assert(sizeof(struct probe_result_rec) == 64, "probe_readback_lba assumes it");
_Static_assert(PROBE_SECTOR / sizeof(struct probe_result_rec) == PROBE_FINE_CHUNK,
	       "fine mode writes one sector of records");
_Static_assert(sizeof(struct probe_readback_rec) == 2048, "4 sectors per case");
_Static_assert(VF_COUNT <= 64 * PROBE_READBACK_WORDS, "valid[] too small");

#endif
