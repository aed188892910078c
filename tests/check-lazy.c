/* SPDX-License-Identifier: MIT */
/*
 * check-lazy.c - a declared MachServices port costs no descriptor until
 * something needs it: real daemons, the real echo-service job, the
 * daemon's fds counted in /proc.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/fake-fdstore.h"
#include "helpers/runner.h"

#define N_IDLE 2000
#define FD_BOUND 64             /* what a daemon holds besides ports: logs, epoll, ... */
#define RESET "com.example.reset"

static struct test_daemon td;
static struct fake_fdstore store;
static int use_store;

static void setup(void)
{
	fake_fdstore_fixture_setup(&td, "lazy");
}

static void teardown(void)
{
	fake_fdstore_fixture_teardown(&td, &store, &use_store);
}

/* The daemon's open fds, from /proc. */
static int daemon_fds(void)
{
	char path[64];
	struct dirent *e;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)td.pid);
	dir = opendir(path);
	ck_assert_ptr_nonnull(dir);
	while ((e = readdir(dir)))
		n += e->d_name[0] != '.';
	closedir(dir);
	return n;
}

/*
 * The daemon's fds once it is idle: it closes the reply right of a request
 * just after sending the reply, so right after an answer it may hold one
 * more for a moment.  Two equal counts in a row, 10 ms apart.
 */
static int idle_fds(void)
{
	int n = daemon_fds(), m;

	for (int i = 0; i < 500; i++, n = m) {
		test_pause_ms(10);
		if ((m = daemon_fds()) == n)
			break;
	}
	return n;
}

/* Fail unless the daemon comes to hold @want fds (listing them if not). */
static void assert_fds(int want)
{
	char cmd[128];
	int n = daemon_fds();

	for (int i = 0; i < 500 && n != want; i++) {
		test_pause_ms(10);
		n = daemon_fds();
	}
	if (n == want)
		return;
	snprintf(cmd, sizeof(cmd), "ls -l /proc/%d/fd >&2", (int)td.pid);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot list the daemon's fds\n");
	ck_abort_msg("the daemon holds %d fds, not %d", n, want);
}

/* @n jobs that never run, each with one MachServices name: idle.I.port. */
static void add_idle_jobs(int n)
{
	char label[64], body[256];

	for (int i = 0; i < n; i++) {
		snprintf(label, sizeof(label), "org.test.idle.%d", i);
		snprintf(body, sizeof(body),
			 "<key>Program</key><string>/bin/false</string>\n"
			 "<key>MachServices</key><dict><key>%s.port</key><true/></dict>\n", label);
		test_daemon_add_job(&td, label, body);
	}
}

/* An echo-service job of label and name @name, started on demand; @how: the name's value. */
static void add_echo_how(const char *name, const char *how, const char *extra)
{
	char *body;

	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>%s</string><string>%s</string></array>\n"
		"<key>MachServices</key><dict><key>%s</key>%s</dict>\n%s",
		getenv("ECHO_SERVICE"), name, name, how, extra ? extra : ""), 0);
	test_daemon_add_job(&td, name, body);
	free(body);
}

static void add_echo(const char *name, const char *extra)
{
	add_echo_how(name, "<true/>", extra);
}

static mach_port_t look_up(const char *name)
{
	mach_port_t p = MACH_PORT_NULL;

	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, name, &p), KERN_SUCCESS);
	return p;
}

/*
 * Requests the daemon answers once it is past everything that happened
 * before: a connection another process closed before the first is closed
 * by the time the second is answered (a later turn of its loop).
 */
static void sync_daemon(void)
{
	mach_port_t p;

	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "org.test.nobody", &p),
				 BOOTSTRAP_UNKNOWN_SERVICE);
}

static const char *print(const char *label)
{
	static struct bsctl_out r;

	ck_assert_int_eq(BSCTL_RUN(&r, "print", label), 0);
	return r.out;
}

static void wait_state(const char *label, const char *state)
{
	char want[64];

	snprintf(want, sizeof(want), "state = %s\n", state);
	for (int i = 0; i < 3000; i++) {
		if (strstr(print(label), want))
			return;
		test_pause_ms(10);
	}
	ck_abort_msg("%s never got to %s:\n%s", label, state, print(label));
}

START_TEST(test_unused_jobs_cost_no_fds)
{
	int idle, after;

	add_idle_jobs(N_IDLE);
	test_daemon_start(&td);
	sync_daemon();
	idle = idle_fds();
	ck_assert_msg(idle < FD_BOUND, "%d fds for %d unused jobs", idle, N_IDLE);
	ck_assert_ptr_nonnull(strstr(print("org.test.idle.7"), "port not made yet"));
	/* The first look-up makes the port: two fds, R and S. */
	look_up("org.test.idle.1999.port");
	sync_daemon();
	after = idle + 2;
	assert_fds(after);
	/* Later ones hand out the same port. */
	look_up("org.test.idle.1999.port");
	sync_daemon();
	assert_fds(after);
	ck_assert_ptr_null(strstr(print("org.test.idle.1999"), "port not made yet"));
}
END_TEST

/* Look-up, message, demand launch and check-in all go through a port made late. */
START_TEST(test_lazy_port_demand_launch)
{
	mach_port_t port;
	struct echo_msg r;

	add_echo(ECHO_SERVICE_NAME, NULL);
	test_daemon_start(&td);
	ck_assert_ptr_nonnull(strstr(print(ECHO_SERVICE_NAME), "port not made yet"));
	port = look_up(ECHO_SERVICE_NAME);
	ck_assert_ptr_nonnull(strstr(print(ECHO_SERVICE_NAME), "state = waiting"));
	for (uint32_t i = 0; i < 5; i++)
		ck_assert_int_eq(echo_send(port, ECHO_DATA, i, 0), MACH_MSG_SUCCESS);
	r = echo_query(port);
	ck_assert_uint_eq(r.value, 5);
	ck_assert_uint_eq(r.ok, 1);
	ck_assert(test_daemon_log_contains(&td, "reason demand"));
}
END_TEST

/* A job that checks in before anyone looked its name up makes the port. */
START_TEST(test_check_in_makes_the_port)
{
	const char *p;
	pid_t pid;

	add_echo(ECHO_SERVICE_NAME, "<key>RunAtLoad</key><true/>\n");
	test_daemon_start(&td);
	wait_state(ECHO_SERVICE_NAME, "running");
	for (int i = 0; i < 3000 && !strstr(print(ECHO_SERVICE_NAME), "= checked in"); i++)
		test_pause_ms(10);
	p = print(ECHO_SERVICE_NAME);
	ck_assert_ptr_nonnull(strstr(p, "= checked in\n"));
	ck_assert_ptr_nonnull(p = strstr(p, "pid = "));
	pid = (pid_t)atoi(p + 6);
	/* A look-up now gets the port the running job holds. */
	ck_assert_int_eq(echo_query(look_up(ECHO_SERVICE_NAME)).pid, pid);
	ck_assert(test_daemon_log_contains(&td, "reason RunAtLoad"));
}
END_TEST

/*
 * A sender that keeps its right after the job stopped still reaches the
 * same service: the port stays, what it sends waits and launches the job.
 */
START_TEST(test_sender_reaches_service_after_stop)
{
	static struct bsctl_out out;
	mach_port_t port;
	struct echo_msg first, second;

	add_echo(ECHO_SERVICE_NAME, NULL);
	test_daemon_start(&td);
	port = look_up(ECHO_SERVICE_NAME);
	first = echo_query(port);
	ck_assert_int_eq(BSCTL_RUN(&out, "stop", ECHO_SERVICE_NAME), 0);
	wait_state(ECHO_SERVICE_NAME, "waiting");
	ck_assert_ptr_null(strstr(print(ECHO_SERVICE_NAME), "port not made yet"));
	for (uint32_t i = 0; i < 3; i++)
		ck_assert_int_eq(echo_send(port, ECHO_DATA, i, 0), MACH_MSG_SUCCESS);
	second = echo_query(port);
	ck_assert_int_ne(second.pid, first.pid);
	ck_assert_uint_eq(second.value, 3);
}
END_TEST

/* ResetAtClose: the port dies with the job, its fds go; the next look-up makes one. */
START_TEST(test_reset_at_close_gives_fds_back)
{
	mach_port_t port;
	struct echo_msg r;
	int idle;

	add_echo_how(RESET, "<dict><key>ResetAtClose</key><true/></dict>", NULL);
	test_daemon_start(&td);
	sync_daemon();
	idle = idle_fds();
	port = look_up(RESET);
	r = echo_query(port);
	ck_assert_int_gt(r.pid, 0);
	ck_assert_int_eq(echo_send(port, ECHO_CRASH, 0, 0), MACH_MSG_SUCCESS);
	for (int i = 0; i < 3000 && !strstr(print(RESET), "port not made yet"); i++)
		test_pause_ms(10);
	ck_assert_ptr_nonnull(strstr(print(RESET), "port not made yet"));
	assert_fds(idle);
	/* The old right is dead; a new look-up reaches a new launch. */
	ck_assert_int_ne(echo_send(port, ECHO_DATA, 0, 0), MACH_MSG_SUCCESS);
	r = echo_query(look_up(RESET));
	ck_assert_uint_eq(r.value, 0);
}
END_TEST

/* bsctl reexec: a port never made stays not made; a made one is the same port. */
START_TEST(test_reexec_keeps_lazy_lazy)
{
	static struct bsctl_out out;
	mach_port_t port;
	struct echo_msg before, after;
	int fds;

	add_idle_jobs(50);
	add_echo(ECHO_SERVICE_NAME, NULL);
	test_daemon_start(&td);
	port = look_up(ECHO_SERVICE_NAME);
	before = echo_query(port);
	sync_daemon();
	fds = idle_fds();
	ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
	sync_daemon();
	ck_assert(test_daemon_log_contains(&td, "(re-exec)"));
	ck_assert_ptr_nonnull(strstr(print("org.test.idle.3"), "port not made yet"));
	ck_assert(!test_daemon_log_contains(&td, "was not kept"));
	sync_daemon();          /* print()'s connection closed */
	ck_assert_int_le(idle_fds(), fds);
	after = echo_query(port);
	ck_assert_int_eq(after.pid, before.pid);
}
END_TEST

/* @idle idle jobs and the echo job under the fd store; the echo job looked up and answering. */
static mach_port_t start_stored(int idle, struct echo_msg *first)
{
	mach_port_t port;

	use_store = 1;
	add_idle_jobs(idle);
	add_echo(ECHO_SERVICE_NAME, NULL);
	fake_fdstore_open(&store, td.dir);
	fake_fdstore_start(&store, &td);
	port = look_up(ECHO_SERVICE_NAME);
	*first = echo_query(port);
	return port;
}

/*
 * Look-ups make ports, two fds each, but never in the fds the daemon keeps
 * for itself: at a low fd limit, a client looking up every name is refused
 * past that point (one log line each), and a job can still be started on
 * demand, which takes fds of that reserve.
 */
/*
 * The daemon with @idle_jobs idle jobs and the echo job (its port made),
 * then its fd limit lowered to 60 past what it holds.  Return: the echo port.
 */
static mach_port_t start_60_fds_from_the_limit(int idle_jobs)
{
	struct rlimit rl;
	mach_port_t echo;

	add_idle_jobs(idle_jobs);
	add_echo(ECHO_SERVICE_NAME, NULL);
	test_daemon_start(&td);
	echo = look_up(ECHO_SERVICE_NAME);
	sync_daemon();
	rl.rlim_cur = rl.rlim_max = (rlim_t)daemon_fds() + 60;
	ck_assert_int_eq(prlimit(td.pid, RLIMIT_NOFILE, &rl, NULL), 0);
	return echo;
}

/* How many of @n names PREFIX.iSUFFIX were refused by @ask (look-up or check-in) for want of fds. */
static int count_short(kern_return_t (*ask)(mach_port_t, const name_t, mach_port_t *),
		       const char *prefix, const char *suffix, int n)
{
	char name[64];
	mach_port_t p;
	int refused = 0;

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s.%d%s", prefix, i, suffix);
		refused += ask(bootstrap_port, name, &p) == KERN_RESOURCE_SHORTAGE;
	}
	return refused;
}

START_TEST(test_look_ups_leave_the_fd_reserve)
{
	mach_port_t echo = start_60_fds_from_the_limit(300);

	ck_assert_int_gt(count_short(bootstrap_look_up, "org.test.idle", ".port", 300), 200);
	ck_assert(test_daemon_log_contains(&td, "cannot make the port"));
	/* The demand launch spawns (a socketpair; a pipe when forked) from the reserve. */
	ck_assert_int_gt(echo_query(echo).pid, 0);
}
END_TEST

/*
 * Names checked in by a client that declares none (launchd makes them for
 * it: a port and a pidfd each) stop where the look-ups do, with
 * KERN_RESOURCE_SHORTAGE: the daemon's part of the reserve stays its own.
 */
START_TEST(test_dynamic_check_ins_leave_the_fd_reserve)
{
	mach_port_t echo = start_60_fds_from_the_limit(0);

	ck_assert_int_gt(count_short(bootstrap_check_in, "org.test.dynamic", "", 100), 70);
	ck_assert(test_daemon_log_contains(&td, "cannot make the port of org.test.dynamic."));
	ck_assert_int_gt(echo_query(echo).pid, 0);     /* the demand launch still spawns */
}
END_TEST

/* Under the fd store, a port never made is not stored, and after kill -9 stays not made. */
START_TEST(test_fdstore_keeps_lazy_lazy)
{
	mach_port_t port;
	struct echo_msg before, after;

	port = start_stored(200, &before);
	sync_daemon();
	/* The listening socket, the echo port (R, S), its job's connection, its
	 * port-destroyed request, two states. */
	ck_assert_uint_le(fake_fdstore_count(&store), 8);
	fake_fdstore_kill(&store, &td);
	fake_fdstore_start(&store, &td);
	ck_assert_ptr_nonnull(strstr(print("org.test.idle.199"), "port not made yet"));
	ck_assert(!test_daemon_log_contains(&td, "was not kept"));
	ck_assert(!test_daemon_log_contains(&td, "saved state was refused"));
	after = echo_query(port);
	ck_assert_int_eq(after.pid, before.pid);
	ck_assert_uint_le(fake_fdstore_count(&store), 8);
}
END_TEST

/*
 * A state of more jobs than FDSTORE_SMALL_STATE is saved at most every
 * 200 ms, but saved all the same once the changes stop: a job started on
 * demand is in the store (its port and connection), and a kill -9 then
 * loses nothing.
 */
START_TEST(test_large_state_saved_after_gap)
{
	mach_port_t port;
	struct echo_msg before, after;

	port = start_stored(1500, &before);
	/* The listening socket, two states, and R, S, the job's connection,
	 * the daemon's end of its check-in's port-destroyed request and the B
	 * of the channel our calls took, stored with the state that names them. */
	for (int i = 0; i < 3000 && fake_fdstore_count(&store) < 8; i++)
		test_pause_ms(10);
	ck_assert_uint_eq(fake_fdstore_count(&store), 8);
	sync_daemon();  /* the save that stored them has written its state too */
	fake_fdstore_kill(&store, &td);
	fake_fdstore_start(&store, &td);
	ck_assert(test_daemon_log_contains(&td, "adopted running pid"));
	after = echo_query(port);
	ck_assert_int_eq(after.pid, before.pid);
}
END_TEST

static Suite *lazy_suite(void)
{
	Suite *s = suite_create("lazy");
	TCase *tc = tcase_create("ports");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_unused_jobs_cost_no_fds);
	tcase_add_test(tc, test_lazy_port_demand_launch);
	tcase_add_test(tc, test_check_in_makes_the_port);
	tcase_add_test(tc, test_sender_reaches_service_after_stop);
	tcase_add_test(tc, test_reset_at_close_gives_fds_back);
	tcase_add_test(tc, test_reexec_keeps_lazy_lazy);
	tcase_add_test(tc, test_fdstore_keeps_lazy_lazy);
	tcase_add_test(tc, test_large_state_saved_after_gap);
	tcase_add_test(tc, test_look_ups_leave_the_fd_reserve);
	tcase_add_test(tc, test_dynamic_check_ins_leave_the_fd_reserve);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(lazy_suite(), NULL, 0, argc, argv);
}
