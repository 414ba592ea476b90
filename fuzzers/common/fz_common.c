// SPDX-License-Identifier: GPL-2.0
/* Profile selection, feature extraction and the benchmark goal. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vmxcc/profile_text.h"
#include "fz_common.h"

static struct vmx_caps caps;
static bool caps_ready;

const struct vmx_caps *vmxfz_caps(void)
{
	const char *name = getenv("VMXFZ_PROFILE");
	struct vmx_profile p;
	char err[512];

	if (caps_ready)
		return &caps;
	if (name && *name) {
		if (vmx_profile_load_caps(name, NULL, &caps, err, sizeof(err))) {
			fprintf(stderr, "VMXFZ_PROFILE=%s: %s\n", name, err);
			exit(2);
		}
	} else {
		vmx_profile_synthetic_full(&p);
		if (vmx_caps_from_profile(&caps, &p, err, sizeof(err))) {
			fprintf(stderr, "synthetic-full profile: %s\n", err);
			exit(2);
		}
	}
	caps_ready = true;
	return &caps;
}

void vmxfz_set_caps(const struct vmx_caps *c)
{
	caps = *c;
	caps_ready = true;
}

int vmxfz_features(const struct vmx_verdict *v, uint8_t map[VMXFZ_N_FEATURES])
{
	int n = 0;

	for (int w = 0; w < VMX_CHECK_WORDS; w++) {
		uint64_t bits = v->applied[w] | v->failed[w];

		while (bits) {
			int id = w * 64 + __builtin_ctzll(bits);
			bool failed = (v->failed[w] >> (id % 64)) & 1;

			map[vmxfz_feature(id, failed)] = 1;
			n++;
			bits &= bits - 1;
		}
	}
	return n;
}

/* Benchmark goal state. */
static uint8_t goal[VMXFZ_N_FEATURES], seen[VMXFZ_N_FEATURES];
static int goal_left = -1;		/* -1: not loaded yet */
static unsigned long long execs;
static struct timespec t0;

static void goal_load(void)
{
	const char *path = getenv("VMXFZ_GOAL");
	char id[128], what[16];
	FILE *f;

	goal_left = 0;
	if (!path || !*path)
		return;
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "VMXFZ_GOAL=%s: %s\n", path, strerror(errno));
		exit(2);
	}
	while (fscanf(f, "%127s %15s", id, what) == 2) {
		int i = vmx_check_by_name(id);

		if (i < 0 || (strcmp(what, "failed") && strcmp(what, "passed"))) {
			fprintf(stderr, "%s: bad goal line \"%s %s\"\n", path, id, what);
			exit(2);
		}
		if (!goal[vmxfz_feature(i, what[0] == 'f')]++)
			goal_left++;
	}
	fclose(f);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fprintf(stderr, "vmxfz-goal: %d features to reach\n", goal_left);
}

void vmxfz_goal_track(const struct vmx_verdict *v)
{
	uint8_t now[VMXFZ_N_FEATURES] = { 0 };
	struct timespec t;

	if (goal_left < 0)
		goal_load();
	if (!goal_left)
		return;
	execs++;
	vmxfz_features(v, now);
	for (int i = 0; i < VMXFZ_N_FEATURES; i++) {
		if (now[i] && goal[i] && !seen[i]) {
			seen[i] = 1;
			goal_left--;
			if (goal_left < 16)	/* the stragglers say what is hard */
				fprintf(stderr, "vmxfz-goal: %s %s after %llu execs, %d left\n",
					vmx_checks[i / 2].id, i % 2 ? "passed" : "failed",
					execs, goal_left);
		}
	}
	if (goal_left)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	printf("vmxfz-goal: reached after %.3f s, %llu execs\n",
	       (double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9, execs);
	fflush(stdout);
	_exit(0);	/* skip the engine's exit handlers: this is a clean stop */
}

uint8_t *vmxfz_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	do {
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? 2 * cap : 4096);

			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r);
	fclose(f);
	*len = n;
	return buf;
}
