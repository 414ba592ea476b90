/* SPDX-License-Identifier: GPL-2.0 */
/* The probe tests' command-line back end ("name" or "name:arg"), opened. */
#ifndef PROBE_TESTS_BACKEND_SPEC_H
#define PROBE_TESTS_BACKEND_SPEC_H

#include <stddef.h>

#include "vmxcc/backend.h"

/* NULL with @err ("unknown back end", or open()'s "not available ..."). */
struct vmx_backend *backend_spec_open(const char *spec, const struct vmx_backend_ops **ops,
				      char *err, size_t errlen);

#endif
