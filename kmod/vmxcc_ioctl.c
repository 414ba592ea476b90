// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/vmxcc ioctls (include/uapi/vmxcc_ioctl.h).  Every size, version,
 * count, flag and reserved field from user space is checked before use;
 * anything unknown is -EINVAL.  Cases are copied in one at a time, run with
 * preemption and interrupts off on whatever CPU the task is on, and their
 * results copied out before the next one, so a batch never holds a CPU for
 * more than one attempt and can be interrupted by a fatal signal.
 *
 * Interrupts and NMIs around an attempt: interrupts are off, so an external
 * interrupt stays pending in the host until the attempt is over.  NMIs are
 * not maskable; a host NMI arriving while the (zero-instruction) guest runs
 * is held pending behind the preemption-timer exit and delivered in host
 * context right after the VM exit, where the host IDT is in place (the
 * exit only widened its limit) and the TSS limit of 0x67 still covers the
 * IST stacks.  Should a case's "NMI exiting" control turn such an NMI into
 * a VM exit instead, the module re-raises it as a self-NMI so the kernel's
 * NMI users (watchdog, perf) do not lose it.
 *
 * Read-back (batch flag VMXCC_BATCH_READBACK): the core VMREADs every field
 * after the attempt into the per-CPU scratch result; it is copied into the
 * batch's one buffer while the CPU is still ours and out with the result.
 * Kernel addresses in the effective image and the read-back are shown as
 * placeholders (policy/vmxcc_hide.c, docs/safety.md).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/apic.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/tsc.h>

#include "vmxcc.h"
#include "vmxcc_hide.h"
#include "vmxcc_ioctl.h"

static DEFINE_MUTEX(vmxcc_run_lock);

/* VM-exit interruption information (SDM Vol. 3C, "VM-Exit Information") */
#define EXIT_INTR_VALID		BIT(31)
#define EXIT_INTR_TYPE_MASK	(7u << 8)
#define EXIT_INTR_TYPE_NMI	(2u << 8)
#define DR7_AFTER_EXIT		0x400	/* what a VM exit loads into DR7 */

static u64 vmread64(u32 enc)
{
	u64 v = 0;

	asm volatile("vmread %1, %0" : "=rm"(v) : "r"((u64)enc) : "cc");
	return v;
}

/* ---- VMXCC_IOC_QUERY ---- */

static long vmxcc_query(void __user *arg)
{
	struct vmxcc_query *q;
	struct vmxcc_pcpu *p;
	unsigned long flags;
	u32 hdr[2];
	long ret = 0;

	if (copy_from_user(hdr, arg, sizeof(hdr)))
		return -EFAULT;
	if (hdr[0] != sizeof(*q) || hdr[1] != VMXCC_QUERY_VERSION)
		return -EINVAL;
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	q->size = sizeof(*q);
	q->version = VMXCC_QUERY_VERSION;
	q->abi_version = VMXCC_ABI_VERSION;
	q->max_batch = VMXCC_MAX_BATCH;
	q->n_fields = VF_COUNT;
	q->fields_hash = vmxcc_fields_hash();
	q->case_size = sizeof(struct vmxcc_case);
	q->result_size = sizeof(struct vmxcc_result);
	q->policy_flags = VMXCC_POLICY_READBACK;
	if (vmxcc_host_fuzz)
		q->policy_flags |= VMXCC_POLICY_HOST_FUZZ;
	q->online_cpus = num_online_cpus();
	q->tsc_khz = tsc_khz;

	get_cpu();
	p = vmxcc_this_pcpu();
	/* Interrupts off: capability probing briefly writes IA32_DEBUGCTL. */
	local_irq_save(flags);
	vmx_core_read_caps(&p->env, &q->profile);
	local_irq_restore(flags);
	put_cpu();

	if (copy_to_user(arg, q, sizeof(*q)))
		ret = -EFAULT;
	kfree(q);
	return ret;
}

/* ---- VMXCC_IOC_RUN ---- */

struct run_ctx {
	struct vmxcc_batch b;
	struct vmxcc_case kcase;
	struct vmxcc_result kres;
	struct vmxcc_readback krb;
	bool readback;			/* VMXCC_BATCH_READBACK */
	struct vmxcc_case prep_in;	/* the prep case as given */
	struct vmx_case prep;		/* its policy image on host_cpu */
	bool have_prep;
	int host_cpu;			/* CPU whose host state is captured */
};

static int check_case(const struct vmxcc_case *c)
{
	if (c->size != sizeof(*c) || c->version != VMXCC_CASE_VERSION)
		return -EINVAL;
	if ((c->flags & ~VMXCC_CASE_FLAGS) || c->reserved)
		return -EINVAL;
	if (c->c.n_msr_load > VMX_CASE_MAX_MSR_LOAD || c->c.instr > VMX_VMRESUME)
		return -EINVAL;
	if ((c->flags & VMXCC_CASE_HOST_AS_GIVEN) && !vmxcc_host_fuzz)
		return -EPERM;
	return 0;
}

/* The size a batch header of this version has, 0 for an unknown one. */
static u32 batch_size(u32 version)
{
	BUILD_BUG_ON(offsetof(struct vmxcc_batch, readback_size) !=
		     VMXCC_BATCH_V1_SIZE);
	if (version == 1)
		return VMXCC_BATCH_V1_SIZE;
	if (version == VMXCC_BATCH_VERSION)
		return sizeof(struct vmxcc_batch);
	return 0;
}

/* A version 1 batch reaches here with its version 2 fields zeroed. */
static int check_batch(const struct vmxcc_batch *b)
{
	bool rb = b->flags & VMXCC_BATCH_READBACK;

	if (!b->size || b->size != batch_size(b->version))
		return -EINVAL;
	if (!b->n || b->n > VMXCC_MAX_BATCH || (b->flags & ~VMXCC_BATCH_FLAGS))
		return -EINVAL;
	if (b->version == 1 && b->flags)
		return -EINVAL;
	if (b->n_fields != VF_COUNT || b->fields_hash != vmxcc_fields_hash())
		return -EINVAL;
	if (!b->cases || !b->results || b->reserved)
		return -EINVAL;
	if (rb != !!b->readback ||
	    b->readback_size != (rb ? sizeof(struct vmxcc_readback) : 0))
		return -EINVAL;
	return 0;
}

static void set_text(struct vmxcc_result *r, const char *why, u32 msr)
{
	if (msr != ~0u)
		snprintf(r->text, sizeof(r->text), "%s (MSR %#x)", why, msr);
	else
		strscpy(r->text, why, sizeof(r->text));
}

/* A case's "NMI exiting" turned a host NMI into this VM exit: re-raise it. */
static bool replay_nmi(const struct vmx_outcome *o)
{
	u32 info;

	if (o->kind != VO_ENTERED || o->reason != 0)
		return false;
	info = vmread64(vmx_core_field_encoding(VF_VM_EXIT_INTR_INFO));
	if (!(info & EXIT_INTR_VALID) ||
	    (info & EXIT_INTR_TYPE_MASK) != EXIT_INTR_TYPE_NMI)
		return false;
	apic->send_IPI_self(NMI_VECTOR);
	return true;
}

static void launch_for_early(struct run_ctx *x, struct vmxcc_pcpu *p);

/* One case on this CPU, preemption off. */
static int run_one(struct run_ctx *x, struct vmxcc_pcpu *p)
{
	struct vmxcc_result *r = &x->kres;
	struct vmxcc_policy_env pe;
	struct vmxcc_policy_out *pol = &p->pol;
	unsigned long flags, dr7;
	int err;
	u64 t0;

	vmxcc_policy_env_fill(&pe, p);
	if (vmxcc_policy_apply(&pe, &x->kcase.c,
			       x->kcase.flags & VMXCC_CASE_HOST_AS_GIVEN, pol))
		return -EPERM;
	r->policy = pol->changes;
	if (pol->verdict == VMXCC_SKIP) {
		r->outcome.kind = VO_SKIPPED;
		r->effective = pol->img;
		set_text(r, pol->why, pol->why_msr);
		return 0;
	}
	p->env.readback = x->readback;

	get_debugreg(dr7, 7);
	local_irq_save(flags);
	if (pol->verdict != VMXCC_RUN)
		launch_for_early(x, p);
	p->env.policy = pol->verdict == VMXCC_RUN ? VMX_CORE_AS_IS
						  : VMX_CORE_EARLY_CHECK;
	p->env.launch_prep = x->have_prep ? &x->prep : NULL;
	t0 = rdtsc_ordered();
	err = vmx_core_run_case(&pol->img, &p->env, &p->res);
	r->tsc_attempt = rdtsc_ordered() - t0;
	if (!err && replay_nmi(&p->res.outcome))
		r->policy |= VMXCC_POL_NMI_REPLAYED;
	local_irq_restore(flags);
	if (dr7 != DR7_AFTER_EXIT)
		set_debugreg(dr7, 7);		/* a VM exit leaves 0x400 */
	invalidate_tss_limit();
	x->b.attempts++;
	x->b.tsc_total += r->tsc_attempt;

	r->effective = p->res.effective;
	r->outcome = p->res.outcome;
	if (err == -VMX_CORE_EPREP) {
		r->outcome.kind = x->have_prep ? VO_BACKEND_ERROR : VO_SKIPPED;
		set_text(r, x->have_prep ?
			 "the prep case did not enter: VMCS not launched" :
			 "VMRESUME needs a launched VMCS and the batch has no prep case",
			 ~0u);
		return 0;
	}
	if (err) {
		r->outcome.kind = VO_BACKEND_ERROR;
		snprintf(r->text, sizeof(r->text), "VMX core error %d", -err);
		return 0;
	}
	if (r->outcome.kind == VO_SKIPPED) {
		set_text(r, p->res.skip_reason ? p->res.skip_reason : "core skipped", ~0u);
		return 0;
	}
	if (pol->verdict == VMXCC_EARLY_ONLY) {
		r->policy |= VMXCC_POL_EARLY_ONLY;
		if (r->outcome.kind != VO_VMFAIL_INVALID &&
		    r->outcome.kind != VO_VMFAIL_VALID) {
			/* Passed the VMfail checks: the real case may enter. */
			r->outcome.kind = VO_SKIPPED;
			r->effective = pol->img;
			set_text(r, pol->why, pol->why_msr);
		}
	}
	return 0;
}

/*
 * Copy and check the prep case; its policy image is made per CPU, once the
 * host state there is known (prep_image).
 */
static int prepare_prep(struct run_ctx *x)
{
	if (!x->b.prep)
		return 0;
	if (copy_from_user(&x->prep_in, u64_to_user_ptr(x->b.prep), sizeof(x->prep_in)))
		return -EFAULT;
	return check_case(&x->prep_in);
}

/* The prep case with this CPU's host state; it must be safe to enter. */
static int prep_image(struct run_ctx *x, struct vmxcc_pcpu *p)
{
	struct vmxcc_policy_env pe;

	x->have_prep = false;
	if (!x->b.prep)
		return 0;
	vmxcc_policy_env_fill(&pe, p);
	if (vmxcc_policy_apply(&pe, &x->prep_in.c, false, &p->pol) ||
	    p->pol.verdict != VMXCC_RUN)
		return -EINVAL;
	x->prep = p->pol.img;
	x->have_prep = true;
	return 0;
}

/*
 * A case limited to the VMfail phase still needs a launched VMCS when it
 * asks for one, but the core would run the prep case under the same
 * early-check policy (which never enters).  Launch the VMCS first by
 * running the prep case on its own.
 */
static void launch_for_early(struct run_ctx *x, struct vmxcc_pcpu *p)
{
	if (!x->have_prep || !x->kcase.c.launch_state || p->vmcs.launched)
		return;
	p->env.policy = VMX_CORE_AS_IS;
	p->env.launch_prep = NULL;
	vmx_core_run_case(&x->prep, &p->env, &p->res);
	x->b.attempts++;
}

/*
 * The read-back of an attempt that reached the VMCS (the scratch result
 * is stale after a skip), then what user space may not see of it hidden.
 * Runs on the CPU that ran the case: the scratch result is per CPU.
 */
static void take_readback(struct run_ctx *x, struct vmxcc_pcpu *p)
{
	struct vmxcc_readback *rb = &x->krb;
	struct vmxcc_result *r = &x->kres;
	u32 kind = r->outcome.kind;
	bool read = x->readback && p->res.have_readback &&
		    (kind == VO_VMFAIL_INVALID || kind == VO_VMFAIL_VALID ||
		     kind == VO_ENTRY_FAIL || kind == VO_ENTERED);

	rb->flags = read ? VMXCC_RB_READ : 0;
	if (read) {
		BUILD_BUG_ON(sizeof(rb->valid) != sizeof(p->res.readback_valid));
		BUILD_BUG_ON(sizeof(rb->value) != sizeof(p->res.readback));
		memcpy(rb->valid, p->res.readback_valid, sizeof(rb->valid));
		memcpy(rb->value, p->res.readback, sizeof(rb->value));
	}
	if (vmxcc_hide(&x->kcase.c, &r->effective, read ? rb->value : NULL,
		       rb->valid, p->core.phys_mask))
		r->policy |= VMXCC_POL_HIDDEN;
}

/* Result @i (and its read-back) to user space. */
static int copy_result(struct run_ctx *x, u32 i)
{
	struct vmxcc_result __user *ures = u64_to_user_ptr(x->b.results);
	struct vmxcc_readback __user *urb = u64_to_user_ptr(x->b.readback);
	size_t n;

	if (copy_to_user(&ures[i], &x->kres, sizeof(x->kres)))
		return -EFAULT;
	if (!x->readback)
		return 0;
	/* Without a read-back only the header: a skip costs no 1.6 KiB. */
	n = x->krb.flags & VMXCC_RB_READ ? sizeof(x->krb) :
		offsetof(struct vmxcc_readback, valid);
	if (copy_to_user(&urb[i], &x->krb, n))
		return -EFAULT;
	return 0;
}

static long run_batch(struct run_ctx *x)
{
	struct vmxcc_case __user *ucases = u64_to_user_ptr(x->b.cases);
	struct vmxcc_pcpu *p;
	int cpu, err;
	u32 i;

	x->host_cpu = -1;
	for (i = 0; i < x->b.n; i++) {
		if (copy_from_user(&x->kcase, &ucases[i], sizeof(x->kcase)))
			return -EFAULT;
		err = check_case(&x->kcase);
		if (err)
			return err;
		memset(&x->kres, 0, sizeof(x->kres));
		x->kres.size = sizeof(x->kres);
		x->kres.version = VMXCC_RESULT_VERSION;

		cpu = get_cpu();
		p = vmxcc_this_pcpu();
		err = vmxcc_cpu_on(p);
		if (!err && cpu != x->host_cpu) {
			vmxcc_capture_host(p);
			x->host_cpu = cpu;
			err = prep_image(x, p);
		}
		if (!err)
			err = run_one(x, p);
		if (!err)
			take_readback(x, p);
		put_cpu();
		if (err)
			return err;
		x->b.cpu = cpu;
		err = copy_result(x, i);
		if (err)
			return err;
		x->b.done = i + 1;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

/* @cmd_size: the batch size the ioctl command encodes. */
static long vmxcc_run(void __user *arg, u32 cmd_size)
{
	struct run_ctx *x;
	u32 size;
	long ret;

	x = kvzalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return -ENOMEM;
	/* Size and version first: a version 1 caller has a shorter struct. */
	ret = -EFAULT;
	if (copy_from_user(&x->b, arg, 2 * sizeof(u32)))
		goto out;
	ret = -EINVAL;
	size = batch_size(x->b.version);
	if (!size || x->b.size != size || cmd_size != size)
		goto out;
	ret = -EFAULT;
	if (copy_from_user(&x->b, arg, size))
		goto out;
	/* Read twice: the second read must agree with the first. */
	ret = x->b.size == size ? check_batch(&x->b) : -EINVAL;
	if (ret)
		goto out;
	x->readback = x->b.flags & VMXCC_BATCH_READBACK;
	x->krb.size = sizeof(x->krb);
	x->krb.version = VMXCC_READBACK_VERSION;
	x->krb.n_fields = VF_COUNT;
	x->b.cpu = 0;
	x->b.done = 0;
	x->b.tsc_total = 0;
	x->b.attempts = 0;
	mutex_lock(&vmxcc_run_lock);
	ret = prepare_prep(x);
	if (!ret)
		ret = run_batch(x);
	mutex_unlock(&vmxcc_run_lock);
	/* Report progress even after an error. */
	if (copy_to_user(arg, &x->b, size) && !ret)
		ret = -EFAULT;
out:
	kvfree(x);
	return ret;
}

long vmxcc_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VMXCC_IOC_QUERY:
		return vmxcc_query(uarg);
	case VMXCC_IOC_RUN:
	case VMXCC_IOC_RUN_V1:
		return vmxcc_run(uarg, _IOC_SIZE(cmd));
	default:
		return -ENOTTY;
	}
}
