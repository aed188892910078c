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

/*
 * EXC_GUARD delivery settings (Apple's <mach/task_info.h> values).  They
 * are stored and returned; libbootstrap raises no EXC_GUARD exception, a
 * guard violation only returns xnu's error code.  See mach_port(3).
 */
typedef uint32_t task_exc_guard_behavior_t;
#define TASK_EXC_GUARD_NONE       0x00
#define TASK_EXC_GUARD_VM_DELIVER 0x01
#define TASK_EXC_GUARD_VM_ONCE    0x02
#define TASK_EXC_GUARD_VM_CORPSE  0x04
#define TASK_EXC_GUARD_VM_FATAL   0x08
#define TASK_EXC_GUARD_VM_ALL     0x0f
#define TASK_EXC_GUARD_MP_DELIVER 0x10
#define TASK_EXC_GUARD_MP_ONCE    0x20
#define TASK_EXC_GUARD_MP_CORPSE  0x40
#define TASK_EXC_GUARD_MP_FATAL   0x80
#define TASK_EXC_GUARD_MP_ALL     0xf0
#define TASK_EXC_GUARD_ALL        0xff
kern_return_t task_get_exc_guard_behavior(task_inspect_t task, task_exc_guard_behavior_t *behavior);
kern_return_t task_set_exc_guard_behavior(task_t task, task_exc_guard_behavior_t behavior);

#ifdef __cplusplus
}
#endif
#endif
