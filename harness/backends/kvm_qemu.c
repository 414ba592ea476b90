// SPDX-License-Identifier: GPL-2.0
/*
 * One QEMU process running the L1 probe (--backend kvm): the probe's 64 KiB
 * ROM as the firmware (-bios maps it below 4 GiB and at F0000H, where the
 * reset vector and boot.S expect it), the batch disk as IDE primary master
 * on the pc machine's PIIX3, port E9H through isa-debugcon into the job's
 * log, and isa-debug-exit at F4H for the probe's way out.  No other devices
 * (-nodefaults), no display, and -no-reboot: a triple fault in the probe
 * ends QEMU instead of rebooting into the batch again.
 */
#include <stdio.h>
#include <string.h>

#include "kvm_internal.h"

static int qemu_setup(const struct prun *r, const struct prun_job *j,
		      struct prun_argv *a, char *err, size_t errlen)
{
	const struct kvm_emu_ctx *q = r->emu_ctx;

	prun_arg(a, "%s", q->qemu);
	prun_arg(a, "-machine");
	prun_arg(a, "pc");
	prun_arg(a, "-accel");
	prun_arg(a, "%s", q->tcg ? "tcg" : "kvm");
	prun_arg(a, "-cpu");
	/* TCG has no VMX: "max" is the most it offers, and the probe must
	 * find VMX missing there */
	prun_arg(a, "%s", q->tcg ? "max" : "host,+vmx");
	prun_arg(a, "-m");
	prun_arg(a, "%lu", prun_guest_megs(j));
	prun_arg(a, "-bios");
	prun_arg(a, "%s", r->rom);
	prun_arg(a, "-drive");
	prun_arg(a, "file=%s/disk.img,format=raw,if=ide,index=0,media=disk", j->dir);
	prun_arg(a, "-nodefaults");
	prun_arg(a, "-display");
	prun_arg(a, "none");
	prun_arg(a, "-no-reboot");
	/* the log is also QEMU's stdout/stderr, opened O_APPEND: append=on
	 * keeps QEMU from truncating it and keeps the order */
	prun_arg(a, "-chardev");
	prun_arg(a, "file,id=e9,path=%s/out.log,append=on", j->dir);
	prun_arg(a, "-device");
	prun_arg(a, "isa-debugcon,iobase=0xe9,chardev=e9");
	prun_arg(a, "-device");
	prun_arg(a, "isa-debug-exit,iobase=0xf4,iosize=0x04");
	return 0;
}

/* QEMU's own complaints ("qemu-system-x86_64: ...") and KVM failures it
 * reports ("KVM internal error", "KVM: entry failed") end a run early. */
static bool qemu_error_line(const char *line)
{
	return strstr(line, "qemu-system") || strstr(line, "KVM internal error") ||
	       strstr(line, "KVM: entry failed");
}

const struct prun_emu kvm_qemu_emu = {
	.name = "QEMU",
	.setup = qemu_setup,
	.error_line = qemu_error_line,
};
