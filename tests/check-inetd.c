/* SPDX-License-Identifier: MIT */
/*
 * check-inetd - inetdCompatibility instances when things go wrong.  bsctl
 * stop: the instances get SIGTERM, and SIGKILL once ExitTimeOut has run
 * out since theirs; one a connection started after the stop (the
 * listening socket stays watched) gets neither.  Out of fds: a client
 * accepted when no instance can start waits for one, and is not dropped.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/fdcheck.h"
#include "helpers/job-runs.h"
#include "helpers/runner.h"
#include "helpers/unix-connect.h"

#define LABEL "com.example.instances"

static struct test_daemon td;
static char *pids, *sock;

static void setup(void)
{
	test_daemon_init(&td, "inetd");
	pids = test_daemon_path(&td, "pids");
	sock = test_daemon_path(&td, "listener");
}

static void teardown(void)
{
	test_daemon_stop(&td);
	free(pids);
	free(sock);
}

/* Instances, one per connection to sock, that ignore SIGTERM and write their pid to the file and their client. */
static void add_stubborn_inetd_job(void)
{
	char *body;

	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string>"
		"<string>trap '' TERM; echo $$ &gt;&gt; %s; echo $$; exec sleep 60</string></array>\n"
		"<key>inetdCompatibility</key><dict><key>Wait</key><false/></dict>\n"
		"<key>ExitTimeOut</key><integer>2</integer>\n"
		"<key>Sockets</key><dict><key>s</key><dict><key>SockPathName</key>"
		"<string>%s</string></dict></dict>\n", pids, sock), 0);
	test_daemon_add_job(&td, LABEL, body);
	free(body);
}

/* The pid on line @n (1-based) of the pids file. */
static pid_t pid_on_line(int n)
{
	FILE *f = fopen(pids, "r");
	int pid = 0;

	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(fscanf(f, "%d", &pid), 1);
	fclose(f);
	return pid;
}

START_TEST(test_kill_spares_instances_started_after_the_stop)
{
	static struct bsctl_out out;
	int first, second;
	pid_t later;

	add_stubborn_inetd_job();
	test_daemon_start(&td);
	first = test_connect_unix(sock, SOCK_STREAM);
	ck_assert_int_ge(first, 0);
	ck_assert_int_eq(test_wait_lines(pids, 1, 15000), 1);
	ck_assert_int_eq(BSCTL_RUN(&out, "stop", LABEL), 0);
	second = test_connect_unix(sock, SOCK_STREAM);
	ck_assert_int_ge(second, 0);
	ck_assert_int_eq(test_wait_lines(pids, 2, 15000), 2);
	later = pid_on_line(2);
	ck_assert(test_daemon_wait_log(&td, "did not exit after SIGTERM: SIGKILL", 15000));
	ck_assert(test_daemon_log_contains(&td, "1 instance(s) did not exit after SIGTERM: SIGKILL"));
	ck_assert(test_daemon_wait_log(&td, "exited on signal 9", 15000));
	/* The daemon saw the first one go; the later one runs on. */
	ck_assert_int_eq(BSCTL_RUN(&out, "list"), 0);
	ck_assert(!test_daemon_log_contains(&td, "2 instance(s) did not exit"));
	ck_assert_int_eq(kill(later, 0), 0);
	ck_assert_int_eq(kill(later, SIGKILL), 0);
	close(first);
	close(second);
}
END_TEST

/*
 * The daemon has one fd free: it accepts the client, and cannot make the
 * instance's bootstrap port.  The client used to be closed at once; it
 * is held, and its instance starts once fds are back (it says its pid on
 * the connection it got as stdio).
 */
START_TEST(test_client_waits_out_a_shortage)
{
	struct rlimit saved, one;
	char buf[32] = "";
	int conn;
	ssize_t n;

	add_stubborn_inetd_job();
	test_daemon_start(&td);
	ck_assert_int_eq(prlimit(td.pid, RLIMIT_NOFILE, NULL, &saved), 0);
	one = (struct rlimit){ fdcheck_lowest_free(td.pid) + 1, saved.rlim_max };
	ck_assert_int_eq(prlimit(td.pid, RLIMIT_NOFILE, &one, NULL), 0);
	conn = test_connect_unix(sock, SOCK_STREAM);
	ck_assert_int_ge(conn, 0);
	ck_assert(test_daemon_wait_log(&td, "cannot start an instance", 15000));
	ck_assert_int_eq(prlimit(td.pid, RLIMIT_NOFILE, &saved, NULL), 0);
	n = read(conn, buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(atoi(buf), pid_on_line(1));
	ck_assert_int_eq(kill(pid_on_line(1), SIGKILL), 0);
	close(conn);
}
END_TEST

static Suite *inetd_suite(void)
{
	Suite *s = suite_create("inetd");
	TCase *tc = tcase_create("instances");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_kill_spares_instances_started_after_the_stop);
	tcase_add_test(tc, test_client_waits_out_a_shortage);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(inetd_suite(), NULL, 0, argc, argv);
}
