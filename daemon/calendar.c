/* SPDX-License-Identifier: MIT */
#include "calendar.h"

#include "job-spec.h"

static bool field_matches(int want, int have)
{
	return want < 0 || want == have;
}

bool calendar_matches(const struct job_spec *spec, const struct tm *tm)
{
	for (size_t i = 0; i < spec->n_calendar; i++) {
		const struct calendar_interval *c = &spec->calendar[i];

		if (field_matches(c->minute, tm->tm_min) && field_matches(c->hour, tm->tm_hour) &&
		    field_matches(c->day, tm->tm_mday) &&
		    field_matches(c->weekday == 7 ? 0 : c->weekday, tm->tm_wday) &&
		    field_matches(c->month, tm->tm_mon + 1))
			return true;
	}
	return false;
}
