/* SPDX-License-Identifier: MIT */
/*
 * check-register - whose a registered name is, by the caller's kernel pid:
 * a job's, kept while its port lives, when the job's own process asks on
 * whichever connection; a plain process's, gone when it exits, otherwise,
 * a job's child on the port it inherited included.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/registrant.h"
#include "helpers/runner.h"

static struct test_daemon td;

static void setup(void)
{
	test_daemon_init(&td, "register");
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

/*
 * Ask the echo job (@echo) to register ECHO_REGISTERED by request @id,
 * and take the port's receive right, which it hands to @taker.
 * Return: the right, here.
 */
static mach_port_t have_registered(mach_port_t echo, mach_port_t taker, mach_msg_id_t id)
{
	struct echo_msg r;

	ck_assert_int_eq(echo_request(echo, id, 0, &r), id + 100);
	ck_assert_uint_eq(r.value, KERN_SUCCESS);
	return registrant_take(taker);
}

/* Crash the echo job (@echo), its @nth exit: until the daemon saw it go. */
static void crash_echo(mach_port_t echo, int nth)
{
	ck_assert_int_eq(echo_send(echo, ECHO_CRASH, 0, 0), MACH_MSG_SUCCESS);
	ck_assert(test_daemon_wait_log_count(&td, "exited on signal", nth, 15000));
}

/*
 * A register is the job's when the job's process asks, on whichever
 * connection (one it made itself: the daemon finds the job by its pid),
 * and the name then lives with its port, past the process; a child of
 * the job, on the port it inherited, is no job's, and its name goes with
 * it, as any process's (as test_registration_goes_with_its_process_after_reexec
 * in check-restart checks for a plain process).  The job runs twice, as
 * the daemon's first running job and as a later one.
 */
START_TEST(test_register_attributed_by_pid)
{
	mach_port_t taker, echo, port, found;
	char *env;

	ck_assert_int_gt(asprintf(&env, "<key>EnvironmentVariables</key><dict><key>ECHO_SOCKET"
				  "</key><string>%s</string></dict>", td.socket), 0);
	echo_add_job(&td, NULL, env);
	free(env);
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, ECHO_TAKER, &taker), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &echo),
			 BOOTSTRAP_SUCCESS);
	/* The child has exited when the job answers; its port lives on here. */
	port = have_registered(echo, taker, ECHO_REGISTER_CHILD);
	ck_assert_int_eq(look_up_until_gone(ECHO_REGISTERED, 0, 0), BOOTSTRAP_UNKNOWN_SERVICE);
	mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
	for (int run = 1; run <= 2; run++) {
		port = have_registered(echo, taker, ECHO_REGISTER_ANEW);
		crash_echo(echo, run);
		ck_assert_msg(bootstrap_look_up(bootstrap_port, ECHO_REGISTERED, &found) ==
			      BOOTSTRAP_SUCCESS, "run %d: the job's name went with its process", run);
		mach_port_deallocate(mach_task_self(), found);
		mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
		ck_assert_int_eq(look_up_until_gone(ECHO_REGISTERED, 0, 0),
				 BOOTSTRAP_UNKNOWN_SERVICE);
	}
	mach_port_mod_refs(mach_task_self(), taker, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(mach_task_self(), echo);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("register");
	TCase *tc = tcase_create("register");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_register_attributed_by_pid);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(suite(), NULL, 0, argc, argv);
}
