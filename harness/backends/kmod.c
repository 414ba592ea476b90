// SPDX-License-Identifier: GPL-2.0
/*
 * --backend kmod: cases run on this machine's VMX hardware through the
 * vmxcc kernel module (/dev/vmxcc, docs/backend-kmod.md).  The module's
 * safety policy may change a case (its own host state, sandbox EPT,
 * preemption timer) or refuse it; the changed image comes back as the
 * effective image, a refusal as VO_SKIPPED with the module's reason.
 * With read-back on, batches go as version 2 with VMXCC_BATCH_READBACK and
 * a second buffer for the VMCS read back after each attempt; kernel
 * addresses arrive as the module's placeholders in both (vmxcc_ioctl.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmxcc/backend.h"
#include "vmxcc/baseline.h"
#include "vmxcc_ioctl.h"

struct vmx_backend {
	int fd;
	struct vmxcc_query q;
	struct vmxcc_case prep;
	bool have_prep;
	struct vmxcc_case *cases;	/* q.max_batch of each */
	struct vmxcc_result *results;
	bool readback;
	struct vmxcc_readback *rb;	/* q.max_batch, once read-back is on */
};

/* Why the device cannot be used, in words a user can act on. */
static void why_absent(int e, char *err, size_t errlen)
{
	if (e == ENOENT)
		snprintf(err, errlen, "not available on this machine: %s does not exist "
			 "(load the module: insmod vmxcc.ko; it refuses with a reason in "
			 "dmesg when VMX is missing, disabled by firmware or used by kvm_intel)",
			 VMXCC_DEVICE);
	else if (e == EACCES || e == EPERM)
		snprintf(err, errlen, "not available on this machine: %s is root-only",
			 VMXCC_DEVICE);
	else if (e == EBUSY)
		snprintf(err, errlen, "not available on this machine: %s is open in "
			 "another process", VMXCC_DEVICE);
	else
		snprintf(err, errlen, "not available on this machine: %s: %s",
			 VMXCC_DEVICE, strerror(e));
}

static int query(struct vmx_backend *b, char *err, size_t errlen)
{
	memset(&b->q, 0, sizeof(b->q));
	b->q.size = sizeof(b->q);
	b->q.version = VMXCC_QUERY_VERSION;
	if (ioctl(b->fd, VMXCC_IOC_QUERY, &b->q)) {
		snprintf(err, errlen, "not available on this machine: VMXCC_IOC_QUERY: %s "
			 "(module and harness from different builds?)", strerror(errno));
		return -1;
	}
	if (b->q.abi_version != VMXCC_ABI_VERSION || b->q.n_fields != VF_COUNT ||
	    b->q.fields_hash != vmxcc_fields_hash() ||
	    b->q.case_size != sizeof(struct vmxcc_case) ||
	    b->q.result_size != sizeof(struct vmxcc_result) || !b->q.max_batch) {
		snprintf(err, errlen, "not available on this machine: module ABI %u with "
			 "%u fields (hash %08x), harness ABI %u with %u fields (hash %08x): "
			 "rebuild one of them", b->q.abi_version, b->q.n_fields,
			 b->q.fields_hash, VMXCC_ABI_VERSION, (unsigned int)VF_COUNT,
			 vmxcc_fields_hash());
		return -1;
	}
	return 0;
}

/* A VMRESUME case needs a launched VMCS: the module launches it with the
 * long64 baseline of this CPU, if the profile has one. */
static void build_prep(struct vmx_backend *b)
{
	struct vmx_caps caps;
	char err[256];

	memset(&b->prep, 0, sizeof(b->prep));
	b->prep.size = sizeof(b->prep);
	b->prep.version = VMXCC_CASE_VERSION;
	b->have_prep = !vmx_caps_from_profile(&caps, &b->q.profile, err, sizeof(err)) &&
		       !vmx_baseline_build(BL_LONG64, &caps, &b->prep.c);
}

static void kmod_close(struct vmx_backend *b)
{
	if (!b)
		return;
	if (b->fd >= 0)
		close(b->fd);
	free(b->cases);
	free(b->results);
	free(b->rb);
	free(b);
}

static struct vmx_backend *kmod_open(const char *arg, char *err, size_t errlen)
{
	struct vmx_backend *b = calloc(1, sizeof(*b));
	const char *path = arg && *arg ? arg : VMXCC_DEVICE;

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b->fd = open(path, O_RDWR | O_CLOEXEC);
	if (b->fd < 0) {
		why_absent(errno, err, errlen);
		kmod_close(b);
		return NULL;
	}
	if (query(b, err, errlen)) {
		kmod_close(b);
		return NULL;
	}
	b->cases = calloc(b->q.max_batch, sizeof(*b->cases));
	b->results = calloc(b->q.max_batch, sizeof(*b->results));
	if (!b->cases || !b->results) {
		snprintf(err, errlen, "out of memory for a batch of %u", b->q.max_batch);
		kmod_close(b);
		return NULL;
	}
	build_prep(b);
	return b;
}

static int kmod_profile(struct vmx_backend *b, struct vmx_profile *p,
			char *err, size_t errlen)
{
	*p = b->q.profile;
	if (!p->name[0])
		snprintf(p->name, sizeof(p->name), "kmod");
	return 0;
}

static int kmod_set_readback(struct vmx_backend *b, bool on, char *err, size_t errlen)
{
	if (on && !(b->q.policy_flags & VMXCC_POLICY_READBACK)) {
		snprintf(err, errlen, "the loaded vmxcc module has no read-back "
			 "(an older build): reload vmxcc.ko from this build");
		return -1;
	}
	if (on && !b->rb) {
		b->rb = calloc(b->q.max_batch, sizeof(*b->rb));
		if (!b->rb) {
			snprintf(err, errlen, "out of memory for %u read-backs",
				 b->q.max_batch);
			return -1;
		}
	}
	b->readback = on;
	return 0;
}

/* The module's read-back of one case; the header is checked, not trusted. */
static int take_readback(const struct vmxcc_readback *rb, struct vmx_backend_result *out,
			 char *err, size_t errlen)
{
	out->have_readback = false;
	if (rb->size != sizeof(*rb) || rb->version != VMXCC_READBACK_VERSION ||
	    rb->n_fields != VF_COUNT || (rb->flags & ~VMXCC_RB_READ)) {
		snprintf(err, errlen, "read-back with size %u, version %u, %u fields, "
			 "flags %#x: module and harness from different builds?",
			 rb->size, rb->version, rb->n_fields, rb->flags);
		return -1;
	}
	if (!(rb->flags & VMXCC_RB_READ))
		return 0;
	for (int w = 0; w < VMX_READBACK_WORDS; w++)
		out->readback_valid[w] = rb->valid[w];
	if (VF_COUNT % 64)
		out->readback_valid[VMX_READBACK_WORDS - 1] &= (1ull << (VF_COUNT % 64)) - 1;
	for (int f = 0; f < VF_COUNT; f++)
		out->readback[f] = (out->readback_valid[f / 64] >> (f % 64)) & 1 ?
				   rb->value[f] : 0;
	out->have_readback = true;
	return 0;
}

static void fill_result(const struct vmxcc_result *r, struct vmx_backend_result *out)
{
	out->outcome = r->outcome;
	out->effective = r->effective;
	out->have_readback = false;
	if (r->outcome.kind == VO_SKIPPED)
		snprintf(out->text, sizeof(out->text), "skipped on this back end: %.*s",
			 (int)sizeof(r->text), r->text);
	else
		snprintf(out->text, sizeof(out->text), "%.*s", (int)sizeof(r->text), r->text);
}

static int run_chunk(struct vmx_backend *b, const struct vmx_case *cases, size_t n,
		     struct vmx_backend_result *res, char *err, size_t errlen)
{
	struct vmxcc_batch batch;
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&b->cases[i], 0, sizeof(b->cases[i]));
		b->cases[i].size = sizeof(b->cases[i]);
		b->cases[i].version = VMXCC_CASE_VERSION;
		b->cases[i].c = cases[i];
	}
	memset(&batch, 0, sizeof(batch));
	/* Version 1 without read-back: any module of this ABI takes it. */
	batch.size = b->readback ? sizeof(batch) : VMXCC_BATCH_V1_SIZE;
	batch.version = b->readback ? VMXCC_BATCH_VERSION : 1;
	batch.n = n;
	batch.n_fields = VF_COUNT;
	batch.fields_hash = vmxcc_fields_hash();
	batch.cases = (uintptr_t)b->cases;
	batch.results = (uintptr_t)b->results;
	batch.prep = b->have_prep ? (uintptr_t)&b->prep : 0;
	if (b->readback) {
		batch.flags = VMXCC_BATCH_READBACK;
		batch.readback_size = sizeof(*b->rb);
		batch.readback = (uintptr_t)b->rb;
	}
	if (ioctl(b->fd, b->readback ? VMXCC_IOC_RUN : VMXCC_IOC_RUN_V1, &batch)) {
		snprintf(err, errlen, "VMXCC_IOC_RUN: %s after %u of %zu cases",
			 strerror(errno), batch.done, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		fill_result(&b->results[i], &res[i]);
		if (b->readback && take_readback(&b->rb[i], &res[i], err, errlen))
			return -1;
	}
	return 0;
}

static int kmod_run(struct vmx_backend *b, const struct vmx_case *cases, size_t n,
		    struct vmx_backend_result *res, char *err, size_t errlen)
{
	size_t done = 0;

	while (done < n) {
		size_t k = n - done < b->q.max_batch ? n - done : b->q.max_batch;

		if (run_chunk(b, cases + done, k, res + done, err, errlen))
			return -1;
		done += k;
	}
	return 0;
}

const struct vmx_backend_ops vmx_backend_kmod = {
	.name = "kmod",
	.help = "this machine's VMX hardware through the vmxcc kernel module (/dev/vmxcc)",
	.open = kmod_open,
	.profile = kmod_profile,
	.run = kmod_run,
	.set_readback = kmod_set_readback,
	.close = kmod_close,
};
