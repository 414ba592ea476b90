// SPDX-License-Identifier: GPL-2.0
/*
 * Compact encoding: decode is total, and encode(decode(x)) decodes to the
 * same case on the same baseline.
 */
#include <stdio.h>
#include <stdlib.h>

#include "vmxcc/case_compact.h"
#include "fz_common.h"
#include "mutator.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[1 << 16];
	const struct vmx_caps *caps = vmxfz_caps();
	struct vmx_case a, b;
	struct vmx_verdict v;
	int ba, bb;
	size_t n;

	vmx_compact_decode(data, size, caps, &a, &ba);
	n = vmxfz_encode(caps, &a, ba, buf, sizeof(buf));
	if (n > sizeof(buf))
		abort();	/* one field of each kind never needs 64 KiB */
	vmx_compact_decode(buf, n, caps, &b, &bb);
	if (ba != bb || !vmx_case_equal(&a, &b)) {
		fprintf(stderr, "compact round trip changed the case (baseline %d -> %d)\n",
			ba, bb);
		abort();
	}
	vmx_model_eval(caps, &a, &v);
	vmxfz_cov_report(&v);
	return 0;
}
