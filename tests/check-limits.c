/* SPDX-License-Identifier: MIT */
/*
 * check-limits.c - bootstrapd under hostile input and scarce fds: the
 * daemon logs, keeps running, and loses no queued message.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/job-state.h"

static struct test_daemon td;

static void setup(void)
{
	test_daemon_init(&td, "limits");
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

static int connect_raw(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	strncpy(sun.sun_path, td.socket, sizeof(sun.sun_path) - 1);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

static int wait_log(const char *text)
{
	for (int i = 0; i < 1000; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		if (test_daemon_log_contains(&td, text))
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

START_TEST(test_garbage_requests_are_dropped)
{
	static const size_t sizes[] = { 0, 1, 7, 31, 32, 100, 4095, 4096, 5000, 65536 };
	char *junk = malloc(65536);
	mach_port_t port;
	int fd;

	ck_assert_ptr_nonnull(junk);
	srand(42);
	for (size_t i = 0; i < 65536; i++)
		junk[i] = (char)rand();
	test_daemon_add_job(&td, "com.example.svc",
		"<key>Program</key><string>/bin/true</string>\n"
		"<key>MachServices</key><dict><key>com.example.svc</key><true/></dict>");
	test_daemon_start(&td);
	fd = connect_raw();
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		send(fd, junk, sizes[i], MSG_NOSIGNAL);
	ck_assert(wait_log("malformed request"));
	/* The daemon still answers, this client and others. */
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.svc", &port), BOOTSTRAP_SUCCESS);
	close(fd);
	free(junk);
}
END_TEST

START_TEST(test_out_of_fds_pauses_accept_and_recovers)
{
	int fds[64];
	mach_port_t port;

	td.nofile = 24;
	test_daemon_add_job(&td, "com.example.svc",
		"<key>Program</key><string>/bin/true</string>\n"
		"<key>MachServices</key><dict><key>com.example.svc</key><true/></dict>");
	test_daemon_start(&td);
	for (int i = 0; i < 64; i++)
		fds[i] = connect_raw();         /* the backlog takes what accept cannot */
	ck_assert(wait_log("out of file descriptors"));
	for (int i = 0; i < 64; i++)
		close(fds[i]);
	ck_assert(wait_log("accepting connections again"));
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.svc", &port), BOOTSTRAP_SUCCESS);
}
END_TEST

START_TEST(test_wrong_body_size_gets_an_error)
{
	union {
		struct {
			mach_msg_header_t head;
			char junk[40];
		} req;
		mig_reply_error_t err;
		char buf[256];
	} m;
	mach_port_t reply;

	test_daemon_start(&td);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply), 0);
	memset(&m, 0, sizeof(m));
	m.req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.req.head.msgh_remote_port = bootstrap_port;
	m.req.head.msgh_local_port = reply;
	m.req.head.msgh_id = 404;         /* look_up, with a body of the wrong size */
	ck_assert_int_eq(mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				  sizeof(m.req), sizeof(m), reply, 10000, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(m.err.Head.msgh_id, 504);
	ck_assert_int_eq(m.err.RetCode, MIG_BAD_ARGUMENTS);
	m.req.head.msgh_remote_port = bootstrap_port;
	m.req.head.msgh_local_port = reply;
	m.req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.req.head.msgh_id = 12345;       /* unknown request */
	ck_assert_int_eq(mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				  sizeof(m.req), sizeof(m), reply, 10000, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(m.err.RetCode, MIG_BAD_ID);
	ck_assert(test_daemon_log_contains(&td, "unknown request 12345"));
}
END_TEST

/*
 * A port's queue is bounded.  The job below is launched by the first
 * message but does not check in until the test opens a FIFO, so the
 * numbered messages pile up in its port until a send with a timeout times
 * out; that message is not queued, nor are the retries of it.  Released,
 * the job receives every message that was accepted and then the rest,
 * sent blocking: echo-service counts them and checks that each number
 * follows the one before, from 0, so a lost, repeated or reordered
 * message shows.
 */
START_TEST(test_full_queue_loses_no_message)
{
	enum { CAP = 4096, AFTER = 200 };      /* it holds a few hundred here */
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	mach_port_t port;
	uint32_t next = 0;
	struct echo_msg r;
	char *gate, *body;
	int fd;

	ck_assert_int_gt(asprintf(&gate, "%s/gate", td.dir), 0);
	ck_assert_int_eq(mkfifo(gate, 0600), 0);
	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string>"
		"<string>read go &lt; %s; exec %s %s</string></array>\n"
		"<key>MachServices</key><dict><key>" ECHO_SERVICE_NAME "</key><true/></dict>",
		gate, getenv("ECHO_SERVICE"), ECHO_SERVICE_NAME), 0);
	test_daemon_add_job(&td, ECHO_SERVICE_NAME, body);
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port), BOOTSTRAP_SUCCESS);
	while (next < CAP && (mr = echo_send(port, ECHO_DATA, next, 1)) == MACH_MSG_SUCCESS)
		next++;
	ck_assert_msg(mr == MACH_SEND_TIMED_OUT, "%u messages sent, the last: %s", next,
		      mach_error_string(mr));
	ck_assert_uint_gt(next, 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(echo_send(port, ECHO_DATA, next, 1), MACH_SEND_TIMED_OUT);
	/* The first message launched the job, once; it has not checked in. */
	job_state_assert(ECHO_SERVICE_NAME, "running", 1);
	fd = open(gate, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "go\n", 3), 3);
	close(fd);
	for (uint32_t i = 0; i < AFTER; i++, next++)
		ck_assert_int_eq(echo_send(port, ECHO_DATA, next, 0), MACH_MSG_SUCCESS);
	r = echo_query(port);
	ck_assert_uint_eq(r.value, next);       /* each number once, */
	ck_assert_uint_eq(r.ok, 1);             /* in order */
	free(gate);
	free(body);
}
END_TEST

/* Run @fn as uid 65534 in a child.  Return: the child's exit status. */
static int as_nobody(int (*fn)(void))
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(setgid(65534) == 0 && setuid(65534) == 0 ? fn() : 99);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static int register_squat(void)
{
	mach_port_t mine;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine);
	mach_port_insert_right(mach_task_self(), mine, mine, MACH_MSG_TYPE_MAKE_SEND);
	return bootstrap_register(bootstrap_port, (char *)"com.example.squat", mine) ==
	       BOOTSTRAP_NOT_PRIVILEGED ? 0 : 1;
}

static int look_up_foreign(void)
{
	mach_port_t port;

	return bootstrap_look_up(bootstrap_port, "com.example.svc", &port) ==
	       BOOTSTRAP_NOT_PRIVILEGED ? 0 : 1;
}

START_TEST(test_system_domain_register_needs_root)
{
	if (geteuid() != 0) {
		printf("skipped: needs root to run a caller as another uid\n");
		return;
	}
	td.system = 1;
	ck_assert_int_eq(chmod(td.dir, 0755), 0);
	test_daemon_start(&td);
	ck_assert_int_eq(as_nobody(register_squat), 0);
	ck_assert(wait_log("tried to register com.example.squat in the system domain"));
}
END_TEST

START_TEST(test_user_domain_refuses_other_users)
{
	if (geteuid() != 0) {
		printf("skipped: needs root to run a caller as another uid\n");
		return;
	}
	test_daemon_add_job(&td, "com.example.svc",
		"<key>Program</key><string>/bin/true</string>\n"
		"<key>MachServices</key><dict><key>com.example.svc</key><true/></dict>");
	ck_assert_int_eq(chmod(td.dir, 0755), 0);
	test_daemon_start(&td);
	ck_assert_int_eq(as_nobody(look_up_foreign), 0);
	ck_assert(wait_log("not the owner of this user domain"));
}
END_TEST

/* A tool run by a job is given another domain's socket: it must talk there. */
START_TEST(test_bsctl_socket_beats_inherited_port)
{
	struct bsctl_out *r = calloc(1, sizeof(*r));
	char fdstr[16];
	int sv[2];

	ck_assert_ptr_nonnull(r);
	test_daemon_start(&td);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	close(sv[0]);           /* the inherited port leads nowhere */
	snprintf(fdstr, sizeof(fdstr), "%d", sv[1]);
	setenv("BOOTSTRAP_FD", fdstr, 1);
	ck_assert_int_eq(bsctl_run(r, (uid_t)-1, (const char *const[]){ "--socket", td.socket,
									"list", NULL }), 0);
	unsetenv("BOOTSTRAP_FD");
	ck_assert_ptr_nonnull(strstr(r->out, "PID\tStatus\tLabel"));
	close(sv[1]);
	free(r);
}
END_TEST

/* Without XDG_RUNTIME_DIR the user domain listens in /tmp, and clients look there. */
START_TEST(test_user_socket_without_xdg)
{
	char path[256];
	mach_port_t port;

	snprintf(path, sizeof(path), "/tmp/bootstrapd-%d/socket", (int)getuid());
	if (access(path, F_OK) == 0) {
		printf("skipped: %s exists (a real daemon may be using it)\n", path);
		return;
	}
	unsetenv("XDG_RUNTIME_DIR");
	unsetenv("BOOTSTRAP_SOCKET");
	free(td.socket);
	td.socket = strdup(path);
	td.default_socket = 1;
	test_daemon_add_job(&td, "com.example.svc",
		"<key>Program</key><string>/bin/true</string>\n"
		"<key>MachServices</key><dict><key>com.example.svc</key><true/></dict>");
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.svc", &port), BOOTSTRAP_SUCCESS);
}
END_TEST

static Suite *limits_suite(void)
{
	Suite *s = suite_create("limits");
	TCase *tc = tcase_create("daemon");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_garbage_requests_are_dropped);
	tcase_add_test(tc, test_out_of_fds_pauses_accept_and_recovers);
	tcase_add_test(tc, test_wrong_body_size_gets_an_error);
	tcase_add_test(tc, test_full_queue_loses_no_message);
	tcase_add_test(tc, test_system_domain_register_needs_root);
	tcase_add_test(tc, test_user_domain_refuses_other_users);
	tcase_add_test(tc, test_bsctl_socket_beats_inherited_port);
	tcase_add_test(tc, test_user_socket_without_xdg);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(limits_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
