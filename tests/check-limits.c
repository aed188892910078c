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
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/notify.h>
#include <servers/bootstrap.h>
#include <bootstrap/linux.h>

#include "bootstrap-mig.h"
#include "bootstrap-proto.h"
#include "wire.h"

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/fdcheck.h"
#include "helpers/echo-client.h"
#include "helpers/job-state.h"
#include "helpers/privtmp.h"
#include "helpers/raw-client.h"
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
	return test_daemon_wait_log(&td, text, 10000);
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

/*
 * A flood of garbage from one client: a few lines say so, and that more
 * are not logged; the log is not the flood's.  The daemon still answers.
 */
START_TEST(test_garbage_flood_is_logged_in_brief)
{
	char junk[64];
	mach_port_t port;
	int fd, lines;

	memset(junk, 0x5a, sizeof(junk));
	test_daemon_start(&td);
	fd = connect_raw();
	for (int i = 0; i < 500; i++)
		ck_assert_int_eq(send(fd, junk, sizeof(junk), MSG_NOSIGNAL), (ssize_t)sizeof(junk));
	ck_assert(wait_log("are not logged for up to"));
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "com.example.none", &port),
			 BOOTSTRAP_UNKNOWN_SERVICE);
	lines = test_daemon_log_count(&td, "malformed request from pid");
	ck_assert_int_ge(lines, 1);
	ck_assert_int_le(lines, 21);    /* the burst, and the line that says the rest are not */
	close(fd);
}
END_TEST

/* Look up com.example.svc on fresh connections until one succeeds (bounded); no call may hang. */
static kern_return_t look_up_until_served(void)
{
	kern_return_t kr = KERN_FAILURE;

	/* The daemon sees closes in its own time: a fresh client may be refused until then. */
	for (int i = 0; i < 1000 && kr != KERN_SUCCESS; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		mach_port_t bp, port;

		ck_assert_int_eq(bootstrap_port_connect(td.socket, &bp), KERN_SUCCESS);
		kr = raw_look_up(bp, "com.example.svc", 10000, &port);
		ck_assert_msg(kr != MACH_RCV_TIMED_OUT, "a fresh look-up was not answered");
		mach_port_deallocate(mach_task_self(), bp);
		if (kr == KERN_SUCCESS)
			mach_port_deallocate(mach_task_self(), port);
		else
			nanosleep(&ts, NULL);
	}
	return kr;
}

#define CROWD 130

/*
 * Open @n connections, then wait until the daemon has taken them all in:
 * it accepts in order, so once one more connection is answered (or
 * refused), every earlier one has been accepted or refused.
 */
static void crowd_connect(mach_port_t *conns, int n)
{
	mach_port_t probe, port;

	for (int i = 0; i < n; i++)
		ck_assert_int_eq(bootstrap_port_connect(td.socket, &conns[i]), KERN_SUCCESS);
	ck_assert_int_eq(bootstrap_port_connect(td.socket, &probe), KERN_SUCCESS);
	if (raw_look_up(probe, "com.example.none", 10000, &port) == KERN_SUCCESS)
		mach_port_deallocate(mach_task_self(), port);
	mach_port_deallocate(mach_task_self(), probe);
}

/*
 * Send a look-up through each of @n connections, each with its own reply
 * port, once all are in: the service's port is made at the first, when
 * the crowd holds every connection it may.
 */
static void crowd_send(mach_port_t *conns, mach_port_t *replies, kern_return_t *sent, int n)
{
	crowd_connect(conns, n);
	for (int i = 0; i < n; i++) {
		ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						    &replies[i]), KERN_SUCCESS);
		sent[i] = raw_send_look_up(conns[i], replies[i], "com.example.svc");
	}
}

/*
 * Each reply of crowd_send(): a port, or an error; never nothing (the
 * receive timeout turns a hang into a failure).  Return: how many got the port.
 */
static int crowd_replies(const mach_port_t *replies, const kern_return_t *sent, int n)
{
	int answered = 0;

	for (int i = 0; i < n; i++) {
		union {
			mach_msg_header_t head;
			mig_reply_error_t err;
			__Reply__look_up2_t port;
			char buf[512];
		} r;
		mach_msg_return_t mr;

		if (sent[i] != MACH_MSG_SUCCESS) {
			ck_assert_int_eq(sent[i], MACH_SEND_INVALID_DEST);   /* refused first */
			continue;
		}
		mr = mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), replies[i],
			      10000, MACH_PORT_NULL);
		ck_assert_msg(mr == MACH_MSG_SUCCESS, "client %d: no answer (0x%x)", i, mr);
		if (r.head.msgh_id == MACH_NOTIFY_SEND_ONCE)
			continue;                       /* refused before its request was read */
		ck_assert_int_eq(r.head.msgh_id, BOOTSTRAP_MSG_LOOK_UP + BOOTSTRAP_MSG_REPLY_OFFSET);
		if (MACH_MSGH_BITS_IS_COMPLEX(r.head.msgh_bits)) {
			mach_port_deallocate(mach_task_self(), r.port.serviceport.name);
			answered++;
		} else {
			ck_assert_int_eq(r.err.RetCode, KERN_RESOURCE_SHORTAGE);
		}
	}
	return answered;
}

/*
 * At a low fd limit (set on the running daemon), a crowd of clients: each
 * look-up is answered, or refused with an error, and once they leave the
 * daemon serves again.
 */
START_TEST(test_fd_limit_refuses_instead_of_starving)
{
	static mach_port_t conns[CROWD], replies[CROWD];
	static kern_return_t sent[CROWD];
	struct rlimit rl = { 64, 64 };
	int answered;

	test_daemon_add_job(&td, "com.example.svc",
		"<key>Program</key><string>/bin/true</string>\n"
		"<key>MachServices</key><dict><key>com.example.svc</key><true/></dict>");
	test_daemon_start(&td);
	ck_assert_int_eq(prlimit(td.pid, RLIMIT_NOFILE, &rl, NULL), 0);
	crowd_send(conns, replies, sent, CROWD);
	answered = crowd_replies(replies, sent, CROWD);
	ck_assert_int_gt(answered, 0);
	ck_assert_int_lt(answered, CROWD);
	ck_assert(wait_log("too many clients"));
	ck_assert(!test_daemon_log_contains(&td, "pausing accept"));
	for (int i = 0; i < CROWD; i++) {
		mach_port_deallocate(mach_task_self(), conns[i]);
		mach_port_destroy(mach_task_self(), replies[i]);
	}
	ck_assert_int_eq(look_up_until_served(), KERN_SUCCESS);
}
END_TEST

/*
 * The limit lowered below what the daemon holds: accept() fails, yet a
 * client in the backlog gets an error, not a wait; once clients leave,
 * the daemon serves again.
 */
START_TEST(test_out_of_fds_refuses_from_the_backlog)
{
	static mach_port_t conns[40];
	struct rlimit rl = { 32, 32 };
	mach_port_t bp, port;
	kern_return_t kr;

	test_daemon_add_job(&td, "com.example.svc",
		"<key>Program</key><string>/bin/true</string>\n"
		"<key>MachServices</key><dict><key>com.example.svc</key><true/></dict>");
	test_daemon_start(&td);
	for (int i = 0; i < 40; i++) {         /* answered, so accepted */
		ck_assert_int_eq(bootstrap_port_connect(td.socket, &conns[i]), KERN_SUCCESS);
		ck_assert_int_eq(raw_look_up(conns[i], "com.example.svc", 10000, &port), KERN_SUCCESS);
		mach_port_deallocate(mach_task_self(), port);
	}
	ck_assert_int_eq(prlimit(td.pid, RLIMIT_NOFILE, &rl, NULL), 0);
	ck_assert_int_eq(bootstrap_port_connect(td.socket, &bp), KERN_SUCCESS);
	kr = raw_look_up(bp, "com.example.svc", 10000, &port);
	ck_assert_msg(kr == MIG_SERVER_DIED || kr == KERN_RESOURCE_SHORTAGE ||
		      kr == MACH_SEND_INVALID_DEST, "look-up past the fd limit: 0x%x", kr);
	ck_assert(wait_log("out of file descriptors"));
	mach_port_deallocate(mach_task_self(), bp);
	for (int i = 0; i < 40; i++)
		mach_port_deallocate(mach_task_self(), conns[i]);
	ck_assert_int_eq(look_up_until_served(), KERN_SUCCESS);
}
END_TEST

/* A look-up whose rights the daemon cannot all receive: its caller learns at once. */
START_TEST(test_rights_cut_off_close_the_connection)
{
	struct {
		struct wire_hdr h;
		char body[sizeof(__Request__look_up2_t)];
	} m;
	int fds[100], sv[2], fd;
	char c;

	test_daemon_start(&td);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	for (int i = 0; i < 100; i++)
		fds[i] = sv[1];                 /* the reply right first, then more than fit */
	memset(&m, 0, sizeof(m));
	m.h.magic = WIRE_MAGIC;
	m.h.bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND);
	m.h.id = BOOTSTRAP_MSG_LOOK_UP;
	m.h.nfds = 100;
	m.h.reply_nfds = 1;
	m.h.body_len = m.h.data_len = sizeof(__Request__look_up2_t) - sizeof(mach_msg_header_t);
	strcpy(m.body + sizeof(NDR_record_t), "com.example.svc");
	fd = raw_connect(td.socket);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(raw_send(fd, &m.h, sizeof(m.h) + m.h.body_len, fds, 100),
			 (ssize_t)(sizeof(m.h) + m.h.body_len));
	close(sv[1]);
	/* The reply right died unanswered, and the connection is closed (both reads time out otherwise). */
	ck_assert_int_eq(recv(sv[0], &c, 1, 0), 0);
	ck_assert_int_eq(recv(fd, &c, 1, 0), 0);
	ck_assert(wait_log("its rights could not all be received"));
	close(sv[0]);
	close(fd);
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

/*
 * A demand launch that finds the daemon out of fds is tried again once
 * fds are back, and the messages that asked for it are all delivered: the
 * job is not marked failed, nothing queued is destroyed.
 */
START_TEST(test_launch_out_of_fds_keeps_messages)
{
	struct rlimit saved, none;
	mach_port_t port;
	struct echo_msg r;

	echo_add_job(&td, NULL, NULL);
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port), BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(prlimit(td.pid, RLIMIT_NOFILE, NULL, &saved), 0);
	none = (struct rlimit){ fdcheck_lowest_free(td.pid), saved.rlim_max };
	ck_assert_int_eq(prlimit(td.pid, RLIMIT_NOFILE, &none, NULL), 0);
	for (uint32_t i = 0; i < 5; i++)
		ck_assert_int_eq(echo_send(port, ECHO_DATA, i, 0), MACH_MSG_SUCCESS);
	ck_assert(wait_log("cannot start now"));
	ck_assert_int_eq(prlimit(td.pid, RLIMIT_NOFILE, &saved, NULL), 0);
	r = echo_query(port);
	ck_assert_uint_eq(r.value, 5);         /* each number once, */
	ck_assert_uint_eq(r.ok, 1);            /* in order */
	ck_assert(!test_daemon_log_contains(&td, "destroyed"));
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
	tcase_add_test(tc, test_garbage_flood_is_logged_in_brief);
	tcase_add_test(tc, test_fd_limit_refuses_instead_of_starving);
	tcase_add_test(tc, test_rights_cut_off_close_the_connection);
	tcase_add_test(tc, test_out_of_fds_refuses_from_the_backlog);
	tcase_add_test(tc, test_wrong_body_size_gets_an_error);
	tcase_add_test(tc, test_full_queue_loses_no_message);
	tcase_add_test(tc, test_launch_out_of_fds_keeps_messages);
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
