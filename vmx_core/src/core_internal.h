/* SPDX-License-Identifier: GPL-2.0 */
/* Internal helpers shared by the core's files. */
#ifndef VMX_CORE_INTERNAL_H
#define VMX_CORE_INTERNAL_H

#include "vmx_core.h"
#include "vmx_insn.h"

extern const char *const vmx_core_skip_text[VMX_CORE_SKIP_COUNT];

/* vmenter.S */
#define VMX_CORE_EXITED		(1ull << 63)
#define VMX_CORE_RSP_FAILED	(1ull << 62)
uint64_t vmx_core_vmenter(uint64_t mode, uint64_t host_rsp_encoding,
			  uint64_t *host_rsp);
void vmx_core_vmexit(void);

/* fields.c, from fields.def */
extern const uint32_t vmx_core_encodings[VF_COUNT];
extern const uint8_t vmx_core_groups[VF_COUNT];
extern const uint8_t vmx_core_widths[VF_COUNT];
extern const uint64_t vmx_core_masks[VF_COUNT];

/* The kernel has ARRAY_SIZE, the probe does not. */
#define VMX_CORE_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline uint8_t vmx_core_field_group(enum vmx_field f)
{
	return vmx_core_groups[f];
}

static inline uint64_t vmx_core_field_mask(enum vmx_field f)
{
	return vmx_core_masks[f];
}

static inline void bit_set(uint64_t *w, unsigned int i)
{
	w[i / 64] |= 1ull << (i % 64);
}

static inline void bit_clear(uint64_t *w, unsigned int i)
{
	w[i / 64] &= ~(1ull << (i % 64));
}

static inline bool bit_test(const uint64_t *w, unsigned int i)
{
	return (w[i / 64] >> (i % 64)) & 1;
}

static inline bool core_supported(const struct vmx_core_cpu *cpu, unsigned int f)
{
	return bit_test(cpu->supported, f);
}

static inline uint64_t vmread_field(enum vmx_field f)
{
	uint64_t v;

	vi_vmread(vmx_core_encodings[f], &v);
	return v;
}

/* No libc: small byte helpers (the compiler may still emit memcpy/memset
 * calls for struct copies; the environment provides those).
 */
static inline void core_zero(void *p, size_t n)
{
	volatile uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

/* The fields the core may rewrite in the effective image (effective.c). */
#define VMX_CORE_RELOCATED(X)		\
	X(VM_ENTRY_MSR_LOAD_ADDR)	\
	X(GUEST_CR3)			\
	X(VIRTUAL_APIC_PAGE_ADDR)	\
	X(VMCS_LINK_POINTER)		\
	X(HOST_RIP)

/* The fields relocate() and the HOST_RIP choice read (effective.c): while
 * none of them changes, the relocated fields keep their effective values.
 */
#define VMX_CORE_RELOCATION_INPUTS(X)	\
	X(VM_ENTRY_MSR_LOAD_COUNT)	\
	X(VM_ENTRY_MSR_LOAD_ADDR)	\
	X(GUEST_CR0)			\
	X(GUEST_CR3)			\
	X(GUEST_CR4)			\
	X(VM_ENTRY_CONTROLS)		\
	X(VM_EXIT_CONTROLS)		\
	X(CPU_BASED_VM_EXEC_CONTROL)	\
	X(SECONDARY_VM_EXEC_CONTROL)	\
	X(VIRTUAL_APIC_PAGE_ADDR)	\
	X(VMCS_LINK_POINTER)		\
	X(HOST_RIP)

/* The two lists above as arrays of field numbers. */
extern const uint16_t vmx_core_relocated[];
extern const unsigned int vmx_core_n_relocated;
extern const uint16_t vmx_core_relocation_inputs[];
extern const unsigned int vmx_core_n_relocation_inputs;

/* Is the incremental path (env->changed) usable for this env? */
static inline bool vmx_core_incremental(const struct vmx_core_env *env)
{
	return env->changed && env->policy == VMX_CORE_AS_IS;
}

/* Host-state restore after a VM exit (host.c). */
void vmx_core_restore_host(struct vmx_core_env *env);

/* Effective image (effective.c). Returns VMX_CORE_SKIP_NONE or why the
 * case cannot run.
 */
enum vmx_core_skip vmx_core_build_effective(const struct vmx_case *c,
				     struct vmx_core_env *env,
				     struct vmx_case *eff);
enum vmx_core_skip vmx_core_update_effective(const struct vmx_case *c,
				      struct vmx_core_env *env,
				      struct vmx_case *eff, uint64_t *dirty);
void vmx_core_fill_memory(const struct vmx_case *c, const struct vmx_case *eff,
			  struct vmx_core_env *env);

#endif
