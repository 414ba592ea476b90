// SPDX-License-Identifier: GPL-2.0
/*
 * vmxfz-coverage [-q] CORPUS_DIR|FILE...: which check ids a corpus
 * exercises, failing and passing.  Files are compact inputs, or .vmcs text
 * (with their own profile).  Prints one line per check id and a summary;
 * -q prints only the summary and the ids never hit.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vmxcc/case_compact.h"
#include "vmxcc/case_file.h"
#include "fz_common.h"

static unsigned long hits[VMXFZ_N_FEATURES];
static unsigned long files, bad_files;

static void one_file(const char *path)
{
	static struct vmx_case_file cf;
	struct vmx_verdict v;
	uint8_t map[VMXFZ_N_FEATURES] = { 0 };
	char err[512];
	size_t len;
	uint8_t *buf = vmxfz_read(path, &len);
	int base;

	if (!buf) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		bad_files++;
		return;
	}
	if (strstr(path, ".vmcs") && !vmx_compact_is(buf, len)) {
		if (vmx_case_load(path, &cf, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			bad_files++;
			free(buf);
			return;
		}
		vmx_model_eval(&cf.caps, &cf.c, &v);
	} else {
		vmx_compact_decode(buf, len, vmxfz_caps(), &cf.c, &base);
		vmx_model_eval(vmxfz_caps(), &cf.c, &v);
	}
	free(buf);
	vmxfz_features(&v, map);
	for (int i = 0; i < VMXFZ_N_FEATURES; i++)
		hits[i] += map[i];
	files++;
}

static void walk(const char *path)
{
	struct stat st;
	struct dirent *e;
	DIR *d;

	if (stat(path, &st)) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		bad_files++;
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		one_file(path);
		return;
	}
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		bad_files++;
		return;
	}
	while ((e = readdir(d))) {
		char sub[4096];

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		walk(sub);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	int quiet = 0, nf = 0, np = 0, i = 1;

	if (argc > 1 && strcmp(argv[1], "-q") == 0)
		quiet = 1, i++;
	if (i >= argc) {
		fprintf(stderr, "usage: vmxfz-coverage [-q] CORPUS_DIR|FILE...\n");
		return 2;
	}
	for (; i < argc; i++)
		walk(argv[i]);
	if (!quiet)
		printf("%-36s %10s %10s\n", "check", "failed", "passed");
	for (int id = 0; id < VMX_CHECK_COUNT; id++) {
		unsigned long f = hits[vmxfz_feature(id, true)], p = hits[vmxfz_feature(id, false)];

		nf += f > 0;
		np += p > 0;
		if (!quiet)
			printf("%-36s %10lu %10lu\n", vmx_checks[id].id, f, p);
		else if (!f || !p)
			printf("not hit: %s%s%s\n", vmx_checks[id].id, f ? "" : " failing",
			       p ? "" : " passing");
	}
	printf("%lu inputs: %d/%d check ids failed, %d/%d passed\n",
	       files, nf, VMX_CHECK_COUNT, np, VMX_CHECK_COUNT);
	return bad_files ? 1 : 0;
}
