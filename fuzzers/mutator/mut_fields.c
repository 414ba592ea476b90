// SPDX-License-Identifier: GPL-2.0
/*
 * Which fields are addresses, which are linear addresses, where the segment
 * registers are: derived from fields.def once, on first use.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "mut_internal.h"

static struct vmxfz_fields fields;
static pthread_once_t fields_once = PTHREAD_ONCE_INIT;

static const char *const seg_names[8] = {
	"ES", "CS", "SS", "DS", "FS", "GS", "LDTR", "TR",
};

/* A 64-bit control or guest field holding a physical address: its name
 * says ADDR or POINTER, or it is a bitmap the processor reads from memory
 * (the *EXIT*_BITMAP fields are values, not addresses). */
static bool is_phys_addr(const struct vmx_field_info *fi)
{
	if (fi->width != W64 || (fi->group != CTRL && fi->group != GUEST))
		return false;
	if (strstr(fi->name, "ADDR") || strstr(fi->name, "POINTER"))
		return true;
	return strstr(fi->name, "BITMAP") && !strstr(fi->name, "EXIT");
}

/* A natural-width guest/host field holding a linear address. */
static bool is_linear_addr(const struct vmx_field_info *fi)
{
	if (fi->width != WNAT || (fi->group != GUEST && fi->group != HOST))
		return false;
	return strstr(fi->name, "BASE") || strstr(fi->name, "RIP") ||
	       strstr(fi->name, "SYSENTER_E") || strstr(fi->name, "SSP") ||
	       strstr(fi->name, "RSP");
}

static int by_name(const char *fmt, const char *seg)
{
	char name[64];

	snprintf(name, sizeof(name), fmt, seg);
	return vmx_field_by_name(name);
}

static void classify(void)
{
	for (int f = 0; f < VF_COUNT; f++) {
		if (is_phys_addr(&vmx_fields[f]))
			fields.addr[fields.n_addr++] = f;
		if (is_linear_addr(&vmx_fields[f]))
			fields.canon[fields.n_canon++] = f;
	}
	for (int s = 0; s < 8; s++) {
		fields.seg[s].sel = by_name("GUEST_%s_SELECTOR", seg_names[s]);
		fields.seg[s].base = by_name("GUEST_%s_BASE", seg_names[s]);
		fields.seg[s].limit = by_name("GUEST_%s_LIMIT", seg_names[s]);
		fields.seg[s].ar = by_name("GUEST_%s_AR_BYTES", seg_names[s]);
	}
	for (int s = 0, h = 0; s < 8; s++)
		if (s != 6)	/* the host has no LDTR */
			fields.host_sel[h++] = by_name("HOST_%s_SELECTOR", seg_names[s]);
}

const struct vmxfz_fields *vmxfz_fields(void)
{
	pthread_once(&fields_once, classify);
	return &fields;
}

void vmxfz_ctls(const struct vmx_caps *caps, struct vmxfz_ctl out[VMXFZ_N_CTLS])
{
	const struct vmxfz_ctl t[VMXFZ_N_CTLS] = {
		{ VF_PIN_BASED_VM_EXEC_CONTROL, caps->pin_must1, caps->pin_may1 },
		{ VF_CPU_BASED_VM_EXEC_CONTROL, caps->proc_must1, caps->proc_may1 },
		{ VF_SECONDARY_VM_EXEC_CONTROL, 0, caps->proc2_may1 },
		{ VF_TERTIARY_VM_EXEC_CONTROL, 0, caps->proc3_may1 },
		{ VF_VM_EXIT_CONTROLS, caps->exit_must1, caps->exit_may1 },
		{ VF_SECONDARY_VM_EXIT_CONTROLS, 0, caps->exit2_may1 },
		{ VF_VM_ENTRY_CONTROLS, caps->entry_must1, caps->entry_may1 },
		{ VF_VM_FUNCTION_CONTROL, 0, caps->vmfunc_may1 },
	};

	memcpy(out, t, sizeof(t));
}

/* Turning on a secondary/tertiary control also needs its "activate" bit
 * in the word above it. */
static bool activate_parent(struct vmxfz_ctx *m, enum vmx_field f)
{
	if (f == VF_SECONDARY_VM_EXEC_CONTROL)
		return vmxfz_ctl_set(m, VF_CPU_BASED_VM_EXEC_CONTROL,
				     CPU_BASED_ACTIVATE_SECONDARY_CONTROLS, true);
	if (f == VF_TERTIARY_VM_EXEC_CONTROL)
		return vmxfz_ctl_set(m, VF_CPU_BASED_VM_EXEC_CONTROL,
				     CPU_BASED_ACTIVATE_TERTIARY_CONTROLS, true);
	if (f == VF_SECONDARY_VM_EXIT_CONTROLS)
		return vmxfz_ctl_set(m, VF_VM_EXIT_CONTROLS,
				     VM_EXIT_ACTIVATE_SECONDARY_CONTROLS, true);
	if (f == VF_VM_FUNCTION_CONTROL)
		return vmxfz_ctl_set(m, VF_SECONDARY_VM_EXEC_CONTROL,
				     SECONDARY_EXEC_ENABLE_VMFUNC, true);
	return true;
}

bool vmxfz_ctl_set(struct vmxfz_ctx *m, enum vmx_field f, uint64_t bit, bool on)
{
	struct vmxfz_ctl ctls[VMXFZ_N_CTLS];

	vmxfz_ctls(m->caps, ctls);
	for (int i = 0; i < VMXFZ_N_CTLS; i++) {
		if (ctls[i].f != f)
			continue;
		if (on && !(ctls[i].may1 & bit))
			return false;
		if (!on && (ctls[i].must1 & bit))
			return false;
		if (on && !activate_parent(m, f))
			return false;
		if (on)
			m->c->f[f] |= bit;
		else
			m->c->f[f] &= ~bit;
		return true;
	}
	return false;
}

uint64_t vmxfz_boundary(struct vmxfz_rng *r, int width_bits)
{
	uint64_t mask = width_bits >= 64 ? ~0ull : (1ull << width_bits) - 1;
	uint64_t top = 1ull << (width_bits - 1);

	switch (vmxfz_below(r, 8)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return mask;
	case 3: return top;
	case 4: return top - 1;
	case 5: return 1ull << vmxfz_below(r, width_bits);
	case 6: return (1ull << vmxfz_below(r, width_bits)) - 1;
	default: return vmxfz_next(r) & mask;
	}
}
