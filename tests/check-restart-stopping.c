/* SPDX-License-Identifier: MIT */
/*
 * check-restart-stopping - a job the daemon is stopping when it is asked to
 * re-execute: one still loaded keeps its ExitTimeOut in the new image (the
 * SIGKILL the old one would have sent comes); an unloaded one is in no
 * state, so the re-exec is refused until it exited.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <bootstrap/linux.h>

#include "control-proto.h"
#include "helpers/bsctl-run.h"
#include "helpers/control-msg.h"
#include "helpers/daemon.h"
#include "helpers/job-runs.h"
#include "helpers/runner.h"

static struct test_daemon td;

static void setup(void)
{
	test_daemon_init(&td, "restart-stopping");
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

#define STUBBORN "com.example.stubborn"

/*
 * Start the daemon with a job that ignores SIGTERM, stopped only by
 * SIGKILL at ExitTimeOut @timeout_s, and wait until it ignores it ("started"
 * comes before).  Return: its pid.
 */
static pid_t start_stubborn(int timeout_s)
{
	char *ready = test_daemon_path(&td, "ready"), *plist;
	FILE *f;
	int pid = 0;

	ck_assert_int_gt(asprintf(&plist,
		"<key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string>"
		"<string>trap '' TERM; echo $$ > %s; while :; do sleep 1; done</string></array>\n"
		"<key>RunAtLoad</key><true/><key>ExitTimeOut</key><integer>%d</integer>",
		ready, timeout_s), 0);
	test_daemon_add_job(&td, STUBBORN, plist);
	test_daemon_start(&td);
	ck_assert_int_eq(test_wait_lines(ready, 1, 15000), 1);
	f = fopen(ready, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%d", &pid), 1);
	fclose(f);
	free(plist);
	free(ready);
	return pid;
}

/*
 * A job still stopping when the daemon re-executes keeps its ExitTimeOut:
 * the new daemon sends the SIGKILL the old one would have.
 */
START_TEST(test_stopping_job_keeps_exit_timeout)
{
	static struct bsctl_out out;

	start_stubborn(2);
	ck_assert_int_eq(BSCTL_RUN(&out, "stop", STUBBORN), 0);
	ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
	ck_assert(test_daemon_wait_log(&td, STUBBORN ": exited on signal 9", 15000));
}
END_TEST

/*
 * An unloaded job still stopping is in no state: a new image could not
 * finish its stop (ExitTimeOut's SIGKILL), and would start its plist
 * again beside it.  reexec is refused, with why, until it has exited.
 */
START_TEST(test_reexec_refused_while_unloaded_job_stops)
{
	static struct bsctl_out out;
	pid_t job = start_stubborn(600), pid = td.pid;

	ck_assert_int_eq(BSCTL_RUN(&out, "unload", STUBBORN), 0);
	ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 1);
	ck_assert_msg(strstr(out.err, "1 unloaded job(s) still stopping (" STUBBORN ")"),
		      "%s", out.err);
	/* A re-exec asked for would have run before this is answered. */
	ck_assert_int_eq(BSCTL_RUN(&out, "list"), 0);
	ck_assert(!test_daemon_log_contains(&td, "(re-exec)"));
	ck_assert_int_eq(td.pid, pid);
	/* Its stop ends, and with it the daemon's wait at exit. */
	ck_assert_int_eq(kill(job, SIGKILL), 0);
	ck_assert(test_daemon_wait_log(&td, STUBBORN ": exited on signal 9", 15000));
}
END_TEST

/*
 * reexec and an unload of the stubborn job, each on a connection of its
 * own, both queued while the daemon is held: the daemon answers the
 * reexec (nothing is stopping yet), then handles the unload before it
 * executes.  It then does not re-execute, and says why; it used to.
 */
START_TEST(test_unload_after_reexec_asked_keeps_the_image)
{
	mach_port_t other, unused, r1, r2;
	pid_t job = start_stubborn(600);

	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.none", &unused),
			 BOOTSTRAP_UNKNOWN_SERVICE);
	ck_assert_int_eq(bootstrap_port_connect(td.socket, &other), KERN_SUCCESS);
	ck_assert_int_eq(bootstrap_look_up(other, "com.example.none", &unused),
			 BOOTSTRAP_UNKNOWN_SERVICE);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &r1), 0);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &r2), 0);
	test_daemon_pause(&td);
	control_send(bootstrap_port, CONTROL_REEXEC, "", 0, r1);
	control_send(other, CONTROL_UNLOAD, STUBBORN, 0, r2);
	test_daemon_resume(&td);
	ck_assert_int_eq(control_answer(CONTROL_REEXEC, r1), KERN_SUCCESS);
	ck_assert_int_eq(control_answer(CONTROL_UNLOAD, r2), KERN_SUCCESS);
	ck_assert(test_daemon_wait_log(&td, "an unloaded job is still stopping: not re-executing",
				       15000));
	ck_assert(!test_daemon_log_contains(&td, "(re-exec)"));
	/* Its stop ends, and with it the daemon's wait at exit. */
	ck_assert_int_eq(kill(job, SIGKILL), 0);
	ck_assert(test_daemon_wait_log(&td, STUBBORN ": exited on signal 9", 15000));
	mach_port_destroy(mach_task_self(), r1);
	mach_port_destroy(mach_task_self(), r2);
	mach_port_deallocate(mach_task_self(), other);
}
END_TEST

static Suite *stopping_suite(void)
{
	Suite *s = suite_create("restart-stopping");
	TCase *tc = tcase_create("stopping");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_stopping_job_keeps_exit_timeout);
	tcase_add_test(tc, test_reexec_refused_while_unloaded_job_stops);
	tcase_add_test(tc, test_unload_after_reexec_asked_keeps_the_image);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(stopping_suite(), NULL, 0, argc, argv);
}
