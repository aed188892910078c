/* SPDX-License-Identifier: MIT */
/*
 * check-limits.c - bootstrapd under hostile input and scarce fds: the
 * daemon logs, keeps running, and loses no queued message.
 */
#include <check.h>
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
#include "helpers/privtmp.h"
#include "helpers/runner.h"

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

/* The root part (runner.h): the callers are uid 65534. */
START_TEST(test_system_domain_register_needs_root)
{
	td.system = 1;
	ck_assert_int_eq(chmod(td.dir, 0755), 0);
	test_daemon_start(&td);
	ck_assert_int_eq(as_nobody(register_squat), 0);
	ck_assert(wait_log("tried to register com.example.squat in the system domain"));
}
END_TEST

START_TEST(test_user_domain_refuses_other_users)
{
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

/*
 * Without XDG_RUNTIME_DIR the user domain listens in /tmp, and clients look
 * there.  That path is fixed (/tmp/bootstrapd-UID/socket): the test runs in
 * a /tmp of its own (the private-tmp part), so no other run or real daemon
 * shares it.
 */
START_TEST(test_user_socket_without_xdg)
{
	char path[256];
	mach_port_t port;

	test_daemon_stop(&td);          /* its directory was made in the shared /tmp */
	privtmp_enter();
	test_daemon_init(&td, "limits");
	snprintf(path, sizeof(path), "/tmp/bootstrapd-%d/socket", (int)getuid());
	ck_assert_int_ne(access(path, F_OK), 0);
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

static TCase *daemon_case(const char *name, const char *tag)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	if (tag)
		tcase_set_tags(tc, tag);
	return tc;
}

static Suite *limits_suite(void)
{
	Suite *s = suite_create("limits");
	TCase *tc = daemon_case("daemon", NULL);

	tcase_add_test(tc, test_garbage_requests_are_dropped);
	tcase_add_test(tc, test_out_of_fds_pauses_accept_and_recovers);
	tcase_add_test(tc, test_wrong_body_size_gets_an_error);
	tcase_add_test(tc, test_bsctl_socket_beats_inherited_port);
	suite_add_tcase(s, tc);
	tc = daemon_case("other-uid", "root");
	tcase_add_test(tc, test_system_domain_register_needs_root);
	tcase_add_test(tc, test_user_domain_refuses_other_users);
	suite_add_tcase(s, tc);
	tc = daemon_case("default-socket", "private-tmp");
	tcase_add_test(tc, test_user_socket_without_xdg);
	suite_add_tcase(s, tc);
	return s;
}

/* Parts (runner.h): `check-limits root`, `check-limits private-tmp`. */
int main(int argc, char **argv)
{
	static const struct runner_part parts[] = {
		{ "root", runner_needs_root, "callers of another uid refused" },
		{ "private-tmp", privtmp_missing, "the default user socket in /tmp" },
	};

	return runner_main(limits_suite(), parts, 2, argc, argv);
}
