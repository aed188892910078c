/* SPDX-License-Identifier: MIT */
/*
 * check-supervise.c - what bootstrapd does around a job's life: KeepAlive
 * with throttling, crash loops and spawn failures (waiting callers get an
 * error at once), ResetAtClose, HideUntilCheckIn, StartInterval, WatchPaths.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/job-runs.h"
#include "helpers/job-state.h"
#include "helpers/runner.h"
#include "helpers/tmpdir.h"

#define SERVICE ECHO_SERVICE_NAME

static struct test_daemon td;
static struct bsctl_out bsctl_said;

static void setup(void)
{
	test_daemon_init(&td, "supervise");
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

/* Poll (bounded) until @path has @n lines.  Return: the count seen last. */
static int wait_lines(const char *path, int n)
{
	return test_wait_lines(path, n, 15000);
}

static int wait_log(const char *text)
{
	return test_daemon_wait_log(&td, text, 15000);
}

/* Lines of the daemon's log that contain @text. */
static int count_log(const char *text)
{
	return test_daemon_log_count(&td, text);
}

/* Poll (bounded) until the log has @n lines with @text.  Return: the count seen last. */
static int wait_log_count(const char *text, int n)
{
	test_daemon_wait_log_count(&td, text, n, 15000);
	return test_daemon_log_count(&td, text);
}

/* Milliseconds of CLOCK_MONOTONIC since @t0. */
static long long ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000LL + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

static void add_shell_job(const char *label, const char *script, const char *extra)
{
	test_add_shell_job(&td, label, script, 1, extra);
}

static mach_msg_return_t send_crash(mach_port_t port)
{
	return echo_send(port, ECHO_CRASH, 0, 1000);
}

static mach_msg_id_t call_id(mach_port_t port)
{
	return echo_call(port, NULL);
}

/*
 * ThrottleInterval 1: a start comes no sooner than 1 s after the one
 * before.  The first start follows t0, so run N cannot begin before
 * t0 + (N - 1) s, and the test sees its line later still: a lower bound
 * on a delay the daemon enforces, which no load can make fail.  The
 * daemon waits on a timer, once per restart: it logs "throttling respawn"
 * once per exit, not over and over until the interval is past.
 */
START_TEST(test_keepalive_restarts_with_throttle)
{
	char *runs, *script;
	struct timespec t0;
	int throttled;

	runs = test_daemon_path(&td, "runs");
	ck_assert_int_gt(asprintf(&script, "echo run >> %s", runs), 0);
	add_shell_job("com.example.keepalive", script, "<key>KeepAlive</key><true/>");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	test_daemon_start(&td);
	for (int n = 2; n <= 3; n++) {
		ck_assert_int_ge(wait_lines(runs, n), n);
		ck_assert_msg(ms_since(&t0) >= (n - 1) * 1000LL,
			      "run %d began %lld ms after the daemon was started: not throttled",
			      n, ms_since(&t0));
	}
	/* Each throttle line follows an exit, which follows a run's line:
	 * counted first, they cannot outnumber the lines counted after. */
	throttled = count_log("throttling respawn");
	ck_assert_int_ge(throttled, 2);
	ck_assert_int_le(throttled, test_count_lines(runs));
	ck_assert(test_daemon_log_contains(&td, "reason KeepAlive"));
	ck_assert(test_daemon_log_contains(&td, "throttling respawn"));
	free(runs);
	free(script);
}
END_TEST

/*
 * The throttle counts from the start, to the millisecond.  Each round:
 * 0.9 s of run, a crash, a call that relaunches the job.  The relaunch
 * comes 1 s after the start before it, which came after t0 (the first
 * call, or the crash that ended the run before): the reply comes no
 * sooner than t0 + 1 s.  (Counted in whole seconds, a 0.9 s run mostly
 * crosses a second boundary and was relaunched on exit, 0.1 s early.)
 */
START_TEST(test_throttle_counts_from_the_start)
{
	struct echo_msg before, after;
	struct timespec t0, next;
	mach_port_t port;

	echo_add_job(&td, NULL, NULL);
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, SERVICE, &port), BOOTSTRAP_SUCCESS);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	before = echo_query(port);              /* launched on demand, after t0 */
	for (int round = 0; round < 3; round++) {
		test_pause_ms(900);                  /* the run's length, not a wait for anything */
		clock_gettime(CLOCK_MONOTONIC, &next);  /* the next start follows the crash */
		ck_assert_int_eq(send_crash(port), MACH_MSG_SUCCESS);
		after = echo_query(port);
		ck_assert_int_ne(after.pid, before.pid);
		ck_assert_msg(ms_since(&t0) >= 1000,
			      "round %d: relaunched %lld ms after the start before it",
			      round, ms_since(&t0));
		before = after;
		t0 = next;
	}
}
END_TEST

START_TEST(test_successful_exit_false_stops_after_success)
{
	char *runs, *script;

	runs = test_daemon_path(&td, "runs");
	ck_assert_int_gt(asprintf(&script, "echo run >> %s", runs), 0);
	add_shell_job("com.example.once", script,
		      "<key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>");
	test_daemon_start(&td);
	ck_assert_int_eq(wait_lines(runs, 1), 1);
	ck_assert(wait_log("exited with status 0"));
	/* Asked after the exit: no restart, not even a throttled one. */
	job_state_assert("com.example.once", "waiting", 1);
	ck_assert_int_eq(test_count_lines(runs), 1);
	free(runs);
	free(script);
}
END_TEST

START_TEST(test_spawn_failure_fails_waiting_callers)
{
	mach_port_t port;

	test_daemon_add_job(&td, "com.example.missing",
		"<key>Program</key><string>/no/such/program</string>\n"
		"<key>MachServices</key><dict><key>" SERVICE "</key><true/></dict>");
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, SERVICE, &port), BOOTSTRAP_SUCCESS);
	/* The caller learns at once that no reply will come. */
	ck_assert_int_eq(call_id(port), MACH_NOTIFY_SEND_ONCE);
	ck_assert(wait_log("/no/such/program"));
	ck_assert(test_daemon_log_contains(&td, "failed"));
}
END_TEST

START_TEST(test_crash_loop_fails_waiting_callers)
{
	mach_port_t port;

	add_shell_job("com.example.crashy", "kill -SEGV $$",
		      "<key>MachServices</key><dict><key>" SERVICE "</key><true/></dict>");
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, SERVICE, &port), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(call_id(port), MACH_NOTIFY_SEND_ONCE);
	ck_assert(test_daemon_log_contains(&td, "crash loop"));
	/* Still failed: a new caller gets the same answer, not a hang. */
	ck_assert_int_eq(call_id(port), MACH_NOTIFY_SEND_ONCE);
}
END_TEST

/*
 * A failure counts as quick by the time it ran, not by the seconds of the
 * clock.  Each run of this job fails in under its ThrottleInterval of 1 s
 * across a second's turn, which used to count as a whole second run: the
 * crash loop was never seen.  A run whose start came within a few ms of a
 * turn lasts a second and breaks the row; the throttle moves each start a
 * few ms on, so that comes at most once in the 30 s.
 */
START_TEST(test_quick_failure_across_a_second)
{
	char *body;

	ck_assert_int_gt(asprintf(&body, "<key>ProgramArguments</key><array><string>%s</string>"
				  "<string>straddle</string></array>\n"
				  "<key>KeepAlive</key><true/><key>ThrottleInterval</key><integer>1</integer>",
				  getenv("SPAWN_PROBE")), 0);
	test_daemon_add_job(&td, "com.example.straddle", body);
	test_daemon_start(&td);
	ck_assert(test_daemon_wait_log(&td, "com.example.straddle: failed: exited early 5 times in a row",
				       30000));
	free(body);
}
END_TEST

START_TEST(test_reset_at_close_kills_old_port)
{
	mach_port_t old, fresh;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	echo_add_job(&td, "<dict><key>" SERVICE "</key>"
		     "<dict><key>ResetAtClose</key><true/></dict></dict>", NULL);
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, SERVICE, &old), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(call_id(old), ECHO_QUERY + 100);
	ck_assert_int_eq(send_crash(old), MACH_MSG_SUCCESS);
	for (int i = 0; i < 1000 && mr == MACH_MSG_SUCCESS; i++) {
		test_pause_ms(10);
		mr = send_crash(old);   /* until the old port is dead */
	}
	ck_assert_int_eq(mr, MACH_SEND_INVALID_DEST);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, SERVICE, &fresh), BOOTSTRAP_SUCCESS);
	ck_assert_int_ne(fresh, old);
	ck_assert_int_eq(call_id(fresh), ECHO_QUERY + 100);
}
END_TEST

/*
 * The job runs but holds off its check-in until the test opens a FIFO:
 * while it runs unchecked-in the name is unknown; once it checked in,
 * the name leads to it.
 */
START_TEST(test_hide_until_check_in)
{
	mach_port_t port;
	char *gate, *body;
	struct echo_msg r;
	int fd;

	gate = test_daemon_path(&td, "gate");
	ck_assert_int_eq(mkfifo(gate, 0600), 0);
	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string>"
		"<string>read go &lt; %s; exec %s %s</string></array>\n"
		"<key>MachServices</key><dict><key>" SERVICE "</key>"
		"<dict><key>HideUntilCheckIn</key><true/></dict></dict>\n"
		"<key>RunAtLoad</key><true/>", gate, getenv("ECHO_SERVICE"), SERVICE), 0);
	test_daemon_add_job(&td, SERVICE, body);
	test_daemon_start(&td);
	job_state_assert(SERVICE, "running", 1);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, SERVICE, &port), BOOTSTRAP_UNKNOWN_SERVICE);
	fd = open(gate, O_WRONLY);      /* waits for the job to open it */
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "go\n", 3), 3);
	close(fd);
	ck_assert(wait_log("checked in " SERVICE));
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, SERVICE, &port), BOOTSTRAP_SUCCESS);
	r = echo_query(port);
	ck_assert_int_gt(r.pid, 0);
	job_state_assert(SERVICE, "running", 1);      /* the same run that checked in */
	/* As launchd: hidden again once the job is gone, as before it checked in. */
	mach_port_deallocate(mach_task_self(), port);
	ck_assert_int_eq(kill(r.pid, SIGKILL), 0);
	ck_assert(wait_log("exited on signal 9"));
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, SERVICE, &port), BOOTSTRAP_UNKNOWN_SERVICE);
	free(gate);
	free(body);
}
END_TEST

START_TEST(test_hidden_service_unknown_before_check_in)
{
	mach_port_t port;

	echo_add_job(&td, "<dict><key>" SERVICE "</key>"
		     "<dict><key>HideUntilCheckIn</key><true/></dict></dict>", NULL);
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, SERVICE, &port), BOOTSTRAP_UNKNOWN_SERVICE);
}
END_TEST

START_TEST(test_start_interval)
{
	char *runs, *script;

	runs = test_daemon_path(&td, "runs");
	ck_assert_int_gt(asprintf(&script, "echo run >> %s", runs), 0);
	add_shell_job("com.example.interval", script, "<key>StartInterval</key><integer>1</integer>");
	test_daemon_start(&td);
	ck_assert_int_ge(wait_lines(runs, 2), 2);
	ck_assert(wait_log("reason StartInterval"));    /* logged once the spawn returns */
	free(runs);
	free(script);
}
END_TEST

/*
 * A tick while the job runs is kept, as launchd's start_pending: the job
 * starts again as soon as it exits, not at the tick after.  The job holds
 * until the test releases it, so the tick surely comes while it runs.
 */
START_TEST(test_start_interval_tick_while_running_is_kept)
{
	char *runs, *release, *script;

	runs = test_daemon_path(&td, "runs");
	release = test_daemon_path(&td, "release");
	ck_assert_int_gt(asprintf(&script, "echo run >> %s; while [ ! -e %s ]; do sleep 0.05; done; "
				  "rm -f %s", runs, release, release), 0);
	add_shell_job("com.example.ticked", script, "<key>StartInterval</key><integer>1</integer>");
	test_daemon_start(&td);
	ck_assert_int_eq(wait_lines(runs, 1), 1);
	ck_assert(wait_log("StartInterval: running; starts again once it exits"));
	ck_assert_int_eq(close(open(release, O_WRONLY | O_CREAT, 0644)), 0);
	ck_assert_int_eq(wait_lines(runs, 2), 2);
	ck_assert_int_eq(close(open(release, O_WRONLY | O_CREAT, 0644)), 0);
	free(runs);
	free(release);
	free(script);
}
END_TEST

/*
 * KeepAlive OtherJobEnabled is looked at again when another job is loaded,
 * as launchd's job_dispatch_curious_jobs(): the job kept alive while
 * com.example.other is loaded starts, though the directory (read in
 * alphabetical order) loads it first.
 */
START_TEST(test_other_job_enabled_watches_loads)
{
	char *runs, *script;

	runs = test_daemon_path(&td, "runs");
	ck_assert_int_gt(asprintf(&script, "echo run >> %s; sleep 60", runs), 0);
	add_shell_job("com.example.curious", script,
		      "<key>KeepAlive</key><dict><key>OtherJobEnabled</key><dict>"
		      "<key>com.example.other</key><true/></dict></dict>");
	test_daemon_add_job(&td, "com.example.other", "<key>Program</key><string>/bin/true</string>");
	test_daemon_start(&td);
	ck_assert_int_eq(wait_lines(runs, 1), 1);
	free(runs);
	free(script);
}
END_TEST

START_TEST(test_launch_only_once_ignores_triggers)
{
	char *runs, *script;

	runs = test_daemon_path(&td, "runs");
	ck_assert_int_gt(asprintf(&script, "echo run >> %s", runs), 0);
	add_shell_job("com.example.once", script,
		      "<key>StartInterval</key><integer>1</integer>\n"
		      "<key>LaunchOnlyOnce</key><true/>");
	test_daemon_start(&td);
	ck_assert_int_eq(wait_lines(runs, 1), 1);
	ck_assert(wait_log("LaunchOnlyOnce: not started again (StartInterval)"));
	ck_assert_int_eq(test_count_lines(runs), 1);
	free(runs);
	free(script);
}
END_TEST

START_TEST(test_keepalive_path_state_watched)
{
	char *runs, *script, *flag, *extra;
	int fd;

	runs = test_daemon_path(&td, "runs");
	flag = test_daemon_path(&td, "flag");
	ck_assert_int_gt(asprintf(&script, "echo run >> %s", runs), 0);
	ck_assert_int_gt(asprintf(&extra, "<key>KeepAlive</key><dict><key>PathState</key><dict>"
				  "<key>%s</key><true/></dict></dict>", flag), 0);
	add_shell_job("com.example.pathstate", script, extra);
	test_daemon_start(&td);
	/* READY comes after the jobs are loaded: the path does not exist, so no start. */
	job_state_assert("com.example.pathstate", "waiting", 0);
	ck_assert_int_eq(test_count_lines(runs), 0);
	fd = open(flag, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_ge(wait_lines(runs, 2), 2);       /* started, and kept alive */
	ck_assert(test_daemon_log_contains(&td, "reason KeepAlive"));
	free(runs);
	free(flag);
	free(script);
	free(extra);
}
END_TEST

START_TEST(test_queue_directories_run_until_empty)
{
	char *runs, *queue, *script, *extra;

	runs = test_daemon_path(&td, "runs");
	queue = test_daemon_path(&td, "queue");
	ck_assert_int_eq(mkdir(queue, 0755), 0);
	for (int i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "item%d", i);
		free(tmpdir_write(queue, name, "x", 0644));
	}
	/* Each run takes one item, as a queue worker does; the change it makes
	 * comes while the job runs, so only the exit can start the next run. */
	ck_assert_int_gt(asprintf(&script, "rm \"%s/$(ls %s | head -n 1)\"; sleep 0.5; echo run >> %s",
				  queue, queue, runs), 0);
	ck_assert_int_gt(asprintf(&extra, "<key>QueueDirectories</key><array><string>%s</string>"
				  "</array>", queue), 0);
	add_shell_job("com.example.queue", script, extra);
	test_daemon_start(&td);
	ck_assert_int_eq(wait_lines(runs, 3), 3);
	ck_assert_int_eq(wait_log_count("exited with status 0", 3), 3);
	/* Asked after the third exit: the queue is empty, nothing is scheduled. */
	job_state_assert("com.example.queue", "waiting", 3);
	ck_assert_int_eq(test_count_lines(runs), 3);
	free(runs);
	free(queue);
	free(script);
	free(extra);
}
END_TEST

START_TEST(test_watch_paths)
{
	char *runs, *script, *watched, *extra;
	int fd;

	runs = test_daemon_path(&td, "runs");
	watched = test_daemon_path(&td, "watched");
	ck_assert_int_gt(asprintf(&script, "echo run >> %s", runs), 0);
	ck_assert_int_gt(asprintf(&extra, "<key>WatchPaths</key><array><string>%s</string></array>",
				  watched), 0);
	add_shell_job("com.example.watch", script, extra);
	test_daemon_start(&td);
	job_state_assert("com.example.watch", "waiting", 0);  /* nothing changed yet */
	ck_assert_int_eq(test_count_lines(runs), 0);
	fd = open(watched, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "x", 1), 1);
	close(fd);
	ck_assert_int_ge(wait_lines(runs, 1), 1);
	ck_assert(wait_log("reason WatchPaths"));     /* logged once the spawn returns */
	free(runs);
	free(script);
	free(watched);
	free(extra);
}
END_TEST

/* A watched directory that is removed and made again stays watched. */
START_TEST(test_watch_paths_survive_recreation)
{
	char *runs, *script, *dir, *extra, *file;

	runs = test_daemon_path(&td, "runs");
	dir = test_daemon_path(&td, "watched");
	ck_assert_int_gt(asprintf(&file, "%s/watched/entry", td.dir), 0);
	ck_assert_int_gt(asprintf(&script, "echo run >> %s", runs), 0);
	ck_assert_int_gt(asprintf(&extra, "<key>WatchPaths</key><array><string>%s</string></array>",
				  dir), 0);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	add_shell_job("com.example.rewatch", script, extra);
	test_daemon_start(&td);
	/* A change while the job runs starts nothing: each change below waits
	 * for the run before it to have exited.  A change while it is
	 * throttled starts it when the throttle ends. */
	ck_assert_int_eq(rmdir(dir), 0);
	ck_assert_int_ge(wait_lines(runs, 1), 1);       /* its removal is a change */
	ck_assert_int_eq(wait_log_count("exited with status 0", 1), 1);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	ck_assert_int_ge(wait_lines(runs, 2), 2);       /* the new directory is watched by now */
	ck_assert_int_eq(wait_log_count("exited with status 0", 2), 2);
	free(tmpdir_write(dir, "entry", "x", 0644));    /* a change inside the new directory */
	ck_assert_int_ge(wait_lines(runs, 3), 3);
	free(runs);
	free(dir);
	free(file);
	free(script);
	free(extra);
}
END_TEST

/* Whether @pid runs: not gone, and not a zombie (the test may reap orphans as a subreaper). */
static bool alive(pid_t pid)
{
	char path[64], state = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
		state = 0;
	fclose(f);
	return state != 0 && state != 'Z' && state != 'X';
}

/*
 * ExitTimeOut's SIGKILL goes to the job's process alone, as launchd's
 * job_kill() does; what is left of its group then gets SIGTERM, unless the
 * job abandons it.  A child that ignores SIGTERM outlives the stop either
 * way (loop 0: AbandonProcessGroup, loop 1: not).
 */
START_TEST(test_exit_timeout_kills_the_process_alone)
{
	char *pidfile, *script, buf[32] = "";
	pid_t child;
	FILE *f;

	pidfile = test_daemon_path(&td, "child");
	ck_assert_int_gt(asprintf(&script, "trap '' TERM; sleep 300 &amp; echo $! > %s; "
				  "while :; do sleep 1; done", pidfile), 0);
	add_shell_job("com.example.stubborn", script,
		      _i == 0 ? "<key>RunAtLoad</key><true/><key>ExitTimeOut</key><integer>1</integer>"
				"<key>AbandonProcessGroup</key><true/>"
			      : "<key>RunAtLoad</key><true/><key>ExitTimeOut</key><integer>1</integer>");
	test_daemon_start(&td);
	ck_assert_int_eq(wait_lines(pidfile, 1), 1);
	f = fopen(pidfile, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	child = (pid_t)atoi(buf);
	ck_assert_int_gt(child, 1);
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "stop", "com.example.stubborn"), 0);
	ck_assert(wait_log("com.example.stubborn: exited on signal 9"));
	ck_assert(alive(child));
	kill(child, SIGKILL);
	free(pidfile);
	free(script);
}
END_TEST

static Suite *supervise_suite(void)
{
	Suite *s = suite_create("supervise");
	TCase *tc = tcase_create("jobs");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, test_keepalive_restarts_with_throttle);
	tcase_add_test(tc, test_throttle_counts_from_the_start);
	tcase_add_test(tc, test_successful_exit_false_stops_after_success);
	tcase_add_test(tc, test_spawn_failure_fails_waiting_callers);
	tcase_add_test(tc, test_crash_loop_fails_waiting_callers);
	tcase_add_test(tc, test_quick_failure_across_a_second);
	tcase_add_test(tc, test_reset_at_close_kills_old_port);
	tcase_add_test(tc, test_hide_until_check_in);
	tcase_add_test(tc, test_hidden_service_unknown_before_check_in);
	tcase_add_test(tc, test_start_interval);
	tcase_add_test(tc, test_launch_only_once_ignores_triggers);
	tcase_add_test(tc, test_keepalive_path_state_watched);
	tcase_add_test(tc, test_queue_directories_run_until_empty);
	tcase_add_test(tc, test_watch_paths);
	tcase_add_test(tc, test_watch_paths_survive_recreation);
	tcase_add_loop_test(tc, test_exit_timeout_kills_the_process_alone, 0, 2);
	tcase_add_test(tc, test_start_interval_tick_while_running_is_kept);
	tcase_add_test(tc, test_other_job_enabled_watches_loads);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(supervise_suite(), NULL, 0, argc, argv);
}
