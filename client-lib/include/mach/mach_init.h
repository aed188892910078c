/* SPDX-License-Identifier: MIT */
/* <mach/mach_init.h> - the task's own port and page size. */
#ifndef _MACH_MACH_INIT_H_
#define _MACH_MACH_INIT_H_

/* As on macOS, where vprintf_stderr_func needs it. */
#include <stdarg.h>
#include <mach/kern_return.h>
#include <mach/mach_types.h>
#include <bootstrap/unavailable.h>

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

/* Declared by Apple, not provided here: there is no host or thread port. */
mach_port_t mach_host_self(void) BOOTSTRAP_UNAVAILABLE("mach_host_self (no host port)");
mach_port_t mach_thread_self(void) BOOTSTRAP_UNAVAILABLE("mach_thread_self (no thread ports)");
kern_return_t host_page_size(host_t host, vm_size_t *page_size)
	BOOTSTRAP_UNAVAILABLE("host_page_size (use vm_page_size)");

#ifdef __cplusplus
}
#endif
#endif
