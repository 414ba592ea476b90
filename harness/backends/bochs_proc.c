// SPDX-License-Identifier: GPL-2.0
/*
 * One Bochs process: bochsrc + rc file in the job's directory, bochs-bin
 * headless (term display with TERM=dumb, -q -unlock, the debugger's
 * "c"/"quit" from -rc, stdin /dev/null).  The probe leaves through the
 * shutdown port (8900H), which Bochs reports as a panic line: that one is
 * not an error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bochs_internal.h"

static int write_file(const char *path, const char *text, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int bochs_setup(const struct prun *r, const struct prun_job *j,
		       struct prun_argv *a, char *err, size_t errlen)
{
	const struct bochs_emu_ctx *b = r->emu_ctx;
	long long bytes = prun_disk_bytes(j, err, errlen);
	char cfg[400], rc[400], text[2048];

	if (bytes < 0)
		return -1;
	snprintf(text, sizeof(text),
		 "megs: %lu\n"
		 "romimage: file=\"%s\"\n"
		 "cpu: model=%s, count=1, ips=100000000, reset_on_triple_fault=0, ignore_bad_msrs=0\n"
		 "ata0-master: type=disk, path=\"%s/disk.img\", mode=flat, cylinders=%llu, heads=16, spt=63\n"
		 "port_e9_hack: enabled=1\n"
		 "display_library: term\n"
		 "speaker: enabled=0\n"
		 "clock: sync=none\n"
		 "log: -\n"
		 "panic: action=fatal\n"
		 "error: action=%s\n"
		 "info: action=ignore\n"
		 "debug: action=ignore\n",
		 prun_guest_megs(j), r->rom, b->model, j->dir,
		 (unsigned long long)(bytes / PRUN_CYLINDER_BYTES),
		 j->triage ? "report" : "ignore");
	snprintf(cfg, sizeof(cfg), "%s/bochsrc", j->dir);
	snprintf(rc, sizeof(rc), "%s/rc", j->dir);
	if (write_file(cfg, text, err, errlen) || write_file(rc, "c\nquit\n", err, errlen))
		return -1;
	prun_arg(a, "%s", b->bochs);
	prun_arg(a, "-q");
	prun_arg(a, "-unlock");
	prun_arg(a, "-f");
	prun_arg(a, "%s", cfg);
	prun_arg(a, "-rc");
	prun_arg(a, "%s", rc);
	return 0;
}

static bool bochs_error_line(const char *line)
{
	return strstr(line, ">>PANIC<<") && !strstr(line, "Shutdown port");
}

/* With "error: action=report": Bochs' own words on a failed VM entry. */
static bool bochs_triage_line(const char *line)
{
	return strstr(line, "VM") && strstr(line, "[CPU") && !strstr(line, ">>PANIC<<");
}

static const char *const bochs_files[] = { "bochsrc", "rc", "disk.img.lock", NULL };

const struct prun_emu bochs_emu = {
	.name = "Bochs",
	.setup = bochs_setup,
	.error_line = bochs_error_line,
	.triage_line = bochs_triage_line,
	.files = bochs_files,
};
