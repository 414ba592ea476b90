// SPDX-License-Identifier: GPL-2.0
/*
 * KVM struct vmcs12 and KVM_GET_NESTED_STATE import/export.  Layout facts
 * (from arch/x86/kvm/vmx/vmcs12.h and arch/x86/include/uapi/asm/kvm.h):
 * vmcs12 starts with u32 revision_id:31 + shadow_vmcs:1, u32 abort,
 * u32 launch_state, u32 padding[7]; the fields follow at the offsets in
 * fields.def.  kvm_nested_state is u16 flags, u16 format, u32 size, then a
 * 120-byte header union whose VMX member is u64 vmxon_pa, u64 vmcs12_pa,
 * u16 smm.flags, u16 pad, u32 flags, u64 preemption_timer_deadline; data
 * (vmcs12[4096], shadow_vmcs12[4096]) starts at byte 128.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcc/arch.h"
#include "vmxcc/vmcs12.h"

static uint64_t rd(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void wr(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int width_bytes(enum vmx_field f)
{
	switch (vmx_fields[f].width) {
	case W16: return 2;
	case W32: return 4;
	default:  return 8;
	}
}

static int import_vmcs12(const char *file, const char *what, const uint8_t *v,
			 struct vmx_case *c, char *err, size_t errlen)
{
	uint32_t hdr = (uint32_t)rd(v, 4), launch = (uint32_t)rd(v + VMCS12_LAUNCH_STATE_OFFSET, 4);

	if ((hdr & 0x7fffffffu) != VMCS12_REVISION) {
		snprintf(err, errlen, "%s: %s: wrong revision %#x (KVM's vmcs12 is %#x)",
			 file, what, hdr & 0x7fffffffu, VMCS12_REVISION);
		return -1;
	}
	if (launch > 1) {
		snprintf(err, errlen, "%s: %s: launch_state %u is neither 0 nor 1", file, what, launch);
		return -1;
	}
	memset(c, 0, sizeof(*c));
	for (int f = 0; f < VF_COUNT; f++)
		if (vmx_fields[f].vmcs12_offset >= 0)
			c->f[f] = rd(v + vmx_fields[f].vmcs12_offset, width_bytes(f));
	c->current_is_shadow = hdr >> 31;
	c->launch_state = (uint8_t)launch;
	c->instr = launch ? VMX_VMRESUME : VMX_VMLAUNCH;
	return 0;
}

int vmx_vmcs12_import(const char *file, const uint8_t *buf, size_t len,
		      struct vmx_case *c, char *err, size_t errlen)
{
	if (len != VMCS12_SIZE) {
		snprintf(err, errlen, "%s: %s file: %zu bytes, a vmcs12 is exactly %d",
			 file, len < VMCS12_SIZE ? "short" : "oversized", len, VMCS12_SIZE);
		return -1;
	}
	return import_vmcs12(file, "vmcs12", buf, c, err, errlen);
}

int vmx_vmcs12_export(const struct vmx_case *c, uint8_t *out, char *err, size_t errlen)
{
	memset(out, 0, VMCS12_SIZE);
	for (int f = 0; f < VF_COUNT; f++) {
		if (vmx_fields[f].vmcs12_offset >= 0) {
			wr(out + vmx_fields[f].vmcs12_offset, c->f[f], width_bytes(f));
		} else if (c->f[f]) {
			snprintf(err, errlen, "field %s: KVM's vmcs12 has no slot for it, "
				 "but its value is %#llx", vmx_fields[f].name,
				 (unsigned long long)c->f[f]);
			return -1;
		}
	}
	wr(out, VMCS12_REVISION | (c->current_is_shadow ? 1u << 31 : 0), 4);
	wr(out + VMCS12_LAUNCH_STATE_OFFSET, c->launch_state, 4);
	return 0;
}

static bool wants_shadow(const struct vmx_case *c)
{
	return (c->f[VF_CPU_BASED_VM_EXEC_CONTROL] & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
	       (c->f[VF_SECONDARY_VM_EXEC_CONTROL] & SECONDARY_EXEC_SHADOW_VMCS) &&
	       c->f[VF_VMCS_LINK_POINTER] != ~0ull;
}

void vmx_vmcs12_lost_state(const struct vmx_case *c, char *buf, size_t len)
{
	size_t used = 0;

#define LOST(cond, name) do {						\
		if ((cond) && used < len)				\
			used += (size_t)snprintf(buf + used, len - used, "%s%s", \
						 used ? ", " : "", name); \
	} while (0)
	buf[0] = 0;
	LOST(c->instr != (c->launch_state ? VMX_VMRESUME : VMX_VMLAUNCH), "[state] instr");
	LOST(c->movss_blocking, "[state] movss_blocking");
	LOST(c->no_current_vmcs, "[state] no_current_vmcs");
	LOST(c->vtpr, "[state] vtpr");
	LOST(c->x2apic_mode, "[state] x2apic_mode");
	/* The link-pointer VMCS header matters only with VMCS shadowing on. */
	LOST(wants_shadow(c) && c->link_revision, "[state] link_revision");
	LOST(wants_shadow(c) && c->link_shadow, "[state] link_shadow");
	LOST(c->link_is_current, "[state] link_is_current");
	LOST(c->pdpte[0] | c->pdpte[1] | c->pdpte[2] | c->pdpte[3], "[pdpte]");
	LOST(c->n_msr_load, "[msr_load]");
#undef LOST
}

static int bad(char *err, size_t errlen, const char *file, const char *fmt, unsigned long long a,
	       unsigned long long b)
{
	int n = snprintf(err, errlen, "%s: bad nested-state header: ", file);

	if (n >= 0 && (size_t)n < errlen)
		snprintf(err + n, errlen - (size_t)n, fmt, a, b);
	return -1;
}

int vmx_nested_import(const char *file, const uint8_t *buf, size_t len,
		      struct vmx_case *c, struct vmx_nested_info *info,
		      char *err, size_t errlen)
{
	struct vmx_nested_info in;
	uint16_t format;
	uint32_t size;

	if (len < KVM_NESTED_HDR_SIZE) {
		snprintf(err, errlen, "%s: short file: %zu bytes, a kvm_nested_state header is %d",
			 file, len, KVM_NESTED_HDR_SIZE);
		return -1;
	}
	memset(&in, 0, sizeof(in));
	in.flags = (uint16_t)rd(buf, 2);
	format = (uint16_t)rd(buf + 2, 2);
	size = (uint32_t)rd(buf + 4, 4);
	in.vmxon_pa = rd(buf + 8, 8);
	in.vmcs12_pa = rd(buf + 16, 8);
	in.smm_flags = (uint16_t)rd(buf + 24, 2);
	in.vmx_flags = (uint32_t)rd(buf + 28, 4);
	in.preemption_timer_deadline = rd(buf + 32, 8);
	if (format != KVM_NESTED_FORMAT_VMX)
		return bad(err, errlen, file, "format %llu is not VMX (%llu)", format, KVM_NESTED_FORMAT_VMX);
	if (size < KVM_NESTED_HDR_SIZE || size != len)
		return bad(err, errlen, file, "size field %llu, but the file has %llu bytes", size, len);
	if (in.flags & KVM_STATE_NESTED_EVMCS)
		return bad(err, errlen, file, "flags %#llx: enlightened VMCS state (KVM_STATE_NESTED_EVMCS) has no vmcs12%.0llu",
			   in.flags, 0);
	if (in.vmxon_pa == ~0ull)
		return bad(err, errlen, file, "vmxon_pa is %#llx: L1 was not in VMX operation%.0llu",
			   in.vmxon_pa, 0);
	memset(c, 0, sizeof(*c));
	if (in.vmcs12_pa != ~0ull && size < KVM_NESTED_HDR_SIZE + VMCS12_SIZE)
		return bad(err, errlen, file, "size %llu leaves no room for the vmcs12 (needs %llu)",
			   size, KVM_NESTED_HDR_SIZE + VMCS12_SIZE);
	/* KVM sends no vmcs12 without a current VMCS; vmxcc's own export
	 * keeps the fields anyway, so read them whenever they are there. */
	if (size >= KVM_NESTED_HDR_SIZE + VMCS12_SIZE &&
	    import_vmcs12(file, "vmcs12", buf + KVM_NESTED_HDR_SIZE, c, err, errlen))
		return -1;
	c->no_current_vmcs = in.vmcs12_pa == ~0ull;
	if (size >= KVM_NESTED_HDR_SIZE + 2 * VMCS12_SIZE) {
		uint32_t shdr = (uint32_t)rd(buf + KVM_NESTED_HDR_SIZE + VMCS12_SIZE, 4);

		in.has_shadow = 1;
		c->link_revision = shdr & 0x7fffffffu;
		c->link_shadow = shdr >> 31;
	}
	if (info)
		*info = in;
	return 0;
}

int vmx_nested_export(const struct vmx_case *c, const struct vmx_nested_info *info,
		      uint8_t **out, size_t *len, char *err, size_t errlen)
{
	struct vmx_nested_info def = { 0, 0x10000, 0x11000, 0, 0, 0, 0 };
	size_t size = KVM_NESTED_HDR_SIZE + VMCS12_SIZE;
	uint8_t *b;

	if (!info)
		info = &def;
	if (wants_shadow(c))
		size += VMCS12_SIZE;
	b = calloc(1, size);
	if (!b) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (vmx_vmcs12_export(c, b + KVM_NESTED_HDR_SIZE, err, errlen)) {
		free(b);
		return -1;
	}
	if (size > KVM_NESTED_HDR_SIZE + VMCS12_SIZE)
		wr(b + KVM_NESTED_HDR_SIZE + VMCS12_SIZE,
		   c->link_revision | (c->link_shadow ? 1u << 31 : 0), 4);
	wr(b, info->flags, 2);
	wr(b + 2, KVM_NESTED_FORMAT_VMX, 2);
	wr(b + 4, size, 4);
	wr(b + 8, info->vmxon_pa, 8);
	wr(b + 16, c->no_current_vmcs ? ~0ull : info->vmcs12_pa, 8);
	wr(b + 24, info->smm_flags, 2);
	wr(b + 28, info->vmx_flags, 4);
	wr(b + 32, info->preemption_timer_deadline, 8);
	*out = b;
	*len = size;
	return 0;
}
