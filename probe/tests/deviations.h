/* SPDX-License-Identifier: GPL-2.0 */
/* Known deviations of a back end from the SDM (corpora/known-deviations/). */
#ifndef PROBE_TESTS_DEVIATIONS_H
#define PROBE_TESTS_DEVIATIONS_H

#include <stddef.h>

#define DEVIATIONS_MAX 256

struct deviation {
	int check;
	char sdm[512];
	char impl[512];
};

struct deviations {
	int n;
	struct deviation e[DEVIATIONS_MAX];
};

int deviations_load(struct deviations *d, const char *file, char *err, size_t errlen);
const struct deviation *deviations_find(const struct deviations *d, int check);

#endif
