// SPDX-License-Identifier: GPL-2.0
/*
 * The L1 probe: VMX on, then every case of the batch on the disk through the
 * shared VMX core, results back to the disk, "VMXCC-DONE n" on port E9H,
 * and out through the Bochs shutdown port or QEMU's isa-debug-exit.  Cases
 * run as given (policy VMX_CORE_AS_IS): a case that wrecks the probe only
 * ends this Bochs or QEMU run, and the back end bisects down to it.
 */
#include "probe.h"
#include "probe_wire.h"
#include "vmx_core.h"

#define PAGE		4096
#define MSR_PAGES	16
#define INPUT_BASE	0x01000000ull	/* 16 MiB: the batch input */

/* GDT: 08H 64-bit code, 10H data, 18H 64-bit TSS at 0 (the baselines' host
 * selectors and TR base). */
static uint64_t gdt[6] __attribute__((aligned(16))) = {
	0,
	0x00af9b000000ffffull,
	0x00cf93000000ffffull,
	0x0000890000000067ull,
	0,
	0,
};

static uint8_t pages[8 + MSR_PAGES][PAGE] __attribute__((aligned(PAGE)));
static struct vmx_core_cpu cpu;
static struct vmx_core_vmcs vmcs;
static struct vmx_core_env env;
static struct vmx_core_result res;
static struct vmx_case cur, prep;
static struct probe_batch_hdr hdr;
/* Fields the current case changed: lets the core skip the others. */
static uint64_t changed[VMX_CORE_FIELD_WORDS];
static struct probe_result_hdr rhdr __attribute__((aligned(PAGE)));
static struct probe_result_rec out[PROBE_CHUNK] __attribute__((aligned(16)));
static struct probe_readback_rec rb_out[PROBE_CHUNK] __attribute__((aligned(16)));
uint8_t probe_stack[65536] __attribute__((aligned(16)));
extern uint8_t probe_stack_top[];

uint64_t probe_idt_base(void);

static int env_rdmsr(void *ctx, uint32_t msr, uint64_t *v)
{
	return probe_rdmsr_safe(msr, v);
}

static int env_wrmsr(void *ctx, uint32_t msr, uint64_t v)
{
	return probe_wrmsr_safe(msr, v);
}

static struct vmx_core_page page(int i)
{
	struct vmx_core_page p = { pages[i], (uint64_t)(uintptr_t)pages[i] };

	return p;
}

static void gdt_init(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) d;

	d.limit = sizeof(gdt) - 1;
	d.base = (uint64_t)(uintptr_t)gdt;
	probe_load_gdt(&d);
	asm volatile("ltr %w0" :: "r"(0x18));
}

static void env_init(void)
{
	env.rdmsr_safe = env_rdmsr;
	env.wrmsr_safe = env_wrmsr;
	env.cpu = &cpu;
	env.vmcs = &vmcs;
	env.policy = VMX_CORE_AS_IS;
	cpu.vmxon_region = page(0);
	vmcs.page = page(1);
	env.pdpte = page(2);
	env.vapic = page(3);
	env.link = page(4);
	env.shadow_vmcs = page(5);
	env.msr_load = page(8);
	env.msr_load_pages = MSR_PAGES;
	env.host.gdtr_base = (uint64_t)(uintptr_t)gdt;
	env.host.gdtr_limit = sizeof(gdt) - 1;
	env.host.idtr_base = probe_idt_base();
	env.host.idtr_limit = 256 * 16 - 1;
	env.host.tr = 0x18;
	env.host.tr_base = 0;
	env.host.tr_limit = 0x67;
	env.host.gdt = gdt;
	env.host.ds = env.host.es = 0x10;
	env.host.no_fs_gs = true;	/* nothing here uses FS, GS or their bases */
}

static void fail(const char *what, int64_t code)
{
	con_puts("\nPROBE-ERROR ");
	con_puts(what);
	con_putc(' ');
	con_dec(code < 0 ? -code : code);
	con_putc('\n');
	probe_shutdown();
}

/* Apply one delta-encoded case from the input stream to @c. */
static const uint8_t *decode(const uint8_t *p, struct vmx_case *c)
{
	const struct probe_case_rec *h = (const void *)p;
	const struct probe_delta *d;

	c->instr = h->instr;
	c->launch_state = h->launch_state;
	c->movss_blocking = h->movss_blocking;
	c->no_current_vmcs = h->no_current_vmcs;
	c->current_is_shadow = h->current_is_shadow;
	c->vtpr = h->vtpr;
	c->x2apic_mode = h->x2apic_mode;
	c->link_shadow = h->link_shadow;
	c->link_revision = h->link_revision;
	c->link_is_current = h->link_is_current;
	memcpy(c->pdpte, h->pdpte, sizeof(c->pdpte));
	c->n_msr_load = h->n_msr_load;
	p += sizeof(*h);
	memcpy(c->msr_load, p, h->n_msr_load * sizeof(struct vmx_msr_entry));
	p += h->n_msr_load * sizeof(struct vmx_msr_entry);
	d = (const void *)p;
	for (int w = 0; w < VMX_CORE_FIELD_WORDS; w++)
		changed[w] = 0;
	for (uint32_t i = 0; i < h->n_deltas; i++) {
		if (d[i].field >= VF_COUNT)
			continue;
		c->f[d[i].field] = d[i].value;
		changed[d[i].field / 64] |= 1ull << (d[i].field % 64);
	}
	return p + h->n_deltas * sizeof(*d);
}

static void record_readback(struct probe_readback_rec *o)
{
	for (int w = 0; w < PROBE_READBACK_WORDS; w++)
		o->valid[w] = 0;
	if (!res.have_readback)
		return;
	for (int w = 0; w < VMX_CORE_FIELD_WORDS; w++)
		o->valid[w] = res.readback_valid[w];
	memcpy(o->value, res.readback, sizeof(o->value));
}

static void record(struct probe_result_rec *o, int err)
{
	static const enum vmx_field eff[PROBE_N_EFF] = {
#define EFF(n) VF_##n,
		PROBE_EFF_FIELDS(EFF)
#undef EFF
	};

	o->kind = err ? VO_BACKEND_ERROR : res.outcome.kind;
	o->core_err = -err;
	o->skip = err ? VMX_CORE_SKIP_CORE_ERROR : res.skip;
	o->error = res.outcome.error;
	o->rflags = res.rflags;
	o->reason = res.outcome.reason;
	o->host_rsp = res.effective.f[VF_HOST_RSP];
	o->qual = res.outcome.qual;
	for (int i = 0; i < PROBE_N_EFF; i++)
		o->eff[i] = res.effective.f[eff[i]];
}

static void flush(uint32_t first, uint32_t n)
{
	uint32_t lba = hdr.result_lba + PROBE_RESULT_HDR_SECTORS +
		       first * sizeof(out[0]) / PROBE_SECTOR;

	ata_write(lba, (n * sizeof(out[0]) + PROBE_SECTOR - 1) / PROBE_SECTOR, out);
	if (env.readback)
		ata_write(probe_readback_lba(hdr.result_lba, hdr.n_cases) +
			  first * sizeof(rb_out[0]) / PROBE_SECTOR,
			  n * sizeof(rb_out[0]) / PROBE_SECTOR, rb_out);
	con_putc('P');
	con_dec(first + n);
	con_putc('\n');
}

static void run_batch(void)
{
	const uint8_t *p = (const uint8_t *)INPUT_BASE;
	/* Fine mode (the back end narrowing down a crash): results reach
	 * the disk every sector's worth of cases. */
	uint32_t chunk = (hdr.flags & PROBE_FLAG_FINE) ? PROBE_FINE_CHUNK : PROBE_CHUNK;
	uint32_t i;

	ata_read(1, (hdr.input_bytes + PROBE_SECTOR - 1) / PROBE_SECTOR, (void *)p);
	p = decode(p, &prep);
	env.launch_prep = &prep;
	/* cur and res.effective start all zero: consistent for env.changed */
	env.changed = changed;
	env.readback = hdr.flags & PROBE_FLAG_READBACK;
	for (i = 0; i < hdr.n_cases; i++) {
		int err;

		p = decode(p, &cur);
		if (hdr.flags & PROBE_FLAG_MARKERS) {
			con_putc('C');
			con_dec(i);
			con_putc('\n');
		}
		err = vmx_core_run_case(&cur, &env, &res);
		record(&out[i % chunk], err);
		if (env.readback)
			record_readback(&rb_out[i % chunk]);
		if (i % chunk == chunk - 1)
			flush(i + 1 - chunk, chunk);
	}
	if (i % chunk)
		flush(i - i % chunk, i % chunk);
	rhdr.n_done = i;
}

static uint32_t fields_sum(void)
{
	uint32_t s = 0;

	for (int f = 0; f < VF_COUNT; f++)
		s += vmx_core_field_encoding(f);
	return s;
}

/* Why VMX operation could not start, in words, for the log: the back end
 * reads the code from the result header, a person reads this line. */
static void report_vmx_off(int err)
{
	con_puts("PROBE-VMX-OFF ");
	switch (-err) {
	case VMX_CORE_ENOVMX:
		con_puts("no VMX on this CPU (CPUID.1:ECX.VMX[bit 5] = 0, or no IA32_VMX_BASIC)");
		break;
	case VMX_CORE_EFEATCTL:
		con_puts("IA32_FEATURE_CONTROL is locked without VMX outside SMX");
		break;
	default:
		con_puts("VMXON failed, core error ");
		con_dec(-err);
		break;
	}
	con_putc('\n');
}

void probe_main(void)
{
	int err;

	gdt_init();
	probe_traps_init();
	env_init();
	con_puts("VMXCC-PROBE\n");
	ata_read(0, 1, &hdr);
	if (hdr.magic != PROBE_BATCH_MAGIC)
		fail("bad batch magic", 0);
	if (hdr.vf_count != VF_COUNT || hdr.fields_sum != fields_sum())
		fail("field table differs from the back end's", hdr.vf_count);

	rhdr.magic = PROBE_RESULT_MAGIC;
	vmx_core_read_caps(&env, &rhdr.profile);
	err = vmx_core_cpu_on(&env);
	rhdr.cpu_on_err = err;
	if (!err) {
		vmx_core_vmcs_init(&env, &vmcs);
		err = vmx_core_vmcs_load(&env, &vmcs);
		if (err)
			fail("VMPTRLD", err);
		memcpy(rhdr.supported, cpu.supported, sizeof(rhdr.supported));
		if (hdr.mode == PROBE_RUN)
			run_batch();
	} else {
		report_vmx_off(err);
		if (hdr.mode == PROBE_RUN)
			fail("VMXON", err);
	}
	ata_write(hdr.result_lba, PROBE_RESULT_HDR_SECTORS, &rhdr);
	con_puts("VMXCC-DONE ");
	con_dec(rhdr.n_done);
	con_putc('\n');
	vmx_core_cpu_off(&env);
	probe_shutdown();
}

_Static_assert(PROBE_SECTOR % sizeof(struct probe_result_rec) == 0,
	       "result records must tile sectors");
