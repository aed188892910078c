/* SPDX-License-Identifier: MIT */
/*
 * check-conn-reply - bootstrap look-ups answered on the bootstrap
 * connection itself (msg-conn.h, bootstrap-wire(7) WIRE_BITS_ONCONN),
 * between real processes: answers are never swapped between threads, nor
 * between a parent and its forked child sharing the connection; an answer
 * whose caller timed out is dropped; the answer looks as if it came to the
 * reply port (name, bits, a trailer naming the daemon that sent it); a
 * process sharing the connection that asks for answers on it is refused;
 * look-ups go on across a re-exec and a kill -9 with the fd store, even
 * one waiting when the daemon is killed; one waiting when the daemon dies
 * fails at once, as with a reply right.
 */
#include <check.h>
#include <stddef.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/sockios.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/fake-fdstore.h"
#include "wire.h"

#define NSERVICES 4
#define LOOK_UP_ID 404          /* look_up2 */
#define ROUNDS 150

static struct test_daemon td;
static struct fake_fdstore store;
static int use_store;
static pid_t service_pid[NSERVICES];

#pragma pack(push, 4)
struct lu_request {
	mach_msg_header_t head;
	NDR_record_t ndr;
	name_t name;
	int targetpid;
	uint64_t flags;
};

struct lu_reply {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
};
#pragma pack(pop)

union lu_msg {
	struct lu_request req;
	struct lu_reply rep;
	char buf[sizeof(struct lu_request) + MAX_TRAILER_SIZE];
};

static void setup(void)
{
	fake_fdstore_fixture_setup(&td, "conn-reply");
}

static void teardown(void)
{
	fake_fdstore_fixture_teardown(&td, &store, &use_store);
}

static void service_name(char *buf, size_t len, unsigned i)
{
	snprintf(buf, len, "com.example.conn%u", i);
}

static void add_services(void)
{
	for (unsigned i = 0; i < NSERVICES; i++) {
		char name[64], *body;

		service_name(name, sizeof(name), i);
		ck_assert_int_gt(asprintf(&body,
			"<key>ProgramArguments</key><array><string>%s</string><string>%s</string></array>\n"
			"<key>MachServices</key><dict><key>%s</key><true/></dict>\n",
			getenv("ECHO_SERVICE"), name, name), 0);
		test_daemon_add_job(&td, name, body);
		free(body);
	}
}

/* Which service a right is: the pid of the process answering it, or -1. */
static pid_t pid_behind(mach_port_t port)
{
	struct echo_msg r;

	if (echo_call(port, &r) != ECHO_QUERY + 100)
		return -1;
	return r.pid;
}

/* Look up service @i; 0 if the right is service @i's (the one that answers is its process). */
static int look_up_check(unsigned i)
{
	char name[64];
	mach_port_t port = MACH_PORT_NULL;
	pid_t pid;

	service_name(name, sizeof(name), i);
	if (bootstrap_look_up(bootstrap_port, name, &port) != KERN_SUCCESS)
		return -1;
	pid = pid_behind(port);
	mach_port_deallocate(mach_task_self(), port);
	return pid == service_pid[i] ? 0 : -1;
}

/* Start every service and note which process answers each name. */
static void start_services(void)
{
	for (unsigned i = 0; i < NSERVICES; i++) {
		char name[64];
		mach_port_t port;

		service_name(name, sizeof(name), i);
		ck_assert_int_eq(bootstrap_look_up(bootstrap_port, name, &port), KERN_SUCCESS);
		service_pid[i] = pid_behind(port);
		ck_assert_int_gt(service_pid[i], 0);
		mach_port_deallocate(mach_task_self(), port);
	}
	for (unsigned i = 1; i < NSERVICES; i++)
		ck_assert_int_ne(service_pid[i], service_pid[0]);
}

static void start(void)
{
	add_services();
	test_daemon_start(&td);
	start_services();
}

struct worker {
	pthread_t thread;
	unsigned first;
	unsigned rounds;
	int failures;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;

	for (unsigned k = 0; k < w->rounds; k++)
		if (look_up_check((w->first + k) % NSERVICES) < 0)
			w->failures++;
	return NULL;
}

START_TEST(test_threads_get_their_own_answers)
{
	struct worker w[NSERVICES];

	start();
	for (unsigned i = 0; i < NSERVICES; i++) {
		w[i] = (struct worker){ .first = i, .rounds = ROUNDS };
		ck_assert_int_eq(pthread_create(&w[i].thread, NULL, worker_run, &w[i]), 0);
	}
	for (unsigned i = 0; i < NSERVICES; i++) {
		pthread_join(w[i].thread, NULL);
		ck_assert_int_eq(w[i].failures, 0);
	}
}
END_TEST

/* Look-ups in a child forked from here, while the parent looks up others: status 0 if all right. */
START_TEST(test_fork_parent_and_child)
{
	struct worker w = { .first = 0, .rounds = ROUNDS };
	int status;
	pid_t child;

	start();
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		w.first = 1;
		alarm(60);      /* an answer stolen by the parent would block the child forever */
		worker_run(&w);
		_exit(w.failures ? 1 : 0);
	}
	alarm(60);      /* likewise the parent, should the child take its answers */
	worker_run(&w);
	ck_assert_int_eq(w.failures, 0);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/*
 * A look-up of service @i shaped as MIG makes it, with MACH_RCV_TIMEOUT @ms
 * and options @more (MACH_RCV_LARGE: a shape not answered on the connection).
 */
static mach_msg_return_t hand_look_up(unsigned i, mach_port_t reply, mach_msg_timeout_t ms,
				      mach_msg_option_t more, union lu_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m->req.head.msgh_size = sizeof(m->req);
	m->req.head.msgh_remote_port = bootstrap_port;
	m->req.head.msgh_local_port = reply;
	m->req.head.msgh_id = LOOK_UP_ID;
	m->req.ndr = NDR_record;
	service_name(m->req.name, sizeof(m->req.name), i);
	return mach_msg(&m->req.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT |
			MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT) | more,
			sizeof(m->req), sizeof(*m), reply, ms, MACH_PORT_NULL);
}

/* A look-up of service @i on the connection: its audit trailer names the daemon that runs now. */
static void answer_names_daemon(unsigned i)
{
	const mach_msg_audit_trailer_t *t;
	mach_port_t reply;
	union lu_msg m;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply),
			 KERN_SUCCESS);
	ck_assert_int_eq(hand_look_up(i, reply, 20000, 0, &m), MACH_MSG_SUCCESS);
	t = (const void *)(m.buf + round_msg(m.rep.head.msgh_size));
	ck_assert_uint_eq(t->msgh_trailer_size, sizeof(mach_msg_audit_trailer_t));
	ck_assert_int_eq((pid_t)t->msgh_audit.val[5], td.pid);
	ck_assert_uint_eq(t->msgh_audit.val[1], getuid());      /* its euid */
	mach_port_deallocate(mach_task_self(), m.rep.port.name);
	mach_port_destroy(mach_task_self(), reply);
}

START_TEST(test_timed_out_answer_dropped)
{
	mach_port_t reply;
	union lu_msg m;

	start();
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply),
			 KERN_SUCCESS);
	/* The daemon stopped: this call cannot be answered before it gives up. */
	test_daemon_pause(&td);
	ck_assert_int_eq(hand_look_up(0, reply, 50, 0, &m), MACH_RCV_TIMED_OUT);
	test_daemon_resume(&td);
	/* Its answer (service 0) comes now, before this call's own (service 1). */
	ck_assert_int_eq(hand_look_up(1, reply, 20000, 0, &m), MACH_MSG_SUCCESS);
	ck_assert(MACH_MSGH_BITS_IS_COMPLEX(m.rep.head.msgh_bits));
	ck_assert_uint_eq(MACH_MSGH_BITS_LOCAL(m.rep.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_uint_eq(MACH_MSGH_BITS_REMOTE(m.rep.head.msgh_bits), 0);
	ck_assert_uint_eq(m.rep.head.msgh_local_port, reply);
	ck_assert_uint_eq(m.rep.head.msgh_remote_port, MACH_PORT_NULL);
	ck_assert_int_eq(m.rep.head.msgh_id, LOOK_UP_ID + 100);
	ck_assert_int_eq(pid_behind(m.rep.port.name), service_pid[1]);
	mach_port_deallocate(mach_task_self(), m.rep.port.name);
	answer_names_daemon(1);         /* as the kernel saw it send */
	/* A send timeout too (as a MIG WaitTime makes): answered alike. */
	ck_assert_int_eq(hand_look_up(1, reply, 20000, MACH_SEND_TIMEOUT, &m), MACH_MSG_SUCCESS);
	ck_assert_int_eq(pid_behind(m.rep.port.name), service_pid[1]);
	mach_port_deallocate(mach_task_self(), m.rep.port.name);
	ck_assert_int_eq(look_up_check(2), 0);
}
END_TEST

struct reexec_arg {
	volatile int stop;
	int failures;
	unsigned done;
};

static void *look_up_until_stopped(void *arg)
{
	struct reexec_arg *a = arg;

	for (unsigned k = 0; !a->stop || k < 20; k++, a->done++)
		if (look_up_check(k % NSERVICES) < 0)
			a->failures++;
	return NULL;
}

START_TEST(test_reexec_keeps_answering)
{
	struct reexec_arg a = { 0 };
	static struct bsctl_out out;
	pthread_t t;

	start();
	ck_assert_int_eq(pthread_create(&t, NULL, look_up_until_stopped, &a), 0);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
	a.stop = 1;
	pthread_join(t, NULL);
	ck_assert_int_eq(a.failures, 0);
	ck_assert(test_daemon_log_contains(&td, "(re-exec)"));
}
END_TEST

START_TEST(test_sigkill_then_look_up)
{
	use_store = 1;
	add_services();
	fake_fdstore_open(&store, td.dir);
	fake_fdstore_start(&store, &td);
	start_services();
	fake_fdstore_kill(&store, &td);
	fake_fdstore_start(&store, &td);
	/* The connection died with the daemon: the library connects again. */
	for (unsigned i = 0; i < 2 * NSERVICES; i++)
		ck_assert_int_eq(look_up_check(i % NSERVICES), 0);
	/* Named by the daemon that answers, not by the one that made the listener. */
	answer_names_daemon(0);
}
END_TEST

/* The fd of this process's bootstrap connection: a socket connected to the daemon's. */
static int conn_fd(void)
{
	for (int i = 3; i < 256; i++) {
		struct sockaddr_un sun;
		socklen_t len = sizeof(sun);

		if (getpeername(i, (struct sockaddr *)&sun, &len) == 0 && sun.sun_family == AF_UNIX &&
		    len > offsetof(struct sockaddr_un, sun_path) && strcmp(sun.sun_path, td.socket) == 0)
			return i;
	}
	return -1;
}

/* The daemon's credentials, taken from the first answer, name it in the later ones. */
START_TEST(test_later_answers_name_the_daemon)
{
	int on = 1;
	socklen_t len = sizeof(on);

	start();
	ck_assert_int_eq(look_up_check(0), 0);
	ck_assert(getsockopt(conn_fd(), SOL_SOCKET, SO_PASSCRED, &on, &len) == 0 && on == 0);
	answer_names_daemon(1);
}
END_TEST

static void *look_up_service1(void *arg)
{
	*(int *)arg = look_up_check(1);
	return NULL;
}

static void *look_up_kr(void *arg)
{
	mach_port_t port;

	*(kern_return_t *)arg = bootstrap_look_up(bootstrap_port, "com.example.conn1", &port);
	return NULL;
}

/* Wait until this process's request is in the connection, unread by the stopped daemon. */
static void wait_queued(int fd)
{
	int queued = 0;

	while (queued <= 0)
		ck_assert_int_eq(ioctl(fd, SIOCOUTQ, &queued), 0);
}

/*
 * A look-up waiting on the connection when the daemon dies: the end of the
 * connection is the server's death, the look-up fails (no daemon to connect
 * to again) instead of waiting for ever, and the next one connects to the
 * next daemon.
 */
START_TEST(test_daemon_death_while_waiting)
{
	kern_return_t kr = KERN_SUCCESS;
	pthread_t t;
	int fd;

	start();
	fd = conn_fd();
	ck_assert_int_ge(fd, 0);
	test_daemon_pause(&td);
	ck_assert_int_eq(pthread_create(&t, NULL, look_up_kr, &kr), 0);
	wait_queued(fd);
	test_daemon_signal(&td, SIGKILL);
	test_daemon_wait(&td);
	pthread_join(t, NULL);
	ck_assert_int_ne(kr, KERN_SUCCESS);
	/* The dead daemon's jobs are ours (subreaper): they go with it. */
	for (unsigned i = 0; i < NSERVICES; i++) {
		kill(service_pid[i], SIGKILL);
		waitpid(service_pid[i], NULL, 0);
	}
	test_daemon_start(&td);
	look_up_kr(&kr);
	ck_assert_int_eq(kr, KERN_SUCCESS);
}
END_TEST

/*
 * A look-up waiting on the connection when the daemon is killed and started
 * again from the fd store: the connection ends with the daemon, the
 * look-up goes again on a new one, and answers name the next daemon.
 */
START_TEST(test_sigkill_while_waiting)
{
	int fd, result = -1;
	pthread_t t;

	use_store = 1;
	add_services();
	fake_fdstore_open(&store, td.dir);
	fake_fdstore_start(&store, &td);
	start_services();
	fd = conn_fd();
	ck_assert_int_ge(fd, 0);
	test_daemon_pause(&td);
	ck_assert_int_eq(pthread_create(&t, NULL, look_up_service1, &result), 0);
	wait_queued(fd);
	fake_fdstore_kill(&store, &td);
	fake_fdstore_start(&store, &td);
	pthread_join(t, NULL);
	ck_assert_int_eq(result, 0);
	answer_names_daemon(1);
}
END_TEST

/*
 * A process sharing the connection (a forked child, writing by hand)
 * asks for answers on it, with every call number: the daemon refuses
 * (one log line each) and the owner's look-ups get their own answers.
 */
START_TEST(test_sharer_asking_on_conn_refused)
{
	struct lu_request req;
	int fd, status;
	pid_t child;

	start();
	fd = conn_fd();
	ck_assert_int_ge(fd, 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct wire_hdr h = {
			.magic = WIRE_MAGIC,
			.bits = WIRE_BITS_ONCONN | MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE,
								  MACH_MSG_TYPE_PORT_SEND),
			.id = LOOK_UP_ID,
			.body_len = sizeof(req) - sizeof(req.head),
			.data_len = sizeof(req) - sizeof(req.head),
		};

		memset(&req, 0, sizeof(req));
		req.ndr = NDR_record;
		strcpy(req.name, "com.example.conn3");
		for (unsigned s = 0; s < 64; s++) {
			struct iovec iov[2] = { { &h, sizeof(h) }, { (char *)&req + sizeof(req.head),
								     h.body_len } };
			struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

			h.seq = (uint16_t)s;
			if (sendmsg(fd, &mh, 0) < 0)
				_exit(2);
		}
		_exit(0);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	for (unsigned k = 0; k < 64; k++)
		ck_assert_int_eq(look_up_check(k % 3), 0);
	ck_assert(test_daemon_log_contains(&td, "did not make"));
}
END_TEST

/* Look service @i up the ordinary way: MACH_RCV_LARGE is not a shape answered on the connection. */
static mach_port_t look_up_ordinary(unsigned i)
{
	union lu_msg m;
	mach_port_t reply;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply),
			 KERN_SUCCESS);
	ck_assert_int_eq(hand_look_up(i, reply, 20000, MACH_RCV_LARGE, &m), MACH_MSG_SUCCESS);
	ck_assert_int_eq(m.rep.head.msgh_id, LOOK_UP_ID + 100);
	ck_assert(m.rep.head.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	return m.rep.port.name;
}

/*
 * On the connection the daemon says which port a right is (WIRE_F_INO), and
 * the library names it by that word: it must agree with the kernel's, so
 * that both ways give one name, with its references counted, for a port
 * made on demand and for one kept across a re-exec.
 */
START_TEST(test_vouched_identity_agrees)
{
	static struct bsctl_out out;
	mach_port_urefs_t refs;

	start();
	for (int round = 0; round < 2; round++) {
		for (unsigned i = 0; i < NSERVICES; i++) {
			char name[64];
			mach_port_t on_conn, ordinary;

			service_name(name, sizeof(name), i);
			ck_assert_int_eq(bootstrap_look_up(bootstrap_port, name, &on_conn),
					 KERN_SUCCESS);
			ordinary = look_up_ordinary(i);
			ck_assert_uint_eq(on_conn, ordinary);
			ck_assert_int_eq(mach_port_get_refs(mach_task_self(), on_conn,
							    MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
			ck_assert_uint_eq(refs, 2);
			ck_assert_int_eq(pid_behind(on_conn), service_pid[i]);
			ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), on_conn,
							    MACH_PORT_RIGHT_SEND, -2), KERN_SUCCESS);
		}
		if (round == 0)
			ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
	}
	ck_assert(test_daemon_log_contains(&td, "(re-exec)"));
}
END_TEST

/*
 * A job's process has its look-ups answered on the connection the daemon
 * made for it, naming the port it checked in under that name; a child it
 * forks shares the connection and goes the ordinary way; so again after a
 * re-exec, which adopts the job.  A refused request would never be
 * answered: the call would time out.
 */
START_TEST(test_job_answered_on_its_connection)
{
	static struct bsctl_out out;
	char name[64], line[96];
	mach_port_t port;
	struct echo_msg r;

	start();
	service_name(name, sizeof(name), 0);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, name, &port), KERN_SUCCESS);
	for (int round = 0; round < 2; round++) {
		ck_assert_int_eq(echo_request(port, ECHO_LOOK_UP, 20, &r), ECHO_LOOK_UP + 100);
		ck_assert_uint_eq(r.value, 7);  /* an inherited connection: each answer's credentials */
		ck_assert_int_eq(r.pid, service_pid[0]);
		if (round == 0)
			ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
	}
	snprintf(line, sizeof(line), "pid %d: answered on its connection (a job's)",
		 (int)service_pid[0]);
	ck_assert(test_daemon_log_contains(&td, line));
	ck_assert(!test_daemon_log_contains(&td, "did not make"));
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("conn-reply");
	TCase *tc = tcase_create("conn-reply");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_threads_get_their_own_answers);
	tcase_add_test(tc, test_fork_parent_and_child);
	tcase_add_test(tc, test_timed_out_answer_dropped);
	tcase_add_test(tc, test_reexec_keeps_answering);
	tcase_add_test(tc, test_sigkill_then_look_up);
	tcase_add_test(tc, test_later_answers_name_the_daemon);
	tcase_add_test(tc, test_sigkill_while_waiting);
	tcase_add_test(tc, test_daemon_death_while_waiting);
	tcase_add_test(tc, test_sharer_asking_on_conn_refused);
	tcase_add_test(tc, test_vouched_identity_agrees);
	tcase_add_test(tc, test_job_answered_on_its_connection);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
