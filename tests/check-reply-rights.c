/* SPDX-License-Identifier: MIT */
/*
 * check-reply-rights - send-once reply rights made again and again from
 * one long-lived reply port (as MIG's per-thread reply port is), between
 * real processes: every request is answered on the port that asked, once;
 * a request destroyed or held by a job that dies gives its sender
 * MACH_NOTIFY_SEND_ONCE at once; a request queued behind a crash is
 * answered by the next instance of the job, as launchd's queued messages
 * are; several reply ports and several client processes never receive
 * each other's replies; look-ups keep working across a re-exec of the
 * daemon.  The library may cache what a reply right costs between calls;
 * none of that may show here.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/runner.h"

#define UNKNOWN_ID 2999         /* echo-service destroys messages it does not know */
#define WAIT_MS 20000           /* never reached unless something is broken */

static struct test_daemon td;

union echo_rcv {
	struct echo_msg m;
	char buf[sizeof(struct echo_msg) + MAX_TRAILER_SIZE];
};

static void setup(void)
{
	test_daemon_init(&td, "reply-rights");
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

static mach_port_t look_up(void)
{
	mach_port_t port = MACH_PORT_NULL;

	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port), BOOTSTRAP_SUCCESS);
	return port;
}

static mach_port_t new_reply_port(void)
{
	mach_port_t p = MACH_PORT_NULL;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	return p;
}

/* A request of @id carrying @value, with a send-once right made from @reply. */
static mach_msg_return_t send_request(mach_port_t service, mach_port_t reply, mach_msg_id_t id,
				      uint32_t value)
{
	struct echo_msg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.head.msgh_remote_port = service;
	m.head.msgh_local_port = reply;
	m.head.msgh_id = id;
	m.value = value;
	return mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
			MACH_PORT_NULL);
}

/* What arrives next on @reply, within WAIT_MS; the test fails on a timeout. */
static struct echo_msg receive_on(mach_port_t reply)
{
	union echo_rcv u;

	memset(&u, 0, sizeof(u));
	ck_assert_int_eq(mach_msg(&u.m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u), reply, WAIT_MS,
				  MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(u.m.head.msgh_local_port, reply);
	return u.m;
}

/* ECHO_ECHO of @value through @reply: answered with @value. */
static struct echo_msg echo_through(mach_port_t service, mach_port_t reply, uint32_t value)
{
	struct echo_msg r;

	ck_assert_int_eq(send_request(service, reply, ECHO_ECHO, value), MACH_MSG_SUCCESS);
	r = receive_on(reply);
	ck_assert_int_eq(r.head.msgh_id, ECHO_ECHO + 100);
	ck_assert_uint_eq(r.value, value);
	return r;
}

/* @n calls through one reply port: the library's steady state. */
static pid_t warm_up(mach_port_t service, mach_port_t reply, unsigned n)
{
	pid_t pid = 0;

	for (unsigned i = 0; i < n; i++) {
		struct echo_msg r = echo_through(service, reply, 1000 + i);

		if (pid)
			ck_assert_int_eq(r.pid, pid);
		pid = r.pid;
	}
	return pid;
}

static void start_echo(void)
{
	echo_add_job(&td, NULL, NULL);
	test_daemon_start(&td);
}

/* The echo job started, looked up, and @n calls answered through a new reply port. */
static pid_t start_serving(mach_port_t *service, mach_port_t *reply, unsigned n)
{
	start_echo();
	*service = look_up();
	*reply = new_reply_port();
	return warm_up(*service, *reply, n);
}

START_TEST(test_one_reply_port_many_calls)
{
	mach_port_t service, reply;

	start_serving(&service, &reply, 300);
	/* Nothing more waits on the port: every reply came once. */
	{
		union echo_rcv u;

		ck_assert_int_eq(mach_msg(&u.m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u), reply, 0,
					  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	}
}
END_TEST

START_TEST(test_reply_ports_interleaved)
{
	mach_port_t service, a, b;

	start_echo();
	service = look_up();
	a = new_reply_port();
	b = new_reply_port();
	for (uint32_t i = 0; i < 100; i++) {
		ck_assert_int_eq(send_request(service, a, ECHO_ECHO, 2 * i), MACH_MSG_SUCCESS);
		ck_assert_int_eq(send_request(service, b, ECHO_ECHO, 2 * i + 1), MACH_MSG_SUCCESS);
		/* Received in the other order: each reply is on its own port. */
		ck_assert_uint_eq(receive_on(b).value, 2 * i + 1);
		ck_assert_uint_eq(receive_on(a).value, 2 * i);
	}
}
END_TEST

START_TEST(test_queued_request_answered_after_crash)
{
	mach_port_t service, reply;
	struct echo_msg r;
	pid_t first;

	first = start_serving(&service, &reply, 20);
	/* The request waits behind the crash; the next instance answers it. */
	ck_assert_int_eq(echo_send(service, ECHO_CRASH, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(send_request(service, reply, ECHO_ECHO, 77), MACH_MSG_SUCCESS);
	r = receive_on(reply);
	ck_assert_int_eq(r.head.msgh_id, ECHO_ECHO + 100);
	ck_assert_uint_eq(r.value, 77);
	ck_assert_int_ne(r.pid, first);
	ck_assert_int_eq(echo_through(service, reply, 78).pid, r.pid);
}
END_TEST

START_TEST(test_destroyed_request_notifies)
{
	mach_port_t service, reply;
	struct echo_msg r;

	start_serving(&service, &reply, 20);
	ck_assert_int_eq(send_request(service, reply, UNKNOWN_ID, 5), MACH_MSG_SUCCESS);
	r = receive_on(reply);
	ck_assert_int_eq(r.head.msgh_id, MACH_NOTIFY_SEND_ONCE);
	/* The port goes on serving calls. */
	warm_up(service, reply, 5);
}
END_TEST

START_TEST(test_held_request_dies_with_the_job)
{
	mach_port_t service, reply;
	struct echo_msg r;
	pid_t first;

	first = start_serving(&service, &reply, 20);
	/* The job aborts holding the request and its reply right. */
	ck_assert_int_eq(send_request(service, reply, ECHO_CRASH, 0), MACH_MSG_SUCCESS);
	r = receive_on(reply);
	ck_assert_int_eq(r.head.msgh_id, MACH_NOTIFY_SEND_ONCE);
	ck_assert_int_ne(echo_through(service, reply, 9).pid, first);
}
END_TEST

/* In a child: its own look-up and reply port, @n calls; exit status 0 if all were right. */
static void child_calls(unsigned index, unsigned n)
{
	mach_port_t service = MACH_PORT_NULL, reply = MACH_PORT_NULL;

	if (bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &service) != BOOTSTRAP_SUCCESS ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply) != KERN_SUCCESS)
		_exit(2);
	for (unsigned i = 0; i < n; i++) {
		union echo_rcv u;
		uint32_t v = index * 100000 + i;

		if (send_request(service, reply, ECHO_ECHO, v) != MACH_MSG_SUCCESS ||
		    mach_msg(&u.m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u), reply, WAIT_MS,
			     MACH_PORT_NULL) != MACH_MSG_SUCCESS ||
		    u.m.head.msgh_id != ECHO_ECHO + 100 || u.m.value != v)
			_exit(1);
	}
	_exit(0);
}

START_TEST(test_client_processes_get_their_own_replies)
{
	enum { CHILDREN = 4, CALLS = 200 };
	mach_port_t service, reply;
	pid_t pids[CHILDREN];

	start_serving(&service, &reply, 10);
	for (unsigned c = 0; c < CHILDREN; c++) {
		pids[c] = fork();
		ck_assert_int_ge(pids[c], 0);
		if (pids[c] == 0)
			child_calls(c + 1, CALLS);
	}
	/* The parent keeps calling through its warm port meanwhile. */
	warm_up(service, reply, CALLS);
	for (unsigned c = 0; c < CHILDREN; c++) {
		int status = -1;

		ck_assert_int_eq(waitpid(pids[c], &status, 0), pids[c]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %u: status %d", c, status);
	}
}
END_TEST

START_TEST(test_look_ups_across_reexec)
{
	static struct bsctl_out out;
	mach_port_t reply;

	start_echo();
	reply = new_reply_port();
	for (int i = 0; i < 20; i++)
		(void)look_up();
	ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
	for (int i = 0; i < 20; i++)
		(void)look_up();
	warm_up(look_up(), reply, 5);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("reply-rights");
	TCase *tc = tcase_create("reply-rights");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_one_reply_port_many_calls);
	tcase_add_test(tc, test_reply_ports_interleaved);
	tcase_add_test(tc, test_queued_request_answered_after_crash);
	tcase_add_test(tc, test_destroyed_request_notifies);
	tcase_add_test(tc, test_held_request_dies_with_the_job);
	tcase_add_test(tc, test_client_processes_get_their_own_replies);
	tcase_add_test(tc, test_look_ups_across_reexec);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(suite(), NULL, 0, argc, argv);
}
