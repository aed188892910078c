/* SPDX-License-Identifier: MIT */
/*
 * <mach/vm_sync.h> - the flags word of vm_msync.
 */
#ifndef _MACH_VM_SYNC_H_
#define _MACH_VM_SYNC_H_

typedef unsigned vm_sync_t;

#endif
