/* SPDX-License-Identifier: GPL-2.0 */
/* Shared pieces of the vmxcc subcommands (docs/cli.md). */
#ifndef VMXCC_CLI_H
#define VMXCC_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "vmxcc/backend_session.h"
#include "vmxcc/case_file.h"
#include "vmxcc/compare.h"

/* Exit codes (docs/cli.md). */
#define EXIT_AGREE	0	/* agreement, pass, success */
#define EXIT_DIVERGE	1	/* divergence, expectation failed, back-end error */
#define EXIT_USAGE	2	/* usage or input error, back end unavailable */

struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

int cmd_check(int argc, char **argv);
int cmd_checks(int argc, char **argv);
int cmd_repro(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_minimize(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_campaign(int argc, char **argv);

/* "vmxcc: " + message on stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error: message, hint at --help, returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

enum cli_format { FMT_AUTO, FMT_TEXT, FMT_VMCS12, FMT_NESTED, FMT_COMPACT };
extern const char *const cli_format_names[];
int cli_format_by_name(const char *name);

/*
 * Load a case in any format (detected from the content unless @fmt says).
 * Binary formats carry no profile: @profile (or the default profile) is
 * used, and they have no baseline.  Returns 0 or -1 with @err.
 */
int cli_load_case(const char *path, enum cli_format fmt, const char *profile,
		  struct vmx_case_file *cf, char *err, size_t errlen);

/* Does the model's verdict match the case's [expect]?  Fills @why. */
bool cli_expect_ok(const struct vmx_case_file *cf, const struct vmx_verdict *v,
		   char *why, size_t len);

/* Human-readable verdict: outcome set and every failing check. */
void cli_print_verdict(FILE *f, const struct vmx_verdict *v, const char *indent);

/*
 * Read-back for @bi unless @off (--no-readback): on when the back end can;
 * when it cannot, or fails to, says so once on stderr ("vmxcc CMD: ...")
 * and the command goes on without.  Returns whether it is on.
 */
bool cli_readback(struct vmx_backend_inst *bi, bool off, const char *cmd);

/* Split "a,b,c" in place into at most @max pointers; returns the count. */
int cli_split_commas(char *s, char **out, int max);

#endif
