/* SPDX-License-Identifier: MIT */
/*
 * <mach/thread_info.h> - thread information: a flavor and an array of ints.
 */
#ifndef _MACH_THREAD_INFO_H_
#define _MACH_THREAD_INFO_H_

#include <mach/port.h>

typedef natural_t thread_flavor_t;
typedef integer_t *thread_info_t;
#define THREAD_INFO_MAX 32
typedef integer_t thread_info_data_t[THREAD_INFO_MAX];

#endif
