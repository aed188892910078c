/* SPDX-License-Identifier: MIT */
/*
 * <mach/exception_types.h> - the C types of Mach exception messages
 * (mach_exc.defs, exc.defs), so that exception servers and clients
 * generated from those interfaces compile.  Nothing raises exceptions here.
 */
#ifndef _MACH_EXCEPTION_TYPES_H_
#define _MACH_EXCEPTION_TYPES_H_

#include <stdint.h>
#include <mach/port.h>

typedef int exception_type_t;
typedef integer_t exception_data_type_t;
typedef int64_t mach_exception_data_type_t;
typedef int64_t mach_exception_code_t;
typedef int64_t mach_exception_subcode_t;
typedef int exception_behavior_t;
typedef exception_data_type_t *exception_data_t;
typedef mach_exception_data_type_t *mach_exception_data_t;
typedef unsigned int exception_mask_t;

#endif
