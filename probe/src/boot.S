/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reset vector to long mode, for Bochs' romimage and QEMU's -bios (no other
 * firmware): both map the 64 KiB ROM at F0000H and just below 4 GiB; the
 * processor starts at FFFFFFF0H in real mode.  Real mode -> protected mode (flat) -> copy the C payload from ROM
 * to 1 MiB, zero .bss -> page tables -> long mode -> probe_main().
 *
 * Low memory map (identity mapped, matches the model's baselines: host
 * CR3 2000H, guest CR3 5000H, guest RIP 6000H, guest RSP 7000H):
 *   0000H  TSS (host TR base 0)      1000H  PDPT (shared)
 *   2000H  host PML4                 5000H  guest PML4
 *   6000H  guest code: VMCALL        8000H  guest code: JMP $ (hang tests)
 *   9000H..C000H  page directories, 2 MiB pages, 0..4 GiB
 */
#define CR0_PE	0x00000001
#define CR0_MP	0x00000002
#define CR0_ET	0x00000010
#define CR0_NE	0x00000020
#define CR0_WP	0x00010000
#define CR0_PG	0x80000000
#define CR4_PAE	0x00000020
#define EFER_MSR 0xc0000080
#define EFER_BITS 0x00000901		/* SCE | LME | NXE */

	.section .boot, "ax"
	.code16
	.globl	boot16
boot16:
	cli
	cld
	xorw	%ax, %ax
	movw	%ax, %ds
	/* GDTR from ROM (CS base is F0000H here) */
	lgdtl	%cs:(boot_gdtr - 0xf0000)
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$0x08, $boot32

	.code32
boot32:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	/* copy the payload, zero .bss */
	movl	$__payload_lma, %esi
	movl	$__payload_start, %edi
	movl	$__payload_end, %ecx
	subl	%edi, %ecx
	rep movsb
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb
	/* zero 0000H..CFFFH, then the tables */
	xorl	%edi, %edi
	movl	$0xd000 / 4, %ecx
	rep stosl
	movl	$0x1000 | 3, 0x2000		/* host PML4[0] -> PDPT */
	movl	$0x1000 | 3, 0x5000		/* guest PML4[0] -> same PDPT */
	movl	$0x9000 | 3, 0x1000
	movl	$0xa000 | 3, 0x1008
	movl	$0xb000 | 3, 0x1010
	movl	$0xc000 | 3, 0x1018
	movl	$0x9000, %edi
	movl	$0x83, %eax			/* present, writable, 2 MiB */
	movl	$2048, %ecx
1:	movl	%eax, (%edi)
	movl	$0, 4(%edi)
	addl	$0x200000, %eax
	addl	$8, %edi
	loop	1b
	movl	$0x90c1010f, 0x6000		/* vmcall; nop */
	movw	$0xfeeb, 0x6004			/* jmp $ */
	movw	$0xfeeb, 0x8000			/* jmp $ */

	movl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$0x2000, %eax
	movl	%eax, %cr3
	movl	$EFER_MSR, %ecx
	rdmsr
	orl	$EFER_BITS, %eax
	wrmsr
	movl	$(CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG), %eax
	movl	%eax, %cr0
	ljmpl	$0x18, $boot64

	.code64
boot64:
	movq	$probe_stack_top, %rsp
	xorl	%ebp, %ebp
	call	probe_main
2:	cli
	hlt
	jmp	2b

	.balign	8
boot_gdt:
	.quad	0
	.quad	0x00cf9b000000ffff		/* 08: 32-bit code */
	.quad	0x00cf93000000ffff		/* 10: data */
	.quad	0x00af9b000000ffff		/* 18: 64-bit code */
boot_gdt_end:
boot_gdtr:
	.word	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt

	/* The processor starts here (FFFFFFF0H, mirrored at FFFF0H). */
	.section .reset, "ax"
	.code16
	ljmpw	$0xf000, $(boot16 - 0xf0000)
	.balign	16, 0xf4

	.section .note.GNU-stack, "", @progbits
