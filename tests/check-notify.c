/* SPDX-License-Identifier: MIT */
/*
 * check-notify - notifications in one process: no-senders, dead names,
 * send-once rights destroyed unused (also inside a destroyed message),
 * cancelled and forgotten requests, a receiver already waiting when the
 * request is made, the pollable fd of a receive right, and a request made
 * without fds left.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bootstrap/linux.h>
#include <mach/mach.h>
#include <mach/notify.h>

#include "helpers/fdcheck.h"
#include "helpers/peer.h"
#include "helpers/runner.h"

static void setup(void)
{
	peer_fd_mark(true);
}

static void teardown(void)
{
	peer_fd_check();
}

static void destroy(mach_port_t name)
{
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), name), KERN_SUCCESS);
}

static void request(mach_port_t name, mach_msg_id_t id, mach_port_t notify)
{
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), name, id, 0, notify,
							MACH_MSG_TYPE_MAKE_SEND_ONCE, NULL),
			 KERN_SUCCESS);
}

/* Expect notification @id on @n, and nothing after it. */
static void expect(mach_port_t n, mach_msg_id_t id)
{
	struct peer_rcv r;

	ck_assert_int_eq(peer_recv(n, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, id);
	ck_assert_uint_eq(r.msg.head.msgh_local_port, n);
	if (id >= MACH_NOTIFY_FIRST && id <= MACH_NOTIFY_LAST)
		ck_assert_int_eq(MACH_MSGH_BITS_LOCAL(r.msg.head.msgh_bits),
				 MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_int_eq(peer_recv(n, &r, 0), MACH_RCV_TIMED_OUT);
}

static void expect_nothing(mach_port_t n)
{
	struct peer_rcv r;

	ck_assert_int_eq(peer_recv(n, &r, 0), MACH_RCV_TIMED_OUT);
}

/* A second name for @port's send end, as another holder of a send right would have. */
static mach_port_t other_sender(mach_port_t port)
{
	int fd = peer_send_fd(port);
	mach_port_t x;

	ck_assert_int_ge(fd, 0);
	x = peer_name_send_fd(fd);
	ck_assert(MACH_PORT_VALID(x));
	return x;
}

START_TEST(test_no_senders)
{
	mach_port_t p = peer_port_send(), n = peer_port();

	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, 1), KERN_SUCCESS);
	request(p, MACH_NOTIFY_NO_SENDERS, n);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	expect_nothing(n);
	/* The last send right leaves with a message: no-senders once it is received. */
	ck_assert_int_eq(peer_send_id(p, MACH_MSG_TYPE_MOVE_SEND, 1), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(peer_type(p), MACH_PORT_TYPE_RECEIVE);
	expect(n, MACH_NOTIFY_NO_SENDERS);
	/*
	 * Known limitation (mach_port(3)): while that message is queued, the
	 * port cannot make a send right; once it is received, it can.
	 */
	ck_assert_int_eq(peer_send_id(p, MACH_MSG_TYPE_MAKE_SEND, 2), MACH_SEND_INVALID_DEST);
	{
		struct peer_rcv r;

		ck_assert_int_eq(peer_recv(p, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
		ck_assert_int_eq(r.msg.head.msgh_id, 1);
	}
	ck_assert_int_eq(peer_send_id(p, MACH_MSG_TYPE_MAKE_SEND, 3), MACH_MSG_SUCCESS);
	expect(p, 3);
	destroy(p);
	destroy(n);
}
END_TEST

START_TEST(test_send_once_destroyed)
{
	mach_port_t n = peer_port(), so;

	so = peer_send_once(n);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), so), KERN_SUCCESS);
	expect(n, MACH_NOTIFY_SEND_ONCE);
	so = peer_send_once(n);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), so, MACH_PORT_RIGHT_SEND_ONCE, -1),
			 KERN_SUCCESS);
	expect(n, MACH_NOTIFY_SEND_ONCE);
	so = peer_send_once(n);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), so), KERN_SUCCESS);
	expect(n, MACH_NOTIFY_SEND_ONCE);
	/*
	 * A send-once right whose port died: a message through it is sent as
	 * far as the sender can tell and destroyed, the right used (xnu lets a
	 * dead send-once right be copied in for this: a server replying to a
	 * client that went away succeeds and keeps no dead name).  Looked at
	 * first, it is a dead name.
	 */
	{
		mach_port_t d = peer_port(), dso = peer_send_once(d);
		mach_port_type_t type;

		destroy(d);
		ck_assert_int_eq(peer_send_id(dso, MACH_MSG_TYPE_MOVE_SEND_ONCE, 1), MACH_MSG_SUCCESS);
		ck_assert_int_eq(mach_port_type(mach_task_self(), dso, &type), KERN_INVALID_NAME);
		d = peer_port();
		dso = peer_send_once(d);
		destroy(d);
		ck_assert_uint_eq(peer_type(dso), MACH_PORT_TYPE_DEAD_NAME);
		ck_assert_int_eq(mach_port_deallocate(mach_task_self(), dso), KERN_SUCCESS);
	}
	/* A used send-once right notifies nothing. */
	so = peer_send_once(n);
	ck_assert_int_eq(peer_send_id(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 5), MACH_MSG_SUCCESS);
	expect(n, 5);
	destroy(n);
}
END_TEST

/* A queued message is destroyed with its port; so are the send-once rights it carried. */
/* A message to @so (MOVE_SEND_ONCE) carrying @carried's send right (MOVE_SEND). */
static mach_msg_return_t send_carrying(mach_port_t so, mach_port_t carried)
{
	struct peer_msg m;

	peer_msg_init(&m, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 7, carried, MACH_MSG_TYPE_MOVE_SEND);
	return mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/*
 * A send-once right whose port died, with a dead-name request on its name:
 * xnu does not copy it in as a destination (ipc_right_check() allows a
 * dead send-once right only without a request), so the send fails with
 * MACH_SEND_INVALID_DEST, the message untouched, and the name is a dead
 * name with one reference for the right and one for the notification.
 * Whether the request fired before the send or not.
 */
START_TEST(test_dead_send_once_with_request)
{
	mach_port_t n = peer_port(), carried = peer_port_send();

	for (int waited = 0; waited < 2; waited++) {
		mach_port_t d = peer_port(), so = peer_send_once(d);

		request(so, MACH_NOTIFY_DEAD_NAME, n);
		destroy(d);
		if (waited) {
			mach_port_t stale = peer_port();

			expect(n, MACH_NOTIFY_DEAD_NAME);
			/* The header is copied in first: the dead destination wins. */
			destroy(stale);
			ck_assert_int_eq(send_carrying(so, stale), MACH_SEND_INVALID_DEST);
		}
		ck_assert_int_eq(send_carrying(so, carried), MACH_SEND_INVALID_DEST);
		ck_assert_uint_eq(peer_type(so), MACH_PORT_TYPE_DEAD_NAME);
		ck_assert_uint_eq(peer_urefs(so, MACH_PORT_RIGHT_DEAD_NAME), 2);
		ck_assert_uint_eq(peer_urefs(carried, MACH_PORT_RIGHT_SEND), 1);
		if (!waited)
			expect(n, MACH_NOTIFY_DEAD_NAME);
		ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), so, MACH_PORT_RIGHT_DEAD_NAME,
						    -2), KERN_SUCCESS);
	}
	/* A request cancelled: the right is used, the message destroyed, as without one. */
	{
		mach_port_t d = peer_port(), so = peer_send_once(d), prev = MACH_PORT_NULL;
		mach_port_type_t type;

		request(so, MACH_NOTIFY_DEAD_NAME, n);
		ck_assert_int_eq(mach_port_request_notification(mach_task_self(), so,
				 MACH_NOTIFY_DEAD_NAME, 0, MACH_PORT_NULL, 0, &prev), KERN_SUCCESS);
		ck_assert_int_eq(mach_port_deallocate(mach_task_self(), prev), KERN_SUCCESS);
		expect(n, MACH_NOTIFY_SEND_ONCE);
		destroy(d);
		ck_assert_int_eq(send_carrying(so, carried), MACH_MSG_SUCCESS);
		ck_assert_int_eq(mach_port_type(mach_task_self(), so, &type), KERN_INVALID_NAME);
		ck_assert_uint_eq(peer_type(carried), MACH_PORT_TYPE_RECEIVE);
	}
	destroy(carried);
	destroy(n);
}
END_TEST

START_TEST(test_send_once_in_destroyed_message)
{
	mach_port_t q = peer_port(), n = peer_port(), n2 = peer_port();
	struct peer_msg m;

	peer_msg_init(&m, q, MACH_MSG_TYPE_MAKE_SEND, 1, n, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.head.msgh_bits |= MACH_MSGH_BITS(0, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.head.msgh_local_port = n2;
	peer_post(&m);
	expect_nothing(n);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), q, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	expect(n, MACH_NOTIFY_SEND_ONCE);
	expect(n2, MACH_NOTIFY_SEND_ONCE);
	destroy(n);
	destroy(n2);
}
END_TEST

/* A cancelled request's send-once right is destroyed: that, and nothing else, arrives. */
START_TEST(test_cancel)
{
	mach_port_t p = peer_port_send(), n = peer_port();

	request(p, MACH_NOTIFY_NO_SENDERS, n);
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), p, MACH_NOTIFY_NO_SENDERS,
							0, MACH_PORT_NULL, 0, NULL), KERN_SUCCESS);
	expect(n, MACH_NOTIFY_SEND_ONCE);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	expect_nothing(n);
	/* A request refused destroys the send-once right made for it, as xnu. */
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), p, MACH_NOTIFY_PORT_DELETED,
							0, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, NULL),
			 KERN_INVALID_VALUE);
	expect(n, MACH_NOTIFY_SEND_ONCE);
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), 0x4207,
							MACH_NOTIFY_NO_SENDERS, 0, n,
							MACH_MSG_TYPE_MAKE_SEND_ONCE, NULL),
			 KERN_INVALID_NAME);
	expect(n, MACH_NOTIFY_SEND_ONCE);
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), p, MACH_NOTIFY_DEAD_NAME,
							0, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, NULL),
			 KERN_INVALID_RIGHT);
	expect(n, MACH_NOTIFY_SEND_ONCE);
	destroy(p);
	destroy(n);
}
END_TEST

/*
 * A dead-name request holds on to the send right it watches; once that
 * right is deallocated it must count as a sender no more, and the request
 * ends with a port-deleted notification naming it, as xnu.
 */
START_TEST(test_forgotten_dead_name_request)
{
	mach_port_t p = peer_port(), x = other_sender(p), n = peer_port(), n2 = peer_port();
	mach_port_deleted_notification_t pd;
	struct peer_rcv r;

	request(p, MACH_NOTIFY_NO_SENDERS, n);
	request(x, MACH_NOTIFY_DEAD_NAME, n2);
	expect_nothing(n);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), x), KERN_SUCCESS);
	expect(n, MACH_NOTIFY_NO_SENDERS);
	ck_assert_int_eq(peer_recv(n2, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	memcpy(&pd, &r, sizeof(pd));
	ck_assert_int_eq(pd.not_header.msgh_id, MACH_NOTIFY_PORT_DELETED);
	ck_assert_uint_eq(pd.not_port, x);
	expect_nothing(n2);
	destroy(p);
	destroy(n);
	destroy(n2);
}
END_TEST

/*
 * A no-senders request holds on to the receive right it watches; once that
 * right is destroyed its senders must see a dead port.
 */
START_TEST(test_forgotten_no_senders_request)
{
	mach_port_t p = peer_port(), x = other_sender(p), n = peer_port(), n2 = peer_port();
	mach_dead_name_notification_t dn;
	struct peer_rcv r;

	request(p, MACH_NOTIFY_NO_SENDERS, n);
	request(x, MACH_NOTIFY_DEAD_NAME, n2);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	expect(n, MACH_NOTIFY_SEND_ONCE);
	ck_assert_int_eq(peer_recv(n2, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	memcpy(&dn, &r, sizeof(dn));
	ck_assert_int_eq(dn.not_header.msgh_id, MACH_NOTIFY_DEAD_NAME);
	ck_assert_uint_eq(dn.not_port, x);
	ck_assert_int_eq(peer_send_id(x, MACH_MSG_TYPE_COPY_SEND, 1), MACH_SEND_INVALID_DEST);
	ck_assert_uint_eq(peer_type(x), MACH_PORT_TYPE_DEAD_NAME);
	/* The notification carries a reference, as xnu: one deallocation each. */
	ck_assert_uint_eq(peer_urefs(x, MACH_PORT_RIGHT_DEAD_NAME), 2);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), x), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), x), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), x), KERN_INVALID_NAME);
	destroy(n);
	destroy(n2);
}
END_TEST

struct waiter {
	mach_port_t port;
	pid_t tid;
	mach_msg_return_t mr;
	mach_msg_id_t id;
};

static void *wait_main(void *arg)
{
	struct waiter *w = arg;
	struct peer_rcv r;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	w->mr = peer_recv(w->port, &r, PEER_TIMEOUT_MS);
	w->id = r.msg.head.msgh_id;
	return NULL;
}

/* Whether thread @tid sleeps in the kernel (state S in /proc). */
static bool sleeping(pid_t tid)
{
	char path[64], buf[256], *paren;
	FILE *f;
	bool s = false;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f) && (paren = strrchr(buf, ')')))
		s = paren[1] == ' ' && paren[2] == 'S';
	fclose(f);
	return s;
}

/* A receiver already blocked when a send-once right to its port is made still gets the message. */
START_TEST(test_request_while_waiting)
{
	mach_port_t p = peer_port_send(), n = peer_port();
	struct waiter w = { .port = n };
	pid_t tid = 0;
	pthread_t t;
	int i;

	ck_assert_int_eq(pthread_create(&t, NULL, wait_main, &w), 0);
	/* Polls a condition, not a delay: the receiver must be asleep in its wait. */
	for (i = 0; i < PEER_TIMEOUT_MS; i++) {
		tid = __atomic_load_n(&w.tid, __ATOMIC_ACQUIRE);
		if (tid && peer_recv_epoll(n) >= 0 && sleeping(tid))
			break;
		usleep(1000);
	}
	ck_assert_int_lt(i, PEER_TIMEOUT_MS);
	request(p, MACH_NOTIFY_NO_SENDERS, n);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(w.mr, MACH_MSG_SUCCESS);
	ck_assert_int_eq(w.id, MACH_NOTIFY_NO_SENDERS);
	destroy(p);
	destroy(n);
}
END_TEST

/* The fd of a receive right is readable for replies and notifications too. */
START_TEST(test_fd_sees_send_once_queues)
{
	mach_port_t p = peer_port_send(), n = peer_port();
	struct pollfd pfd = { .events = POLLIN };

	ck_assert_int_eq(bootstrap_port_get_fd(n, &pfd.fd), KERN_SUCCESS);
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	request(p, MACH_NOTIFY_NO_SENDERS, n);
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	ck_assert_int_eq(poll(&pfd, 1, PEER_TIMEOUT_MS), 1);
	expect(n, MACH_NOTIFY_NO_SENDERS);
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	ck_assert_int_eq(peer_send_id(n, MACH_MSG_TYPE_MAKE_SEND, 9), MACH_MSG_SUCCESS);
	ck_assert_int_eq(poll(&pfd, 1, PEER_TIMEOUT_MS), 1);
	expect(n, 9);
	destroy(p);
	destroy(n);
}
END_TEST

/* Fds under the lowered limit above the highest one open. */
#define EXHAUST_ABOVE 32

/* The highest fd this process has open. */
static int highest_fd(void)
{
	DIR *d = opendir("/proc/self/fd");
	const struct dirent *e;
	int high = -1;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))     /* the directory's own fd closes with it */
		if (e->d_name[0] != '.' && atoi(e->d_name) > high && atoi(e->d_name) != dirfd(d))
			high = atoi(e->d_name);
	closedir(d);
	return high;
}

/*
 * The fd limit lowered just above the fds open, and every fd under it
 * taken but @spare.  Return: the fds taken (*@n of them), for
 * give_back_fds().
 */
static int *exhaust_fds(int spare, int *n, struct rlimit *saved)
{
	struct rlimit low;
	int high = highest_fd(), fd;
	int *fds = calloc((size_t)high + EXHAUST_ABOVE, sizeof(*fds));

	ck_assert_ptr_nonnull(fds);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, saved), 0);
	low = *saved;
	low.rlim_cur = (rlim_t)high + EXHAUST_ABOVE;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	*n = 0;
	while ((fd = fcntl(high, F_DUPFD_CLOEXEC, 0)) >= 0)
		fds[(*n)++] = fd;
	ck_assert_int_eq(errno, EMFILE);
	for (; spare > 0; spare--)
		close(fds[--*n]);
	return fds;
}

static void give_back_fds(int *fds, int n, const struct rlimit *saved)
{
	while (n > 0)
		close(fds[--n]);
	free(fds);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, saved), 0);
}

/* A dead-name request for @s with notify port @n given as @poly, @spare fds left. */
static kern_return_t request_short_of_fds(mach_port_t s, mach_port_t n,
					  mach_msg_type_name_t poly, int spare)
{
	struct rlimit saved;
	mach_port_t prev = 1;
	int taken;
	int *fds = exhaust_fds(spare, &taken, &saved);
	kern_return_t kr = mach_port_request_notification(mach_task_self(), s,
							  MACH_NOTIFY_DEAD_NAME, 0, n, poly,
							  &prev);

	give_back_fds(fds, taken, &saved);
	ck_assert_uint_eq(prev, 1);
	return kr;
}

/*
 * A request the process has no fd left for is KERN_RESOURCE_SHORTAGE, as
 * xnu says of a request it cannot allocate (ipc_right_request_alloc()),
 * whether the notify port's right (a send right made anew from a receive
 * right included) or the subject's watch could not be made.  As xnu's
 * trap, the notify right is taken first and destroyed if the request then
 * fails: a send-once right made or moved for it tells its port, and a
 * moved one is gone from its name.  With fds again, the request is made
 * and fires once.
 */
START_TEST(test_request_without_fds)
{
	int sv[2];
	mach_port_t s, n = peer_port(), m = peer_port(), so = peer_send_once(n);
	mach_port_type_t type;
	int settled;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	s = peer_name_send_fd(sv[1]);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), n, n, MACH_MSG_TYPE_MAKE_SEND),
			 KERN_SUCCESS);
	ck_assert_int_eq(request_short_of_fds(s, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1),
			 KERN_RESOURCE_SHORTAGE);
	expect_nothing(n);      /* no right made */
	ck_assert_int_eq(request_short_of_fds(s, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, 2),
			 KERN_RESOURCE_SHORTAGE);
	expect(n, MACH_NOTIFY_SEND_ONCE);
	ck_assert_int_eq(request_short_of_fds(s, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0),
			 KERN_RESOURCE_SHORTAGE);
	expect(n, MACH_NOTIFY_SEND_ONCE);
	ck_assert_int_eq(mach_port_type(mach_task_self(), so, &type), KERN_INVALID_NAME);
	ck_assert_int_eq(request_short_of_fds(s, n, MACH_MSG_TYPE_COPY_SEND, 1),
			 KERN_RESOURCE_SHORTAGE);
	/* m's own send end closed: a send right made from it needs a new socketpair. */
	settled = fdcheck_count();
	request(m, MACH_NOTIFY_NO_SENDERS, n);
	expect(n, MACH_NOTIFY_NO_SENDERS);
	/* The notification thread closed its copies (m's own send end is gone
	 * too): no fd frees itself under the limit below. */
	ck_assert_int_eq(peer_fd_count(settled - 1), settled - 1);
	ck_assert_int_eq(request_short_of_fds(s, m, MACH_MSG_TYPE_MAKE_SEND, 1),
			 KERN_RESOURCE_SHORTAGE);
	ck_assert_uint_eq(peer_type(s) & MACH_PORT_TYPE_DNREQUEST, 0);
	request(s, MACH_NOTIFY_DEAD_NAME, n);
	close(sv[0]);
	expect(n, MACH_NOTIFY_DEAD_NAME);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_DEAD_NAME, -2),
			 KERN_SUCCESS);
	destroy(m);
	destroy(n);
}
END_TEST

static Suite *notify_suite(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("notify");

	tcase_add_test(tc, test_no_senders);
	tcase_add_test(tc, test_send_once_destroyed);
	tcase_add_test(tc, test_dead_send_once_with_request);
	tcase_add_test(tc, test_send_once_in_destroyed_message);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_forgotten_dead_name_request);
	tcase_add_test(tc, test_forgotten_no_senders_request);
	tcase_add_test(tc, test_request_while_waiting);
	tcase_add_test(tc, test_fd_sees_send_once_queues);
	tcase_add_test(tc, test_request_without_fds);
	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(notify_suite(), NULL, 0, argc, argv);
}
