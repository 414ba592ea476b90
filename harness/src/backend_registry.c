// SPDX-License-Identifier: GPL-2.0
/*
 * The back-end registry.  Every back end vmxcc knows is listed, built or
 * not: harness/CMakeLists.txt defines VMXCC_HAVE_BACKEND_<NAME> for each
 * back-end source present, and a back end that is not compiled in gets a
 * stand-in whose open() says so.  There is never a fake result.
 */
#include <stdio.h>
#include <string.h>

#include "vmxcc/backend_session.h"
#include "vmxcc/profile_text.h"

/* Only needed while some back end is not compiled in (unused otherwise). */
#if !defined(VMXCC_HAVE_BACKEND_BOCHS) || !defined(VMXCC_HAVE_BACKEND_KMOD) || \
	!defined(VMXCC_HAVE_BACKEND_KVM)
static struct vmx_backend *not_built_open(const char *name, char *err, size_t errlen)
{
	snprintf(err, errlen, "not built: this vmxcc was built without "
		 "harness/backends/%s.c", name);
	return NULL;
}
#endif

#define STANDIN(n)							\
	static struct vmx_backend *n##_open(const char *arg, char *err, size_t errlen) \
	{								\
		return not_built_open(#n, err, errlen);			\
	}								\
	static const struct vmx_backend_ops standin_##n = {		\
		.name = #n, .help = "(not built)", .open = n##_open,	\
	}

#ifdef VMXCC_HAVE_BACKEND_BOCHS
extern const struct vmx_backend_ops vmx_backend_bochs;
#define BOCHS (&vmx_backend_bochs)
#else
STANDIN(bochs);
#define BOCHS (&standin_bochs)
#endif
#ifdef VMXCC_HAVE_BACKEND_KMOD
extern const struct vmx_backend_ops vmx_backend_kmod;
#define KMOD (&vmx_backend_kmod)
#else
STANDIN(kmod);
#define KMOD (&standin_kmod)
#endif
#ifdef VMXCC_HAVE_BACKEND_KVM
extern const struct vmx_backend_ops vmx_backend_kvm;
#define KVM (&vmx_backend_kvm)
#else
STANDIN(kvm);
#define KVM (&standin_kvm)
#endif

const struct vmx_backend_ops *const vmx_backends[] = { BOCHS, KMOD, KVM, NULL };

#define MAX_EXTRA 8
static const struct vmx_backend_ops *extra[MAX_EXTRA];
static int n_extra;

int vmx_backend_register(const struct vmx_backend_ops *ops)
{
	if (n_extra == MAX_EXTRA)
		return -1;
	extra[n_extra++] = ops;
	return 0;
}

const struct vmx_backend_ops *vmx_backend_find(const char *name)
{
	for (int i = 0; vmx_backends[i]; i++)
		if (strcmp(vmx_backends[i]->name, name) == 0)
			return vmx_backends[i];
	for (int i = 0; i < n_extra; i++)
		if (strcmp(extra[i]->name, name) == 0)
			return extra[i];
	return NULL;
}

static void known_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (int i = 0; vmx_backends[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 vmx_backends[i]->name);
	for (int i = 0; i < n_extra && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, ", %s", extra[i]->name);
}

int vmx_backend_open_spec(const char *spec, struct vmx_backend_inst *bi,
			  char *err, size_t errlen)
{
	char name[64], why[512], known[256];
	const char *colon = strchr(spec, ':');
	size_t nlen = colon ? (size_t)(colon - spec) : strlen(spec);

	memset(bi, 0, sizeof(*bi));
	snprintf(bi->spec, sizeof(bi->spec), "%s", spec);
	snprintf(name, sizeof(name), "%.*s", (int)nlen, spec);
	bi->ops = vmx_backend_find(name);
	if (!bi->ops) {
		known_names(known, sizeof(known));
		snprintf(err, errlen, "backend %s: unknown back end (known: %s)", name, known);
		return -1;
	}
	bi->b = bi->ops->open(colon ? colon + 1 : NULL, why, sizeof(why));
	if (!bi->b) {
		snprintf(err, errlen, "backend %s: %s", name, why);
		return -1;
	}
	if (bi->ops->profile(bi->b, &bi->profile, why, sizeof(why)) ||
	    vmx_caps_from_profile(&bi->caps, &bi->profile, why, sizeof(why))) {
		snprintf(err, errlen, "backend %s: profile: %s", name, why);
		vmx_backend_inst_close(bi);
		return -1;
	}
	bi->profile_fp = vmx_profile_fingerprint(&bi->profile);
	return 0;
}

void vmx_backend_inst_close(struct vmx_backend_inst *bi)
{
	if (bi->b)
		bi->ops->close(bi->b);
	bi->b = NULL;
}
