/* SPDX-License-Identifier: MIT */
/* check-calendar.c - StartCalendarInterval matching. */
#include <check.h>
#include <stdlib.h>

#include "calendar.h"
#include "job-spec.h"

static struct tm at(int mon, int mday, int wday, int hour, int min)
{
	struct tm tm = { .tm_mon = mon - 1, .tm_mday = mday, .tm_wday = wday,
			 .tm_hour = hour, .tm_min = min };

	return tm;
}

static struct job_spec *spec_with(struct calendar_interval c)
{
	struct job_spec *s = calloc(1, sizeof(*s));

	ck_assert_ptr_nonnull(s);
	s->calendar = calloc(1, sizeof(*s->calendar));
	ck_assert_ptr_nonnull(s->calendar);
	s->calendar[0] = c;
	s->n_calendar = 1;
	return s;
}

START_TEST(test_missing_fields_are_wildcards)
{
	struct job_spec *s = spec_with((struct calendar_interval){ 30, 4, -1, -1, -1 });
	struct tm yes = at(6, 15, 2, 4, 30), no_min = at(6, 15, 2, 4, 31), no_hour = at(6, 15, 2, 5, 30);

	ck_assert(calendar_matches(s, &yes));
	ck_assert(!calendar_matches(s, &no_min));
	ck_assert(!calendar_matches(s, &no_hour));
	free(s->calendar);
	free(s);
}
END_TEST

START_TEST(test_weekday_seven_is_sunday)
{
	struct job_spec *s = spec_with((struct calendar_interval){ 0, 0, -1, 7, -1 });
	struct tm sunday = at(1, 7, 0, 0, 0), monday = at(1, 8, 1, 0, 0);

	ck_assert(calendar_matches(s, &sunday));
	ck_assert(!calendar_matches(s, &monday));
	free(s->calendar);
	free(s);
}
END_TEST

START_TEST(test_day_and_month)
{
	struct job_spec *s = spec_with((struct calendar_interval){ -1, -1, 1, -1, 12 });
	struct tm first = at(12, 1, 3, 13, 7), second = at(12, 2, 4, 13, 7), nov = at(11, 1, 3, 0, 0);

	ck_assert(calendar_matches(s, &first));
	ck_assert(!calendar_matches(s, &second));
	ck_assert(!calendar_matches(s, &nov));
	free(s->calendar);
	free(s);
}
END_TEST

/* Day and Weekday both given: either day will do (launchd, cron); Month still holds. */
START_TEST(test_day_or_weekday)
{
	struct job_spec *s = spec_with((struct calendar_interval){ 0, 9, 1, 1, 12 });
	struct tm first_thu = at(12, 1, 4, 9, 0), mon_8th = at(12, 8, 1, 9, 0),
		  tue_9th = at(12, 9, 2, 9, 0), nov_mon = at(11, 3, 1, 9, 0), nov_1st = at(11, 1, 6, 9, 0);

	ck_assert(calendar_matches(s, &first_thu));
	ck_assert(calendar_matches(s, &mon_8th));
	ck_assert(!calendar_matches(s, &tue_9th));
	ck_assert(!calendar_matches(s, &nov_mon));
	ck_assert(!calendar_matches(s, &nov_1st));
	free(s->calendar);
	free(s);
}
END_TEST

/* Minutes missed while asleep coalesce into one start; none, none. */
START_TEST(test_missed_minutes_coalesce)
{
	struct job_spec *s = spec_with((struct calendar_interval){ 0, 3, -1, -1, -1 });
	struct tm at3 = { .tm_year = 126, .tm_mon = 0, .tm_mday = 10, .tm_hour = 3, .tm_min = 0,
			  .tm_isdst = -1 };
	time_t three = mktime(&at3);

	ck_assert(calendar_due(s, three - 3600, three + 7200));         /* slept across 03:00 */
	ck_assert(!calendar_due(s, three + 60, three + 7200));          /* 03:00 already seen */
	ck_assert(!calendar_due(s, three - 7200, three - 60));          /* not yet 03:00 */
	ck_assert(calendar_due(s, three - 30, three + 10));             /* the minute itself */
	free(s->calendar);
	free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("calendar");
	TCase *tc = tcase_create("match");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_missing_fields_are_wildcards);
	tcase_add_test(tc, test_weekday_seven_is_sunday);
	tcase_add_test(tc, test_day_and_month);
	tcase_add_test(tc, test_day_or_weekday);
	tcase_add_test(tc, test_missed_minutes_coalesce);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
