/* SPDX-License-Identifier: MIT */
/*
 * <mach/policy.h> - the old scheduling policies' words and arrays of ints.
 */
#ifndef _MACH_POLICY_H_
#define _MACH_POLICY_H_

#include <mach/port.h>

typedef int policy_t;
typedef integer_t *policy_info_t;
typedef integer_t *policy_base_t;
typedef integer_t *policy_limit_t;

#endif
