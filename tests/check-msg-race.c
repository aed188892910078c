/* SPDX-License-Identifier: MIT */
/*
 * check-msg-race - a right a message uses while another thread of the task
 * drops it: the drop happens before the send (which then fails with
 * MACH_SEND_INVALID_DEST) or after it (the message reaches the port it was
 * addressed to, carrying the right it was given), never anything else.
 *
 * The sender is caught where a send waits longest with the space lock
 * released: a timed send to a full queue, waiting for room.  It is then
 * held in a signal handler while this thread drops the right and makes new
 * ports, which take the lowest free fd numbers; an fd the drop closed
 * under the sender would now be one of theirs.
 */
#include <check.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/notify.h>

#include "helpers/msg.h"
#include "helpers/peer.h"
#include "helpers/runner.h"

#define RACED_ID 0x5ace
#define NEW_PORTS 4

/* A sender thread and where it is. */
struct race {
	struct ports_msg m;
	mach_msg_return_t result;
	pthread_t thread;
	pid_t tid;
	int held, released;     /* the sender in the signal handler; let go */
};

/* The race this thread sends for, which the signal handler holds. */
static __thread struct race *own_race;

static void hold_sender(int sig)
{
	const struct timespec ms = { 0, 1000000 };
	struct race *r = own_race;

	(void)sig;
	__atomic_store_n(&r->held, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&r->released, __ATOMIC_ACQUIRE))
		nanosleep(&ms, NULL);
}

static void *send_timed(void *arg)
{
	struct race *r = arg;

	own_race = r;
	__atomic_store_n(&r->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	r->result = send_msg(&r->m.head, MACH_SEND_TIMEOUT, PEER_TIMEOUT_MS);
	return NULL;
}

/* Whether thread @tid of this process is asleep (in the send's wait for room). */
static bool thread_sleeps(pid_t tid)
{
	char path[64], buf[256], *paren;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "re");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && paren[2] == 'S';
}

static void wait_until(bool (*cond)(const struct race *), const struct race *r)
{
	const struct timespec ms = { 0, 1000000 };
	int i;

	for (i = 0; i < PEER_TIMEOUT_MS && !cond(r); i++)
		nanosleep(&ms, NULL);
	ck_assert_int_lt(i, PEER_TIMEOUT_MS);
}

static bool sender_waits(const struct race *r)
{
	pid_t tid = __atomic_load_n(&r->tid, __ATOMIC_ACQUIRE);

	return tid && thread_sleeps(tid);
}

static bool sender_held(const struct race *r)
{
	return __atomic_load_n(&r->held, __ATOMIC_ACQUIRE);
}

/* Send r->m on a thread of its own, and return once it waits for room, held. */
static void race_start(struct race *r)
{
	struct sigaction sa = { .sa_handler = hold_sender };

	r->held = r->released = 0;
	r->tid = 0;
	r->m.head.msgh_id = RACED_ID;
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	ck_assert_int_eq(pthread_create(&r->thread, NULL, send_timed, r), 0);
	wait_until(sender_waits, r);
	ck_assert_int_eq(pthread_kill(r->thread, SIGUSR1), 0);
	wait_until(sender_held, r);
}

/* Let the sender go on and finish. */
static void race_finish(struct race *r)
{
	__atomic_store_n(&r->released, 1, __ATOMIC_RELEASE);
	ck_assert_int_eq(pthread_join(r->thread, NULL), 0);
}

/* A send right to @port under a name of its own, as one from another task is held. */
static mach_port_t send_name(mach_port_t port)
{
	mach_port_t name = peer_name_send_fd(peer_send_fd(port));

	ck_assert_uint_ne(name, MACH_PORT_NULL);
	return name;
}

/* Fill @port's queue through send right @name.  Return: the messages queued. */
static int fill(mach_port_t name)
{
	mach_msg_header_t h;
	mach_msg_return_t mr;
	int sent = 0;

	for (;;) {
		header(&h, name, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, sent);
		mr = send_msg(&h, MACH_SEND_TIMEOUT, 0);
		if (mr != MACH_MSG_SUCCESS)
			break;
		sent++;
	}
	ck_assert_int_eq(mr, MACH_SEND_TIMED_OUT);
	return sent;
}

/* New ports, which take the fd numbers just freed. */
static void make_ports(mach_port_t *ports)
{
	for (int i = 0; i < NEW_PORTS; i++)
		ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						    &ports[i]), KERN_SUCCESS);
}

/* No message reached the new ports; they go. */
static void check_ports_empty(const mach_port_t *ports)
{
	union rcv_buf b;

	for (int i = 0; i < NEW_PORTS; i++) {
		ck_assert_int_eq(mach_msg(&b.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b),
					  ports[i], 0, MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
		destroy(ports[i]);
	}
}

/*
 * Receive the @queued messages @port holds: the last is the raced one.
 * Return: the port descriptor's name it carried, if any.
 */
static mach_port_t drain(mach_port_t port, int queued)
{
	union rcv_buf b;

	for (int i = 0; i < queued; i++) {
		ck_assert_int_eq(recv_msg(port, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
		ck_assert_int_eq(b.head.msgh_id, i + 1 < queued ? i + 1 : RACED_ID);
	}
	ck_assert_int_eq(mach_msg(&b.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), port, 0,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	return b.head.msgh_bits & MACH_MSGH_BITS_COMPLEX ? b.ports.d[0].name : MACH_PORT_NULL;
}

/* The destination's send right dropped by another thread while the send waits. */
static void dest_dropped(mach_msg_type_name_t disp)
{
	mach_port_t port = peer_port(), name = send_name(port), ports[NEW_PORTS];
	struct race r;
	union rcv_buf b;
	int queued = fill(name);
	kern_return_t kr;

	header(&r.m.head, name, disp, MACH_PORT_NULL, 0, 0);
	race_start(&r);
	/* A moved right is the message's from the start, as xnu copies it in. */
	kr = mach_port_deallocate(mach_task_self(), name);
	ck_assert(kr == KERN_SUCCESS || (disp == MACH_MSG_TYPE_MOVE_SEND && kr == KERN_INVALID_NAME));
	make_ports(ports);
	ck_assert_int_eq(recv_msg(port, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);    /* room */
	race_finish(&r);
	ck_assert_int_eq(r.result, MACH_MSG_SUCCESS);
	check_ports_empty(ports);
	ck_assert_uint_eq(drain(port, queued), MACH_PORT_NULL);
	destroy(port);
}

START_TEST(test_copy_send_dest_dropped)
{
	dest_dropped(MACH_MSG_TYPE_COPY_SEND);
}
END_TEST

START_TEST(test_move_send_dest_dropped)
{
	dest_dropped(MACH_MSG_TYPE_MOVE_SEND);
}
END_TEST

/* A send right the message carries (COPY_SEND) dropped while the send waits. */
START_TEST(test_copy_send_descriptor_dropped)
{
	mach_port_t port = peer_port_send(), other = peer_port(), ports[NEW_PORTS];
	mach_port_t name = send_name(other), got;
	struct race r;
	union rcv_buf b;
	int queued = fill(port);

	header(&r.m.head, port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 0);
	r.m.head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	r.m.head.msgh_size = sizeof(r.m);
	r.m.body.msgh_descriptor_count = 1;
	r.m.d[0] = (mach_msg_port_descriptor_t){ .name = name, .type = MACH_MSG_PORT_DESCRIPTOR,
						 .disposition = MACH_MSG_TYPE_COPY_SEND };
	race_start(&r);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), name), KERN_SUCCESS);
	make_ports(ports);
	ck_assert_int_eq(recv_msg(port, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);    /* room */
	race_finish(&r);
	ck_assert_int_eq(r.result, MACH_MSG_SUCCESS);
	check_ports_empty(ports);
	/* A send right to the other port: received here, under its receive right's name. */
	got = drain(port, queued);
	ck_assert_uint_eq(got, other);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), got), KERN_SUCCESS);
	destroy(other);
	destroy(port);
}
END_TEST

/* The destination's port dies, and its name is turned into a dead name, while the send waits. */
START_TEST(test_dest_made_dead_name)
{
	mach_port_t port = peer_port(), name = send_name(port), ports[NEW_PORTS];
	struct race r;

	fill(name);
	header(&r.m.head, name, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 0);
	race_start(&r);
	destroy(port);
	ck_assert_uint_eq(peer_type(name), MACH_PORT_TYPE_DEAD_NAME);
	make_ports(ports);
	race_finish(&r);
	ck_assert_int_eq(r.result, MACH_SEND_INVALID_DEST);
	check_ports_empty(ports);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), name), KERN_SUCCESS);
}
END_TEST

/* A name no right holds: one a dead name had. */
static mach_port_t free_name(void)
{
	mach_port_t name;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &name),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), name), KERN_SUCCESS);
	return name;
}

/* A send-once right to @port. */
static mach_port_t send_once_to(mach_port_t port)
{
	mach_msg_type_name_t type;
	mach_port_t so;

	ck_assert_int_eq(mach_port_extract_right(mach_task_self(), port,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &type),
			 KERN_SUCCESS);
	return so;
}

/*
 * A send-once right the message carries is moved to another name while
 * the send waits, and that name dropped: the fd the message carries stays
 * the right's, so that what arrives is a send-once right to its port.
 */
START_TEST(test_send_once_descriptor_moved_away)
{
	mach_port_t port = peer_port_send(), other = peer_port(), ports[NEW_PORTS];
	mach_port_t so = send_once_to(other), moved = free_name(), got;
	struct race r;
	union rcv_buf b;
	int queued = fill(port);

	header(&r.m.head, port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 0);
	r.m.head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	r.m.head.msgh_size = sizeof(r.m);
	r.m.body.msgh_descriptor_count = 1;
	r.m.d[0] = (mach_msg_port_descriptor_t){ .name = so, .type = MACH_MSG_PORT_DESCRIPTOR,
						 .disposition = MACH_MSG_TYPE_MOVE_SEND_ONCE };
	race_start(&r);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), moved, so,
						MACH_MSG_TYPE_MOVE_SEND_ONCE), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), moved), KERN_SUCCESS);
	make_ports(ports);
	ck_assert_int_eq(recv_msg(port, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);    /* room */
	race_finish(&r);
	ck_assert_int_eq(r.result, MACH_MSG_SUCCESS);
	check_ports_empty(ports);
	got = drain(port, queued);
	ck_assert_uint_eq(peer_type(got), MACH_PORT_TYPE_SEND_ONCE);
	/* Through it, a message reaches the other port. */
	header(&b.head, got, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, RACED_ID);
	ck_assert_int_eq(send_msg(&b.head, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(recv_msg(other, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(b.head.msgh_id, RACED_ID);
	destroy(other);
	destroy(port);
}
END_TEST

/* The notification thread's fds are counted from the start (peer_fd_mark()). */
static void setup_notifier(void)
{
	peer_fd_mark(true);
}

/* r->m: to @dest, carrying a send-once right made from receive right @port. */
static void carry_made_send_once(struct race *r, mach_port_t dest, mach_port_t port)
{
	header(&r->m.head, dest, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 0);
	r->m.head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	r->m.head.msgh_size = sizeof(r->m);
	r->m.body.msgh_descriptor_count = 1;
	r->m.d[0] = (mach_msg_port_descriptor_t){ .name = port, .type = MACH_MSG_PORT_DESCRIPTOR,
						  .disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE };
}

/* Whether receive end @fd has no sender left: its port's send ends are all closed. */
static bool no_sender_left(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLHUP);
}

/* A no-senders request on receive right @port, to @notify: the port's own send end closes. */
static void request_no_senders(mach_port_t port, mach_port_t notify)
{
	mach_port_t previous;

	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), port,
			 MACH_NOTIFY_NO_SENDERS, 0, notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
			 KERN_SUCCESS);
	ck_assert_uint_eq(previous, MACH_PORT_NULL);
}

/*
 * A close put off for a send that uses the port waits for that send only:
 * one that starts after it, and keeps the port busy, does not put it off
 * further.  The close is the port's own send end, at a no-senders request.
 */
START_TEST(test_deferred_close_waits_for_earlier_sends)
{
	mach_port_t dest = peer_port_send(), port = peer_port(), notify = peer_port();
	struct race first, later;
	struct peer_rcv n;
	union rcv_buf b;

	fill(dest);
	carry_made_send_once(&first, dest, port);
	carry_made_send_once(&later, dest, port);
	race_start(&first);
	request_no_senders(port, notify);
	ck_assert(!no_sender_left(peer_recv_fd(port)));         /* waits for first */
	race_start(&later);
	ck_assert_int_eq(recv_msg(dest, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);    /* room */
	race_finish(&first);
	ck_assert_int_eq(first.result, MACH_MSG_SUCCESS);
	/* later still uses the port; the close waited for first only. */
	ck_assert(no_sender_left(peer_recv_fd(port)));
	ck_assert_int_eq(recv_msg(dest, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);    /* room */
	race_finish(&later);
	ck_assert_int_eq(later.result, MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(notify, &n, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(n.msg.head.msgh_id, MACH_NOTIFY_NO_SENDERS);
	destroy(dest);          /* and the send-once rights its queue held */
	destroy(port);
	destroy(notify);
}
END_TEST

static Suite *race_suite(void)
{
	Suite *s = suite_create("msg-race");
	TCase *tc = tcase_create("race");

	tcase_add_test(tc, test_copy_send_dest_dropped);
	tcase_add_test(tc, test_move_send_dest_dropped);
	tcase_add_test(tc, test_copy_send_descriptor_dropped);
	tcase_add_test(tc, test_dest_made_dead_name);
	tcase_add_test(tc, test_send_once_descriptor_moved_away);
	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	tc = tcase_create("race-notify");
	tcase_add_test(tc, test_deferred_close_waits_for_earlier_sends);
	tcase_add_checked_fixture(tc, setup_notifier, teardown);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(race_suite(), NULL, 0, argc, argv);
}
