// SPDX-License-Identifier: GPL-2.0
/*
 * --backend kvm: the implementation under test is the host's KVM nested
 * VMX (and, with kvm_intel.nested_early_check=1, the silicon behind it),
 * reached by running the L1 probe as a guest of QEMU with KVM
 * (docs/backend-kvm.md).  The batches, results and the narrowing of a crash
 * or hang to one case are the probe runner's (probe_run.h), as for Bochs.
 *
 *   --backend kvm        QEMU -accel kvm -cpu host,+vmx
 *   --backend kvm:tcg    QEMU TCG (-cpu max): no VMX, so the probe must say
 *                        so and open() refuses; proves the plumbing on any
 *                        machine
 *
 * open() first checks, in order, everything that has to hold on the host
 * and names the first thing that does not: QEMU, /dev/kvm, the KVM API
 * version, an Intel host CPU with VMX, kvm_intel loaded with nested=1, VMX
 * in the CPUID KVM offers its guests, and KVM_CAP_NESTED_STATE.  Then the
 * probe boots once to read the profile its (virtual) CPU reports; a guest
 * without VMX is "not available" too.  Tests that cannot run are skipped
 * with the reason (CTest SKIP_RETURN_CODE), never counted as passes.
 *
 * Environment: VMXCC_QEMU (default /usr/bin/qemu-system-x86_64),
 * VMXCC_PROBE, VMXCC_KVM_JOBS, VMXCC_KVM_BATCH, VMXCC_KVM_TRIAGE=1 (per-case
 * markers in the log), VMXCC_KVM_KEEP=1 (keep disk images and logs).
 */
#include <cpuid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm_internal.h"
#include "vmx_core.h"

#define CPUID_1_ECX_VMX	(1u << 5)
#define MAX_CPUID	256

static int absent(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "not available on this machine: %s", why);
	return -1;
}

static bool read_param(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return ok;
}

/* "kvm_pvm, kvm_amd": the KVM vendor modules that are loaded. */
static void kvm_modules(char *buf, size_t len)
{
	DIR *d = opendir("/sys/module");
	struct dirent *e;
	size_t used = 0;

	buf[0] = 0;
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "kvm_", 4) && used < len)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? ", " : "", e->d_name);
	if (d)
		closedir(d);
	if (!buf[0])
		snprintf(buf, len, "none");
}

static int check_host_cpu(char *err, size_t errlen)
{
	unsigned int a, b, c, d;
	char vendor[13], why[256];

	__cpuid(0, a, b, c, d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = 0;
	if (strcmp(vendor, "GenuineIntel")) {
		snprintf(why, sizeof(why), "the host CPU is %s: nested VMX needs an "
			 "Intel host with VT-x", vendor);
		return absent(err, errlen, why);
	}
	__cpuid(1, a, b, c, d);
	if (!(c & CPUID_1_ECX_VMX))
		return absent(err, errlen, "the host CPU has no VMX (CPUID.1:ECX[5] = 0): "
			      "enable VT-x in the firmware, or expose it to this VM");
	return 0;
}

static int check_kvm_intel(char *err, size_t errlen)
{
	char val[32], mods[128], why[256];

	if (!read_param("/sys/module/kvm_intel/parameters/nested", val, sizeof(val))) {
		kvm_modules(mods, sizeof(mods));
		snprintf(why, sizeof(why), "kvm_intel is not loaded (KVM vendor modules "
			 "loaded: %s): modprobe kvm_intel nested=1", mods);
		return absent(err, errlen, why);
	}
	if (strcmp(val, "Y") && strcmp(val, "1"))
		return absent(err, errlen, "kvm_intel has nested=N: reload it with "
			      "modprobe -r kvm_intel; modprobe kvm_intel nested=1");
	return 0;
}

static int check_guest_vmx(int kvm, char *err, size_t errlen)
{
	struct kvm_cpuid2 *cpuid;
	bool vmx = false;
	char why[128];

	cpuid = calloc(1, sizeof(*cpuid) + MAX_CPUID * sizeof(cpuid->entries[0]));
	if (!cpuid)
		return absent(err, errlen, "out of memory");
	cpuid->nent = MAX_CPUID;
	if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, cpuid)) {
		snprintf(why, sizeof(why), "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
		free(cpuid);
		return absent(err, errlen, why);
	}
	for (unsigned int i = 0; i < cpuid->nent; i++)
		if (cpuid->entries[i].function == 1 &&
		    (cpuid->entries[i].ecx & CPUID_1_ECX_VMX))
			vmx = true;
	free(cpuid);
	if (!vmx)
		return absent(err, errlen, "KVM does not offer VMX to its guests "
			      "(KVM_GET_SUPPORTED_CPUID leaf 1 ECX[5] = 0)");
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_NESTED_STATE) <= 0)
		return absent(err, errlen, "KVM lacks KVM_CAP_NESTED_STATE (kernel too old)");
	return 0;
}

/* /dev/kvm and the host: everything nested VMX needs before QEMU starts. */
static int check_host(char *err, size_t errlen)
{
	char why[256];
	int kvm, v, rc = -1;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		snprintf(why, sizeof(why), "/dev/kvm: %s%s", strerror(errno),
			 errno == ENOENT ? " (KVM is not loaded)" :
			 errno == EACCES ? " (add this user to group kvm)" : "");
		return absent(err, errlen, why);
	}
	v = ioctl(kvm, KVM_GET_API_VERSION, 0);
	if (v != KVM_API_VERSION) {
		snprintf(why, sizeof(why), "/dev/kvm speaks API %d, not %d", v,
			 KVM_API_VERSION);
		absent(err, errlen, why);
	} else if (!check_host_cpu(err, errlen) && !check_kvm_intel(err, errlen) &&
		   !check_guest_vmx(kvm, err, errlen)) {
		rc = 0;
	}
	close(kvm);
	return rc;
}

/* What the probe's VMXON attempt says about the guest CPU. */
static int guest_vmx(bool tcg, int cpu_on_err, char *err, size_t errlen)
{
	const char *where = tcg ? "QEMU TCG" : "QEMU with KVM";
	char why[256];

	if (!cpu_on_err)
		return 0;
	if (cpu_on_err == -VMX_CORE_ENOVMX)
		snprintf(why, sizeof(why), "the guest CPU has no VMX (%s)", where);
	else
		snprintf(why, sizeof(why), "VMXON failed in the guest (%s; core error %d)",
			 where, -cpu_on_err);
	return absent(err, errlen, why);
}

static int parse_arg(struct kvm_emu_ctx *e, const char *arg, char *err, size_t errlen)
{
	if (!arg || !*arg)
		return 0;
	if (strcmp(arg, "tcg")) {
		snprintf(err, errlen, "unknown kvm back-end option \"%s\" (only \"tcg\")", arg);
		return -1;
	}
	e->tcg = true;
	return 0;
}

static struct vmx_backend *kvm_open(const char *arg, char *err, size_t errlen)
{
	struct vmx_backend *b = prun_backend_alloc(&kvm_qemu_emu, sizeof(struct kvm_emu_ctx));
	const char *qemu = getenv("VMXCC_QEMU");
	struct probe_result_hdr h;
	struct kvm_emu_ctx *e;
	char why[600];

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e = b->run.emu_ctx;
	if (parse_arg(e, arg, err, errlen))
		goto fail;
	snprintf(e->qemu, sizeof(e->qemu), "%s",
		 qemu && *qemu ? qemu : "/usr/bin/qemu-system-x86_64");
	if (access(e->qemu, X_OK)) {
		snprintf(why, sizeof(why), "no %s (Debian package qemu-system-x86)", e->qemu);
		absent(err, errlen, why);
		goto fail;
	}
	if (!e->tcg && check_host(err, errlen))
		goto fail;
	/* QEMU starts in a fraction of a second; a nested entry costs the
	 * L1 probe a few exits to KVM, microseconds each */
	b->run.t_boot = 5.0;
	b->run.t_case = 1e-3;
	b->run.t_stall = 3.0;
	if (prun_setup(&b->run, "KVM", "kvm", err, errlen) ||
	    prun_capture(&b->run, &h, err, errlen) ||
	    guest_vmx(e->tcg, h.cpu_on_err, err, errlen) ||
	    prun_adopt_caps(&b->run, &h, e->tcg ? "qemu-tcg" : "kvm-nested", err, errlen))
		goto fail;
	return b;
fail:
	prun_op_close(b);
	return NULL;
}

const struct vmx_backend_ops vmx_backend_kvm = {
	.name = "kvm",
	.help = "kvm[:tcg]  the host's KVM nested VMX, with the L1 probe as a QEMU guest",
	.open = kvm_open,
	.profile = prun_op_profile,
	.run = prun_op_run,
	.set_readback = prun_op_set_readback,
	.close = prun_op_close,
};
