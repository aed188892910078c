/* SPDX-License-Identifier: MIT */
/* <mach/mach_init.h> - the task's own port and page size. */
#ifndef _MACH_MACH_INIT_H_
#define _MACH_MACH_INIT_H_

#include <mach/mach_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The name of the caller's own task (its IPC space); constant. */
extern mach_port_t mach_task_self_;
#define mach_task_self() mach_task_self_
#define current_task() mach_task_self()

extern vm_size_t vm_page_size;
extern vm_size_t vm_page_mask;
extern int vm_page_shift;
#define trunc_page(x)   ((x) & (~(vm_page_size - 1)))
#define round_page(x)   trunc_page((x) + (vm_page_size - 1))

extern mach_port_t bootstrap_port;

#ifdef __cplusplus
}
#endif
#endif
