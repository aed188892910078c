/* SPDX-License-Identifier: MIT */
/*
 * <mach/task_policy.h> - task scheduling policy: a flavor and an array of ints.
 */
#ifndef _MACH_TASK_POLICY_H_
#define _MACH_TASK_POLICY_H_

#include <mach/port.h>

typedef natural_t task_policy_flavor_t;
typedef integer_t *task_policy_t;

#endif
