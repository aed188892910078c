/* SPDX-License-Identifier: MIT */
/*
 * check-sockets-refused - a Sockets path the daemon will not take: one
 * that exists and is not a socket is never replaced, and one where another
 * process listens is in use, even when that listener's queue is full and
 * never drains; a socket to connect there (SockPassive false) is refused
 * too, without waiting.  The job is refused, said in the log; the daemon
 * goes on.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/runner.h"
#include "helpers/unix-connect.h"

static struct test_daemon td;
static char *sock;

static void setup(void)
{
	test_daemon_init(&td, "sockets-refused");
	ck_assert_int_gt(asprintf(&sock, "%s/listener", td.dir), 0);
}

static void teardown(void)
{
	test_daemon_stop(&td);
	free(sock);
}

/* A job @label with one Unix stream socket at sock (@keys more of it), which it never gets to run with. */
static void add_socket_job(const char *label, const char *keys)
{
	char *body;

	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>/bin/true</string></array>\n"
		"<key>Sockets</key><dict><key>listener</key><dict>"
		"<key>SockPathName</key><string>%s</string>%s</dict></dict>\n", sock, keys), 0);
	test_daemon_add_job(&td, label, body);
	free(body);
}

/* Another process's listener at sock, its queue full: it never accepts.  Return: the queued client. */
static int plant_full_listener(int *l)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int waiting;

	*l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock);
	ck_assert_int_eq(bind(*l, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(listen(*l, 0), 0);
	waiting = test_connect_unix(sock, SOCK_STREAM); /* the one the queue holds */
	ck_assert_int_ge(waiting, 0);
	return waiting;
}

START_TEST(test_bad_socket_refuses_the_job)
{
	/* A path that is not a socket is never replaced. */
	ck_assert_int_eq(mkdir(sock, 0755), 0);
	add_socket_job("com.example.bad", "");
	test_daemon_start(&td);
	ck_assert(test_daemon_wait_log(&td, "exists and is not a socket", 15000));
	ck_assert_int_eq(rmdir(sock), 0);
}
END_TEST

/*
 * With a full listener planted at sock, a job of Sockets @keys is refused
 * at load, the log says @why, and the daemon answers: its probe or its
 * connect() to the path does not wait for the listener to accept.
 */
static void refused_at_full_listener(const char *label, const char *keys, const char *why)
{
	static struct bsctl_out out;
	int l, waiting = plant_full_listener(&l);

	add_socket_job(label, keys);
	test_daemon_start(&td);
	ck_assert(test_daemon_wait_log(&td, why, 15000));
	ck_assert_int_eq(BSCTL_RUN(&out, "list"), 0);
	close(waiting);
	close(l);
}

/*
 * A listener at the path whose queue is full (another process's, which
 * never accepts): the daemon's probe for a stale socket used to wait in
 * connect() until it accepted, and the whole daemon with it.  The path is
 * in use: the job is refused, and the daemon answers.
 */
START_TEST(test_full_listener_at_the_path_is_in_use)
{
	refused_at_full_listener("com.example.planted", "", "in use");
}
END_TEST

/*
 * SockPassive false: the daemon connects to the path for the job.  A
 * listener there whose queue is full held that connect(), and the daemon.
 */
START_TEST(test_full_listener_refuses_a_connecting_socket)
{
	refused_at_full_listener("com.example.connecting", "<key>SockPassive</key><false/>",
				 "Sockets \"listener\": connect ");
}
END_TEST

static Suite *refused_suite(void)
{
	Suite *s = suite_create("sockets-refused");
	TCase *tc = tcase_create("refused");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_bad_socket_refuses_the_job);
	tcase_add_test(tc, test_full_listener_at_the_path_is_in_use);
	tcase_add_test(tc, test_full_listener_refuses_a_connecting_socket);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(refused_suite(), NULL, 0, argc, argv);
}
