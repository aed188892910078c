/* SPDX-License-Identifier: MIT */
/*
 * <mach/kmod.h> - kernel module ids and control words, named by host_priv.defs;
 * user space loads no kernel modules here.
 */
#ifndef _MACH_KMOD_H_
#define _MACH_KMOD_H_

typedef int kmod_t;
typedef int kmod_control_flavor_t;
typedef void *kmod_args_t;

#endif
