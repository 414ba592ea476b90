// SPDX-License-Identifier: GPL-2.0
/*
 * --backend kvm: the implementation under test is the host's KVM nested
 * VMX (and, with kvm_intel.nested_early_check=1, the silicon behind it),
 * reached by running the L1 probe as a KVM guest (docs/backend-kvm.md).
 *
 * open() checks, in order, everything that has to hold for that and names
 * the first thing that does not: /dev/kvm, the KVM API version, an Intel
 * host CPU with VMX, kvm_intel loaded with nested=1, VMX in the CPUID KVM
 * offers its guests, and KVM_CAP_NESTED_STATE.  On a machine where all of
 * that holds, this build still cannot run cases: the probe-as-KVM-guest
 * runner is not written yet, and open() says exactly that instead of
 * pretending.  Its tests are skipped with the reason (CTest
 * SKIP_RETURN_CODE), never counted as passes.
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

#include "vmxcc/backend.h"

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

static struct vmx_backend *kvm_open(const char *arg, char *err, size_t errlen)
{
	char why[256];
	int kvm, v;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		snprintf(why, sizeof(why), "/dev/kvm: %s%s", strerror(errno),
			 errno == ENOENT ? " (KVM is not loaded)" :
			 errno == EACCES ? " (add this user to group kvm)" : "");
		absent(err, errlen, why);
		return NULL;
	}
	v = ioctl(kvm, KVM_GET_API_VERSION, 0);
	if (v != KVM_API_VERSION) {
		snprintf(why, sizeof(why), "/dev/kvm speaks API %d, not %d", v,
			 KVM_API_VERSION);
		absent(err, errlen, why);
	} else if (!check_host_cpu(err, errlen) && !check_kvm_intel(err, errlen) &&
		   !check_guest_vmx(kvm, err, errlen)) {
		absent(err, errlen, "nested VMX is usable here, but this build has no "
		       "runner for the L1 probe as a KVM guest yet: follow the manual "
		       "steps in docs/backend-kvm.md");
	}
	close(kvm);
	return NULL;
}

const struct vmx_backend_ops vmx_backend_kvm = {
	.name = "kvm",
	.help = "the host's KVM nested VMX, with the L1 probe as its guest (/dev/kvm)",
	.open = kvm_open,
};
