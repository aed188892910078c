/* SPDX-License-Identifier: MIT */
/* job-runs.h - shell jobs that leave a line per run, and counting those lines. */
#ifndef BOOTSTRAPD_TEST_JOB_RUNS_H
#define BOOTSTRAPD_TEST_JOB_RUNS_H

#include <stdbool.h>

#include "daemon.h"

/**
 * test_add_shell_job() - write job @label running /bin/sh -c @script
 * (plist-escaped), ThrottleInterval @throttle_s, and the plist keys @extra.
 */
void test_add_shell_job(struct test_daemon *td, const char *label, const char *script,
			int throttle_s, const char *extra);

/** test_daemon_path() - @name in @td's directory (heap). */
char *test_daemon_path(const struct test_daemon *td, const char *name);

/** test_count_lines() - the lines in @path; 0 if it does not exist. */
int test_count_lines(const char *path);

/**
 * test_wait_lines() - poll until @path has @n lines, for at most
 * @limit_ms.  Return: the count seen last.
 */
int test_wait_lines(const char *path, int n, long limit_ms);

/**
 * test_daemon_start_slow_to_reexec() - start @td's daemon from a copy of
 * $BOOTSTRAPD that a re-exec finds replaced by slow-exec: the new image
 * starts a second after the old one is gone (the daemon re-executes the
 * path it started from).
 */
void test_daemon_start_slow_to_reexec(struct test_daemon *td);

/**
 * test_daemon_wait_reexec() - wait (up to 10 s) until @td's daemon is
 * executing slow-exec, the old image gone, the new one not started.
 */
bool test_daemon_wait_reexec(const struct test_daemon *td);

#endif
