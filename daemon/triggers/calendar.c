/* SPDX-License-Identifier: MIT */
#include "calendar.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "job-spec.h"
#include "log.h"

/* A week either way is enough to try any schedule. */
#define CALENDAR_MAX_OFFSET (7LL * 24 * 60 * 60)

static long long read_offset(void)
{
	const char *s = getenv("BOOTSTRAPD_CALENDAR_OFFSET");
	char *end;
	long long v;

	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < -CALENDAR_MAX_OFFSET || v > CALENDAR_MAX_OFFSET) {
		log_warnx("BOOTSTRAPD_CALENDAR_OFFSET=%.32s: not a number of seconds within a week: "
			  "ignored", s);
		return 0;
	}
	log_notice("StartCalendarInterval: the wall clock is shifted by %lld s", v);
	return v;
}

time_t calendar_now(void)
{
	static long long offset = LLONG_MIN;

	if (offset == LLONG_MIN)
		offset = read_offset();
	return time(NULL) + (time_t)offset;
}

static bool field_matches(int want, int have)
{
	return want < 0 || want == have;
}

#define CALENDAR_LOOKBACK (7 * 24 * 60 * 60)

bool calendar_due(const struct job_spec *spec, time_t since, time_t now)
{
	time_t t = now - now % 60;

	if (now - since > CALENDAR_LOOKBACK)
		since = now - CALENDAR_LOOKBACK;
	for (; t > since; t -= 60) {
		struct tm tm;

		if (localtime_r(&t, &tm) && calendar_matches(spec, &tm))
			return true;
	}
	return false;
}

/*
 * The day of @tm in @c.  With both Day and Weekday given, either will do:
 * launchd starts such a job at the earlier of the two (core.c
 * calendarinterval_setalarm()), and cron(8) says the same.
 */
static bool day_matches(const struct calendar_interval *c, const struct tm *tm)
{
	bool by_day = field_matches(c->day, tm->tm_mday);
	bool by_weekday = field_matches(c->weekday == 7 ? 0 : c->weekday, tm->tm_wday);

	if (c->day >= 0 && c->weekday >= 0)
		return by_day || by_weekday;
	return by_day && by_weekday;
}

bool calendar_matches(const struct job_spec *spec, const struct tm *tm)
{
	for (size_t i = 0; i < spec->n_calendar; i++) {
		const struct calendar_interval *c = &spec->calendar[i];

		if (field_matches(c->minute, tm->tm_min) && field_matches(c->hour, tm->tm_hour) &&
		    day_matches(c, tm) && field_matches(c->month, tm->tm_mon + 1))
			return true;
	}
	return false;
}
