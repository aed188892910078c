/* SPDX-License-Identifier: MIT */
#include "log-limit.h"

#include "clock.h"

bool log_limit_pass(struct log_limit *l, const char *fmt)
{
	return log_limit_pass_at(l, fmt, clock_monotonic_ms());
}

bool log_limit_pass_at(struct log_limit *l, const char *fmt, uint64_t now)
{
	if (l->logged == 0 || now - l->window_start >= LOG_LIMIT_WINDOW_MS) {
		l->window_start = now;
		l->logged = 0;
	}
	if (l->logged < LOG_LIMIT_BURST) {
		if (l->dropped)
			log_warnx("%u more like \"%s\" were not logged", l->dropped, fmt);
		l->dropped = 0;
		l->logged++;
		return true;
	}
	if (l->dropped++ == 0)
		log_warnx("more like \"%s\" are not logged for up to %d s", fmt,
			  LOG_LIMIT_WINDOW_MS / 1000);
	return false;
}
