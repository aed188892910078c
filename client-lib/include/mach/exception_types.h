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
#include <mach/thread_status.h>
#include <mach_debug/ipc_info.h>

typedef int exception_type_t;
typedef integer_t exception_data_type_t;
typedef int64_t mach_exception_data_type_t;
typedef int64_t mach_exception_code_t;
typedef int64_t mach_exception_subcode_t;
typedef int exception_behavior_t;
typedef exception_data_type_t *exception_data_t;
typedef mach_exception_data_type_t *mach_exception_data_t;
typedef unsigned int exception_mask_t;

/* The arrays of the exception port calls: one entry per handler. */
typedef exception_mask_t *exception_mask_array_t;
typedef exception_behavior_t *exception_behavior_array_t;
typedef thread_state_flavor_t exception_flavor_t;
typedef thread_state_flavor_t *exception_flavor_array_t;
typedef mach_port_t *exception_port_array_t;
typedef ipc_info_port_t exception_port_info_t;

#endif
