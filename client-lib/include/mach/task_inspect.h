/* SPDX-License-Identifier: MIT */
/*
 * <mach/task_inspect.h> - task_inspect's flavor and array of ints.
 */
#ifndef _MACH_TASK_INSPECT_H_
#define _MACH_TASK_INSPECT_H_

#include <mach/port.h>

typedef natural_t task_inspect_flavor_t;
typedef integer_t *task_inspect_info_t;

#endif
