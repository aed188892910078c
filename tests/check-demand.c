/* SPDX-License-Identifier: MIT */
/*
 * check-demand.c - bootstrapd end to end: real daemons in temporary
 * directories, the real echo-service job, clients using libbootstrap.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <bootstrap_priv.h>

#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/registrant.h"
#include "helpers/runner.h"

#define SERVICE ECHO_SERVICE_NAME
#define SPARE "com.example.echo.spare"

static struct test_daemon td;

static void setup(void)
{
	test_daemon_init(&td, "demand");
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

static mach_port_t look_up(void)
{
	mach_port_t port = MACH_PORT_NULL;

	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, SERVICE, &port), BOOTSTRAP_SUCCESS);
	return port;
}

/* The daemon started with the echo job, and a send right to its service. */
static mach_port_t start_echo(void)
{
	echo_add_job(&td, NULL, NULL);
	test_daemon_start(&td);
	return look_up();
}

static void send_one_way(mach_port_t port, mach_msg_id_t id, uint32_t value)
{
	ck_assert_int_eq(echo_send(port, id, value, 0), MACH_MSG_SUCCESS);
}

START_TEST(test_lookup_before_launch_then_demand)
{
	mach_port_t port;
	struct echo_msg r;

	port = start_echo();
	ck_assert(!test_daemon_log_contains(&td, "started"));
	r = echo_query(port);
	ck_assert_int_gt(r.pid, 0);
	ck_assert(test_daemon_log_contains(&td, "started (pid"));
	ck_assert(test_daemon_log_contains(&td, "reason demand"));
}
END_TEST

/*
 * A job may take its receive right and let it go, and check in again
 * while it runs, as launchd allows once the right came back to it: here
 * bootstrap_status() of its own name, which takes the right to see whether
 * it could, then the check-in.  The check-in used to be refused, as if the
 * job still held the name.
 */
START_TEST(test_check_in_again_after_letting_go)
{
	struct echo_msg r;

	echo_add_job(&td, NULL, "<key>EnvironmentVariables</key><dict>"
		     "<key>ECHO_STATUS_FIRST</key><string>1</string></dict>");
	test_daemon_start(&td);
	r = echo_query(look_up());
	ck_assert_int_gt(r.pid, 0);
	ck_assert(test_daemon_wait_log(&td, "let go of " SERVICE, 10000));
	ck_assert(!test_daemon_log_contains(&td, "exited"));
}
END_TEST

/*
 * ResetAtClose applies when a running job lets its right go, as launchd
 * resets the port when the right comes back to it: clients' old send
 * rights die, and the job's next check-in gets the new port.  It used to
 * apply only at the job's exit.
 */
START_TEST(test_reset_at_close_when_let_go)
{
	mach_port_t old;
	struct echo_msg r;
	pid_t pid;

	echo_add_job(&td, "<dict><key>" SERVICE "</key><dict><key>ResetAtClose</key><true/>"
		     "</dict></dict>", NULL);
	test_daemon_start(&td);
	old = look_up();
	pid = echo_query(old).pid;
	ck_assert_int_eq(echo_request(old, ECHO_RECHECK, 0, &r), ECHO_RECHECK + 100);
	ck_assert_uint_eq(r.value, KERN_SUCCESS);
	ck_assert_int_eq(echo_send(old, ECHO_DATA, 0, 0), MACH_SEND_INVALID_DEST);
	ck_assert_int_eq(echo_query(look_up()).pid, pid);
}
END_TEST

/*
 * ResetAtClose resets the right that comes back when the job exits: a
 * name the job never checked in keeps its port, and what waits in it, as
 * launchd resets only a returning right.  Every such port used to be reset
 * at every exit.
 */
START_TEST(test_reset_at_close_spares_a_name_not_taken)
{
	mach_port_t held, spare = MACH_PORT_NULL;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	echo_add_job(&td, "<dict><key>" SERVICE "</key><dict><key>ResetAtClose</key><true/>"
		     "</dict><key>" SPARE "</key><dict><key>ResetAtClose</key><true/>"
		     "</dict></dict>", NULL);
	test_daemon_start(&td);
	held = look_up();
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, SPARE, &spare), BOOTSTRAP_SUCCESS);
	ck_assert_int_gt(echo_query(held).pid, 0);
	send_one_way(held, ECHO_CRASH, 0);
	for (int i = 0; i < 1000 && mr == MACH_MSG_SUCCESS; i++) {
		test_pause_ms(10);
		mr = echo_send(held, ECHO_DATA, 0, 0);  /* until the held port is reset */
	}
	ck_assert_int_eq(mr, MACH_SEND_INVALID_DEST);
	ck_assert_int_eq(echo_send(spare, ECHO_DATA, 0, 0), MACH_MSG_SUCCESS);
}
END_TEST

START_TEST(test_thousand_messages_before_checkin_in_order)
{
	mach_port_t port;
	struct echo_msg r;

	port = start_echo();
	/* The queue holds a few; the sends beyond that block until the job,
	 * launched by the first, drains them: none is lost or reordered. */
	for (uint32_t i = 0; i < 1000; i++)
		send_one_way(port, ECHO_DATA, i);
	r = echo_query(port);
	ck_assert_uint_eq(r.value, 1000);
	ck_assert_uint_eq(r.ok, 1);
}
END_TEST

START_TEST(test_crash_then_messages_wait_for_relaunch)
{
	mach_port_t port;
	struct echo_msg first, second;

	port = start_echo();
	first = echo_query(port);
	send_one_way(port, ECHO_CRASH, 0);
	/* Sent while the job is dead or dying: they wait in the port. */
	for (uint32_t i = 0; i < 10; i++)
		send_one_way(port, ECHO_DATA, i);
	second = echo_query(port);
	ck_assert_int_ne(second.pid, first.pid);
	ck_assert_uint_eq(second.value, 10);
	ck_assert_uint_eq(second.ok, 1);
	ck_assert(test_daemon_log_contains(&td, "exited on signal 6"));
}
END_TEST

/*
 * A WAKE its job left in R (a thread of it woke another that had already
 * taken a message, and the job exited before anyone read the WAKE) wakes
 * no one: the daemon drops it, and the job is not started again for it.
 * A message behind it still starts the job.
 */
START_TEST(test_wake_left_in_port_starts_nothing)
{
	mach_port_t port;
	struct echo_msg r;

	port = start_echo();
	ck_assert_int_eq(echo_request(port, ECHO_WAKE_EXIT, 0, &r), ECHO_WAKE_EXIT + 100);
	ck_assert_uint_eq(r.value, 1);
	ck_assert_int_eq(test_daemon_wait_log_count(&td, "exited with status 8", 1, 10000), 1);
	/* Three round trips through the daemon's loop: the turn that watched
	 * R again after the exit is over, and a start the WAKE asked for
	 * would have been logged (throttled: the job ran under a second). */
	for (int i = 0; i < 3; i++)
		mach_port_deallocate(mach_task_self(), look_up());
	ck_assert(!test_daemon_log_contains(&td, "throttling respawn"));
	ck_assert_int_eq(test_daemon_log_count(&td, "started (pid"), 1);
	/* A message still starts it. */
	ck_assert_int_ne(echo_query(port).pid, r.pid);
	ck_assert_int_eq(test_daemon_log_count(&td, "started (pid"), 2);
}
END_TEST

START_TEST(test_stranger_check_in_refused)
{
	mach_port_t port;

	echo_add_job(&td, NULL, NULL);
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, SERVICE, &port), BOOTSTRAP_NOT_PRIVILEGED);
	ck_assert(test_daemon_log_contains(&td, "tried to check in " SERVICE));
}
END_TEST

START_TEST(test_unknown_and_too_long_names)
{
	char long_name[200];
	mach_port_t port;

	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "no.such.service", &port),
			 BOOTSTRAP_UNKNOWN_SERVICE);
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, long_name, &port), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, long_name, &port), KERN_INVALID_ARGUMENT);
	ck_assert_str_eq(bootstrap_strerror(BOOTSTRAP_UNKNOWN_SERVICE), "Unknown service name");
}
END_TEST

START_TEST(test_register_and_port_death)
{
	mach_port_t recv, found;

	test_daemon_start(&td);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &recv), 0);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), recv, recv, MACH_MSG_TYPE_MAKE_SEND), 0);
	ck_assert_int_eq(bootstrap_register(bootstrap_port, (char *)"com.example.reg", recv), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.reg", &found), BOOTSTRAP_SUCCESS);
	ck_assert_uint_eq(found, recv);         /* the same port comes back under the same name */
	/* As launchd: a registration is active, a null port does not undo it. */
	ck_assert_int_eq(bootstrap_register(bootstrap_port, (char *)"com.example.reg", MACH_PORT_NULL),
			 BOOTSTRAP_SERVICE_ACTIVE);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.reg", &found),
			 BOOTSTRAP_SUCCESS);
	ck_assert_uint_eq(found, recv);
}
END_TEST

/*
 * A dynamic name let go just before a register of it to null is
 * undeclared, though the daemon may not have seen the release yet: the
 * register sees it first, as a check-in does.  It was answered active
 * whenever the request came before the release.
 */
START_TEST(test_undeclare_right_after_letting_go)
{
	mach_port_t recv, found;

	test_daemon_start(&td);
	for (int i = 0; i < 300; i++) {
		ck_assert_int_eq(bootstrap_check_in(bootstrap_port, "com.example.undeclared", &recv),
				 BOOTSTRAP_SUCCESS);
		ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), recv, MACH_PORT_RIGHT_RECEIVE,
						    -1), KERN_SUCCESS);
		ck_assert_int_eq(bootstrap_register(bootstrap_port, (char *)"com.example.undeclared",
						    MACH_PORT_NULL), BOOTSTRAP_SUCCESS);
		ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.undeclared", &found),
				 BOOTSTRAP_UNKNOWN_SERVICE);
	}
}
END_TEST

#define GONE "com.example.gone"
#define TAKER "com.example.taker"

/*
 * A plain process's registrations go when it exits, as launchd removes a
 * process's names with it, though their port lives on in another process.
 * They used to stay until the port died.
 */
START_TEST(test_registered_names_go_with_their_process)
{
	mach_port_t taker, port;
	mach_port_type_t type;
	pid_t child;
	int go;

	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, TAKER, &taker), BOOTSTRAP_SUCCESS);
	child = registrant_start(GONE, TAKER, &go);
	port = registrant_take(taker);
	registrant_end(child, go);
	ck_assert_int_eq(look_up_until_gone(GONE, 0, 0), BOOTSTRAP_UNKNOWN_SERVICE);
	ck_assert_int_eq(look_up_until_gone(GONE, child, BOOTSTRAP_PER_PID_SERVICE),
			 BOOTSTRAP_UNKNOWN_SERVICE);
	ck_assert(test_daemon_log_contains(&td, "exited, name removed"));
	/* The port itself lives on, here. */
	ck_assert_int_eq(mach_port_type(mach_task_self(), port, &type), KERN_SUCCESS);
	ck_assert(type & MACH_PORT_TYPE_RECEIVE);
}
END_TEST

START_TEST(test_registered_name_dies_with_its_port)
{
	mach_port_t recv, found;
	kern_return_t kr = BOOTSTRAP_SUCCESS;
	pid_t child;
	int st;

	test_daemon_start(&td);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &recv), 0);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), recv, recv, MACH_MSG_TYPE_MAKE_SEND), 0);
	ck_assert_int_eq(bootstrap_register(bootstrap_port, (char *)"com.example.mortal", recv),
			 BOOTSTRAP_SUCCESS);
	/* Another process may not take or remove the name. */
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		mach_port_t mine;

		mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine);
		mach_port_insert_right(mach_task_self(), mine, mine, MACH_MSG_TYPE_MAKE_SEND);
		_exit(bootstrap_register(bootstrap_port, (char *)"com.example.mortal", mine) ==
		      BOOTSTRAP_NOT_PRIVILEGED ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), recv), KERN_SUCCESS);
	for (int i = 0; i < 500 && kr == BOOTSTRAP_SUCCESS; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		kr = bootstrap_look_up(bootstrap_port, "com.example.mortal", &found);
		if (kr == BOOTSTRAP_SUCCESS) {
			mach_port_deallocate(mach_task_self(), found);
			nanosleep(&ts, NULL);
		}
	}
	ck_assert_int_eq(kr, BOOTSTRAP_UNKNOWN_SERVICE);
	ck_assert(test_daemon_log_contains(&td, "registered port died"));
}
END_TEST

START_TEST(test_register_of_declared_name_refused)
{
	mach_port_t recv;

	echo_add_job(&td, NULL, NULL);
	test_daemon_start(&td);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &recv), 0);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), recv, recv, MACH_MSG_TYPE_MAKE_SEND), 0);
	ck_assert_int_eq(bootstrap_register(bootstrap_port, (char *)SERVICE, recv), BOOTSTRAP_NOT_PRIVILEGED);
}
END_TEST

START_TEST(test_hundred_concurrent_clients)
{
	pid_t pids[100];
	int failures = 0;

	echo_add_job(&td, NULL, NULL);
	test_daemon_start(&td);
	for (int i = 0; i < 100; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			mach_port_t port;
			struct echo_msg r;

			if (bootstrap_look_up(bootstrap_port, SERVICE, &port) != KERN_SUCCESS)
				_exit(1);
			r = echo_query(port);
			_exit(r.pid > 0 ? 0 : 2);
		}
	}
	for (int i = 0; i < 100; i++) {
		int st;

		ck_assert_int_eq(waitpid(pids[i], &st, 0), pids[i]);
		failures += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	ck_assert_int_eq(failures, 0);
}
END_TEST

START_TEST(test_sigterm_stops_jobs)
{
	mach_port_t port;
	struct echo_msg r;
	int status;

	port = start_echo();
	r = echo_query(port);
	test_daemon_signal(&td, SIGTERM);
	status = test_daemon_wait(&td);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(kill(r.pid, 0), -1);   /* the job is gone with the daemon */
	ck_assert(test_daemon_log_contains(&td, "exited on signal 15"));
}
END_TEST

START_TEST(test_sighup_loads_new_jobs)
{
	mach_port_t port;

	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, SERVICE, &port), BOOTSTRAP_UNKNOWN_SERVICE);
	echo_add_job(&td, NULL, NULL);
	test_daemon_signal(&td, SIGHUP);
	for (int i = 0; i < 1500 && bootstrap_look_up(bootstrap_port, SERVICE, &port); i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	ck_assert_int_eq(echo_query(port).value, 0);
}
END_TEST

static void wait_for_log(const char *text)
{
	for (int i = 0; i < 500 && !test_daemon_log_contains(&td, text); i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	ck_assert_msg(test_daemon_log_contains(&td, text), "no \"%s\" in the log", text);
}

START_TEST(test_sighup_reloads_changed_and_unloads_removed)
{
	char *path;
	mach_port_t port;

	echo_add_job(&td, NULL, NULL);
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, SERVICE, &port), BOOTSTRAP_SUCCESS);
	/* A changed plist: the new version replaces the old one. */
	echo_add_job(&td, "<dict><key>com.example.other</key><true/></dict>", NULL);
	test_daemon_signal(&td, SIGHUP);
	wait_for_log("changed: reloading");
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.other", &port),
			 BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, SERVICE, &port), BOOTSTRAP_UNKNOWN_SERVICE);
	/* A removed plist: its job is unloaded. */
	ck_assert_int_gt(asprintf(&path, "%s/%s.plist", td.jobs, ECHO_SERVICE_NAME), 0);
	ck_assert_int_eq(unlink(path), 0);
	test_daemon_signal(&td, SIGHUP);
	wait_for_log("removed");
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.other", &port),
			 BOOTSTRAP_UNKNOWN_SERVICE);
	free(path);
}
END_TEST

START_TEST(test_malformed_plist_rejected_with_line)
{
	mach_port_t port;

	/* Lines 1 to 4: the XML declaration, <plist>, <dict>, the Label. */
	test_daemon_add_job(&td, "bad", "<key>RunAtLoad</key><string>yes</string>");
	test_daemon_start(&td);
	ck_assert(test_daemon_log_contains(&td, "/bad.plist:5: RunAtLoad: expected boolean, got string\n"));
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "anything", &port), BOOTSTRAP_UNKNOWN_SERVICE);
}
END_TEST

/* A job's warnings reach the log, each on a line of its own, and the job loads. */
START_TEST(test_unsupported_keys_logged)
{
	mach_port_t port;

	test_daemon_add_job(&td, "warned", "<key>NoSuchKey</key><true/><key>OtherKey</key><true/>"
			    "<key>MachServices</key><dict><key>org.test.warned</key><true/></dict>"
			    "<key>ProgramArguments</key><array><string>/bin/true</string></array>");
	test_daemon_start(&td);
	ck_assert(test_daemon_log_contains(&td, "/warned.plist: unsupported key NoSuchKey\n"));
	ck_assert(test_daemon_log_contains(&td, "/warned.plist: unsupported key OtherKey\n"));
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "org.test.warned", &port), BOOTSTRAP_SUCCESS);
}
END_TEST

static Suite *demand_suite(void)
{
	Suite *s = suite_create("demand");
	TCase *tc = tcase_create("daemon");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_lookup_before_launch_then_demand);
	tcase_add_test(tc, test_check_in_again_after_letting_go);
	tcase_add_test(tc, test_reset_at_close_when_let_go);
	tcase_add_test(tc, test_reset_at_close_spares_a_name_not_taken);
	tcase_add_test(tc, test_thousand_messages_before_checkin_in_order);
	tcase_add_test(tc, test_crash_then_messages_wait_for_relaunch);
	tcase_add_test(tc, test_wake_left_in_port_starts_nothing);
	tcase_add_test(tc, test_stranger_check_in_refused);
	tcase_add_test(tc, test_unknown_and_too_long_names);
	tcase_add_test(tc, test_register_and_port_death);
	tcase_add_test(tc, test_registered_name_dies_with_its_port);
	tcase_add_test(tc, test_registered_names_go_with_their_process);
	tcase_add_test(tc, test_undeclare_right_after_letting_go);
	tcase_add_test(tc, test_register_of_declared_name_refused);
	tcase_add_test(tc, test_hundred_concurrent_clients);
	tcase_add_test(tc, test_sigterm_stops_jobs);
	tcase_add_test(tc, test_sighup_loads_new_jobs);
	tcase_add_test(tc, test_sighup_reloads_changed_and_unloads_removed);
	tcase_add_test(tc, test_malformed_plist_rejected_with_line);
	tcase_add_test(tc, test_unsupported_keys_logged);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(demand_suite(), NULL, 0, argc, argv);
}
