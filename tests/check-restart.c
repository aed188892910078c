/* SPDX-License-Identifier: MIT */
/*
 * check-restart - bootstrapd re-executed (bsctl reexec) or killed with
 * SIGKILL and started again from systemd's fd store (a fake one speaking
 * its protocol) loses no port, queued message, name or job: a job running
 * mid-stream is adopted, not started again; messages queued for a
 * throttled job wait for it; a failed job stays failed; a registered and
 * a checked-in name still answer; clients' send rights keep working, and
 * the library connects again for new requests.
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

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/fake-fdstore.h"
#include "helpers/job-runs.h"
#include "helpers/registrant.h"
#include "helpers/runner.h"
#include "helpers/state-edit.h"
#include "process.h"

#define SLOW "com.example.slow"
#define BROKEN "com.example.broken"
#define REGISTERED "com.example.registered"
#define GONE "com.example.gone"
#define TAKER "com.example.taker"

static struct test_daemon td;
static struct fake_fdstore store;
static int use_store;

static void setup(void)
{
	fake_fdstore_fixture_setup(&td, "restart");
}

static void teardown(void)
{
	fake_fdstore_fixture_teardown(&td, &store, &use_store);
}

/* An echo-service job of label and name @name, started on demand. */
static void add_echo(const char *name, const char *extra)
{
	char *body;

	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>%s</string><string>%s</string></array>\n"
		"<key>MachServices</key><dict><key>%s</key><true/></dict>\n%s",
		getenv("ECHO_SERVICE"), name, name, extra), 0);
	test_daemon_add_job(&td, name, body);
	free(body);
}

static mach_port_t look_up(const char *name)
{
	mach_port_t p = MACH_PORT_NULL;

	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, name, &p), KERN_SUCCESS);
	return p;
}

/* Wait (polling bsctl print) until @label's state is @state. */
static void wait_state(const char *label, const char *state)
{
	static struct bsctl_out r;
	char want[64];

	snprintf(want, sizeof(want), "state = %s\n", state);
	for (int i = 0; i < 3000; i++) {
		BSCTL_RUN(&r, "print", label);
		if (strstr(r.out, want))
			return;
		test_pause_ms(10);
	}
	ck_abort_msg("%s never got to %s:\n%s%s", label, state, r.out, r.err);
}

static mach_port_t register_own(void)
{
	mach_port_t rcv;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &rcv), 0);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), rcv, rcv,
						MACH_MSG_TYPE_MAKE_SEND), 0);
	ck_assert_int_eq(bootstrap_register(bootstrap_port, REGISTERED, rcv), KERN_SUCCESS);
	return rcv;
}

struct before {
	mach_port_t echo, slow, own, dynamic;
	pid_t echo_pid, slow_pid;
};

/*
 * Before: the echo job runs, 5 messages in; the slow job crashed and 3
 * messages wait for it through its throttle delay; the broken job failed;
 * a name is registered.
 */
static void set_up_domain(struct before *b)
{
	struct echo_msg r;

	for (uint32_t i = 0; i < 5; i++)
		ck_assert_int_eq(echo_send((b->echo = look_up(ECHO_SERVICE_NAME)), ECHO_DATA, i, 0), 0);
	r = echo_query(b->echo);
	ck_assert_uint_eq(r.value, 5);
	b->echo_pid = r.pid;
	b->slow = look_up(SLOW);
	b->slow_pid = echo_query(b->slow).pid;
	ck_assert_int_eq(echo_send(b->slow, ECHO_CRASH, 0, 0), 0);
	for (uint32_t i = 0; i < 3; i++)
		ck_assert_int_eq(echo_send(b->slow, ECHO_DATA, i, 0), 0);
	wait_state(SLOW, "throttled");
	wait_state(BROKEN, "failed");
	b->own = register_own();
	/* A dynamic name (not kept across a restart) must not spoil what is kept. */
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, "com.example.dynamic", &b->dynamic),
			 KERN_SUCCESS);
	look_up(ECHO_SERVICE_NAME);     /* a later turn of its loop: all of the above is saved */
}

static void add_jobs(void)
{
	add_echo(ECHO_SERVICE_NAME, "");
	add_echo(SLOW, "<key>ThrottleInterval</key><integer>10</integer>\n");
	test_daemon_add_job(&td, BROKEN, "<key>Program</key><string>/nonexistent/broken</string>\n"
					 "<key>RunAtLoad</key><true/>\n");
}

/* A message sent to the registered name arrives on @own, the port registered. */
static void ck_registered_reaches(mach_port_t own)
{
	struct {
		mach_msg_header_t head;
		char body[64];
		mach_msg_trailer_t trailer;
	} m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.head.msgh_remote_port = look_up(REGISTERED);
	m.head.msgh_size = sizeof(m.head) + sizeof(m.body);
	m.head.msgh_id = 4242;
	ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG, m.head.msgh_size, 0, MACH_PORT_NULL, 0,
				  MACH_PORT_NULL), 0);
	ck_assert_int_eq(mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), own,
				  10000, MACH_PORT_NULL), 0);
	ck_assert_int_eq(m.head.msgh_id, 4242);
}

static void check_after(const struct before *b)
{
	struct echo_msg r;

	/* The same process answers the same port: nothing was lost or started twice. */
	for (uint32_t i = 8; i < 10; i++)
		ck_assert_int_eq(echo_send(b->echo, ECHO_DATA, i, 0), 0);
	r = echo_query(b->echo);
	ck_assert_uint_eq(r.value, 10);
	ck_assert_uint_eq(r.ok, 1);
	ck_assert_int_eq(r.pid, b->echo_pid);
	/* New requests: the library connected again. */
	ck_assert_int_eq(echo_query(look_up(ECHO_SERVICE_NAME)).pid, b->echo_pid);
	wait_state(SLOW, "throttled");
	wait_state(BROKEN, "failed");
	/* Once its throttle delay is over, it gets what waited through the restart. */
	r = echo_query(b->slow);
	ck_assert_uint_eq(r.value, 3);
	ck_assert_int_ne(r.pid, b->slow_pid);
	ck_registered_reaches(b->own);
}

START_TEST(test_reexec_keeps_everything)
{
	static struct bsctl_out out;
	struct before b;
	pid_t pid;

	add_jobs();
	test_daemon_start(&td);
	pid = td.pid;
	set_up_domain(&b);
	for (uint32_t i = 5; i < 8; i++)
		ck_assert_int_eq(echo_send(b.echo, ECHO_DATA, i, 0), 0);
	ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
	check_after(&b);
	ck_assert_int_eq(td.pid, pid);
	ck_assert(test_daemon_log_contains(&td, "(re-exec)"));
}
END_TEST

START_TEST(test_sigkill_keeps_everything)
{
	struct before b;

	use_store = 1;
	add_jobs();
	fake_fdstore_open(&store, td.dir);
	fake_fdstore_start(&store, &td);
	set_up_domain(&b);
	ck_assert_uint_gt(fake_fdstore_count(&store), 6);
	fake_fdstore_kill(&store, &td);
	/* While the daemon is down, messages wait in the ports. */
	for (uint32_t i = 5; i < 8; i++)
		ck_assert_int_eq(echo_send(b.echo, ECHO_DATA, i, 0), 0);
	fake_fdstore_start(&store, &td);
	check_after(&b);
	ck_assert(test_daemon_log_contains(&td, "adopted running pid"));
}
END_TEST

/*
 * A job that lets its receive right go after a re-exec checks the name in
 * again: the new daemon watches the port-destroyed request the old one
 * handed out with the right.  Without it, the name would stay checked in
 * until the job exits.
 */
START_TEST(test_release_seen_after_reexec)
{
	static struct bsctl_out out;
	mach_port_t echo;
	struct echo_msg r;
	pid_t pid;

	add_echo(ECHO_SERVICE_NAME, "");
	test_daemon_start(&td);
	echo = look_up(ECHO_SERVICE_NAME);
	pid = echo_query(echo).pid;
	ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
	ck_assert_int_eq(echo_request(echo, ECHO_RECHECK, 0, &r), ECHO_RECHECK + 100);
	ck_assert_uint_eq(r.value, KERN_SUCCESS);
	ck_assert_int_eq(echo_query(echo).pid, pid);
}
END_TEST

/*
 * A plain process's registration kept across a re-exec still goes when
 * that process exits, though its port lives on elsewhere, as it would
 * have without the re-exec.
 */
START_TEST(test_registration_goes_with_its_process_after_reexec)
{
	static struct bsctl_out out;
	mach_port_t taker, port;
	pid_t child;
	int go;

	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, TAKER, &taker), BOOTSTRAP_SUCCESS);
	child = registrant_start(GONE, TAKER, &go);
	registrant_take(taker);
	ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
	port = look_up(GONE);
	registrant_end(child, go);
	ck_assert_int_eq(look_up_until_gone(GONE, 0, 0), BOOTSTRAP_UNKNOWN_SERVICE);
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

/*
 * A job's registration goes with the job, not with its process: once the
 * job exited, a name whose port lives on elsewhere is still there after a
 * re-exec.  The re-exec used to drop it, taking the job's exited process
 * for a plain registrant that had gone.
 */
START_TEST(test_job_registration_kept_across_reexec)
{
	static struct bsctl_out out;
	mach_port_t taker, echo;
	struct echo_msg r;

	add_echo(ECHO_SERVICE_NAME, "");
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, ECHO_TAKER, &taker), BOOTSTRAP_SUCCESS);
	echo = look_up(ECHO_SERVICE_NAME);
	ck_assert_int_eq(echo_request(echo, ECHO_REGISTER, 0, &r), ECHO_REGISTER + 100);
	ck_assert_uint_eq(r.value, KERN_SUCCESS);
	registrant_take(taker);
	ck_assert_int_eq(echo_send(echo, ECHO_CRASH, 0, 0), MACH_MSG_SUCCESS);
	ck_assert(test_daemon_wait_log(&td, "exited on signal", 15000));
	look_up(ECHO_REGISTERED);
	ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
	look_up(ECHO_REGISTERED);
}
END_TEST

/*
 * A SIGTERM that comes while the daemon re-executes waits for the new
 * image, which then stops cleanly.  The new image is made slow to start:
 * the daemon runs from a copy, replaced by slow-exec, which waits a second,
 * then runs the copy (the daemon re-executes the path it started from).
 * The signal used to kill the process there, before the new image watched
 * it.
 */
START_TEST(test_sigterm_during_reexec_waits)
{
	static struct bsctl_out out;
	int st;

	test_daemon_start_slow_to_reexec(&td);
	ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
	/* The answer comes before the daemon blocks its stop signals: a
	 * SIGTERM sent then would stop the old image, never re-executed. */
	ck_assert(test_daemon_wait_reexec(&td));
	test_daemon_signal(&td, SIGTERM);
	st = test_daemon_wait(&td);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "bootstrapd ended with status %#x", st);
	ck_assert(test_daemon_log_contains(&td, "(re-exec)"));
}
END_TEST

/*
 * A caller that still holds the bootstrap port's old name when another
 * thread connected again (and released that name) is sent on to the new
 * connection.  It used to fail with MACH_SEND_INVALID_DEST: only a dead
 * name counted as replaced, and the old one was gone altogether.
 */
START_TEST(test_old_bootstrap_name_after_reconnect)
{
	mach_port_t p, old;

	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.none", &p),
			 BOOTSTRAP_UNKNOWN_SERVICE);
	old = bootstrap_port;
	test_daemon_signal(&td, SIGKILL);
	test_daemon_wait(&td);
	test_daemon_start(&td);
	/* This caller connects again; the one holding @old comes after. */
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.none", &p),
			 BOOTSTRAP_UNKNOWN_SERVICE);
	ck_assert_uint_ne(bootstrap_port, old);
	ck_assert_int_eq(bootstrap_look_up(old, "com.example.none", &p), BOOTSTRAP_UNKNOWN_SERVICE);
}
END_TEST

static uint64_t saved_start;

/* Every registration's owner start time unknown, as when /proc could not be read; noted first. */
static void forget_owner_starts(struct state *st)
{
	for (size_t i = 0; i < st->n_services; i++) {
		if (strcmp(st->services[i].name, REGISTERED) == 0)
			saved_start = st->services[i].owner_start;
		st->services[i].owner_start = 0;
	}
}

/*
 * The state records when a registration's owner started (read once, when
 * it registered).  Where that could not be read, the name is still kept
 * across a restart: the owner's pidfd, kept in the store, says that the
 * process lived through it.  Such a name used to be dropped, its owner
 * taken for gone.
 */
START_TEST(test_registration_kept_without_start_time)
{
	mach_port_t own;
	uint64_t start;

	use_store = 1;
	fake_fdstore_open(&store, td.dir);
	fake_fdstore_start(&store, &td);
	own = register_own();
	look_up(REGISTERED);    /* a later turn of its loop: the registration is saved */
	fake_fdstore_kill(&store, &td);
	state_edit(&store, forget_owner_starts);
	ck_assert_int_eq(process_start_time(getpid(), &start), 0);
	ck_assert_uint_eq(saved_start, start);
	fake_fdstore_start(&store, &td);
	ck_registered_reaches(own);
	ck_assert(!test_daemon_log_contains(&td, "dropped"));
}
END_TEST

/*
 * A registration whose owner exited while the daemon was down is gone
 * after the restart, though its port lives on elsewhere: the owner's
 * pidfd, kept in the store, reads that the process exited.
 */
START_TEST(test_registration_dropped_when_owner_exited_during_restart)
{
	mach_port_t taker, port, found;
	pid_t child;
	int go;

	use_store = 1;
	fake_fdstore_open(&store, td.dir);
	fake_fdstore_start(&store, &td);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, TAKER, &taker), BOOTSTRAP_SUCCESS);
	child = registrant_start(GONE, TAKER, &go);
	port = registrant_take(taker);
	look_up(GONE);          /* a later turn of its loop: the registration is saved */
	fake_fdstore_kill(&store, &td);
	registrant_end(child, go);
	fake_fdstore_start(&store, &td);
	/* Gone once the daemon is ready, not when it sees the exit later. */
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, GONE, &found), BOOTSTRAP_UNKNOWN_SERVICE);
	ck_assert(test_daemon_log_contains(&td, "exited during the restart"));
	mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
}
END_TEST

/* An adopted process that is not the daemon's child: its exit is seen, and demand starts it again. */
START_TEST(test_adopted_exit_seen)
{
	struct echo_msg r;
	mach_port_t echo;
	pid_t pid;

	use_store = 1;
	add_echo(ECHO_SERVICE_NAME, "<key>ThrottleInterval</key><integer>1</integer>\n");
	fake_fdstore_open(&store, td.dir);
	fake_fdstore_start(&store, &td);
	echo = look_up(ECHO_SERVICE_NAME);
	pid = echo_query(echo).pid;
	look_up(ECHO_SERVICE_NAME);
	fake_fdstore_kill(&store, &td);
	fake_fdstore_start(&store, &td);
	ck_assert_int_eq(echo_send(echo, ECHO_CRASH, 0, 0), 0);
	wait_state(ECHO_SERVICE_NAME, "waiting");
	r = echo_query(echo);
	ck_assert_int_ne(r.pid, pid);
	ck_assert(test_daemon_log_contains(&td, "exited while not our child"));
}
END_TEST

/* A job that ended while the daemon was down is seen as ended: started again on demand, once. */
START_TEST(test_exited_while_down)
{
	mach_port_t echo;
	pid_t pid;

	use_store = 1;
	add_echo(ECHO_SERVICE_NAME, "<key>ThrottleInterval</key><integer>1</integer>\n");
	fake_fdstore_open(&store, td.dir);
	fake_fdstore_start(&store, &td);
	echo = look_up(ECHO_SERVICE_NAME);
	pid = echo_query(echo).pid;
	look_up(ECHO_SERVICE_NAME);
	fake_fdstore_kill(&store, &td);
	kill(pid, SIGKILL);
	fake_fdstore_start(&store, &td);
	ck_assert_int_ne(echo_query(echo).pid, pid);
	ck_assert(test_daemon_log_contains(&td, "exited while not our child"));
}
END_TEST

/*
 * A request in flight when the daemon dies (no fd store: it does not come
 * back) gets an error, not a hang: its reply right died with the daemon,
 * and the library's one retry finds no daemon.
 */
START_TEST(test_request_in_flight_gets_error)
{
	pid_t child;
	int status;

	add_echo(ECHO_SERVICE_NAME, "");
	test_daemon_start(&td);
	look_up(ECHO_SERVICE_NAME);
	test_daemon_pause(&td);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		mach_port_t p;

		_exit(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &p) == KERN_SUCCESS ? 0 : 7);
	}
	test_pause_ms(50);   /* most often the request is queued by now; if not, its send fails */
	test_daemon_signal(&td, SIGKILL);
	test_daemon_wait(&td);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 7);
}
END_TEST

/* A truncated state is refused: the daemon starts afresh, and listens again. */
START_TEST(test_damaged_state_refused)
{
	pid_t old;

	use_store = 1;
	add_echo(ECHO_SERVICE_NAME, "");
	fake_fdstore_open(&store, td.dir);
	fake_fdstore_start(&store, &td);
	old = echo_query(look_up(ECHO_SERVICE_NAME)).pid;
	look_up(ECHO_SERVICE_NAME);
	fake_fdstore_kill(&store, &td);
	fake_fdstore_damage(&store, 40);
	fake_fdstore_start(&store, &td);
	/* A fresh start knows nothing of the old job, which is left running. */
	ck_assert_int_ne(echo_query(look_up(ECHO_SERVICE_NAME)).pid, old);
	kill(old, SIGKILL);
	ck_assert(test_daemon_log_contains(&td, "the saved state was refused"));
}
END_TEST

/* A crash after a re-exec restores what changed after the re-exec, not before. */
START_TEST(test_reexec_then_sigkill)
{
	static struct bsctl_out out;
	mach_port_t echo, own;
	pid_t pid;

	use_store = 1;
	add_echo(ECHO_SERVICE_NAME, "");
	fake_fdstore_open(&store, td.dir);
	fake_fdstore_start(&store, &td);
	echo = look_up(ECHO_SERVICE_NAME);
	for (int i = 0; i < 5; i++)
		pid = echo_query(echo).pid;     /* a few saves before the re-exec */
	ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
	own = register_own();
	look_up(ECHO_SERVICE_NAME);
	fake_fdstore_kill(&store, &td);
	fake_fdstore_start(&store, &td);
	ck_assert_int_eq(echo_query(echo).pid, pid);
	look_up(REGISTERED);
	mach_port_mod_refs(mach_task_self(), own, MACH_PORT_RIGHT_RECEIVE, -1);
}
END_TEST

static Suite *restart_suite(void)
{
	Suite *s = suite_create("restart");
	TCase *tc = tcase_create("restart");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_reexec_keeps_everything);
	tcase_add_test(tc, test_sigkill_keeps_everything);
	tcase_add_test(tc, test_adopted_exit_seen);
	tcase_add_test(tc, test_exited_while_down);
	tcase_add_test(tc, test_request_in_flight_gets_error);
	tcase_add_test(tc, test_damaged_state_refused);
	tcase_add_test(tc, test_reexec_then_sigkill);
	tcase_add_test(tc, test_release_seen_after_reexec);
	tcase_add_test(tc, test_registration_goes_with_its_process_after_reexec);
	tcase_add_test(tc, test_registration_kept_without_start_time);
	tcase_add_test(tc, test_registration_dropped_when_owner_exited_during_restart);
	tcase_add_test(tc, test_job_registration_kept_across_reexec);
	tcase_add_test(tc, test_old_bootstrap_name_after_reconnect);
	tcase_add_test(tc, test_sigterm_during_reexec_waits);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(restart_suite(), NULL, 0, argc, argv);
}
