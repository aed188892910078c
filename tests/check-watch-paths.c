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

/* Paths of the test: the job's runs file and the watched directory (made). */
struct watch_test {
	char *runs, *dir;
	long fill;              /* names that overflow the queue */
};

/*
 * Start the daemon with a job that writes a line to runs each time
 * WatchPaths @what (in dir, or dir itself for "") changes, hold it, and
 * make fill other names in dir: the queue overflows.  Resumed by the caller.
 */
static void start_and_overflow(struct watch_test *w, const char *what)
{
	char *script, *extra, name[32];

	w->runs = test_daemon_path(&td, "runs");
	w->dir = test_daemon_path(&td, "watched");
	w->fill = max_queued_events() + 64;
	ck_assert_int_le(w->fill, 1000000);     /* files this test can make */
	ck_assert_int_eq(mkdir(w->dir, 0755), 0);
	ck_assert_int_gt(asprintf(&script, "echo run &gt;&gt; %s", w->runs), 0);
	ck_assert_int_gt(asprintf(&extra, "<key>WatchPaths</key><array><string>%s%s%s</string>"
				  "</array>", w->dir, *what ? "/" : "", what), 0);
	test_add_shell_job(&td, "com.example.watcher", script, 1, extra);
	test_daemon_start(&td);
	test_daemon_pause(&td);
	for (long i = 0; i < w->fill; i++) {
		snprintf(name, sizeof(name), "other-%ld", i);
		touch_in(w->dir, name);
	}
	free(extra);
	free(script);
}

static void watch_test_free(struct watch_test *w)
{
	free(w->dir);
	free(w->runs);
}

/*
 * The watched path does not exist, so the job watches its directory for
 * that name.  While the daemon is held, other names there fill the queue
 * past its length; then the path is made, its event lost to the overflow.
 */
START_TEST(test_overflow_counts_as_a_change)
{
	struct watch_test w;

	start_and_overflow(&w, "target");
	touch_in(w.dir, "target");
	test_daemon_resume(&td);
	ck_assert_int_eq(test_wait_lines(w.runs, 1, 15000), 1);
	watch_test_free(&w);
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
	struct watch_test w;

	start_and_overflow(&w, "");
	for (long i = 0; i < w.fill; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/other-%ld", w.dir, i);
		ck_assert_int_eq(unlink(path), 0);
	}
	ck_assert_int_eq(rmdir(w.dir), 0);
	ck_assert_int_eq(mkdir(w.dir, 0755), 0);
	test_daemon_resume(&td);
	ck_assert_int_eq(test_wait_lines(w.runs, 1, 15000), 1);
	touch_in(w.dir, "later");
	ck_assert_int_eq(test_wait_lines(w.runs, 2, 15000), 2);
	watch_test_free(&w);
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
