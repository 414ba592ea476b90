// SPDX-License-Identifier: GPL-2.0
/*
 * Capture the capability profile of Bochs CPU models by booting the L1
 * probe in capture mode (vmx_core_read_caps inside Bochs), and print it in
 * the project's profile text format.
 *
 *   bochs_capture MODEL [OUT.profile]
 */
#include <stdio.h>
#include <string.h>

#include "vmxcc/backend.h"
#include "vmxcc/profile_text.h"

extern const struct vmx_backend_ops vmx_backend_bochs;

int main(int argc, char **argv)
{
	struct vmx_backend *b;
	struct vmx_profile p;
	struct vmx_caps caps;
	char err[512];
	FILE *out = stdout;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s MODEL [OUT.profile]\n", argv[0]);
		return 2;
	}
	b = vmx_backend_bochs.open(argv[1], err, sizeof(err));
	if (!b) {
		fprintf(stderr, "bochs:%s: %s\n", argv[1], err);
		return 1;
	}
	if (vmx_backend_bochs.profile(b, &p, err, sizeof(err)) ||
	    vmx_caps_from_profile(&caps, &p, err, sizeof(err))) {
		fprintf(stderr, "bochs:%s: profile: %s\n", argv[1], err);
		return 1;
	}
	if (argc == 3 && !(out = fopen(argv[2], "w"))) {
		perror(argv[2]);
		return 1;
	}
	vmx_profile_write(out, &p);
	vmx_backend_bochs.close(b);
	return out != stdout && fclose(out) ? 1 : 0;
}
