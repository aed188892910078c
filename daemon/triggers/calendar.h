/* SPDX-License-Identifier: MIT */
/* calendar.h - StartCalendarInterval matching, cron-style. */
#ifndef BOOTSTRAPD_CALENDAR_H
#define BOOTSTRAPD_CALENDAR_H

#include <stdbool.h>
#include <time.h>

struct job_spec;

/**
 * calendar_matches() - whether the wall-clock minute @tm matches any of
 * the job's StartCalendarInterval entries (a missing field matches every
 * value; Weekday 0 and 7 are Sunday).
 */
bool calendar_matches(const struct job_spec *spec, const struct tm *tm);

/**
 * calendar_due() - whether any wall-clock minute in (@since, @now] matches
 * (minutes missed while the machine slept or the daemon was busy coalesce
 * into one start, as launchd's).  Looks back at most a week.
 */
bool calendar_due(const struct job_spec *spec, time_t since, time_t now);

/**
 * calendar_now() - the wall clock that StartCalendarInterval follows: the
 * only place the daemon reads it.  time(), shifted by
 * $BOOTSTRAPD_CALENDAR_OFFSET seconds (read at the first call; at most a
 * week either way), so that a schedule can be tried without waiting for it.
 */
time_t calendar_now(void);

#endif
