; SPDX-License-Identifier: GPL-2.0
;
; vmxcc boot ROM for Bochs: loads an already decompressed Linux kernel, its
; boot_params, command line and initramfs from the first ATA disk and jumps
; to the kernel's 64-bit entry point (Documentation/x86/boot.rst, "64-bit
; BOOT PROTOCOL").  No BIOS runs: the host (mkdisk.py) did all the work a
; boot loader normally does (e820 map, setup header), so this only copies
; sectors and switches to long mode.  Booting this way takes ~7 s to init
; instead of ~45 s for SYSLINUX + in-guest xz decompression.
;
; Disk layout (written by mkdisk.py), 512-byte sectors:
;   LBA 0      header: "VMXCCBT1", u64 entry, u64 boot_params, u32 nchunks
;   LBA 1..    chunk table: nchunks x { u32 lba, u32 nsect, u64 dest }
;   later      chunk data
; Progress and errors go to port 0xE9 (Bochs' debug port).

	bits	16
	org	0

PT_BASE		equ	0x10000		; PML4, PDPT, PD (identity map 0-1 GiB)
HDR		equ	0x13000		; header sector
TABLE		equ	0x13200		; chunk table (up to 126 sectors)
STACK_TOP	equ	0x30000
ROM_BASE	equ	0xf0000

start16:
	cli
	cld
	xor	ax, ax
	mov	ds, ax
	mov	ss, ax
	mov	sp, 0x7000
	in	al, 0x92		; fast A20 on
	or	al, 2
	and	al, 0xfe
	out	0x92, al
	o32 lgdt [cs:gdtr]
	mov	eax, cr0
	or	eax, 1
	mov	cr0, eax
	jmp	dword 0x20:(ROM_BASE + start32)

	bits	32
start32:
	mov	ax, 0x18
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	fs, ax
	mov	gs, ax
	mov	esp, STACK_TOP
	mov	esi, ROM_BASE + msg_hello
	call	puts
	; header
	xor	eax, eax
	mov	ecx, 1
	mov	edi, HDR
	call	ata_read
	cmp	dword [HDR], 'VMXC'
	jne	bad_disk
	cmp	dword [HDR + 4], 'CBT1'
	jne	bad_disk
	mov	ecx, [HDR + 24]		; nchunks
	cmp	ecx, 126 * 32
	ja	bad_disk
	add	ecx, 31
	shr	ecx, 5			; table sectors
	mov	eax, 1
	mov	edi, TABLE
	call	ata_read
	; chunks
	mov	ebx, TABLE
	mov	ebp, [HDR + 24]
.next:
	test	ebp, ebp
	jz	.loaded
	mov	eax, [ebx]
	mov	ecx, [ebx + 4]
	mov	edi, [ebx + 8]
	call	ata_read
	add	ebx, 16
	dec	ebp
	jmp	.next
.loaded:
	mov	esi, ROM_BASE + msg_loaded
	call	puts
	call	build_page_tables
	mov	eax, cr4
	or	eax, 1 << 5		; PAE
	mov	cr4, eax
	mov	eax, PT_BASE
	mov	cr3, eax
	mov	ecx, 0xc0000080		; EFER.LME
	rdmsr
	or	eax, 1 << 8
	wrmsr
	mov	eax, cr0
	or	eax, 1 << 31
	mov	cr0, eax
	jmp	0x10:(ROM_BASE + start64)

bad_disk:
	mov	esi, ROM_BASE + msg_bad
	call	puts
	mov	esi, HDR		; show what was read
	mov	ecx, 8
	mov	dx, 0xe9
	rep outsb
	jmp	halt

; ata_read: read ECX sectors from LBA EAX to EDI (primary master, PIO)
ata_read:
	push	ebx
.more:
	test	ecx, ecx
	jz	.done
	mov	ebx, ecx
	cmp	ebx, 128
	jbe	.count_ok
	mov	ebx, 128
.count_ok:
	push	eax
	push	ecx
	call	ata_wait_idle
	mov	dx, 0x1f6
	push	eax
	shr	eax, 24
	and	al, 0x0f
	or	al, 0xe0
	out	dx, al
	pop	eax
	mov	dx, 0x1f2
	push	eax
	mov	al, bl
	out	dx, al
	pop	eax
	mov	dx, 0x1f3
	out	dx, al
	shr	eax, 8
	inc	dx
	out	dx, al
	shr	eax, 8
	inc	dx
	out	dx, al
	mov	dx, 0x1f7
	mov	al, 0x20		; READ SECTORS
	out	dx, al
	mov	ecx, ebx
.sector:
	push	ecx
	call	ata_wait_drq
	mov	dx, 0x1f0
	mov	ecx, 256
	rep insw
	pop	ecx
	loop	.sector
	pop	ecx
	pop	eax
	add	eax, ebx
	sub	ecx, ebx
	jmp	.more
.done:
	pop	ebx
	ret

ata_wait_idle:				; preserves EAX (the LBA)
	push	eax
	mov	dx, 0x1f7
.spin:
	in	al, dx
	test	al, 0x80
	jnz	.spin
	pop	eax
	ret

ata_wait_drq:
	mov	dx, 0x1f7
.spin:
	in	al, dx
	test	al, 0x80
	jnz	.spin
	test	al, 0x01		; ERR
	jnz	.err
	test	al, 0x08
	jz	.spin
	ret
.err:
	mov	esi, ROM_BASE + msg_ata
	call	puts
	jmp	halt

; identity map 0-1 GiB with 2 MiB pages
build_page_tables:
	mov	edi, PT_BASE
	mov	ecx, 3 * 1024
	xor	eax, eax
	rep stosd
	mov	dword [PT_BASE], PT_BASE + 0x1003
	mov	dword [PT_BASE + 0x1000], PT_BASE + 0x2003
	mov	edi, PT_BASE + 0x2000
	mov	eax, 0x83		; present, writable, 2 MiB
	mov	ecx, 512
.pde:
	mov	[edi], eax
	add	eax, 0x200000
	add	edi, 8
	loop	.pde
	ret

puts:
	mov	dx, 0xe9
.c:
	lodsb
	test	al, al
	jz	.e
	out	dx, al
	jmp	.c
.e:
	ret

halt:					; end the Bochs run: "Shutdown" to 0x8900
	mov	esi, ROM_BASE + msg_shutdown
	mov	dx, 0x8900
	mov	ecx, 8
	rep outsb
	cli
	hlt
	jmp	halt

	bits	64
start64:
	mov	ax, 0x18
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	fs, ax
	mov	gs, ax
	mov	rsi, [HDR + 16]		; boot_params, as the protocol wants
	mov	rax, [HDR + 8]
	xor	ebp, ebp
	xor	edi, edi
	jmp	rax

msg_hello:	db	"vmxcc-boot: loading", 10, 0
msg_loaded:	db	"vmxcc-boot: starting kernel", 10, 0
msg_bad:	db	"vmxcc-boot: bad disk header", 10, 0
msg_ata:	db	"vmxcc-boot: ATA read error", 10, 0
msg_shutdown:	db	"Shutdown"

	align	8
gdt:
	dq	0
	dq	0
	dq	0x00af9a000000ffff	; 0x10 __BOOT_CS: 64-bit code
	dq	0x00cf92000000ffff	; 0x18 __BOOT_DS
	dq	0x00cf9a000000ffff	; 0x20 32-bit code
gdt_end:
gdtr:
	dw	gdt_end - gdt - 1
	dd	ROM_BASE + gdt

	times	0xfff0 - ($ - $$) db 0xff
	bits	16
reset:					; F000:FFF0
	jmp	0xf000:start16
	times	0x10000 - ($ - $$) db 0xff
