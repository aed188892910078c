/* SPDX-License-Identifier: MIT */
/* <mach/std_types.h> - the basic Mach types in one include, as on macOS; the C side of <mach/std_types.defs>. */
#ifndef _MACH_STD_TYPES_H_
#define _MACH_STD_TYPES_H_

#include <stdint.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/vm_types.h>

/* MIG's name for an address carried as out-of-line data. */
typedef vm_offset_t pointer_t;

#endif
