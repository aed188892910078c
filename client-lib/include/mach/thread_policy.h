/* SPDX-License-Identifier: MIT */
/*
 * <mach/thread_policy.h> - thread scheduling policy: a flavor and an array of ints.
 */
#ifndef _MACH_THREAD_POLICY_H_
#define _MACH_THREAD_POLICY_H_

#include <mach/port.h>

typedef natural_t thread_policy_flavor_t;
typedef integer_t *thread_policy_t;

#endif
