// SPDX-License-Identifier: GPL-2.0
/*
 * The structure-aware mutator as libFuzzer's custom mutator and crossover.
 * One mutation in eight is left to libFuzzer's own byte-level mutator, so
 * its dictionary and comparison tracing still contribute.
 */
#include <stdlib.h>

#include "fz_common.h"
#include "mutator.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static struct vmxfz_opts opts;
static int opts_ready;

static const struct vmxfz_opts *get_opts(void)
{
	if (!opts_ready) {
		const char *w = getenv("VMXFZ_WITHIN_CAPS");

		opts.within_caps = w && *w == '1';
		opts_ready = 1;
	}
	return &opts;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	if (seed % 8 == 7)
		return LLVMFuzzerMutate(data, size, max_size);
	return vmxfz_mutate_bytes(vmxfz_caps(), data, size, max_size, seed, get_opts());
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2,
				 size_t s2, uint8_t *out, size_t max_out,
				 unsigned int seed)
{
	return vmxfz_crossover_bytes(vmxfz_caps(), d1, s1, d2, s2, out, max_out, seed);
}
