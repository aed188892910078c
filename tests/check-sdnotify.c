/* SPDX-License-Identifier: MIT */
/*
 * check-sdnotify.c - what bootstrapd tells systemd, read from a fake
 * $NOTIFY_SOCKET: READY=1 once serving; RELOADING=1 with MONOTONIC_USEC on
 * SIGHUP, then READY=1 once the job directories are rescanned; STOPPING=1
 * on SIGTERM.
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers/daemon.h"
#include "helpers/tmpdir.h"

static struct test_daemon td;
static int notify_fd = -1;

static unsigned long long monotonic_usec(void)
{
	struct timespec ts;

	ck_assert_int_eq(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
	return (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000;
}

/* The next datagram, NUL-terminated; the receive timeout bounds the wait. */
static const char *next_state(void)
{
	static char buf[256];
	ssize_t n = recv(notify_fd, buf, sizeof(buf) - 1, 0);

	ck_assert_msg(n > 0, "no notification from bootstrapd");
	buf[n] = '\0';
	return buf;
}

static void start(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { 30, 0 };
	const char *exe = getenv("BOOTSTRAPD");
	char path[sizeof(sun.sun_path)];

	ck_assert_ptr_nonnull(exe);
	test_daemon_init(&td, "sdnotify");
	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/notify", td.dir), (int)sizeof(path));
	memcpy(sun.sun_path, path, strlen(path) + 1);
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_eq(bind(notify_fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(setsockopt(notify_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	td.pid = fork();
	ck_assert_int_ge(td.pid, 0);
	if (td.pid == 0) {
		int log = open(td.log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(log, 2);
		setenv("NOTIFY_SOCKET", path, 1);
		execl(exe, exe, "--user", "--foreground", "--log-level", "debug", "--jobs",
		      td.jobs, "--state", td.dir, "--socket", td.socket, (char *)NULL);
		_exit(127);
	}
	ck_assert_str_eq(next_state(), "READY=1");
}

static void stop(void)
{
	test_daemon_stop(&td);
	close(notify_fd);
}

/* RELOADING=1 and a MONOTONIC_USEC taken after @before and not after now. */
static unsigned long long assert_reloading(unsigned long long before)
{
	unsigned long long usec = 0;
	const char *s = next_state();
	unsigned long long after = monotonic_usec();

	ck_assert_msg(sscanf(s, "RELOADING=1\nMONOTONIC_USEC=%llu", &usec) == 1, "got \"%s\"", s);
	ck_assert_msg(strchr(s, '\n') == strrchr(s, '\n'), "got \"%s\"", s);
	ck_assert_uint_ge(usec, before);
	ck_assert_uint_le(usec, after);
	return usec;
}

START_TEST(test_reload_is_announced_and_ended)
{
	unsigned long long first;

	start();
	/* A job that appears before the SIGHUP is loaded before READY=1. */
	test_daemon_add_job(&td, "com.example.late", "<key>Program</key><string>/bin/true</string>");
	first = monotonic_usec();
	test_daemon_signal(&td, SIGHUP);
	first = assert_reloading(first);
	ck_assert_str_eq(next_state(), "READY=1");
	ck_assert(test_daemon_log_contains(&td, "com.example.late: loaded"));
	/* A second reload has a later time: systemd tells them apart by it. */
	test_daemon_signal(&td, SIGHUP);
	ck_assert_uint_gt(assert_reloading(first), first);
	ck_assert_str_eq(next_state(), "READY=1");
	stop();
}
END_TEST

START_TEST(test_sigterm_says_stopping)
{
	int status;

	start();
	test_daemon_signal(&td, SIGTERM);
	ck_assert_str_eq(next_state(), "STOPPING=1");
	status = test_daemon_wait(&td);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	stop();
}
END_TEST

/* A notification socket that is gone costs a warning, not the daemon. */
START_TEST(test_notify_socket_gone)
{
	char path[4096];

	start();
	snprintf(path, sizeof(path), "%s/notify", td.dir);
	ck_assert_int_eq(unlink(path), 0);
	test_daemon_signal(&td, SIGHUP);
	test_daemon_signal(&td, SIGTERM);
	ck_assert_int_eq(test_daemon_wait(&td), 0);
	ck_assert(test_daemon_log_contains(&td, "cannot notify systemd"));
	stop();
}
END_TEST

static Suite *sdnotify_suite(void)
{
	Suite *s = suite_create("sdnotify");
	TCase *tc = tcase_create("sdnotify");

	tcase_add_test(tc, test_reload_is_announced_and_ended);
	tcase_add_test(tc, test_sigterm_says_stopping);
	tcase_add_test(tc, test_notify_socket_gone);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sdnotify_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
