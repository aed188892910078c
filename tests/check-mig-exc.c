/* SPDX-License-Identifier: MIT */
/*
 * check-mig-exc - interoperability with Apple's MIG.  This file is built
 * twice: with the user stubs Apple's MIG generated for mach_exc.defs
 * (tests/mig/apple) and with the ones bsmig generates; each build calls
 * both servers, Apple's generated demux and bsmig's, in another process.
 * Every pairing must agree on every byte of both messages.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>

#include "mach_exc.h"
#include "helpers/peer.h"

static pid_t server_pid;
static mach_port_t service;

static void start(const char *env)
{
	const char *path = getenv(env);
	mach_port_t home = peer_port();
	struct peer_rcv hello;
	int s = peer_send_fd(home), inheritable;
	char arg[16];

	ck_assert_msg(path && *path, "%s is not set (run the tests through meson)", env);
	inheritable = fcntl(s, F_DUPFD, 0);
	ck_assert_int_ge(inheritable, 0);
	close(s);
	server_pid = fork();
	ck_assert_int_ge(server_pid, 0);
	if (server_pid == 0) {
		snprintf(arg, sizeof(arg), "%d", inheritable);
		execl(path, "exc-server", arg, (char *)NULL);
		_exit(127);
	}
	close(inheritable);
	ck_assert_int_eq(peer_recv(home, &hello, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	service = hello.msg.head.msgh_remote_port;
	ck_assert(MACH_PORT_VALID(service));
	mach_port_destroy(mach_task_self(), home);
}

static void start_apple(void)
{
	start("EXC_SERVER_APPLE");
}

static void start_bsmig(void)
{
	start("EXC_SERVER_BSMIG");
}

static void stop(void)
{
	kill(server_pid, SIGKILL);
	waitpid(server_pid, NULL, 0);
}

static mach_msg_id_t next_id(mach_port_t port)
{
	struct peer_rcv r;

	ck_assert_int_eq(peer_recv(port, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	return r.msg.head.msgh_id;
}

START_TEST(test_raise)
{
	mach_port_t thread = peer_port_send(), task = peer_port_send();
	mach_exception_data_type_t code[2] = { -1, (int64_t)1 << 40 };

	ck_assert_int_eq(mach_exception_raise(service, thread, task, 6, code, 2), KERN_SUCCESS);
	ck_assert_int_eq(next_id(thread), 106);
	ck_assert_int_eq(next_id(task), 202);
	/* The server's error comes back as a mig_reply_error_t. */
	ck_assert_int_eq(mach_exception_raise(service, thread, task, 1, code, 1),
			 KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(next_id(thread), 101);
	ck_assert_int_eq(next_id(task), 201);
	ck_assert_int_eq(mach_exception_raise(service, thread, task, 1, code, 3), MIG_ARRAY_TOO_LARGE);
}
END_TEST

START_TEST(test_raise_state)
{
	mach_exception_data_type_t code[2] = { 5, 0 };
	natural_t old_state[614], new_state[614];
	mach_msg_type_number_t new_cnt = 614;
	int flavor = 7;

	for (int i = 0; i < 614; i++)
		old_state[i] = (natural_t)i;
	ck_assert_int_eq(mach_exception_raise_state(service, 3, code, 1, &flavor, old_state, 10,
						    new_state, &new_cnt), KERN_SUCCESS);
	ck_assert_int_eq(flavor, 76);
	ck_assert_uint_eq(new_cnt, 10);
	for (int i = 0; i < 10; i++)
		ck_assert_uint_eq(new_state[i], (natural_t)(9 - i + 3));
	/* No code at all: the variable part shrinks to nothing. */
	new_cnt = 614;
	flavor = 1;
	ck_assert_int_eq(mach_exception_raise_state(service, 0, code, 0, &flavor, old_state, 614,
						    new_state, &new_cnt), KERN_SUCCESS);
	ck_assert_int_eq(flavor, 10);
	ck_assert_uint_eq(new_cnt, 614);
	ck_assert_uint_eq(new_state[0], 613);
}
END_TEST

START_TEST(test_raise_state_identity)
{
	mach_port_t thread = peer_port_send(), task = peer_port_send();
	mach_exception_data_type_t code[2] = { 2, 9 };
	natural_t old_state[3] = { 1, 2, 3 }, new_state[614];
	mach_msg_type_number_t new_cnt = 614;
	int flavor = 4;

	ck_assert_int_eq(mach_exception_raise_state_identity(service, thread, task, 100, code, 2,
							     &flavor, old_state, 3, new_state,
							     &new_cnt), KERN_SUCCESS);
	ck_assert_int_eq(next_id(thread), 300);
	ck_assert_int_eq(next_id(task), 301);
	ck_assert_int_eq(flavor, 44);
	ck_assert_uint_eq(new_cnt, 3);
	ck_assert_uint_eq(new_state[0], 103);
	ck_assert_uint_eq(new_state[2], 101);
}
END_TEST

static TCase *pairing(const char *name, void (*setup)(void))
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, stop);
	tcase_add_test(tc, test_raise);
	tcase_add_test(tc, test_raise_state);
	tcase_add_test(tc, test_raise_state_identity);
	return tc;
}

int main(void)
{
	Suite *s = suite_create("mig-exc");
	SRunner *sr;
	int failed;

	suite_add_tcase(s, pairing("apple-server", start_apple));
	suite_add_tcase(s, pairing("bsmig-server", start_bsmig));
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
