/* SPDX-License-Identifier: MIT */
/*
 * check-calendar-run.c - StartCalendarInterval end to end: a real daemon
 * starts a real job at the minute its schedule names, and not at another.
 *
 * The daemon follows the wall clock shifted by $BOOTSTRAPD_CALENDAR_OFFSET
 * (bootstrapd(8)).  Each test picks a minute some hours ahead and shifts
 * the daemon's clock to 4 s before it: the schedule comes due within
 * seconds, not within the hour.  Should the daemon take longer than that
 * to load its jobs, the schedules also name the minute after, which comes
 * at most a minute later.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers/daemon.h"
#include "helpers/job-runs.h"
#include "helpers/job-state.h"
#include "helpers/runner.h"

#define LEAD 4                  /* seconds from the shifted "now" to the chosen minute */
#define POLL_MS 10
#define POLL_LIMIT (90 * 1000 / POLL_MS)        /* the minute after, and some */

static struct test_daemon td;

static void setup(void)
{
	test_daemon_init(&td, "calendar-run");
}

static void teardown(void)
{
	test_daemon_stop(&td);
	unsetenv("BOOTSTRAPD_CALENDAR_OFFSET");
}

static long long ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000LL + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * Choose a minute five hours ahead and shift the daemon's clock to LEAD
 * seconds before it.  Return: the minute (a time_t on a minute boundary).
 */
static time_t shift_clock_before_a_minute(void)
{
	time_t now = time(NULL), target = now - now % 60 + 5 * 60 * 60;
	char offset[32];

	snprintf(offset, sizeof(offset), "%lld", (long long)(target - LEAD - now));
	setenv("BOOTSTRAPD_CALENDAR_OFFSET", offset, 1);
	return target;
}

/*
 * A StartCalendarInterval entry naming every field of @t's local minute;
 * @other_day: another day of the month and another weekday (either one
 * matching would do).
 */
static void append_entry(char *buf, size_t len, time_t t, bool other_day)
{
	struct tm tm;
	int day, weekday;

	ck_assert_ptr_nonnull(localtime_r(&t, &tm));
	day = other_day ? tm.tm_mday % 28 + 1 : tm.tm_mday;     /* 1..28, never tm_mday */
	weekday = other_day ? (tm.tm_wday + 1) % 7 : tm.tm_wday;
	snprintf(buf + strlen(buf), len - strlen(buf),
		 "<dict><key>Minute</key><integer>%d</integer><key>Hour</key><integer>%d</integer>"
		 "<key>Day</key><integer>%d</integer><key>Weekday</key><integer>%d</integer>"
		 "<key>Month</key><integer>%d</integer></dict>",
		 tm.tm_min, tm.tm_hour, day, weekday, tm.tm_mon + 1);
}

/* A job that appends a line to dir/@label.runs, started by @calendar (the array's entries). */
static char *add_calendar_job(const char *label, const char *calendar)
{
	char *runs, *body;

	ck_assert_int_gt(asprintf(&runs, "%s/%s.runs", td.dir, label), 0);
	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string>"
		"<string>echo run &gt;&gt; %s</string></array>\n"
		"<key>StartCalendarInterval</key><array>%s</array>", runs, calendar), 0);
	test_daemon_add_job(&td, label, body);
	free(body);
	return runs;
}

static int wait_lines(const char *path, int n)
{
	return test_wait_lines(path, n, POLL_LIMIT * POLL_MS);
}

static int wait_log(const char *text)
{
	return test_daemon_wait_log(&td, text, POLL_LIMIT * POLL_MS);
}

/* Minute, hour, day, weekday and month all match: started at that minute, not before. */
START_TEST(test_calendar_job_starts_at_its_minute)
{
	char calendar[1024] = "", *runs;
	struct timespec t0;
	time_t target;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	target = shift_clock_before_a_minute();
	append_entry(calendar, sizeof(calendar), target, false);
	append_entry(calendar, sizeof(calendar), target + 60, false);
	runs = add_calendar_job("com.example.cal", calendar);
	test_daemon_start(&td);
	ck_assert(test_daemon_log_contains(&td, "the wall clock is shifted by"));
	job_state_assert("com.example.cal", "waiting", 0);     /* loading is not the minute */
	ck_assert_int_eq(wait_lines(runs, 1), 1);
	/* The minute began more than LEAD - 1 s after t0 (time() drops a
	 * part of a second), and the daemon starts the job only once its
	 * clock reads that minute.  One more second of margin: the wall
	 * clock may be slewed while the test runs. */
	ck_assert_msg(ms_since(&t0) >= (LEAD - 2) * 1000LL,
		      "started %lld ms after t0, before its minute", ms_since(&t0));
	/* The daemon logs the start once the spawn returns: the job may have run by then. */
	ck_assert(wait_log("reason StartCalendarInterval"));
	free(runs);
}
END_TEST

/*
 * The same fields but another day and weekday: the daemon looks at the minute, finds
 * no match and says so; asked after that, it has started nothing.
 */
START_TEST(test_calendar_job_waits_for_its_day)
{
	time_t target = shift_clock_before_a_minute();
	char calendar[1024] = "", *runs;

	append_entry(calendar, sizeof(calendar), target, true);
	append_entry(calendar, sizeof(calendar), target + 60, true);
	runs = add_calendar_job("com.example.notyet", calendar);
	test_daemon_start(&td);
	ck_assert(wait_log("com.example.notyet: StartCalendarInterval: no match since the last look"));
	job_state_assert("com.example.notyet", "waiting", 0);
	ck_assert_int_eq(test_count_lines(runs), 0);
	free(runs);
}
END_TEST

START_TEST(test_calendar_offset_refused_when_invalid)
{
	char calendar[1024] = "", *runs;

	setenv("BOOTSTRAPD_CALENDAR_OFFSET", "5 hours", 1);
	append_entry(calendar, sizeof(calendar), time(NULL) + 3 * 60 * 60, false);
	runs = add_calendar_job("com.example.cal", calendar);
	test_daemon_start(&td);
	ck_assert(test_daemon_log_contains(&td, "BOOTSTRAPD_CALENDAR_OFFSET=5 hours: not a number"));
	ck_assert(!test_daemon_log_contains(&td, "the wall clock is shifted"));
	job_state_assert("com.example.cal", "waiting", 0);
	free(runs);
}
END_TEST

static Suite *calendar_run_suite(void)
{
	Suite *s = suite_create("calendar-run");
	TCase *tc = tcase_create("daemon");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_calendar_job_starts_at_its_minute);
	tcase_add_test(tc, test_calendar_job_waits_for_its_day);
	tcase_add_test(tc, test_calendar_offset_refused_when_invalid);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(calendar_run_suite(), NULL, 0, argc, argv);
}
