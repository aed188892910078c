/* SPDX-License-Identifier: MIT */
/*
 * <mach/mach_eventlink_types.h> - the option words of Apple's eventlink
 * interface (mach_eventlink.defs), with Apple's values, so code generated
 * from it compiles.  libbootstrap has no eventlinks.
 */
#ifndef _MACH_EVENTLINK_TYPES_H_
#define _MACH_EVENTLINK_TYPES_H_

#include <stdint.h>
#include <mach/port.h>

typedef uint32_t kern_clock_id_t;
#define KERN_CLOCK_MACH_ABSOLUTE_TIME 1

typedef uint32_t mach_eventlink_create_option_t;
#define MELC_OPTION_NONE        0x0
#define MELC_OPTION_NO_COPYIN   0x1
#define MELC_OPTION_WITH_COPYIN 0x2

typedef uint32_t mach_eventlink_associate_option_t;
#define MELA_OPTION_NONE              0x0
#define MELA_OPTION_ASSOCIATE_ON_WAIT 0x1

typedef uint32_t mach_eventlink_disassociate_option_t;
#define MELD_OPTION_NONE 0x0

typedef uint32_t mach_eventlink_signal_wait_option_t;
#define MELSW_OPTION_NONE    0x0
#define MELSW_OPTION_NO_WAIT 0x1

#endif
