/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exception entry points and the fault-tolerant MSR accessors.  RDMSR of an
 * MSR the CPU model lacks raises #GP; probe_trap() then skips the 2-byte
 * instruction when probe_msr_guard is set, so the accessor returns -1.
 */
	.text

/* int probe_rdmsr_safe(uint32_t msr, uint64_t *val) */
	.globl	probe_rdmsr_safe
probe_rdmsr_safe:
	movl	%edi, %ecx
	movl	$1, probe_msr_guard(%rip)
	movl	$0, probe_msr_faulted(%rip)
	xorl	%eax, %eax
	xorl	%edx, %edx
	rdmsr
	movl	$0, probe_msr_guard(%rip)
	shlq	$32, %rdx
	orq	%rdx, %rax
	movq	%rax, (%rsi)
	movl	probe_msr_faulted(%rip), %eax
	negl	%eax
	ret

/* int probe_wrmsr_safe(uint32_t msr, uint64_t val) */
	.globl	probe_wrmsr_safe
probe_wrmsr_safe:
	movl	%edi, %ecx
	movl	%esi, %eax
	movq	%rsi, %rdx
	shrq	$32, %rdx
	movl	$1, probe_msr_guard(%rip)
	movl	$0, probe_msr_faulted(%rip)
	wrmsr
	movl	$0, probe_msr_guard(%rip)
	movl	probe_msr_faulted(%rip), %eax
	negl	%eax
	ret

/* void probe_load_gdt(const void *gdtr): LGDT, reload CS=08H and data 10H */
	.globl	probe_load_gdt
probe_load_gdt:
	lgdt	(%rdi)
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	xorl	%eax, %eax
	movw	%ax, %fs
	movw	%ax, %gs
	popq	%rax
	pushq	$0x08
	pushq	%rax
	lretq

/* Vector entry points: push a dummy error code where the CPU pushes none. */
.macro	TRAP vec, has_err
	.globl	probe_trap\vec
probe_trap\vec:
	.if	\has_err == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	trap_common
.endm

	TRAP 0, 0
	TRAP 1, 0
	TRAP 2, 0
	TRAP 3, 0
	TRAP 4, 0
	TRAP 5, 0
	TRAP 6, 0
	TRAP 7, 0
	TRAP 8, 1
	TRAP 9, 0
	TRAP 10, 1
	TRAP 11, 1
	TRAP 12, 1
	TRAP 13, 1
	TRAP 14, 1
	TRAP 15, 0
	TRAP 16, 0
	TRAP 17, 1
	TRAP 18, 0
	TRAP 19, 0
	TRAP 20, 0
	TRAP 21, 1
	TRAP 32, 0

trap_common:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	movq	%rsp, %rdi		/* struct probe_frame * */
	call	probe_trap
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rax
	addq	$16, %rsp		/* vector, error code */
	iretq

	.section .note.GNU-stack, "", @progbits
