/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VM entry and the VM-exit landing, as one standalone routine (not inline
 * asm with a global label, which the compiler could duplicate; see Linux
 * "KVM: VMX: Move VM-Enter + VM-Exit handling to non-inline sub-routines").
 *
 * uint64_t vmx_core_vmenter(uint64_t mode, uint64_t host_rsp_encoding,
 *                           uint64_t *host_rsp)
 *   mode bit 0: VMRESUME instead of VMLAUNCH
 *   mode bit 1: execute MOV SS just before, so the instruction runs with
 *               blocking by MOV SS (VMfail 26)
 *   mode bit 2: do not write HOST_RSP (there is no usable current VMCS:
 *               the instruction is expected to fail)
 * Writes HOST_RSP (its encoding comes from the caller, which has fields.def)
 * with the stack pointer at the instruction (also stored to *host_rsp: the
 * effective image reports it without a VMREAD), so that a VM exit to
 * vmx_core_vmexit (the caller puts its address in HOST_RIP) finds the saved
 * registers.  Returns RFLAGS when the instruction fell through (VMfail) and
 * VMX_CORE_EXITED (bit 63, never set in RFLAGS) after a VM exit.  If the
 * HOST_RSP write itself fails its RFLAGS are returned with bit 62 set.
 *
 * General-purpose registers are not saved by a VM exit: the guest may have
 * changed any of them, so every callee-saved register is restored here.
 */
#ifdef __KERNEL__
#include <linux/linkage.h>
#include <asm/unwind_hints.h>
#define VC_RET	RET
/* objtool: the exit label is reached by VM exit with the stack as it was
 * at VMLAUNCH/VMRESUME (KVM's vmenter.S does the same). */
#define VC_HINT_SAVE	UNWIND_HINT_SAVE
#define VC_HINT_RESTORE	UNWIND_HINT_RESTORE
#else
#define VC_RET	ret
#define VC_HINT_SAVE
#define VC_HINT_RESTORE
#endif

	.text
	.globl	vmx_core_vmenter
	.type	vmx_core_vmenter, @function
vmx_core_vmenter:
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rdi, %rbx		/* mode survives in a callee-saved register */

	testq	$4, %rbx
	jnz	5f
	movq	%rsp, (%rdx)
	vmwrite	%rsp, %rsi
	jbe	2f			/* CF or ZF: HOST_RSP not written */
5:

	/* MOV SS blocks only the very next instruction: branch first. */
	VC_HINT_SAVE
	testq	$1, %rbx
	jnz	3f
	testq	$2, %rbx
	jz	1f
	movl	%ss, %eax
	movl	%eax, %ss
1:	vmlaunch
	jmp	4f
3:	testq	$2, %rbx
	jz	6f
	movl	%ss, %eax
	movl	%eax, %ss
6:	vmresume
4:
	/* Fell through: VMfailInvalid or VMfailValid. */
	pushfq
	popq	%rax
	jmp	vmx_core_out

2:
	pushfq
	popq	%rax
	btsq	$62, %rax
	jmp	vmx_core_out

/* HOST_RIP target, an inner label of the same function (like KVM's
 * vmx_vmexit).  RSP is the HOST_RSP written above. */
	.globl	vmx_core_vmexit
vmx_core_vmexit:
	VC_HINT_RESTORE
	movq	$1, %rax
	shlq	$63, %rax
	/* fall into the common epilogue */
vmx_core_out:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	VC_RET
	.size	vmx_core_vmenter, . - vmx_core_vmenter

	.section .note.GNU-stack, "", @progbits
