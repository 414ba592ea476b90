/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few integer types the VMX core uses, from the kernel's own header when
 * built into the kernel module and from the compiler's freestanding headers
 * otherwise (the L1 probe and host-side tests).  No libc either way.
 */
#ifndef VMX_CORE_TYPES_H
#define VMX_CORE_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

#endif
