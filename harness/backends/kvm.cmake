# SPDX-License-Identifier: GPL-2.0
# Included by harness/CMakeLists.txt: the kvm back end needs only
# <linux/kvm.h> from linux-libc-dev.
