/* SPDX-License-Identifier: MIT */
/*
 * check-recv-asleep - a receive that waits for ever on a port whose only
 * queue is R sleeps in recvmsg(R) itself (port-direct.c).  Whatever
 * changes the port under it wakes it first: a send-once right made for
 * the port (a new queue) is still received, a destroyed right ends the
 * receive, a right moved away ends it too (a sleeper left behind would
 * take its new holder's messages), and the receiver's own S going
 * (no-senders armed) leaves the sleeper able to see a queue added later.
 * A fork() while one sleeps leaves the child free of it, and a child
 * keeping the port as its special port wakes none of the parent's.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bootstrap/linux.h>
#include <mach/mach.h>
#include <mach/notify.h>

#include "helpers/msg.h"
#include "helpers/peer.h"
#include "helpers/runner.h"
#include "port.h"
#include "space.h"
#include "wire.h"

#define SLEEPER_ID 4242

/* The fds marked with the notifier's among them: a no-senders request starts it. */
static void setup_with_notifier(void)
{
	peer_fd_mark(true);
}

struct sleeper {
	mach_port_t port;
	union rcv_buf b;
	mach_msg_return_t mr;
	pthread_t thread;
};

static void *sleep_in_receive(void *arg)
{
	struct sleeper *s = arg;

	s->mr = mach_msg(&s->b.head, MACH_RCV_MSG, 0, sizeof(s->b), s->port,
			 MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	return NULL;
}

/* How many receivers of @port sleep in recvmsg(R) itself. */
static unsigned int asleep_on(mach_port_t port)
{
	struct port *p;
	unsigned int n = 0;

	space_lock();
	p = space_get(port);
	if (p && p->kind == PORT_KIND_RECEIVE)
		n = p->u.recv.direct;
	space_unlock();
	return n;
}

/* A thread receiving on @port for ever, once it sleeps in recvmsg(R). */
static void start_sleeper(struct sleeper *s, mach_port_t port)
{
	s->port = port;
	s->mr = ~0u;
	ck_assert_int_eq(pthread_create(&s->thread, NULL, sleep_in_receive, s), 0);
	for (int i = 0; i < 500 && asleep_on(port) == 0; i++)
		usleep(10000);
	ck_assert_uint_eq(asleep_on(port), 1);
}

/* The sleeper's result, once it is out. */
static mach_msg_return_t join_sleeper(struct sleeper *s)
{
	ck_assert_int_eq(pthread_join(s->thread, NULL), 0);
	return s->mr;
}

/*
 * A message sent to @port through a send-once right made now (a new queue
 * of the port): the sleeper @s gets it.
 */
static void sleeper_gets_it_through_a_new_queue(struct sleeper *s, mach_port_t port)
{
	mach_port_t once = peer_send_once(port);
	mach_msg_header_t h;

	header(&h, once, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, SLEEPER_ID);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(join_sleeper(s), MACH_MSG_SUCCESS);
	ck_assert_int_eq(s->b.head.msgh_id, SLEEPER_ID);
}

START_TEST(test_message_through_a_new_send_once_right_is_received)
{
	mach_port_t port = peer_port();
	struct sleeper s;

	start_sleeper(&s, port);
	sleeper_gets_it_through_a_new_queue(&s, port);
	destroy(port);
}
END_TEST

/* Destroyed while a sender elsewhere (a copy of S) keeps R from end of file. */
START_TEST(test_destroyed_right_ends_the_receive)
{
	mach_port_t port = peer_port_send();
	int sender = peer_send_fd(port);
	struct sleeper s;

	ck_assert_int_ge(sender, 0);
	mach_port_deallocate(mach_task_self(), port);
	start_sleeper(&s, port);
	destroy(port);
	ck_assert_int_eq(join_sleeper(&s), MACH_RCV_PORT_DIED);
	close(sender);
}
END_TEST

/* @port's receive right moved in a message to @to (peer.h); its new name once received. */
static mach_port_t move_receive(mach_port_t port, mach_port_t to)
{
	struct peer_msg m;
	struct peer_rcv r;

	peer_msg_init(&m, to, MACH_MSG_TYPE_MAKE_SEND, 2, port, MACH_MSG_TYPE_MOVE_RECEIVE);
	peer_post(&m);
	ck_assert_int_eq(peer_recv(to, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	return r.msg.port.name;
}

/*
 * Moved away (no right left under its name), the right ends the receive:
 * a sleeper left in recvmsg(R) would take what is sent to its new holder.
 */
START_TEST(test_moved_right_ends_the_receive)
{
	mach_port_t port = peer_port(), to = peer_port(), moved;
	struct sleeper s;
	union rcv_buf b;

	start_sleeper(&s, port);
	moved = move_receive(port, to);
	ck_assert_int_eq(join_sleeper(&s), MACH_RCV_PORT_DIED);
	ck_assert_int_eq(peer_send_id(moved, MACH_MSG_TYPE_MAKE_SEND, SLEEPER_ID), MACH_MSG_SUCCESS);
	ck_assert_int_eq(recv_msg(moved, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(b.head.msgh_id, SLEEPER_ID);
	destroy(moved);
	destroy(to);
}
END_TEST

/*
 * No-senders armed, the last send right here dropped while a sender
 * elsewhere (a copy of S) lives on: the receiver's own S goes, and with it
 * the way to wake a sleeper.  A queue added after (a send-once right made
 * for the port) must still be seen.
 */
START_TEST(test_own_send_end_going_leaves_the_receiver_awake)
{
	mach_port_t port = peer_port_send(), notify = peer_port();
	mach_port_t prev = MACH_PORT_NULL;
	int sender = peer_send_fd(port);
	struct sleeper s;

	ck_assert_int_ge(sender, 0);
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), port,
							MACH_NOTIFY_NO_SENDERS, 0, notify,
							MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), 0);
	start_sleeper(&s, port);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), port), KERN_SUCCESS);
	sleeper_gets_it_through_a_new_queue(&s, port);
	close(sender);
	destroy(port);
	destroy(notify);
}
END_TEST

/* A WAKE nobody sent (written through S by hand) is no message: the receive goes on. */
START_TEST(test_stray_wake_is_no_message)
{
	mach_port_t port = peer_port_send();
	struct wire_hdr h = { .magic = WIRE_MAGIC, .bits = WIRE_BITS_WAKE };
	int s_fd = peer_send_fd(port);
	struct sleeper s;

	ck_assert_int_ge(s_fd, 0);
	start_sleeper(&s, port);
	ck_assert_int_eq(write(s_fd, &h, sizeof(h)), (ssize_t)sizeof(h));
	for (int i = 0; i < 500 && asleep_on(port) == 0; i++)
		usleep(10000);
	ck_assert_uint_eq(asleep_on(port), 1);  /* asleep again */
	ck_assert_int_eq(peer_send_id(port, MACH_MSG_TYPE_COPY_SEND, SLEEPER_ID), MACH_MSG_SUCCESS);
	ck_assert_int_eq(join_sleeper(&s), MACH_MSG_SUCCESS);
	ck_assert_int_eq(s.b.head.msgh_id, SLEEPER_ID);
	close(s_fd);
	destroy(port);
}
END_TEST

/*
 * fork() while a thread sleeps in recvmsg(R): the child, which has no such
 * thread, closes the port without waiting for one, and writes nothing
 * into the parent's R; the parent's sleeper is still there.
 */
START_TEST(test_fork_while_asleep)
{
	mach_port_t port = peer_port();
	struct sleeper s;
	int status = -1;
	pid_t pid;

	start_sleeper(&s, port);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(0);
	for (int k = 0; k < 500 && waitpid(pid, &status, WNOHANG) == 0; k++)
		usleep(10000);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_uint_eq(asleep_on(port), 1);
	ck_assert_int_eq(peer_send_id(port, MACH_MSG_TYPE_MAKE_SEND, SLEEPER_ID), MACH_MSG_SUCCESS);
	ck_assert_int_eq(join_sleeper(&s), MACH_MSG_SUCCESS);
	ck_assert_int_eq(s.b.head.msgh_id, SLEEPER_ID);
	destroy(port);
}
END_TEST

/* The fds epoll instance @epfd watches, from /proc (its "tfd:" lines). */
static int epoll_watches(int epfd)
{
	char path[64], line[256];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", epfd);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		n += strncmp(line, "tfd:", 4) == 0;
	fclose(f);
	return n;
}

/*
 * A forked child keeps the special port's send right only; the receive
 * right's epoll instance, shared with the parent across fork(), stays as
 * the parent left it.  (The child used to add an always-readable eventfd
 * to it, waking the parent's receivers on that port for nothing until the
 * child went.)
 */
START_TEST(test_fork_leaves_parent_epoll)
{
	mach_port_t home = peer_port_send();
	int epfd, watches, ready[2], go[2], ws;
	char c;
	pid_t pid;

	ck_assert_int_eq(task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, home),
			 KERN_SUCCESS);
	ck_assert_int_eq(bootstrap_port_get_fd(home, &epfd), KERN_SUCCESS);
	watches = epoll_watches(epfd);
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(go), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* fork()'s child handlers have run: say so, then live until told. */
		_exit(write(ready[1], "r", 1) == 1 && read(go[0], &c, 1) == 1 ? 0 : 1);
	}
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert_int_eq(epoll_watches(epfd), watches);
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	for (int i = 0; i < 2; i++) {
		close(ready[i]);
		close(go[i]);
	}
	ck_assert_int_eq(task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, MACH_PORT_NULL),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), home), KERN_SUCCESS);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("recv-asleep");
	TCase *tc = tcase_create("recv-asleep");

	tcase_add_checked_fixture(tc, setup_with_notifier, teardown);
	tcase_add_test(tc, test_message_through_a_new_send_once_right_is_received);
	tcase_add_test(tc, test_destroyed_right_ends_the_receive);
	tcase_add_test(tc, test_moved_right_ends_the_receive);
	tcase_add_test(tc, test_own_send_end_going_leaves_the_receiver_awake);
	tcase_add_test(tc, test_stray_wake_is_no_message);
	tcase_add_test(tc, test_fork_while_asleep);
	tcase_add_test(tc, test_fork_leaves_parent_epoll);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(suite(), NULL, 0, argc, argv);
}
