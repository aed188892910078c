/* SPDX-License-Identifier: MIT */
/*
 * <mach/processor_info.h> - processor and processor set information: flavors and arrays of ints.
 */
#ifndef _MACH_PROCESSOR_INFO_H_
#define _MACH_PROCESSOR_INFO_H_

#include <mach/port.h>

typedef integer_t *processor_info_t;
typedef integer_t *processor_info_array_t;
typedef integer_t processor_info_data_t[1024];
typedef integer_t *processor_set_info_t;
typedef integer_t processor_set_info_data_t[1024];
typedef int processor_flavor_t;
typedef int processor_set_flavor_t;

#endif
