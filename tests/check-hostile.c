/* SPDX-License-Identifier: MIT */
/*
 * check-hostile.c - bootstrapd against clients that mean harm: rights
 * smuggled in empty datagrams, message ids at the edge of int32, and a
 * crowd of hostile clients beside well-behaved ones.  The daemon answers
 * every honest request and ends with the fds it started with.
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <bootstrap/linux.h>

#include "bootstrap-mig.h"
#include "bootstrap-proto.h"
#include "wire.h"

#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/peer.h"
#include "helpers/raw-client.h"
#include "helpers/runner.h"

#define SETTLE_MS 20000         /* bound on waiting for the daemon to see closes */

static struct test_daemon td;

static void setup(void)
{
	test_daemon_init(&td, "hostile");
	/* Clients as another uid must reach the socket. */
	ck_assert_int_eq(chmod(td.dir, 0755), 0);
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

/* What a sanitizer build of the daemon says lands in its log, not on our stderr. */
static void assert_log_clean(void)
{
	ck_assert_msg(!test_daemon_log_contains(&td, "runtime error"),
		      "the daemon hit undefined behaviour: see %s", td.log);
	ck_assert_msg(!test_daemon_log_contains(&td, "AddressSanitizer"),
		      "the daemon hit a memory error: see %s", td.log);
}

static int wait_log(const char *text)
{
	return test_daemon_wait_log(&td, text, 20000);
}

/*
 * The daemon's fd count once it is idle.  The fixture's probe connection
 * may still be closing, a reply right still be open: a one-way request on
 * a new connection (@bp, kept open) is read only after the daemon went
 * round its loop twice, by when every close that came before the connect
 * has been seen; its log line says when.
 */
static int idle_fd_count(mach_port_t *bp)
{
	static mach_msg_id_t id = 24300;
	mach_msg_header_t m = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(m),
		.msgh_id = ++id,
	};
	char line[64];

	ck_assert_int_eq(bootstrap_port_connect(td.socket, bp), KERN_SUCCESS);
	m.msgh_remote_port = *bp;
	ck_assert_int_eq(mach_msg(&m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL,
				  10000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	snprintf(line, sizeof(line), "unknown request %d from", (int)id);
	ck_assert(wait_log(line));
	return raw_fd_count(td.pid);
}

/* Run @fn(@arg) in a child, as uid 65534 if @nobody.  Return: its exit status (99: no setuid). */
static int in_child(int (*fn)(int), int arg, int nobody)
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (nobody && (setgid(65534) < 0 || setuid(65534) < 0))
			_exit(99);
		_exit(fn(arg));
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* @count empty datagrams carrying two fds each, then hang up. */
static int empty_with_rights(int count)
{
	int fds[2] = { open("/dev/null", O_RDONLY | O_CLOEXEC), open("/dev/null", O_RDONLY | O_CLOEXEC) };
	int fd = raw_connect(td.socket);

	if (fd < 0 || fds[0] < 0 || fds[1] < 0)
		return 1;
	for (int i = 0; i < count; i++)
		if (raw_send(fd, "", 0, fds, 2) != 0)
			return 2;
	close(fd);
	return 0;
}

START_TEST(test_empty_datagrams_release_their_rights)
{
	mach_port_t bp, sync;
	int base, after;

	test_daemon_start(&td);
	base = idle_fd_count(&bp);
	ck_assert_int_gt(base, 0);
	ck_assert_int_eq(in_child(empty_with_rights, 300, 0), 0);
	/* Any local user can do it: as root, try it as nobody too. */
	if (geteuid() == 0)
		ck_assert_int_eq(in_child(empty_with_rights, 300, 1), 0);
	/* A connection not yet accepted holds none of the daemon's fds: one
	 * made after the children's is accepted after them. */
	idle_fd_count(&sync);
	mach_port_deallocate(mach_task_self(), sync);
	after = raw_wait_fd_count(td.pid, base, SETTLE_MS);
	ck_assert_msg(after == base, "daemon fds: %d before, %d after 300 empty datagrams with 2 fds",
		      base, after);
	ck_assert(test_daemon_log_contains(&td, "empty request from pid"));
	ck_assert_int_eq(raw_fd_count(td.pid), base);
	mach_port_deallocate(mach_task_self(), bp);
}
END_TEST

/* The same, sent to the port of a job that failed: the daemon destroys what arrives there. */
START_TEST(test_failed_job_releases_rights_of_empty_messages)
{
	int fds[2] = { open("/dev/null", O_RDONLY | O_CLOEXEC), open("/dev/null", O_RDONLY | O_CLOEXEC) };
	struct timeval tv = { 10, 0 };
	mach_port_t bp, port;
	int base, after, fd;

	test_daemon_add_job(&td, "com.example.broken",
		"<key>Program</key><string>/nonexistent/broken</string>\n"
		"<key>MachServices</key><dict><key>com.example.broken</key><true/></dict>");
	test_daemon_start(&td);
	base = idle_fd_count(&bp);
	ck_assert_int_eq(raw_look_up(bp, "com.example.broken", 10000, &port), KERN_SUCCESS);
	base += 2;      /* the first look-up made the port: R and S */
	ck_assert_int_eq(echo_send(port, ECHO_DATA, 0, 10000), MACH_MSG_SUCCESS);
	ck_assert(wait_log("com.example.broken: failed"));
	fd = peer_send_fd(port);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), 0);
	for (int i = 0; i < 300; i++)
		ck_assert_int_eq(raw_send(fd, "", 0, fds, 2), 0);
	close(fd);
	mach_port_deallocate(mach_task_self(), port);
	after = raw_wait_fd_count(td.pid, base, SETTLE_MS);
	ck_assert_msg(after == base, "daemon fds: %d before, %d after 300 empty messages with 2 fds",
		      base, after);
	close(fds[0]);
	close(fds[1]);
	mach_port_deallocate(mach_task_self(), bp);
}
END_TEST

/*
 * An empty datagram, a look-up behind it, then the client hangs up, all
 * before the daemon reads (it is stopped): the empty one is not taken for
 * the end of the connection, and the look-up behind it is answered.
 */
START_TEST(test_empty_datagram_is_not_the_end)
{
	union {
		mach_msg_header_t head;
		char buf[512];
	} r;
	mach_port_t bp, reply;
	int fd;

	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_port_connect(td.socket, &bp), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply),
			 KERN_SUCCESS);
	fd = peer_send_fd(bp);
	ck_assert_int_ge(fd, 0);
	test_daemon_pause(&td);
	ck_assert_int_eq(raw_send(fd, "", 0, NULL, 0), 0);
	ck_assert_int_eq(raw_send_look_up(bp, reply, "com.example.none"), MACH_MSG_SUCCESS);
	close(fd);
	mach_port_deallocate(mach_task_self(), bp);     /* the last holder: the daemon sees a hang-up */
	test_daemon_resume(&td);
	ck_assert_int_eq(mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), reply,
				  10000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.head.msgh_id, BOOTSTRAP_MSG_LOOK_UP + BOOTSTRAP_MSG_REPLY_OFFSET);
	ck_assert(wait_log("empty request from pid"));
	mach_port_destroy(mach_task_self(), reply);
	assert_log_clean();
}
END_TEST

/*
 * Empty datagrams, then a message, queued on a failed job's port while the
 * daemon is stopped: one pass destroys them all, not one wake-up (and one
 * warning) each.
 */
START_TEST(test_failed_job_drains_past_empty_datagrams)
{
	mach_port_t bp, port;
	int fd;

	test_daemon_add_job(&td, "com.example.broken",
		"<key>Program</key><string>/nonexistent/broken</string>\n"
		"<key>MachServices</key><dict><key>com.example.broken</key><true/></dict>");
	test_daemon_start(&td);
	bp = bootstrap_port;
	ck_assert_int_eq(raw_look_up(bp, "com.example.broken", 10000, &port), KERN_SUCCESS);
	ck_assert_int_eq(echo_send(port, ECHO_DATA, 0, 10000), MACH_MSG_SUCCESS);
	/* The first message's drain is over: what follows is drained in a pass of its own. */
	ck_assert(wait_log("destroyed 1 message(s) waiting on com.example.broken"));
	fd = peer_send_fd(port);
	ck_assert_int_ge(fd, 0);
	test_daemon_pause(&td);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(raw_send(fd, "", 0, NULL, 0), 0);
	ck_assert_int_eq(echo_send(port, ECHO_DATA, 0, 10000), MACH_MSG_SUCCESS);
	test_daemon_resume(&td);
	ck_assert(wait_log("destroyed 6 message(s) for com.example.broken"));
	ck_assert(!test_daemon_log_contains(&td, "destroyed 0 message(s)"));
	close(fd);
	mach_port_deallocate(mach_task_self(), port);
	assert_log_clean();
}
END_TEST

/* A request id whose reply id (id + 100) is past INT32_MAX: answered, with the id wrapped. */
START_TEST(test_reply_id_at_int32_edge)
{
	static const mach_msg_id_t ids[] = { INT32_MAX, INT32_MAX - 99, INT32_MAX - 100, INT32_MIN,
					     -1, -100, 12345 };
	mach_port_t bp;

	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_port_connect(td.socket, &bp), KERN_SUCCESS);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		mach_msg_id_t got = 0;
		kern_return_t ret = 0;
		mach_msg_id_t want = (mach_msg_id_t)((uint32_t)ids[i] + 100u);

		ck_assert_int_eq(raw_call_id(bp, ids[i], 10000, &got, &ret), MACH_MSG_SUCCESS);
		ck_assert_msg(got == want, "request %d: reply id %d, want %d", ids[i], got, want);
		ck_assert_int_eq(ret, MIG_BAD_ID);
	}
	ck_assert(test_daemon_log_contains(&td, "unknown request 2147483647"));
	ck_assert(test_daemon_log_contains(&td, "unknown request -2147483648"));
	assert_log_clean();
	mach_port_deallocate(mach_task_self(), bp);
}
END_TEST

/* The crowd: GOOD well-behaved clients beside HOSTILE_PROCS * HOSTILE_CONNS hostile ones. */
#define GOOD 20
#define GOOD_ROUNDS 100
#define HOSTILE_PROCS 4
#define HOSTILE_CONNS 50
#define HOSTILE_ROUNDS 100
#define CHILD_BOUND_S 60        /* a child still running then has hung: SIGALRM ends it */
#define CALL_MS 20000

/* ECHO_ECHO with @value through @svc.  Return: 0 when the reply carries @value back. */
static int echo_numbered(mach_port_t svc, uint32_t value)
{
	union {
		struct echo_msg m;
		char buf[sizeof(struct echo_msg) + MAX_TRAILER_SIZE];
	} u;
	mach_port_t reply;
	mach_msg_return_t mr;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply) != KERN_SUCCESS)
		return 1;
	memset(&u, 0, sizeof(u));
	u.m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	u.m.head.msgh_remote_port = svc;
	u.m.head.msgh_local_port = reply;
	u.m.head.msgh_id = ECHO_ECHO;
	u.m.value = value;
	mr = mach_msg(&u.m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
		      sizeof(u.m), sizeof(u), reply, CALL_MS, MACH_PORT_NULL);
	mach_port_destroy(mach_task_self(), reply);
	if (mr != MACH_MSG_SUCCESS)
		return 2;
	return u.m.head.msgh_id == ECHO_ECHO + 100 && u.m.value == value ? 0 : 3;
}

/* A well-behaved client: numbered look-ups and calls, each answered and matched. */
static int good_client(int k)
{
	mach_port_t bp, svc;

	if (bootstrap_port_connect(td.socket, &bp) != KERN_SUCCESS)
		return 10;
	for (uint32_t i = 0; i < GOOD_ROUNDS; i++) {
		kern_return_t kr = raw_look_up(bp, ECHO_SERVICE_NAME, CALL_MS, &svc);
		int err;

		if (kr != KERN_SUCCESS) {
			fprintf(stderr, "client %d call %u: look-up: 0x%x\n", k, i, kr);
			return 20;
		}
		err = echo_numbered(svc, (uint32_t)k << 16 | i);
		mach_port_deallocate(mach_task_self(), svc);
		if (err) {
			fprintf(stderr, "client %d call %u: echo failed (%d)\n", k, i, err);
			return 30 + err;
		}
	}
	mach_port_deallocate(mach_task_self(), bp);
	return 0;
}

/* A look-up as it travels, reply right in the first fd. */
static size_t look_up_dgram(char *buf, uint32_t nfds)
{
	struct wire_hdr h = {
		.magic = WIRE_MAGIC,
		.bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND),
		.id = BOOTSTRAP_MSG_LOOK_UP, .nfds = nfds, .reply_nfds = 1,
		.body_len = sizeof(__Request__look_up2_t) - sizeof(mach_msg_header_t),
		.data_len = sizeof(__Request__look_up2_t) - sizeof(mach_msg_header_t),
	};

	memset(buf, 0, sizeof(h) + h.body_len);
	memcpy(buf, &h, sizeof(h));
	strcpy(buf + sizeof(h) + sizeof(NDR_record_t), ECHO_SERVICE_NAME);
	return sizeof(h) + h.body_len;
}

/* One hostile message on @fd, of the kind its slot @j plays. */
static void hostile_send(int fd, int j, const int *fds, int sink)
{
	char buf[4096];
	size_t len;

	switch (j % 5) {
	case 0:         /* random bytes, random length */
		len = (size_t)rand() % sizeof(buf);
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)rand();
		raw_send(fd, buf, len, NULL, 0);
		break;
	case 1:         /* fd floods: empty, junk, or a look-up carrying too many */
		len = rand() % 3 == 0 ? 0 : look_up_dgram(buf, 1);
		raw_send(fd, buf, len, fds, 1 + (size_t)rand() % 100);
		break;
	case 2:         /* half-written: a look-up cut short, with or without its reply right */
		len = look_up_dgram(buf, 1);
		raw_send(fd, buf, (size_t)rand() % len, &sink, (size_t)(rand() % 2));
		break;
	case 3:         /* requests whose replies are never read */
		raw_send(fd, buf, look_up_dgram(buf, 1), &sink, 1);
		break;
	default:        /* connected, silent */
		break;
	}
}

/* HOSTILE_CONNS hostile clients; they stay connected until @hold reaches end of file. */
static int hostile_clients(int seed, int hold)
{
	int conns[HOSTILE_CONNS], fds[100], sv[2];
	char c;

	srand((unsigned int)seed);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return 1;
	for (int i = 0; i < 100; i++)
		fds[i] = sv[0];
	for (int j = 0; j < HOSTILE_CONNS; j++)
		conns[j] = -1;
	for (int r = 0; r < HOSTILE_ROUNDS; r++) {
		for (int j = 0; j < HOSTILE_CONNS; j++) {
			if (conns[j] < 0 && (conns[j] = raw_connect(td.socket)) >= 0)
				fcntl(conns[j], F_SETFL, O_NONBLOCK);   /* never wait on the daemon */
			if (conns[j] >= 0)
				hostile_send(conns[j], j, fds, sv[1]);
		}
		/* A connection the daemon closed (too many rights) is opened again. */
		for (int j = 0; j < HOSTILE_CONNS; j++)
			if (conns[j] >= 0 && recv(conns[j], &c, 1, MSG_DONTWAIT) == 0) {
				close(conns[j]);
				conns[j] = -1;
			}
	}
	while (read(hold, &c, 1) > 0)
		;
	return 0;
}

static pid_t spawn_child(int (*fn)(int, int), int arg, int hold, int hold_w)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(hold_w);
		alarm(CHILD_BOUND_S);
		_exit(fn(arg, hold));
	}
	return pid;
}

static int good_child(int k, int hold)
{
	(void)hold;
	return good_client(k);
}

static int child_status(pid_t pid)
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* The daemon's memory may grow by this much for good (allocator caches, the sanitizer's quarantine). */
#if defined(__SANITIZE_ADDRESS__)
#define RSS_SLACK_KB (128 * 1024)
#else
#define RSS_SLACK_KB (16 * 1024)
#endif

START_TEST(test_hostile_crowd_beside_good_clients)
{
	pid_t good[GOOD], bad[HOSTILE_PROCS];
	mach_port_t bp, warm, svc;
	int hold[2], base, after;
	long rss_base, rss_after;

	echo_add_job(&td, NULL, NULL);
	test_daemon_start(&td);
	/* Launch the service on demand once, so that its job's fds are in the baseline. */
	ck_assert_int_eq(bootstrap_port_connect(td.socket, &warm), KERN_SUCCESS);
	ck_assert_int_eq(raw_look_up(warm, ECHO_SERVICE_NAME, CALL_MS, &svc), KERN_SUCCESS);
	ck_assert_int_eq(echo_numbered(svc, 4711), 0);
	mach_port_deallocate(mach_task_self(), svc);
	mach_port_deallocate(mach_task_self(), warm);
	base = idle_fd_count(&bp);
	rss_base = rss_kb(td.pid);
	ck_assert_int_eq(pipe2(hold, O_CLOEXEC), 0);
	for (int i = 0; i < HOSTILE_PROCS; i++)
		bad[i] = spawn_child(hostile_clients, 1000 + i, hold[0], hold[1]);
	for (int i = 0; i < GOOD; i++)
		good[i] = spawn_child(good_child, i, hold[0], hold[1]);
	for (int i = 0; i < GOOD; i++)
		ck_assert_msg(child_status(good[i]) == 0, "well-behaved client %d failed", i);
	close(hold[1]);
	close(hold[0]);
	for (int i = 0; i < HOSTILE_PROCS; i++)
		ck_assert_int_eq(child_status(bad[i]), 0);
	after = raw_wait_fd_count(td.pid, base, SETTLE_MS);
	rss_after = rss_kb(td.pid);
	printf("daemon under a hostile crowd: fds %d -> %d, RSS %ld -> %ld kB\n", base, after,
	       rss_base, rss_after);
	ck_assert_msg(after == base, "daemon fds: %d before, %d after", base, after);
	ck_assert_msg(rss_after - rss_base < RSS_SLACK_KB, "daemon RSS: %ld kB before, %ld kB after",
		      rss_base, rss_after);
	ck_assert(test_daemon_log_contains(&td, "malformed request"));
	ck_assert(test_daemon_log_contains(&td, "its rights could not all be received"));
	assert_log_clean();
	ck_assert_int_eq(raw_look_up(bp, ECHO_SERVICE_NAME, CALL_MS, &svc), KERN_SUCCESS);
	ck_assert_int_eq(echo_numbered(svc, 4712), 0);
	mach_port_deallocate(mach_task_self(), svc);
	mach_port_deallocate(mach_task_self(), bp);
}
END_TEST

static Suite *hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("input");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_empty_datagrams_release_their_rights);
	tcase_add_test(tc, test_failed_job_releases_rights_of_empty_messages);
	tcase_add_test(tc, test_empty_datagram_is_not_the_end);
	tcase_add_test(tc, test_failed_job_drains_past_empty_datagrams);
	tcase_add_test(tc, test_reply_id_at_int32_edge);
	suite_add_tcase(s, tc);
	tc = tcase_create("load");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_hostile_crowd_beside_good_clients);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(hostile_suite(), NULL, 0, argc, argv);
}
