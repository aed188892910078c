/* SPDX-License-Identifier: MIT */
/*
 * check-bootstrap.c - launchd's bootstrap calls beyond look-up and
 * declared check-in, against a real daemon: dynamic check-in by plain
 * processes, bootstrap_create_service(); a user domain asking the system
 * domain (two daemons: a system domain on a private socket, and a user
 * domain told where it is); bootstrap_info, _status, _parent, _look_up2.
 */
#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include <bootstrap/linux.h>
#include <bootstrap_priv.h>
#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/raw-client.h"
#include "helpers/runner.h"

#define DYN "com.example.dynamic"

static struct test_daemon td;

static void setup(void)
{
	test_daemon_init(&td, "bootstrap");
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

/* Look @name up until the daemon forgets it (bounded: a failure, not a hang). */
static kern_return_t look_up_until_gone(const char *name)
{
	kern_return_t kr = BOOTSTRAP_SUCCESS;
	mach_port_t found;

	for (int i = 0; i < 500 && kr == BOOTSTRAP_SUCCESS; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		kr = bootstrap_look_up(bootstrap_port, name, &found);
		if (kr == BOOTSTRAP_SUCCESS) {
			mach_port_deallocate(mach_task_self(), found);
			nanosleep(&ts, NULL);
		}
	}
	return kr;
}

/* A message with @id to @port; the id of the one received on @recv. */
static mach_msg_id_t round_trip(mach_port_t port, mach_port_t recv, mach_msg_id_t id)
{
	struct {
		mach_msg_header_t h;
		mach_msg_trailer_t t;
	} m = { .h = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		       .msgh_size = sizeof(mach_msg_header_t), .msgh_remote_port = port,
		       .msgh_id = id } };

	ck_assert_int_eq(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m.h), 0, MACH_PORT_NULL,
				  MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), recv,
				  10000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	return m.h.msgh_id;
}

/*
 * A child that does @act, tells @ready whether it worked ('y' or 'n') and
 * waits for @go to close, holding what it made.
 */
static pid_t holder(bool (*act)(void), int *ready, int *go)
{
	int r[2], g[2];
	pid_t pid;

	ck_assert_int_eq(pipe(r), 0);
	ck_assert_int_eq(pipe(g), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char c;

		close(r[0]);
		close(g[1]);
		c = act() ? 'y' : 'n';
		if (write(r[1], &c, 1) != 1 || read(g[0], &c, 1) < 0)
			_exit(2);
		_exit(0);
	}
	close(r[1]);
	close(g[0]);
	*ready = r[0];
	*go = g[1];
	return pid;
}

static bool check_in_dyn(void)
{
	mach_port_t recv;

	return bootstrap_check_in(bootstrap_port, DYN, &recv) == KERN_SUCCESS;
}

/* A child that checks in DYN, tells @ready, and waits for @go to close. */
static pid_t dynamic_holder(int *ready, int *go)
{
	return holder(check_in_dyn, ready, go);
}

START_TEST(test_dynamic_check_in_lives_with_its_process)
{
	mach_port_t port, mine;
	int ready, go, st;
	char c = 0;
	pid_t holder;

	test_daemon_start(&td);
	holder = dynamic_holder(&ready, &go);
	ck_assert_int_eq(read(ready, &c, 1), 1);
	ck_assert_int_eq(c, 'y');
	ck_assert(test_daemon_log_contains(&td, "checked in " DYN ": a dynamic service"));
	/* Another process may look it up, not take it. */
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, DYN, &port), BOOTSTRAP_SUCCESS);
	mach_port_deallocate(mach_task_self(), port);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, DYN, &mine), BOOTSTRAP_NOT_PRIVILEGED);
	ck_assert(test_daemon_log_contains(&td, "tried to check in " DYN));
	close(go);
	ck_assert_int_eq(waitpid(holder, &st, 0), holder);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(ready);
	ck_assert_int_eq(look_up_until_gone(DYN), BOOTSTRAP_UNKNOWN_SERVICE);
	ck_assert(test_daemon_log_contains(&td, "exited, name removed"));
	/* Free again: this process may make it now. */
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, DYN, &mine), BOOTSTRAP_SUCCESS);
}
END_TEST

/*
 * As launchd: a process holds its dynamic name's receive right once; only
 * after it let the right go may it check the name in again, and what was
 * sent meanwhile waits in the port.  A second check-in used to succeed,
 * naming the one port twice.
 */
START_TEST(test_dynamic_check_in_once_until_let_go)
{
	mach_port_t recv, again, send;
	bootstrap_status_t st = -1;

	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, DYN, &recv), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, DYN, &again), BOOTSTRAP_SERVICE_ACTIVE);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, DYN, &send), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), recv, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, DYN, &again), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(round_trip(send, again, 4343), 4343);
	/* Each check-in is sent after the right was let go: it finds the name
	 * free even when the daemon has not seen the release yet. */
	for (int i = 0; i < 50; i++) {
		ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), again,
						    MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
		ck_assert_int_eq(bootstrap_check_in(bootstrap_port, DYN, &again), BOOTSTRAP_SUCCESS);
	}
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), again, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	/* Let go and not taken again: on demand; the status's trial takes and drops it. */
	ck_assert_int_eq(bootstrap_status(bootstrap_port, (char *)DYN, &st), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(st, BOOTSTRAP_STATUS_ON_DEMAND);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, DYN, &again), BOOTSTRAP_SUCCESS);
}
END_TEST

START_TEST(test_create_service_then_check_in)
{
	mach_port_t send, recv;

	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_create_service(bootstrap_port, (char *)DYN, &send),
			 BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, DYN, &recv), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(round_trip(send, recv, 4242), 4242);
}
END_TEST

START_TEST(test_check_in_of_own_registered_name_is_active)
{
	mach_port_t recv, got;

	test_daemon_start(&td);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &recv), 0);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), recv, recv,
						MACH_MSG_TYPE_MAKE_SEND), 0);
	ck_assert_int_eq(bootstrap_register(bootstrap_port, (char *)"com.example.reg", recv),
			 BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, "com.example.reg", &got),
			 BOOTSTRAP_SERVICE_ACTIVE);
}
END_TEST

START_TEST(test_dynamic_check_in_of_a_declared_name_refused)
{
	mach_port_t port;

	echo_add_job(&td, NULL, NULL);
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, ECHO_SERVICE_NAME, &port),
			 BOOTSTRAP_NOT_PRIVILEGED);
}
END_TEST

/* A system daemon with the echo job, and the user daemon the client talks to. */
static void two_domains(struct test_daemon *sys)
{
	test_daemon_init(sys, "system");
	sys->system = 1;
	echo_add_job(sys, NULL, NULL);
	test_daemon_start(sys);
	free(td.system_socket);
	td.system_socket = strdup(sys->socket);
	ck_assert_ptr_nonnull(td.system_socket);
	setenv("BOOTSTRAP_SOCKET", td.socket, 1);       /* the client talks to the user domain */
	test_daemon_start(&td);
}

START_TEST(test_user_domain_asks_the_system_domain)
{
	struct test_daemon sys;
	mach_port_t port;

	two_domains(&sys);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port),
			 BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(echo_query(port).value, 0);    /* the LaunchDaemon answers */
	/* Logged once the check-in's reply went out: the job may have answered first. */
	ck_assert(test_daemon_wait_log(&sys, "checked in " ECHO_SERVICE_NAME, 10000));
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.nowhere", &port),
			 BOOTSTRAP_UNKNOWN_SERVICE);
	test_daemon_stop(&sys);
}
END_TEST

START_TEST(test_user_domain_without_a_system_domain)
{
	mach_port_t port;

	test_daemon_start(&td);         /* its system socket leads nowhere */
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port),
			 BOOTSTRAP_UNKNOWN_SERVICE);
}
END_TEST

START_TEST(test_parent_path_back_to_itself_does_not_loop)
{
	mach_port_t port;

	free(td.system_socket);
	td.system_socket = strdup(td.socket);
	ck_assert_ptr_nonnull(td.system_socket);
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.nowhere", &port),
			 BOOTSTRAP_UNKNOWN_SERVICE);
}
END_TEST

START_TEST(test_system_domain_gone_while_asked)
{
	struct test_daemon sys;
	mach_port_t port;

	two_domains(&sys);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port),
			 BOOTSTRAP_SUCCESS);
	test_daemon_stop(&sys);
	/* Its connection hung up: the next look-up is answered, not lost. */
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port),
			 BOOTSTRAP_UNKNOWN_SERVICE);
}
END_TEST

/* The status bootstrap_info gives @name, or -1 if it lists no such name. */
static int info_status(const char *name, char *label, size_t len)
{
	name_array_t names, jobs;
	bootstrap_status_array_t act;
	mach_msg_type_number_t nn, nj, na;
	int st = -1;

	ck_assert_int_eq(bootstrap_info(bootstrap_port, &names, &nn, &jobs, &nj, &act, &na, 0),
			 BOOTSTRAP_SUCCESS);
	ck_assert(nn == nj && nj == na);
	for (mach_msg_type_number_t i = 0; i < nn; i++)
		if (strcmp(names[i], name) == 0) {
			st = act[i];
			snprintf(label, len, "%s", jobs[i]);
		}
	vm_deallocate(mach_task_self(), (vm_address_t)names, nn * sizeof(name_t));
	vm_deallocate(mach_task_self(), (vm_address_t)jobs, nj * sizeof(name_t));
	vm_deallocate(mach_task_self(), (vm_address_t)act, na * sizeof(*act));
	return st;
}

START_TEST(test_info_and_status)
{
	bootstrap_status_t st = -1;
	mach_port_t recv;
	char label[128];

	echo_add_job(&td, NULL, NULL);
	test_daemon_add_job(&td, "com.example.kept", "<key>ProgramArguments</key><array>"
		"<string>/bin/sleep</string><string>60</string></array>"
		"<key>KeepAlive</key><true/>"
		"<key>MachServices</key><dict><key>com.example.kept</key><true/></dict>");
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, DYN, &recv), BOOTSTRAP_SUCCESS);
	/* As launchd: a job kept alive that does not hold its name is inactive. */
	ck_assert_int_eq(info_status("com.example.kept", label, sizeof(label)),
			 BOOTSTRAP_STATUS_INACTIVE);
	ck_assert_str_eq(label, "com.example.kept");
	ck_assert_int_eq(info_status(ECHO_SERVICE_NAME, label, sizeof(label)),
			 BOOTSTRAP_STATUS_ON_DEMAND);
	ck_assert_str_eq(label, ECHO_SERVICE_NAME);
	ck_assert_int_eq(info_status(DYN, label, sizeof(label)), BOOTSTRAP_STATUS_ACTIVE);
	ck_assert_str_eq(label, "");
	ck_assert_int_eq(info_status("com.example.none", label, sizeof(label)), -1);
	/* launchd's bootstrap_status: a name the caller cannot take reads active. */
	ck_assert_int_eq(bootstrap_status(bootstrap_port, (char *)ECHO_SERVICE_NAME, &st),
			 BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(st, BOOTSTRAP_STATUS_ACTIVE);
	/* Its own name, held: active, as launchd answers (its trial check-in is refused). */
	ck_assert_int_eq(bootstrap_status(bootstrap_port, (char *)DYN, &st), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(st, BOOTSTRAP_STATUS_ACTIVE);
	ck_assert_int_eq(bootstrap_status(bootstrap_port, (char *)"com.example.none", &st),
			 BOOTSTRAP_UNKNOWN_SERVICE);
}
END_TEST

START_TEST(test_look_up2_flags)
{
	struct test_daemon sys;
	mach_port_t port, recv;

	two_domains(&sys);
	ck_assert_int_eq(bootstrap_look_up2(bootstrap_port, ECHO_SERVICE_NAME, &port, 0,
					    BOOTSTRAP_FORCE_LOCAL), BOOTSTRAP_UNKNOWN_SERVICE);
	/* Root answered (the system domain, directly): a privileged server. */
	ck_assert_int_eq(bootstrap_look_up2(bootstrap_port, ECHO_SERVICE_NAME, &port, 0,
					    BOOTSTRAP_PRIVILEGED_SERVER), BOOTSTRAP_SUCCESS);
	/* A per-PID look-up finds per-PID names only (test_per_pid_names). */
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, DYN, &recv), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(bootstrap_look_up2(bootstrap_port, DYN, &port, getpid(),
					    BOOTSTRAP_PER_PID_SERVICE), BOOTSTRAP_UNKNOWN_SERVICE);
	ck_assert_int_eq(bootstrap_check_in2(bootstrap_port, "com.example.strict", &recv,
					     BOOTSTRAP_STRICT_CHECKIN), BOOTSTRAP_UNKNOWN_SERVICE);
	test_daemon_stop(&sys);
}
END_TEST

START_TEST(test_parent)
{
	struct test_daemon sys;
	mach_port_t parent, port;
	pid_t child;
	int st;

	two_domains(&sys);
	/* The user domain's parent is the system domain, which knows only its own. */
	ck_assert_int_eq(bootstrap_parent(bootstrap_port, &parent), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(bootstrap_look_up2(parent, ECHO_SERVICE_NAME, &port, 0,
					    BOOTSTRAP_FORCE_LOCAL), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(bootstrap_check_in(parent, DYN, &port), BOOTSTRAP_SUCCESS);
	ck_assert(test_daemon_log_contains(&sys, "checked in " DYN));
	/* Root only: another user may have the parent (the system domain's is
	 * itself), as from launchd, but may not make names there. */
	if (geteuid() != 0) {
		test_daemon_stop(&sys);
		return;
	}
	ck_assert_int_eq(chmod(sys.dir, 0711), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		mach_port_t sbp;

		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(2);
		if (bootstrap_port_connect(sys.socket, &sbp) != KERN_SUCCESS)
			_exit(3);
		if (bootstrap_check_in(sbp, "com.example.squat", &port) != BOOTSTRAP_NOT_PRIVILEGED ||
		    bootstrap_check_in2(sbp, "com.example.squat", &port, BOOTSTRAP_PER_PID_SERVICE) !=
		    BOOTSTRAP_NOT_PRIVILEGED)
			_exit(4);
		if (bootstrap_parent(sbp, &parent) != BOOTSTRAP_SUCCESS)
			_exit(1);
		_exit(bootstrap_look_up2(parent, ECHO_SERVICE_NAME, &port, 0,
					 BOOTSTRAP_FORCE_LOCAL) == BOOTSTRAP_SUCCESS ? 0 : 5);
	}
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert(test_daemon_log_contains(&sys, "tried to make com.example.squat in the system"));
	test_daemon_stop(&sys);
}
END_TEST

/*
 * A process that drops its bootstrap port, or sets it to MACH_PORT_NULL,
 * has cut itself off from the namespace, as on macOS (the sandboxing
 * idiom): the library used to connect it again behind its back.
 */
START_TEST(test_dropped_bootstrap_port_stays_dropped)
{
	mach_port_t port, old;
	mach_port_type_t type;

	echo_add_job(&td, NULL, NULL);
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port),
			 BOOTSTRAP_SUCCESS);
	old = bootstrap_port;
	while (mach_port_type(mach_task_self(), old, &type) == KERN_SUCCESS)
		ck_assert_int_eq(mach_port_deallocate(mach_task_self(), old), KERN_SUCCESS);
	ck_assert_int_eq(bootstrap_look_up(old, ECHO_SERVICE_NAME, &port), MACH_SEND_INVALID_DEST);
	ck_assert_int_eq(bootstrap_port, old);
	ck_assert_int_eq(task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
					       MACH_PORT_NULL), KERN_SUCCESS);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port),
			 MACH_SEND_INVALID_DEST);
	ck_assert_int_eq(bootstrap_port, MACH_PORT_NULL);
}
END_TEST

/*
 * Root only: a system domain's job that runs as another user makes names
 * there, as launchd lets its jobs (only a plain process of another user
 * is refused, as test_parent checks).
 */
START_TEST(test_system_job_of_another_user_makes_names)
{
	struct test_daemon sys;
	mach_port_t bp, port;
	char *body;

	if (geteuid() != 0)
		return;
	test_daemon_init(&sys, "system");
	sys.system = 1;
	ck_assert_int_gt(asprintf(&body, "<key>ProgramArguments</key><array><string>%s</string>"
		"<string>" DYN "</string></array><key>UserName</key><string>nobody</string>"
		"<key>RunAtLoad</key><true/>", getenv("ECHO_SERVICE")), 0);
	test_daemon_add_job(&sys, "com.example.nobody", body);
	test_daemon_start(&sys);
	ck_assert(test_daemon_wait_log(&sys, "checked in " DYN ", which it does not declare", 10000));
	ck_assert_int_eq(bootstrap_port_connect(sys.socket, &bp), KERN_SUCCESS);
	ck_assert_int_eq(bootstrap_look_up(bp, DYN, &port), BOOTSTRAP_SUCCESS);
	ck_assert_int_gt(echo_query(port).pid, 0);
	test_daemon_stop(&sys);
	free(body);
}
END_TEST

#define PP "com.example.per-pid"

static bool register_per_pid(void)
{
	mach_port_t p;

	return mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) == 0 &&
	       mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND) == 0 &&
	       bootstrap_register2(bootstrap_port, (char *)PP, p, BOOTSTRAP_PER_PID_SERVICE) == 0;
}

/*
 * As launchd, a per-PID name is its process's own: each process may have
 * the same one, a per-PID look-up names whose it wants, a plain look-up
 * never finds it, and the process checks in or registers it once.  It
 * used to be a name of the domain: refused to a second process, found by
 * plain look-ups.
 */
START_TEST(test_per_pid_names)
{
	mach_port_t mine, port, recv;
	int ready, go, st;
	char c = 0;
	pid_t child;

	test_daemon_start(&td);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine), 0);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), mine, mine,
						MACH_MSG_TYPE_MAKE_SEND), 0);
	ck_assert_int_eq(bootstrap_register2(bootstrap_port, (char *)PP, mine,
					     BOOTSTRAP_PER_PID_SERVICE), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(bootstrap_register2(bootstrap_port, (char *)PP, mine,
					     BOOTSTRAP_PER_PID_SERVICE), BOOTSTRAP_SERVICE_ACTIVE);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, PP, &port), BOOTSTRAP_UNKNOWN_SERVICE);
	ck_assert_int_eq(bootstrap_look_up2(bootstrap_port, PP, &port, getpid(),
					    BOOTSTRAP_PER_PID_SERVICE), BOOTSTRAP_SUCCESS);
	ck_assert_uint_eq(port, mine);
	child = holder(register_per_pid, &ready, &go);
	ck_assert_int_eq(read(ready, &c, 1), 1);
	ck_assert_int_eq(c, 'y');
	ck_assert_int_eq(bootstrap_look_up2(bootstrap_port, PP, &port, child,
					    BOOTSTRAP_PER_PID_SERVICE), BOOTSTRAP_SUCCESS);
	ck_assert_uint_ne(port, mine);
	/* A per-PID check-in makes one, held once. */
	ck_assert_int_eq(bootstrap_check_in2(bootstrap_port, DYN, &recv, BOOTSTRAP_PER_PID_SERVICE),
			 BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(bootstrap_check_in2(bootstrap_port, DYN, &port, BOOTSTRAP_PER_PID_SERVICE),
			 BOOTSTRAP_SERVICE_ACTIVE);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, DYN, &port), BOOTSTRAP_UNKNOWN_SERVICE);
	close(go);
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(ready);
}
END_TEST

/* The generated demux: launchd's skipped ids are unknown, a short body is malformed. */
START_TEST(test_skipped_ids_and_short_bodies)
{
	static const mach_msg_id_t skipped[] = { 399, 400, 401, 405, 407, 409 };
	mach_msg_id_t got;
	kern_return_t ret;
	mach_port_t bp, port;

	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_port_connect(td.socket, &bp), KERN_SUCCESS);
	for (size_t i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++) {
		ck_assert_int_eq(raw_call_id(bp, skipped[i], 10000, &got, &ret), MACH_MSG_SUCCESS);
		ck_assert_int_eq(got, skipped[i] + 100);
		ck_assert_int_eq(ret, MIG_BAD_ID);
	}
	ck_assert_int_eq(raw_call_id(bp, 402, 10000, &got, &ret), MACH_MSG_SUCCESS);
	ck_assert_int_eq(got, 502);
	ck_assert_int_eq(ret, MIG_BAD_ARGUMENTS);
	ck_assert(test_daemon_log_contains(&td, "unknown request 405"));
	ck_assert(test_daemon_log_contains(&td, "malformed request 402"));
	/* The daemon still answers. */
	ck_assert_int_eq(bootstrap_look_up(bp, "com.example.none", &port), BOOTSTRAP_UNKNOWN_SERVICE);
	mach_port_deallocate(mach_task_self(), bp);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bootstrap");
	TCase *tc = tcase_create("daemon");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_dynamic_check_in_lives_with_its_process);
	tcase_add_test(tc, test_create_service_then_check_in);
	tcase_add_test(tc, test_dynamic_check_in_once_until_let_go);
	tcase_add_test(tc, test_check_in_of_own_registered_name_is_active);
	tcase_add_test(tc, test_dynamic_check_in_of_a_declared_name_refused);
	tcase_add_test(tc, test_user_domain_asks_the_system_domain);
	tcase_add_test(tc, test_user_domain_without_a_system_domain);
	tcase_add_test(tc, test_parent_path_back_to_itself_does_not_loop);
	tcase_add_test(tc, test_system_domain_gone_while_asked);
	tcase_add_test(tc, test_info_and_status);
	tcase_add_test(tc, test_look_up2_flags);
	tcase_add_test(tc, test_per_pid_names);
	tcase_add_test(tc, test_parent);
	tcase_add_test(tc, test_skipped_ids_and_short_bodies);
	tcase_add_test(tc, test_dropped_bootstrap_port_stays_dropped);
	tcase_add_test(tc, test_system_job_of_another_user_makes_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(suite(), NULL, 0, argc, argv);
}
