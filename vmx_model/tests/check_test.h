/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One test per rule (kvm-unit-tests style): start from a valid baseline,
 * break exactly one check, assert the exact outcome set.  The runner
 * (test_checks.c) also asserts that the mutation fails that check and no
 * other, and that every catalogue id has at least one such test.
 */
#ifndef VMXCC_CHECK_TEST_H
#define VMXCC_CHECK_TEST_H

#include <stddef.h>

#include "vmxcc/arch.h"
#include "vmxcc/baseline.h"
#include "vmxcc/model.h"

struct check_test {
	const char *name;		/* unique, says what is broken */
	enum vmx_check_id id;		/* the one check the mutation must fail */
	enum vmx_baseline base;
	/* Break the check.  May also adjust the profile (e.g. remove a
	 * capability); caps are recomputed from it afterwards. */
	void (*mutate)(struct vmx_case *c, struct vmx_profile *p);
	const char *expect;		/* exact allowed set, e.g. "{vmfail(7)}" */
};

/* Shorthand for field access in mutators. */
#define FLD(c, name) ((c)->f[VF_##name])

/* A mutator in one line: MUT(name, statements using c and p). */
#define MUT(name, ...)							\
	static void name(struct vmx_case *c, struct vmx_profile *p)	\
	{								\
		(void)c; (void)p;					\
		__VA_ARGS__;						\
	}

/* Bit 47 set, bits 63:48 clear: non-canonical with 48-bit addresses. */
#define NONCANON	0x0000800000000000ull

/* "Unrestricted guest" with the EPT it needs (WB, 4-level EPTP). */
static inline void ug_on(struct vmx_case *c)
{
	FLD(c, CPU_BASED_VM_EXEC_CONTROL) |= CPU_BASED_ACTIVATE_SECONDARY_CONTROLS;
	FLD(c, SECONDARY_VM_EXEC_CONTROL) |= SECONDARY_EXEC_ENABLE_EPT |
					     SECONDARY_EXEC_UNRESTRICTED_GUEST;
	FLD(c, EPT_POINTER) = 0x9000 | (3 << 3) | 6;
}

/* Tables, one per test file (checks_<group>.c). */
#define CHECK_TEST_GROUPS(X)	\
	X(basic)		\
	X(controls_exec)	\
	X(controls_exit)	\
	X(controls_entry)	\
	X(host)			\
	X(guest_regs)		\
	X(guest_segs)		\
	X(guest_nonreg)		\
	X(msr_load)

#define DECLARE_GROUP(g)					\
	extern const struct check_test check_tests_##g[];	\
	extern const size_t n_check_tests_##g;
CHECK_TEST_GROUPS(DECLARE_GROUP)
#undef DECLARE_GROUP

#define CHECK_TEST_TABLE(g, ...)					\
	const struct check_test check_tests_##g[] = { __VA_ARGS__ };	\
	const size_t n_check_tests_##g =				\
		sizeof(check_tests_##g) / sizeof(check_tests_##g[0])

#endif
