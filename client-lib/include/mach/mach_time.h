/* SPDX-License-Identifier: MIT */
/*
 * <mach/mach_time.h> - the Mach clock, Apple's signatures.
 *
 * Ticks are nanoseconds: mach_timebase_info() answers 1/1, as Intel macOS
 * does (Apple Silicon answers 125/3), so code that scales by the timebase
 * and code that wrongly assumes nanoseconds both work.
 *   mach_absolute_time()               CLOCK_MONOTONIC (stops while suspended)
 *   mach_approximate_time()            CLOCK_MONOTONIC_COARSE
 *   mach_continuous_time()             CLOCK_BOOTTIME (counts suspended time)
 *   mach_continuous_approximate_time() CLOCK_BOOTTIME
 */
#ifndef _MACH_MACH_TIME_H_
#define _MACH_MACH_TIME_H_

#include <stdint.h>
#include <mach/mach_types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mach_timebase_info {
	uint32_t numer;
	uint32_t denom;
};

typedef struct mach_timebase_info *mach_timebase_info_t;
typedef struct mach_timebase_info mach_timebase_info_data_t;

/* Return: KERN_SUCCESS, with *@info = {1, 1}. */
kern_return_t mach_timebase_info(mach_timebase_info_t info);
/*
 * Sleep until mach_absolute_time() reaches @deadline.
 * Return: KERN_SUCCESS, or KERN_ABORTED when a signal interrupted the wait.
 */
kern_return_t mach_wait_until(uint64_t deadline);
uint64_t mach_absolute_time(void);
uint64_t mach_approximate_time(void);
uint64_t mach_continuous_time(void);
uint64_t mach_continuous_approximate_time(void);

#ifdef __cplusplus
}
#endif
#endif
