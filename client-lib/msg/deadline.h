/* SPDX-License-Identifier: MIT */
/* deadline.h - Mach's millisecond timeouts as monotonic deadlines (internal). */
#ifndef BOOTSTRAP_DEADLINE_H
#define BOOTSTRAP_DEADLINE_H

#include <limits.h>
#include <stdint.h>
#include <time.h>

/** deadline_in() - the monotonic time @ms milliseconds from now. */
static inline struct timespec deadline_in(unsigned int ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

/*
 * deadline_left_ms() - milliseconds until @d, 0 once it passed (for
 * poll/epoll_wait), at most INT_MAX: a Mach timeout runs to 2^32 - 1 ms,
 * and past INT_MAX the count read as an int was negative.
 */
static inline int deadline_left_ms(const struct timespec *d)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (d->tv_sec - now.tv_sec) * 1000 + (d->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms;
}

/** deadline_now_ns() - the monotonic clock now, in ns (the daemon's RETIRED says its look so). */
static inline uint64_t deadline_now_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

#endif
