// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcc: run fuzzed VMCS images through real VM entries (docs/backend-kmod.md).
 *
 * The module refuses to load when VMX is missing, disabled by firmware or
 * owned by another hypervisor, saying what to do.  Otherwise it offers
 * /dev/vmxcc (root only, one opener at a time).  VMX operation starts lazily
 * on a CPU the first time a batch runs there and lasts until the device is
 * released, the module is unloaded or the CPU goes offline; each of those
 * VMCLEARs every VMCS active on the CPU before VMXOFF.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/msr-index.h>

#include "vmxcc.h"

bool vmxcc_host_fuzz;
module_param_named(host_fuzz, vmxcc_host_fuzz, bool, 0400);
MODULE_PARM_DESC(host_fuzz,
		 "allow cases with their own host-state fields (may crash the machine: only on a disposable box or in a VM)");

static enum cpuhp_state vmxcc_hp_state;
static atomic_t vmxcc_opened = ATOMIC_INIT(0);

static int vmxcc_check_vmx(void)
{
	u64 fc;

	/* CPUID decides: QEMU TCG returns 0 for these MSRs without faulting. */
	if (!(cpuid_ecx(1) & BIT(5))) {
		pr_err("this CPU has no VMX (CPUID.1:ECX.VMX[bit 5] = 0): load vmxcc on an Intel CPU with VT-x, or in a VM with nested VMX exposed (kvm_intel nested=1 and -cpu host)\n");
		return -ENODEV;
	}
	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &fc)) {
		pr_err("IA32_FEATURE_CONTROL cannot be read: VMX unusable here\n");
		return -ENODEV;
	}
	if ((fc & FEAT_CTL_LOCKED) && !(fc & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("VMX is disabled by firmware (IA32_FEATURE_CONTROL = %#llx, locked without VMX outside SMX): enable Intel Virtualization Technology (VT-x) in the firmware setup and power-cycle\n",
		       fc);
		return -ENODEV;
	}
	return 0;
}

static int vmxcc_check_other_hypervisor(void)
{
	bool *kvm = symbol_get(kvm_rebooting);

	if (kvm) {
		symbol_put(kvm_rebooting);
		pr_err("kvm is loaded and kvm_intel would own VMX: unload it first (rmmod kvm_intel kvm), or use --backend kvm to test KVM itself\n");
		return -EBUSY;
	}
	if (__read_cr4() & X86_CR4_VMXE) {
		pr_err("CR4.VMXE is already set: another hypervisor (VirtualBox, VMware, ...) is using VMX; stop it first\n");
		return -EBUSY;
	}
	return 0;
}

static int vmxcc_open(struct inode *inode, struct file *f)
{
	if (atomic_cmpxchg(&vmxcc_opened, 0, 1))
		return -EBUSY;
	return 0;
}

static int vmxcc_release(struct inode *inode, struct file *f)
{
	/* VMCLEAR everything and leave VMX operation on every CPU. */
	on_each_cpu(vmxcc_cpu_off_this, NULL, 1);
	atomic_set(&vmxcc_opened, 0);
	return 0;
}

static const struct file_operations vmxcc_fops = {
	.owner		= THIS_MODULE,
	.open		= vmxcc_open,
	.release	= vmxcc_release,
	.unlocked_ioctl	= vmxcc_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice vmxcc_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "vmxcc",
	.fops	= &vmxcc_fops,
	.mode	= 0600,
};

/* CPU going offline: its VMCSs must be VMCLEARed while it can still run. */
static int vmxcc_cpu_dying(unsigned int cpu)
{
	unsigned long flags;

	local_irq_save(flags);
	vmxcc_cpu_off_this(NULL);
	local_irq_restore(flags);
	return 0;
}

static int __init vmxcc_init(void)
{
	int err;

	err = vmxcc_check_vmx();
	if (err)
		return err;
	err = vmxcc_check_other_hypervisor();
	if (err)
		return err;
	err = vmxcc_sandbox_alloc();
	if (err)
		return err;
	err = vmxcc_pcpu_alloc_all();
	if (err)
		goto free_sandbox;
	err = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "x86/vmxcc:online",
				NULL, vmxcc_cpu_dying);
	if (err < 0)
		goto free_pcpu;
	vmxcc_hp_state = err;
	err = misc_register(&vmxcc_dev);
	if (err)
		goto remove_hp;
	pr_info("ready: /dev/vmxcc (host_fuzz=%d)\n", vmxcc_host_fuzz);
	return 0;

remove_hp:
	cpuhp_remove_state(vmxcc_hp_state);
free_pcpu:
	vmxcc_pcpu_free_all();
free_sandbox:
	vmxcc_sandbox_free();
	return err;
}

static void __exit vmxcc_exit(void)
{
	misc_deregister(&vmxcc_dev);
	cpuhp_remove_state(vmxcc_hp_state);	/* runs vmxcc_cpu_dying */
	on_each_cpu(vmxcc_cpu_off_this, NULL, 1);
	vmxcc_pcpu_free_all();
	vmxcc_sandbox_free();
	pr_info("unloaded\n");
}

module_init(vmxcc_init);
module_exit(vmxcc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmxcc: VM-entry consistency checks on real VMX hardware");
