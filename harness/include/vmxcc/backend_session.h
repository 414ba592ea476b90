/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Opening a back end named on the command line ("bochs:tigerlake") and
 * keeping what compare and records need about it.  The registry itself
 * (vmx_backend_find, vmx_backends[], NULL-terminated) is in backend.h.
 */
#ifndef VMXCC_BACKEND_SESSION_H
#define VMXCC_BACKEND_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "vmxcc/backend.h"

struct vmx_backend_inst {
	const struct vmx_backend_ops *ops;
	struct vmx_backend *b;
	char spec[128];			/* as given: "name" or "name:arg" */
	struct vmx_profile profile;	/* the implementation's capabilities */
	struct vmx_caps caps;
	uint64_t profile_fp;
};

/*
 * Open @spec and fetch its profile.  On failure @err holds
 * "backend NAME: ..." (unknown, "not built: why", "not available on this
 * machine: why", or the profile error) and -1 is returned.
 */
int vmx_backend_open_spec(const char *spec, struct vmx_backend_inst *bi,
			  char *err, size_t errlen);
void vmx_backend_inst_close(struct vmx_backend_inst *bi);

/* Add a back end at run time (test harnesses); returns 0, -1 when full. */
int vmx_backend_register(const struct vmx_backend_ops *ops);

#endif
