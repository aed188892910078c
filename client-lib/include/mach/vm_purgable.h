/* SPDX-License-Identifier: MIT */
/* <mach/vm_purgable.h> - purgeable memory controls and states, Apple's values. */
#ifndef _MACH_VM_PURGABLE_H_
#define _MACH_VM_PURGABLE_H_

typedef int vm_purgable_t;

#define VM_PURGABLE_SET_STATE   ((vm_purgable_t) 0)
#define VM_PURGABLE_GET_STATE   ((vm_purgable_t) 1)
#define VM_PURGABLE_PURGE_ALL   ((vm_purgable_t) 3)

#define VM_PURGABLE_NONVOLATILE 0
#define VM_PURGABLE_VOLATILE    1
#define VM_PURGABLE_EMPTY       2
#define VM_PURGABLE_DENY        3

#endif
