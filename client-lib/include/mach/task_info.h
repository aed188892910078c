/* SPDX-License-Identifier: MIT */
/* <mach/task_info.h> - what a task's settings are made of, where Apple declares them. */
#ifndef _MACH_TASK_INFO_H_
#define _MACH_TASK_INFO_H_

#include <stdint.h>
#include <mach/port.h>
#include <mach/vm_statistics.h>

/* task_purgable_info()'s answer. */
typedef struct vm_purgeable_info task_purgable_info_t;

/* task_info's flavor and array of ints (the layouts are not declared). */
typedef natural_t task_flavor_t;
typedef integer_t *task_info_t;
#define TASK_INFO_MAX (1024)
typedef integer_t task_info_data_t[TASK_INFO_MAX];

/*
 * EXC_GUARD delivery settings (Apple's <mach/task_info.h> values).  They
 * are stored and returned; libbootstrap raises no EXC_GUARD exception, a
 * guard violation only returns xnu's error code.  See mach_port(3).
 */
typedef uint32_t task_exc_guard_behavior_t;
typedef uint32_t task_corpse_forking_behavior_t;
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

#endif
