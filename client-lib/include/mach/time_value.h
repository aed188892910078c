/* SPDX-License-Identifier: MIT */
/*
 * <mach/time_value.h> - seconds and microseconds, as Mach's info structures carry them.
 */
#ifndef _MACH_TIME_VALUE_H_
#define _MACH_TIME_VALUE_H_

#include <mach/port.h>

struct time_value {
	integer_t seconds;
	integer_t microseconds;
};
typedef struct time_value time_value_t;

#endif
