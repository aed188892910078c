/* SPDX-License-Identifier: MIT */
/* <mach/mach_types.h> - task, space and memory-entry handle types. */
#ifndef _MACH_MACH_TYPES_H_
#define _MACH_MACH_TYPES_H_

#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/vm_types.h>
#include <mach/memory_object_types.h>
#include <mach/exception_types.h>
#include <mach/thread_status.h>
#include <mach/task_info.h>
#include <mach/vm_behavior.h>
#include <mach/vm_purgable.h>
#include <mach/vm_region.h>

typedef mach_port_t task_t;
typedef mach_port_t task_name_t;
typedef mach_port_t task_inspect_t;
typedef mach_port_t task_read_t;
typedef mach_port_t ipc_space_t;
typedef mach_port_t host_t;
typedef mach_port_t thread_t;
typedef mach_port_t bootstrap_t;

/* Which of a task's ports (Apple's values). */
typedef natural_t mach_task_flavor_t;
#define TASK_FLAVOR_CONTROL 0
#define TASK_FLAVOR_READ    1
#define TASK_FLAVOR_INSPECT 2
#define TASK_FLAVOR_NAME    3

#define TASK_NULL ((task_t) 0)

#endif
