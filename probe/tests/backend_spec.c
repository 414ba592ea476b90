// SPDX-License-Identifier: GPL-2.0
/* The probe tests' command-line back end, opened (backend_spec.h). */
#include <stdio.h>
#include <string.h>

#include "backend_spec.h"

struct vmx_backend *backend_spec_open(const char *spec, const struct vmx_backend_ops **ops,
				      char *err, size_t errlen)
{
	const char *colon = strchr(spec, ':');
	char name[32];

	snprintf(name, sizeof(name), "%.*s", colon ? (int)(colon - spec) : (int)strlen(spec), spec);
	*ops = vmx_backend_find(name);
	if (!*ops) {
		snprintf(err, errlen, "unknown back end");
		return NULL;
	}
	return (*ops)->open(colon ? colon + 1 : NULL, err, errlen);
}
