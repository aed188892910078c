/* SPDX-License-Identifier: MIT */
/*
 * check-watch-paths - WatchPaths when the kernel's inotify queue
 * overflows: the events it drops may have been the watched path's, so an
 * overflow counts as a change, and the job starts (it used to be read as
 * no event at all: the change was lost for good); and every path is
 * watched anew, as the event that said a watch went away may be lost.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/daemon.h"
#include "helpers/job-runs.h"
#include "helpers/runner.h"

static struct test_daemon td;

static void setup(void)
{
	test_daemon_init(&td, "watch-paths");
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

/* The kernel's inotify queue length (fs.inotify.max_queued_events). */
static long max_queued_events(void)
{
	FILE *f = fopen("/proc/sys/fs/inotify/max_queued_events", "r");
	long n = 0;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%ld", &n), 1);
	fclose(f);
	return n;
}

/* Create file @name in @dir. */
static void touch_in(const char *dir, const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

/*
 * The watched path does not exist, so the job watches its directory for
 * that name.  While the daemon is held, other names there fill the queue
 * past its length; then the path is made, its event lost to the overflow.
 */
START_TEST(test_overflow_counts_as_a_change)
{
	char *runs = test_daemon_path(&td, "runs"), *dir = test_daemon_path(&td, "watched");
	char *script, *extra, name[32];
	long fill = max_queued_events() + 64;

	ck_assert_int_le(fill, 1000000);        /* files this test can make */
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	ck_assert_int_gt(asprintf(&script, "echo run &gt;&gt; %s", runs), 0);
	ck_assert_int_gt(asprintf(&extra, "<key>WatchPaths</key><array><string>%s/target</string>"
				  "</array>", dir), 0);
	test_add_shell_job(&td, "com.example.watcher", script, 1, extra);
	test_daemon_start(&td);
	test_daemon_pause(&td);
	for (long i = 0; i < fill; i++) {
		snprintf(name, sizeof(name), "other-%ld", i);
		touch_in(dir, name);
	}
	touch_in(dir, "target");
	test_daemon_resume(&td);
	ck_assert_int_eq(test_wait_lines(runs, 1, 15000), 1);
	free(extra);
	free(script);
	free(dir);
	free(runs);
}
END_TEST

/*
 * The watched directory itself is replaced while the queue overflows: the
 * event that said its watch went away is lost too.  Every path is watched
 * anew on an overflow, so a change in the new directory still starts the
 * job.  It used to be watched no more.
 */
START_TEST(test_overflow_rewatches)
{
	char *runs = test_daemon_path(&td, "runs"), *dir = test_daemon_path(&td, "watched");
	char *script, *extra, name[32];
	long fill = max_queued_events() + 64;

	ck_assert_int_le(fill, 1000000);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	ck_assert_int_gt(asprintf(&script, "echo run &gt;&gt; %s", runs), 0);
	ck_assert_int_gt(asprintf(&extra, "<key>WatchPaths</key><array><string>%s</string>"
				  "</array>", dir), 0);
	test_add_shell_job(&td, "com.example.watcher", script, 1, extra);
	test_daemon_start(&td);
	test_daemon_pause(&td);
	for (long i = 0; i < fill; i++) {
		snprintf(name, sizeof(name), "other-%ld", i);
		touch_in(dir, name);
	}
	for (long i = 0; i < fill; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/other-%ld", dir, i);
		ck_assert_int_eq(unlink(path), 0);
	}
	ck_assert_int_eq(rmdir(dir), 0);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	test_daemon_resume(&td);
	ck_assert_int_eq(test_wait_lines(runs, 1, 15000), 1);
	touch_in(dir, "later");
	ck_assert_int_eq(test_wait_lines(runs, 2, 15000), 2);
	free(extra);
	free(script);
	free(dir);
	free(runs);
}
END_TEST

static Suite *watch_suite(void)
{
	Suite *s = suite_create("watch-paths");
	TCase *tc = tcase_create("overflow");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_overflow_counts_as_a_change);
	tcase_add_test(tc, test_overflow_rewatches);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(watch_suite(), NULL, 0, argc, argv);
}
