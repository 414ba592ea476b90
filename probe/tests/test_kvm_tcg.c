// SPDX-License-Identifier: GPL-2.0
/*
 * kvm.qemu_tcg: the kvm back end's plumbing on a machine without VMX.
 * "--backend kvm:tcg" boots the L1 probe under QEMU TCG (-cpu max, which
 * has no VMX).  The probe must boot from its own ROM, read the batch header
 * over IDE, find VMX missing and say so on port E9H, write its result
 * header back to the disk and leave through isa-debug-exit; open() must
 * turn that into "not available on this machine: the guest CPU has no VMX
 * (QEMU TCG)".  The job directory is kept (VMXCC_KVM_KEEP=1) so the log and
 * the disk can be checked here, then removed.
 *
 * Exit 0 pass, 1 fail, 77 QEMU is not installed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probe_wire.h"
#include "vmx_core.h"
#include "vmxcc/backend.h"

extern const struct vmx_backend_ops vmx_backend_kvm;

#define SKIP 77
#define WANT "not available on this machine: the guest CPU has no VMX (QEMU TCG)"

static int failed;

#define EXPECT(cond, ...)					\
	do {							\
		if (!(cond)) {					\
			printf("FAIL: " __VA_ARGS__);		\
			printf("\n");				\
			failed = 1;				\
		}						\
	} while (0)

/* The one job directory the back end left in @top: @top/vmxcc-kvm-X/run0 */
static int job_dir(const char *top, char *out, size_t len)
{
	DIR *d = opendir(top);
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "vmxcc-kvm-", 10)) {
			snprintf(out, len, "%s/%s/run0", top, e->d_name);
			found++;
		}
	if (d)
		closedir(d);
	return found == 1 ? 0 : -1;
}

static bool log_has(const char *log, const char *what)
{
	FILE *f = fopen(log, "r");
	char line[512];
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		found = !strncmp(line, what, strlen(what));
	if (f)
		fclose(f);
	return found;
}

static void check_log(const char *dir)
{
	char log[600];

	snprintf(log, sizeof(log), "%s/out.log", dir);
	EXPECT(log_has(log, "VMXCC-PROBE"), "%s: the probe did not start", log);
	EXPECT(log_has(log, "PROBE-VMX-OFF no VMX on this CPU"),
	       "%s: no PROBE-VMX-OFF line from the probe", log);
	EXPECT(log_has(log, "VMXCC-DONE 0"), "%s: no completion marker", log);
}

/* What the probe wrote back over IDE. */
static void check_disk(const char *dir)
{
	struct probe_batch_hdr in;
	struct probe_result_hdr out;
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/disk.img", dir);
	f = fopen(path, "r");
	EXPECT(f, "%s: missing", path);
	if (!f)
		return;
	EXPECT(fread(&in, sizeof(in), 1, f) == 1 && in.magic == PROBE_BATCH_MAGIC &&
	       in.mode == PROBE_CAPTURE, "%s: no capture batch header", path);
	EXPECT(!fseek(f, (long)in.result_lba * PROBE_SECTOR, SEEK_SET) &&
	       fread(&out, sizeof(out), 1, f) == 1, "%s: short", path);
	fclose(f);
	EXPECT(out.magic == PROBE_RESULT_MAGIC, "%s: no result header at sector %u",
	       path, in.result_lba);
	EXPECT(out.cpu_on_err == -VMX_CORE_ENOVMX, "%s: cpu_on_err %d, want %d",
	       path, out.cpu_on_err, -VMX_CORE_ENOVMX);
	EXPECT(out.n_done == 0, "%s: n_done %u", path, out.n_done);
}

int main(void)
{
	char top[] = "/tmp/vmxcc-kvm-tcg-XXXXXX", dir[512], err[512] = "", cmd[700];
	struct vmx_backend *b;
	time_t t0;

	b = vmx_backend_kvm.open("nonsense", err, sizeof(err));
	EXPECT(!b && strstr(err, "unknown kvm back-end option"), "bad option: \"%s\"", err);
	if (!mkdtemp(top)) {
		perror(top);
		return 1;
	}
	setenv("TMPDIR", top, 1);
	setenv("VMXCC_KVM_KEEP", "1", 1);
	t0 = time(NULL);
	b = vmx_backend_kvm.open("tcg", err, sizeof(err));
	if (!b && strstr(err, "qemu-system-x86")) {
		printf("SKIP: backend kvm:tcg: %s\n", err);
		rmdir(top);
		return SKIP;
	}
	EXPECT(!b, "kvm:tcg opened: TCG has no VMX, open() must refuse");
	if (b)
		vmx_backend_kvm.close(b);
	EXPECT(!strcmp(err, WANT), "reason \"%s\", want \"%s\"", err, WANT);
	printf("kvm:tcg: %s (%ld s)\n", err, (long)(time(NULL) - t0));
	if (job_dir(top, dir, sizeof(dir))) {
		EXPECT(0, "%s: not exactly one job directory", top);
	} else {
		check_log(dir);
		check_disk(dir);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (!failed && system(cmd))
		printf("could not remove %s\n", top);
	else if (failed)
		printf("kept %s\n", top);
	return failed;
}
