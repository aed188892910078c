/* SPDX-License-Identifier: MIT */
/*
 * <mach/thread_status.h> - the opaque thread state arrays of Mach
 * interfaces (thread_state_t in .defs files).  THREAD_STATE_MAX is
 * arm64's; a .defs compiled for another layout may define it first.
 */
#ifndef _MACH_THREAD_STATUS_H_
#define _MACH_THREAD_STATUS_H_

#include <mach/port.h>

#ifndef THREAD_STATE_MAX
#define THREAD_STATE_MAX 1296
#endif

typedef natural_t *thread_state_t;
typedef natural_t thread_state_data_t[THREAD_STATE_MAX];
typedef int thread_state_flavor_t;
typedef thread_state_flavor_t *thread_state_flavor_array_t;

#endif
