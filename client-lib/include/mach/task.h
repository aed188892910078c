/* SPDX-License-Identifier: MIT */
/* <mach/task.h> - special ports of a task. */
#ifndef _MACH_TASK_H_
#define _MACH_TASK_H_

/* macOS generates this header with MIG, whose output includes <string.h>:
 * programs rely on it for memset() and strcpy(). */
#include <string.h>
#include <mach/kern_return.h>
#include <mach/mach_types.h>
#include <mach/task_special_ports.h>
#include <mach/task_info.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Only mach_task_self() and TASK_BOOTSTRAP_PORT are supported; other
 * tasks give KERN_INVALID_ARGUMENT and other ports KERN_INVALID_ARGUMENT.
 * get returns a new send right (the caller owns one reference).
 */
kern_return_t task_get_special_port(task_inspect_t task, int which_port, mach_port_t *special_port);
kern_return_t task_set_special_port(task_t task, int which_port, mach_port_t special_port);

kern_return_t task_get_exc_guard_behavior(task_inspect_t task, task_exc_guard_behavior_t *behavior);
kern_return_t task_set_exc_guard_behavior(task_t task, task_exc_guard_behavior_t behavior);

#ifdef __cplusplus
}
#endif
#endif
