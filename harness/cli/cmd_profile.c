// SPDX-License-Identifier: GPL-2.0
/* vmxcc profile show|diff|capture. */
#include <string.h>

#include "vmxcc/backend_session.h"
#include "vmxcc/profile_text.h"
#include "cli.h"

static const char help[] =
"usage: vmxcc profile show NAME|FILE\n"
"       vmxcc profile diff A B\n"
"       vmxcc profile capture --backend B [--name NAME] [-o FILE]\n"
"\n"
"show     print a profile in canonical form, with what it implies\n"
"diff     list, in words, the MSRs, control bits and CPUID facts that\n"
"         differ between A and B (exit 1 when they differ)\n"
"capture  ask a back end for the profile of what it runs on\n"
"\n"
"Profiles are named by file path or by shipped name, looked up in\n"
"$VMXCC_PROFILE_PATH and then in the source tree's profiles/.\n";

static int load(const char *name, struct vmx_profile *p)
{
	char err[1024];

	if (vmx_profile_load(name, NULL, p, err, sizeof(err))) {
		cli_err("profile %s: %s", name, err);
		return -1;
	}
	return 0;
}

static int show(int argc, char **argv)
{
	struct vmx_profile p;
	struct vmx_caps caps;
	char err[256];

	if (argc != 1)
		return cli_usage("profile", "show takes one profile");
	if (load(argv[0], &p))
		return EXIT_USAGE;
	vmx_caps_from_profile(&caps, &p, err, sizeof(err));
	vmx_profile_write(stdout, &p);
	printf("# VMCS revision %#x, %u CR3-target values, %u MSRs per list, "
	       "TRUE controls %s, fingerprint %016llx\n", caps.revision, caps.cr3_target_max,
	       caps.msr_list_max, caps.true_ctls ? "yes" : "no",
	       (unsigned long long)vmx_profile_fingerprint(&p));
	return EXIT_AGREE;
}

static int diff(int argc, char **argv)
{
	struct vmx_profile a, b;
	int n;

	if (argc != 2)
		return cli_usage("profile", "diff takes two profiles");
	if (load(argv[0], &a) || load(argv[1], &b))
		return EXIT_USAGE;
	printf("A = %s, B = %s\n", a.name, b.name);
	n = vmx_profile_diff(stdout, &a, &b);
	if (n == 0)
		printf("no differences\n");
	return n ? EXIT_DIVERGE : EXIT_AGREE;
}

static int capture(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "name", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *backend = NULL, *name = NULL, *out = NULL;
	struct vmx_backend_inst bi;
	char err[1024];
	FILE *f;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "b:n:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'b': backend = optarg; break;
		case 'n': name = optarg; break;
		case 'o': out = optarg; break;
		default: return cli_usage("profile", "bad option");
		}
	}
	if (!backend)
		return cli_usage("profile", "capture needs --backend");
	if (vmx_backend_open_spec(backend, &bi, err, sizeof(err))) {
		cli_err("%s", err);
		return EXIT_USAGE;
	}
	vmx_backend_inst_close(&bi);
	if (name)
		snprintf(bi.profile.name, sizeof(bi.profile.name), "%s", name);
	f = out ? fopen(out, "w") : stdout;
	if (!f) {
		cli_err("%s: cannot write", out);
		return EXIT_USAGE;
	}
	fprintf(f, "# captured with: vmxcc profile capture --backend %s\n", backend);
	vmx_profile_write(f, &bi.profile);
	if (out)
		fclose(f);
	return EXIT_AGREE;
}

int cmd_profile(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("profile", "show, diff or capture?");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(help, stdout);
		return EXIT_AGREE;
	}
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			fputs(help, stdout);
			return EXIT_AGREE;
		}
	if (strcmp(argv[1], "show") == 0)
		return show(argc - 2, argv + 2);
	if (strcmp(argv[1], "diff") == 0)
		return diff(argc - 2, argv + 2);
	if (strcmp(argv[1], "capture") == 0)
		return capture(argc - 1, argv + 1);
	return cli_usage("profile", "unknown profile command '%s'", argv[1]);
}
