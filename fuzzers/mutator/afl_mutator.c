// SPDX-License-Identifier: GPL-2.0
/*
 * The same structure-aware mutator as an AFL++ custom mutator library
 * (AFL_CUSTOM_MUTATOR_LIBRARY=libvmxfz_afl_mutator.so).  AFL++ keeps its
 * own havoc stage too unless AFL_CUSTOM_MUTATOR_ONLY=1.
 */
#include <stdlib.h>
#include <string.h>

#include "fz_common.h"
#include "mutator.h"

struct vmxfz_afl {
	struct vmxfz_rng rng;
	uint8_t *buf;
	size_t cap;
};

void *afl_custom_init(void *afl, unsigned int seed)
{
	struct vmxfz_afl *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	vmxfz_seed(&s->rng, seed);
	vmxfz_caps();		/* fail early on a bad VMXFZ_PROFILE */
	return s;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
	struct vmxfz_afl *s = data;
	size_t n;

	if (s->cap < max_size) {
		uint8_t *nb = realloc(s->buf, max_size);

		if (!nb)
			return 0;
		s->buf = nb;
		s->cap = max_size;
	}
	if (add_buf && add_buf_size && vmxfz_chance(&s->rng, 1, 8)) {
		n = vmxfz_crossover_bytes(vmxfz_caps(), buf, buf_size, add_buf, add_buf_size,
					  s->buf, max_size, vmxfz_next(&s->rng));
	} else {
		n = buf_size < max_size ? buf_size : max_size;
		memcpy(s->buf, buf, n);
		n = vmxfz_mutate_bytes(vmxfz_caps(), s->buf, n, max_size,
				       vmxfz_next(&s->rng), NULL);
	}
	*out_buf = s->buf;
	return n;
}

void afl_custom_deinit(void *data)
{
	struct vmxfz_afl *s = data;

	free(s->buf);
	free(s);
}
