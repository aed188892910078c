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

typedef mach_port_t task_t;
typedef mach_port_t task_name_t;
typedef mach_port_t task_inspect_t;
typedef mach_port_t task_read_t;
typedef mach_port_t ipc_space_t;
typedef mach_port_t host_t;
typedef mach_port_t thread_t;
typedef mach_port_t bootstrap_t;

#define TASK_NULL ((task_t) 0)

#endif
