/* SPDX-License-Identifier: MIT */
/*
 * log-limit.h - at most LOG_LIMIT_BURST lines of one kind per
 * LOG_LIMIT_WINDOW_MS, for what a peer can make the daemon say as often as
 * it likes (malformed requests, refusals).  A flood then costs a few lines
 * a window, and the lines of other kinds stay readable in a journal that
 * keeps a few thousand.  The start of suppression is said, and so is how
 * many were left out once a later window lets the kind through again.
 */
#ifndef BOOTSTRAPD_LOG_LIMIT_H
#define BOOTSTRAPD_LOG_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "log.h"

#define LOG_LIMIT_BURST 20
#define LOG_LIMIT_WINDOW_MS 10000

/* One kind of line: where it is logged from. */
struct log_limit {
	uint64_t window_start;  /* CLOCK_MONOTONIC ms */
	unsigned int logged;    /* in this window */
	unsigned int dropped;   /* since the last line let through */
};

/**
 * log_limit_pass() - whether a line of kind @l, format @fmt, may be logged
 * now.  Says (once per window) that further ones are left out, and, when
 * one passes again, how many were.
 */
bool log_limit_pass(struct log_limit *l, const char *fmt);

/** log_limit_pass_at() - log_limit_pass() at @now (CLOCK_MONOTONIC ms). */
bool log_limit_pass_at(struct log_limit *l, const char *fmt, uint64_t now);

/* log_warnx(), limited per call site: a static limit is the kind. */
#define log_warnx_limited(fmt, ...)                                     \
	do {                                                            \
		static struct log_limit log_limit_;                     \
		if (log_limit_pass(&log_limit_, fmt))                   \
			log_warnx(fmt, ##__VA_ARGS__);                  \
	} while (0)

#endif
