/* SPDX-License-Identifier: MIT */
/*
 * mach-time.c - mach_absolute_time() and friends over the Linux clocks,
 * in nanoseconds (timebase 1/1).
 */
#include <errno.h>
#include <time.h>

#include <mach/mach.h>
#include <mach/mach_time.h>

#define EXPORT __attribute__((visibility("default")))
#define NSEC_PER_SEC 1000000000ull

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	/* Cannot fail for these clocks on any kernel glibc supports. */
	if (clock_gettime(id, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

EXPORT kern_return_t mach_timebase_info(mach_timebase_info_t info)
{
	info->numer = 1;
	info->denom = 1;
	return KERN_SUCCESS;
}

EXPORT uint64_t mach_absolute_time(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

EXPORT uint64_t mach_approximate_time(void)
{
	return clock_ns(CLOCK_MONOTONIC_COARSE);
}

EXPORT uint64_t mach_continuous_time(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}

EXPORT uint64_t mach_continuous_approximate_time(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}

EXPORT kern_return_t mach_wait_until(uint64_t deadline)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / NSEC_PER_SEC),
		.tv_nsec = (long)(deadline % NSEC_PER_SEC),
	};
	int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);

	return r == EINTR ? KERN_ABORTED : r == 0 ? KERN_SUCCESS : KERN_INVALID_ARGUMENT;
}
