/* SPDX-License-Identifier: MIT */
/*
 * check-examples - every example job that ships (plists/NAME.plist.in, as
 * generated into the build tree) loads with the daemon's own loader,
 * without a single warning, and says what its comments and the man pages
 * say it does.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "job-plist.h"
#include "job-spec.h"
#include "plist.h"

#include "helpers/runner.h"

static int warnings;

static void count_warning(void *data, const char *message)
{
	(void)data;
	fprintf(stderr, "warning: %s\n", message);
	warnings++;
}

/* Load build/plists/@label.plist@suffix; fail the test on any refusal or warning. */
static struct job_spec *load(const char *label, const char *suffix)
{
	const char *root = getenv("BOOTSTRAPD_BUILD_ROOT");
	char path[4096], msg[PLIST_ERROR_FORMAT_MAX];
	struct plist_error err;
	struct job_spec *spec = NULL;
	int rc;

	ck_assert_msg(root != NULL, "BOOTSTRAPD_BUILD_ROOT is not set");
	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/plists/%s.plist%s", root, label, suffix),
			 (int)sizeof(path));
	memset(&err, 0, sizeof(err));
	warnings = 0;
	rc = job_plist_load_file(path, &spec, &err, count_warning, NULL);
	ck_assert_msg(rc == 0, "%s", plist_error_format(&err, msg, sizeof(msg)));
	ck_assert_int_eq(warnings, 0);
	/* The convention the man page states: the file is named after the label. */
	ck_assert_str_eq(spec->label, label);
	return spec;
}

START_TEST(test_hello)
{
	struct job_spec *build = load("com.example.hello", "");
	struct job_spec *inst = load("com.example.hello", ".installed");

	ck_assert_uint_eq(build->n_services, 1);
	ck_assert_str_eq(build->services[0].name, "com.example.hello");
	ck_assert_ptr_nonnull(strstr(job_spec_program(build), "/examples/hello-service"));
	ck_assert_uint_eq(inst->n_services, 1);
	ck_assert_ptr_nonnull(strstr(job_spec_program(inst), "/bootstrapd/hello-service"));
	ck_assert_int_eq(inst->keepalive.mode, KEEPALIVE_NEVER);
	ck_assert(!inst->run_at_load);
	job_spec_free(build);
	job_spec_free(inst);
}
END_TEST

START_TEST(test_keepalive)
{
	struct job_spec *s = load("com.example.keepalive", ".installed");

	ck_assert_int_eq(s->keepalive.mode, KEEPALIVE_ALWAYS);
	ck_assert_int_eq(s->throttle_interval, 30);
	ck_assert_int_eq(s->exit_timeout, 5);
	ck_assert_str_eq(job_spec_program(s), "/bin/sh");
	job_spec_free(s);
}
END_TEST

START_TEST(test_interval)
{
	struct job_spec *s = load("com.example.interval", ".installed");

	ck_assert_int_eq(s->start_interval, 60);
	ck_assert(s->run_at_load);
	ck_assert(s->has_nice);
	ck_assert_int_eq(s->nice, 10);
	ck_assert(s->has_umask);
	ck_assert_int_eq(s->umask, 027);
	job_spec_free(s);
}
END_TEST

START_TEST(test_calendar)
{
	struct job_spec *s = load("com.example.calendar", ".installed");

	ck_assert_uint_eq(s->n_calendar, 2);
	/* Minute 0 of every hour. */
	ck_assert_int_eq(s->calendar[0].minute, 0);
	ck_assert_int_eq(s->calendar[0].hour, -1);
	ck_assert_int_eq(s->calendar[0].weekday, -1);
	/* 09:30 on Mondays. */
	ck_assert_int_eq(s->calendar[1].minute, 30);
	ck_assert_int_eq(s->calendar[1].hour, 9);
	ck_assert_int_eq(s->calendar[1].weekday, 1);
	ck_assert_int_eq(s->calendar[1].day, -1);
	ck_assert_int_eq(s->calendar[1].month, -1);
	ck_assert_ptr_nonnull(s->stderr_path);
	job_spec_free(s);
}
END_TEST

START_TEST(test_watchpaths)
{
	struct job_spec *s = load("com.example.watchpaths", ".installed");

	ck_assert_uint_eq(s->n_watch_paths, 1);
	ck_assert_str_eq(s->watch_paths[0], "/tmp/com.example.watchpaths");
	ck_assert_uint_eq(s->n_env, 1);
	ck_assert_str_eq(s->env[0], "WATCHED=/tmp/com.example.watchpaths");
	ck_assert_int_eq(s->throttle_interval, 5);
	job_spec_free(s);
}
END_TEST

static Suite *examples_suite(void)
{
	Suite *s = suite_create("examples");
	TCase *tc = tcase_create("load");

	tcase_add_test(tc, test_hello);
	tcase_add_test(tc, test_keepalive);
	tcase_add_test(tc, test_interval);
	tcase_add_test(tc, test_calendar);
	tcase_add_test(tc, test_watchpaths);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(examples_suite(), NULL, 0, argc, argv);
}
