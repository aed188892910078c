/* SPDX-License-Identifier: MIT */
/*
 * check-job-control.c - what follows a stop or an exit, as in launchd:
 * bsctl stop is a SIGTERM after which the job's own policy applies
 * (KeepAlive restarts it, a start already due still comes), bsctl start
 * is throttled and kickstart is not, what is left
 * of the process group gets SIGTERM, a LaunchOnlyOnce job's services
 * refuse messages once it has run instead of keeping them unread, and
 * AfterInitialDemand holds every start back until a first demand.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <arpa/inet.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "control-proto.h"
#include "helpers/bsctl-run.h"
#include "helpers/control-msg.h"
#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/job-runs.h"
#include "helpers/job-state.h"
#include "helpers/runner.h"
#include "helpers/unix-connect.h"

#define WAIT_MS 15000

static struct test_daemon td;
static struct bsctl_out bsctl_said;

static void setup(void)
{
	test_daemon_init(&td, "job-control");
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

/* A job that writes a line to @runs each time it runs, and @extra keys. */
static void add_counting_job(const char *label, const char *runs, int throttle_s, const char *extra)
{
	char *script;

	ck_assert_int_gt(asprintf(&script, "echo run &gt;&gt; %s", runs), 0);
	test_add_shell_job(&td, label, script, throttle_s, extra);
	free(script);
}

/* launchd restarts a KeepAlive job however it ended: stop does not keep it down. */
START_TEST(test_stop_restarts_a_keepalive_job)
{
	char *runs = test_daemon_path(&td, "runs"), *script;

	ck_assert_int_gt(asprintf(&script, "echo run &gt;&gt; %s; exec sleep 300", runs), 0);
	test_add_shell_job(&td, "com.example.kept", script, 1, "<key>KeepAlive</key><true/>");
	test_daemon_start(&td);
	ck_assert_int_eq(test_wait_lines(runs, 1, WAIT_MS), 1);
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "stop", "com.example.kept"), 0);
	ck_assert_int_eq(test_wait_lines(runs, 2, WAIT_MS), 2);
	free(runs);
	free(script);
}
END_TEST

/*
 * A stop finds no process while the job waits out its throttle: the
 * start still comes.  It used to be cancelled, and with it the watch on
 * the job's ports and sockets, so a message to it waited for ever.
 */
START_TEST(test_stop_leaves_a_throttled_start)
{
	char *runs = test_daemon_path(&td, "runs");

	add_counting_job("com.example.brief", runs, 8, "<key>KeepAlive</key><true/>");
	test_daemon_start(&td);
	ck_assert_int_eq(test_wait_lines(runs, 1, WAIT_MS), 1);
	ck_assert(test_daemon_wait_log(&td, "com.example.brief: throttling respawn", WAIT_MS));
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "stop", "com.example.brief"), 0);
	job_state_assert("com.example.brief", "throttled", 1);
	ck_assert_int_eq(test_wait_lines(runs, 2, 2 * WAIT_MS), 2);
	free(runs);
}
END_TEST

/* The "starts_in_ms" of bsctl print --json, or -1. */
static long long starts_in_ms(const char *json)
{
	const char *at = strstr(json, "\"starts_in_ms\": ");

	return at ? strtoll(at + strlen("\"starts_in_ms\": "), NULL, 10) : -1;
}

/*
 * As in launchd, bsctl start waits out the throttle; kickstart does not,
 * even for a start already waiting.  The throttle here is longer than
 * the test waits for the second run.
 */
START_TEST(test_start_is_throttled_and_kickstart_is_not)
{
	char *runs = test_daemon_path(&td, "runs");

	add_counting_job("com.example.twice", runs, 600, "<key>RunAtLoad</key><true/>");
	test_daemon_start(&td);
	ck_assert_int_eq(test_wait_lines(runs, 1, WAIT_MS), 1);
	ck_assert(test_daemon_wait_log(&td, "com.example.twice: exited with status 0", WAIT_MS));
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "start", "com.example.twice"), 0);
	job_state_assert("com.example.twice", "throttled", 1);
	/* print says when: some time within the 600 s. */
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "print", "--json", "com.example.twice"), 0);
	ck_assert_msg(starts_in_ms(bsctl_said.out) > 0 && starts_in_ms(bsctl_said.out) <= 600000,
		      "%s", bsctl_said.out);
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "print", "com.example.twice"), 0);
	ck_assert_ptr_nonnull(strstr(bsctl_said.out, "\tstarts in = "));
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "kickstart", "com.example.twice"), 0);
	ck_assert_int_eq(test_wait_lines(runs, 2, WAIT_MS), 2);
	free(runs);
}
END_TEST

/*
 * kickstart -k kills the job to start it again: an exit asked for, not a
 * crash.  The job here fails its first four runs, each an early failure,
 * then stays up; the kill used to be the fifth, a crash loop.
 */
START_TEST(test_kickstart_kill_is_no_crash)
{
	char *runs = test_daemon_path(&td, "runs"), *script;

	ck_assert_int_gt(asprintf(&script, "n=$(cat %s 2&gt;/dev/null | wc -l); echo run &gt;&gt; %s; "
				  "[ $n -lt 4 ] &amp;&amp; exit 1; exec sleep 300", runs, runs), 0);
	/* ThrottleInterval 3: an exit within 3 s of its start is early even on a loaded machine. */
	test_add_shell_job(&td, "com.example.kicked", script, 3,
			   "<key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>");
	test_daemon_start(&td);
	ck_assert_int_eq(test_wait_lines(runs, 5, 4 * WAIT_MS), 5);
	job_state_assert("com.example.kicked", "running", 5);
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "kickstart", "-k", "com.example.kicked"), 0);
	ck_assert_int_eq(test_wait_lines(runs, 6, WAIT_MS), 6);
	job_state_assert("com.example.kicked", "running", 6);
	free(runs);
	free(script);
}
END_TEST

/*
 * A stop that comes after kickstart -k, before the killed process is
 * reaped, wins: the job stays down, as the last thing asked for.  The
 * daemon is held (SIGSTOP) while both requests are queued, so it reads
 * the stop before it can see the kill's exit: epoll hands back its
 * connection, still readable, before the exit's event, which comes later.
 * The restart -k asked for used to come all the same.
 */
START_TEST(test_stop_after_kickstart_kill_keeps_it_down)
{
	char *runs = test_daemon_path(&td, "runs"), *script;
	mach_port_t unused, kick, stop;

	ck_assert_int_gt(asprintf(&script, "echo run &gt;&gt; %s; exec sleep 300", runs), 0);
	test_add_shell_job(&td, "com.example.downed", script, 1, "<key>RunAtLoad</key><true/>");
	test_daemon_start(&td);
	ck_assert_int_eq(test_wait_lines(runs, 1, WAIT_MS), 1);
	job_state_assert("com.example.downed", "running", 1);
	/* bootstrap_port connected, and accepted, before the daemon is held. */
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.none", &unused),
			 BOOTSTRAP_UNKNOWN_SERVICE);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &kick), 0);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &stop), 0);
	test_daemon_pause(&td);
	control_send(bootstrap_port, CONTROL_KICKSTART, "com.example.downed", CONTROL_F_KILL, kick);
	control_send(bootstrap_port, CONTROL_STOP, "com.example.downed", 0, stop);
	test_daemon_resume(&td);
	ck_assert_int_eq(control_answer(CONTROL_KICKSTART, kick), KERN_SUCCESS);
	ck_assert_int_eq(control_answer(CONTROL_STOP, stop), KERN_SUCCESS);
	ck_assert(test_daemon_wait_log(&td, "com.example.downed: exited", WAIT_MS));
	job_state_assert("com.example.downed", "waiting", 1);
	mach_port_destroy(mach_task_self(), kick);
	mach_port_destroy(mach_task_self(), stop);
	free(runs);
	free(script);
}
END_TEST

/*
 * @label's process (an inetd instance, once something connects to
 * @listener, if that is not NULL) exits and leaves a child behind in its
 * group, which writes its pid to the file "said", and "term" there if it
 * gets SIGTERM.  Return: that file's path (to free).
 */
static char *leave_a_child(const char *label, const char *extra, const char *listener, int *conn)
{
	char *said = test_daemon_path(&td, "said"), *child = test_daemon_path(&td, "child.sh"), *script;
	FILE *f = fopen(child, "w");

	ck_assert_ptr_nonnull(f);
	fputs("trap 'echo term >> \"$1\"; exit 0' TERM\necho $$ >> \"$1\"\n"
	      "while :; do sleep 1; done\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_gt(asprintf(&script, "/bin/sh %s %s &amp; "
				  "while [ ! -s %s ]; do sleep 0.1; done", child, said, said), 0);
	test_add_shell_job(&td, label, script, 1, extra);
	test_daemon_start(&td);
	*conn = listener ? test_connect_unix(listener, SOCK_STREAM) : -1;
	if (listener)
		ck_assert_int_ge(*conn, 0);
	free(child);
	free(script);
	return said;
}

/* The child gets SIGTERM, which it can handle, as launchd sends, not SIGKILL. */
START_TEST(test_leftovers_get_sigterm)
{
	int conn;
	char *said = leave_a_child("com.example.parent", "<key>RunAtLoad</key><true/>", NULL, &conn);
	char line[32] = "";
	FILE *f;

	ck_assert_int_eq(test_wait_lines(said, 2, WAIT_MS), 2);
	f = fopen(said, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	fclose(f);
	ck_assert_str_eq(line, "term\n");
	free(said);
}
END_TEST

/*
 * An inetd instance's child is left alone, as launchd abandons the process
 * group of inetdCompatibility jobs (launchproxy's instances are their own):
 * a helper it forks outlives it.  It used to get SIGTERM.
 */
START_TEST(test_instance_leftovers_live_on)
{
	char *listener = test_daemon_path(&td, "listener"), *extra, *said, line[32] = "";
	int conn;
	pid_t pid;
	FILE *f;

	ck_assert_int_gt(asprintf(&extra, "<key>Sockets</key><dict><key>Listeners</key><dict>"
		"<key>SockPathName</key><string>%s</string></dict></dict>"
		"<key>inetdCompatibility</key><dict><key>Wait</key><false/></dict>", listener), 0);
	said = leave_a_child("com.example.inetd", extra, listener, &conn);
	ck_assert_int_eq(test_wait_lines(said, 1, WAIT_MS), 1);
	ck_assert(test_daemon_wait_log(&td, "exited with status 0", WAIT_MS));
	test_pause_ms(1000);    /* what would have been signalled was, by now */
	f = fopen(said, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_ptr_null(fgets(line + strlen(line), (int)(sizeof(line) - strlen(line)), f));
	fclose(f);
	pid = atoi(line);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);        /* alive: gone now */
	close(conn);
	free(said);
	free(extra);
	free(listener);
}
END_TEST

/*
 * KeepAlive OtherJobActive is looked at again when another job starts, as
 * launchd's job_dispatch_curious_jobs(): the job kept alive while
 * com.example.leader runs starts once that one is started.  The key used
 * to be ignored, and such a job never ran.
 */
START_TEST(test_other_job_active_follows_a_start)
{
	static struct bsctl_out out;
	char *runs = test_daemon_path(&td, "runs"), *script;

	ck_assert_int_gt(asprintf(&script, "echo run >> %s; sleep 60", runs), 0);
	test_add_shell_job(&td, "com.example.follower", script, 1,
			   "<key>KeepAlive</key><dict><key>OtherJobActive</key><dict>"
			   "<key>com.example.leader</key><true/></dict></dict>");
	test_add_shell_job(&td, "com.example.leader", "sleep 60", 1, "");
	test_daemon_start(&td);
	ck_assert_int_eq(test_count_lines(runs), 0);
	ck_assert_int_eq(BSCTL_RUN(&out, "start", "com.example.leader"), 0);
	ck_assert_int_eq(test_wait_lines(runs, 1, WAIT_MS), 1);
	free(runs);
	free(script);
}
END_TEST

/*
 * launchd unloads a LaunchOnlyOnce job after its run.  Here it stays
 * loaded, and what reaches its services from then on is destroyed: the
 * caller learns at once that no answer will come.  It used to sit in the
 * port unread, the caller waiting for ever.
 */
START_TEST(test_launch_only_once_refuses_after_its_run)
{
	mach_port_t port;

	echo_add_job(&td, NULL, "<key>LaunchOnlyOnce</key><true/>");
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port),
			 BOOTSTRAP_SUCCESS);
	echo_query(port);
	ck_assert_int_eq(echo_send(port, ECHO_CRASH, 0, 1000), MACH_MSG_SUCCESS);
	ck_assert_int_eq(echo_call(port, NULL), MACH_NOTIFY_SEND_ONCE);
	ck_assert(test_daemon_wait_log(&td, "LaunchOnlyOnce: has run", WAIT_MS));
	/* Still so for a later caller. */
	ck_assert_int_eq(echo_call(port, NULL), MACH_NOTIFY_SEND_ONCE);
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

/* Poll until the log has @n lines with @text.  Return: the count seen last. */
static int wait_log_count(const char *text, int n)
{
	test_daemon_wait_log_count(&td, text, n, WAIT_MS);
	return test_daemon_log_count(&td, text);
}

/*
 * AfterInitialDemand alone: RunAtLoad waits for the first demand, and
 * from then on the job is kept alive, as launchd's needs_kickoff does.
 */
START_TEST(test_after_initial_demand_waits_then_keeps_alive)
{
	mach_port_t port;

	echo_add_job(&td, NULL, "<key>RunAtLoad</key><true/><key>KeepAlive</key>"
		     "<dict><key>AfterInitialDemand</key><true/></dict>");
	test_daemon_start(&td);
	job_state_assert(ECHO_SERVICE_NAME, "waiting", 0);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port),
			 BOOTSTRAP_SUCCESS);
	echo_query(port);
	ck_assert_int_eq(echo_send(port, ECHO_CRASH, 0, 1000), MACH_MSG_SUCCESS);
	ck_assert_int_eq(wait_log_count(ECHO_SERVICE_NAME ": started (pid", 2), 2);
	ck_assert(test_daemon_log_contains(&td, "reason KeepAlive"));
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

/*
 * A job that aborts while being stopped did not crash, as launchd's
 * job_reap() says: KeepAlive Crashed does not start it again.
 */
START_TEST(test_abort_while_stopping_is_no_crash)
{
	char *runs = test_daemon_path(&td, "runs"), *script;

	ck_assert_int_gt(asprintf(&script, "trap 'kill -ABRT $$' TERM; echo run >> %s; "
				  "while :; do sleep 0.1; done", runs), 0);
	test_add_shell_job(&td, "com.example.aborts", script, 1,
			   "<key>KeepAlive</key><dict><key>Crashed</key><true/></dict>");
	test_daemon_start(&td);
	ck_assert_int_eq(test_wait_lines(runs, 1, WAIT_MS), 1);
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "stop", "com.example.aborts"), 0);
	ck_assert(test_daemon_wait_log(&td, "exited on signal 6", WAIT_MS));
	test_pause_ms(2000);    /* past its ThrottleInterval: a restart would be on its way */
	ck_assert_int_eq(test_count_lines(runs), 1);
	free(runs);
	free(script);
}
END_TEST

/* Whether a child may make a network namespace and a tun device in it. */
static bool can_make_netns_tun(void)
{
	struct ifreq ifr = { .ifr_flags = IFF_TUN | IFF_NO_PI };
	pid_t pid = fork();
	int st, fd;

	if (pid == 0) {
		fd = unshare(CLONE_NEWNET) == 0 ? open("/dev/net/tun", O_RDWR | O_CLOEXEC) : -1;
		_exit(fd >= 0 && ioctl(fd, TUNSETIFF, &ifr) == 0 ? 0 : 1);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* The netns part: root, to make a network namespace and a tun device in it. */
static const char *netns_missing(void)
{
	if (geteuid() != 0)
		return "root (to make a network namespace)";
	if (!can_make_netns_tun())
		return "a network namespace with a tun device (unshare, /dev/net/tun)";
	return NULL;
}

/* An interface with an address, up, in this namespace: a network.  Return: keep it open. */
static int network_comes_up(void)
{
	struct ifreq ifr = { .ifr_flags = IFF_TUN | IFF_NO_PI };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int tun = open("/dev/net/tun", O_RDWR | O_CLOEXEC), s;

	ck_assert_int_ge(tun, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "bstest0");
	ck_assert_int_eq(ioctl(tun, TUNSETIFF, &ifr), 0);
	ck_assert_int_ge(s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), 0);
	sin->sin_family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, "10.77.0.1", &sin->sin_addr), 1);
	ck_assert_int_eq(ioctl(s, SIOCSIFADDR, &ifr), 0);
	ck_assert_int_eq(ioctl(s, SIOCGIFFLAGS, &ifr), 0);
	ifr.ifr_flags |= IFF_UP;
	ck_assert_int_eq(ioctl(s, SIOCSIFFLAGS, &ifr), 0);
	close(s);
	return tun;
}

/*
 * KeepAlive NetworkState, as launchd's: in a namespace with no network
 * but loopback, the job kept alive while it is down runs and the one kept
 * alive while it is up waits; an interface coming up starts the latter.
 * The key used to be ignored, and a job kept alive by it alone never ran.
 */
START_TEST(test_network_state_follows_the_network)
{
	char *up = test_daemon_path(&td, "up"), *down = test_daemon_path(&td, "down"), *script;
	int tun;

	ck_assert_int_eq(unshare(CLONE_NEWNET), 0);     /* the daemon started next is in it */
	ck_assert_int_gt(asprintf(&script, "echo run >> %s; sleep 60", up), 0);
	test_add_shell_job(&td, "com.example.online", script, 1,
			   "<key>KeepAlive</key><dict><key>NetworkState</key><true/></dict>");
	free(script);
	ck_assert_int_gt(asprintf(&script, "echo run >> %s; sleep 60", down), 0);
	test_add_shell_job(&td, "com.example.offline", script, 1,
			   "<key>KeepAlive</key><dict><key>NetworkState</key><false/></dict>");
	test_daemon_start(&td);
	ck_assert_int_eq(test_wait_lines(down, 1, WAIT_MS), 1);
	ck_assert_int_eq(test_count_lines(up), 0);
	tun = network_comes_up();
	ck_assert_int_eq(test_wait_lines(up, 1, WAIT_MS), 1);
	ck_assert(test_daemon_log_contains(&td, "network up"));
	close(tun);
	free(script);
	free(up);
	free(down);
}
END_TEST

/*
 * The network coming up while the daemon re-executes is seen by the new
 * image, which looks at the waiting jobs once it restored them: the job
 * kept alive while the network is up starts.  It used to wait for the
 * network to go down and up again.
 */
START_TEST(test_network_up_during_reexec)
{
	static struct bsctl_out out;
	char *up = test_daemon_path(&td, "up"), *script;
	int tun;

	ck_assert_int_eq(unshare(CLONE_NEWNET), 0);
	ck_assert_int_gt(asprintf(&script, "echo run >> %s; sleep 60", up), 0);
	test_add_shell_job(&td, "com.example.online", script, 1,
			   "<key>KeepAlive</key><dict><key>NetworkState</key><true/></dict>");
	test_daemon_start_slow_to_reexec(&td);
	ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
	ck_assert(test_daemon_wait_reexec(&td));        /* no image watches the network */
	tun = network_comes_up();
	ck_assert_int_eq(test_wait_lines(up, 1, WAIT_MS), 1);
	close(tun);
	free(script);
	free(up);
}
END_TEST

static Suite *job_control_suite(void)
{
	Suite *s = suite_create("job-control");
	TCase *tc = tcase_create("stop and exit");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, test_stop_restarts_a_keepalive_job);
	tcase_add_test(tc, test_stop_leaves_a_throttled_start);
	tcase_add_test(tc, test_start_is_throttled_and_kickstart_is_not);
	tcase_add_test(tc, test_kickstart_kill_is_no_crash);
	tcase_add_test(tc, test_stop_after_kickstart_kill_keeps_it_down);
	tcase_add_test(tc, test_leftovers_get_sigterm);
	tcase_add_test(tc, test_instance_leftovers_live_on);
	tcase_add_test(tc, test_other_job_active_follows_a_start);
	tcase_add_test(tc, test_abort_while_stopping_is_no_crash);
	tcase_add_test(tc, test_launch_only_once_refuses_after_its_run);
	tcase_add_test(tc, test_after_initial_demand_waits_then_keeps_alive);
	suite_add_tcase(s, tc);
	tc = tcase_create("network");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, test_network_state_follows_the_network);
	tcase_add_test(tc, test_network_up_during_reexec);
	tcase_set_tags(tc, "netns");
	suite_add_tcase(s, tc);
	return s;
}

/* `check-job-control netns` runs the network namespace part (meson: check-job-control-netns), or skips. */
int main(int argc, char **argv)
{
	static const struct runner_part parts[] = {
		{ "netns", netns_missing, "KeepAlive NetworkState in a network namespace" },
	};

	return runner_main(job_control_suite(), parts, 1, argc, argv);
}
