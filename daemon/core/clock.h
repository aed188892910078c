/* SPDX-License-Identifier: MIT */
/* clock.h - the daemon's two conversions of time: the monotonic clock in ms, and ms for libevent. */
#ifndef BOOTSTRAPD_CLOCK_H
#define BOOTSTRAPD_CLOCK_H

#include <stdint.h>
#include <sys/time.h>
#include <time.h>

/* CLOCK_MONOTONIC in milliseconds. */
static inline uint64_t clock_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* @ms (>= 0) as a libevent timeout. */
static inline struct timeval timeval_from_ms(long long ms)
{
	return (struct timeval){ .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 };
}

#endif
