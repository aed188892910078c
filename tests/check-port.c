/* SPDX-License-Identifier: MIT */
/*
 * check-port - the mach_port_* calls on the task's IPC space: allocation,
 * rights and user references, the error codes Mach gives, port sets, and
 * what a forked child inherits.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bsm/libbsm.h>
#include <mach/mach.h>
#include <mach/notify.h>
#include <bootstrap/linux.h>
#include <servers/bootstrap.h>

#include "helpers/fdcheck.h"
#include "helpers/peer.h"
#include "helpers/runner.h"

static void setup(void)
{
	peer_fd_mark(false);
}

static void setup_notify(void)
{
	peer_fd_mark(true);
}

static void teardown(void)
{
	peer_fd_check();
}

static void destroy_receive(mach_port_t name)
{
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
}

static void assert_gone(mach_port_t name)
{
	mach_port_type_t t;

	ck_assert_int_eq(mach_port_type(mach_task_self(), name, &t), KERN_INVALID_NAME);
}

START_TEST(test_allocate)
{
	mach_port_t rcv = peer_port(), set, dead, other;

	ck_assert_uint_eq(peer_type(rcv), MACH_PORT_TYPE_RECEIVE);
	ck_assert_uint_eq(peer_urefs(rcv, MACH_PORT_RIGHT_RECEIVE), 1);
	ck_assert_uint_eq(peer_urefs(rcv, MACH_PORT_RIGHT_SEND), 0);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_type(set), MACH_PORT_TYPE_PORT_SET);
	ck_assert_uint_eq(peer_urefs(set, MACH_PORT_RIGHT_PORT_SET), 1);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_type(dead), MACH_PORT_TYPE_DEAD_NAME);
	ck_assert_uint_eq(peer_urefs(dead, MACH_PORT_RIGHT_DEAD_NAME), 1);
	ck_assert(rcv != set && set != dead && rcv != dead);
	ck_assert(MACH_PORT_VALID(set) && MACH_PORT_VALID(dead));

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_SEND, &other),
			 KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_NUMBER, &other),
			 KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_allocate(mach_task_self() + 1, MACH_PORT_RIGHT_RECEIVE, &other),
			 KERN_INVALID_TASK);

	destroy_receive(rcv);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), set, MACH_PORT_RIGHT_PORT_SET, -1),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), dead), KERN_SUCCESS);
	assert_gone(rcv);
	assert_gone(set);
	assert_gone(dead);
}
END_TEST

START_TEST(test_insert_right)
{
	mach_port_t a = peer_port(), b = peer_port();

	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), a, a, MACH_MSG_TYPE_MAKE_SEND),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_SEND_RECEIVE);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), a, a, MACH_MSG_TYPE_MAKE_SEND),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), a, a, MACH_MSG_TYPE_COPY_SEND),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 3);
	/* Moving a right onto its own name changes nothing. */
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), a, a, MACH_MSG_TYPE_MOVE_SEND),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 3);

	/* One port, one name. */
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), b, a, MACH_MSG_TYPE_MAKE_SEND),
			 KERN_RIGHT_EXISTS);
	/* No receive right, no MAKE_SEND; no send right, no COPY_SEND. */
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), b, b, MACH_MSG_TYPE_COPY_SEND),
			 KERN_INVALID_RIGHT);
	ck_assert_uint_eq(peer_type(b), MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_ne(mach_port_insert_right(mach_task_self(), 0x4242, 0x4242,
						MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	/* As xnu: the receive right moves out of its name and back into it. */
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), a, a,
						MACH_MSG_TYPE_MOVE_RECEIVE), KERN_SUCCESS);
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_SEND_RECEIVE);

	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), a), KERN_SUCCESS);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 2);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_SEND, -2),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_RECEIVE);
	/* The receive right can still make send rights afterwards. */
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), a, a, MACH_MSG_TYPE_MAKE_SEND),
			 KERN_SUCCESS);
	ck_assert_int_eq(peer_send_id(a, MACH_MSG_TYPE_COPY_SEND, 7), MACH_MSG_SUCCESS);
	destroy_receive(a);
	destroy_receive(b);
	/* a's send right survives the receive right, as a dead name. */
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_DEAD_NAME);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_DEAD_NAME), 1);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), a), KERN_SUCCESS);
	assert_gone(a);
}
END_TEST

START_TEST(test_urefs_limits)
{
	mach_port_t a = peer_port_send();

	/* As xnu: a count that would overflow stays pegged at the maximum. */
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_SEND, 0xffff),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 0xffff);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_SEND, -1),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 0xffff);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), a, a, MACH_MSG_TYPE_MAKE_SEND),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 0xffff);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_SEND, -0x10000),
			 KERN_INVALID_VALUE);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 0xffff);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_SEND, -0xffff),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_RECEIVE);
	destroy_receive(a);
	assert_gone(a);
}
END_TEST

/* Rights a name does not hold, and names that were never given out. */
static void names_refused(mach_port_t rcv, mach_port_t set)
{
	/* deallocate: send, send-once and dead-name references; a port set is destroyed. */
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), rcv), KERN_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), set), KERN_SUCCESS);
	assert_gone(set);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), MACH_PORT_NULL), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), MACH_PORT_DEAD), KERN_SUCCESS);

	/* Names that were never given out. */
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), 0x4207, MACH_PORT_RIGHT_SEND, -1),
			 KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), 0x4207), KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), 0x4207), KERN_INVALID_NAME);
	assert_gone(0x4207);
}

/* The error codes of xnu's tests/mach_port_mod_refs.c, and the neighbours. */
START_TEST(test_mod_refs_errors)
{
	mach_port_t rcv = peer_port(), set, dead;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead),
			 KERN_SUCCESS);
	for (mach_port_right_t r = MACH_PORT_RIGHT_SEND; r <= MACH_PORT_RIGHT_LABELH; r++) {
		if (r != MACH_PORT_RIGHT_RECEIVE)
			ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), rcv, r, -1),
					 KERN_INVALID_RIGHT);
		if (r != MACH_PORT_RIGHT_PORT_SET)
			ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), set, r, -1),
					 KERN_INVALID_RIGHT);
	}
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), rcv, MACH_PORT_RIGHT_NUMBER, -1),
			 KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), rcv, MACH_PORT_RIGHT_NUMBER + 1, -1),
			 KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), rcv, MACH_PORT_RIGHT_RECEIVE, 1),
			 KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), rcv, MACH_PORT_RIGHT_RECEIVE, -2),
			 KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), rcv, MACH_PORT_RIGHT_RECEIVE, 0),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_DEAD_NAME, -2),
			 KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_DEAD_NAME, 2),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_urefs(dead, MACH_PORT_RIGHT_DEAD_NAME), 3);

	names_refused(rcv, set);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self() + 1, rcv, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_INVALID_TASK);

	destroy_receive(rcv);
	/* A stale name: its slot is free now. */
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), rcv, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), dead), KERN_SUCCESS);
	assert_gone(dead);
}
END_TEST

START_TEST(test_destroy)
{
	mach_port_t a = peer_port_send(), b = peer_port(), set;
	struct peer_rcv r;

	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_SEND, 2),
			 KERN_SUCCESS);
	ck_assert_int_eq(peer_send_id(a, MACH_MSG_TYPE_COPY_SEND, 1), MACH_MSG_SUCCESS);
	/* destroy takes every right the name holds, queued messages included. */
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), a), KERN_SUCCESS);
	assert_gone(a);
	ck_assert_int_eq(peer_recv(a, &r, 0), MACH_RCV_INVALID_NAME);

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_move_member(mach_task_self(), b, set), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), set), KERN_SUCCESS);
	assert_gone(set);
	/* The member survives its set and is in no set any more. */
	ck_assert_uint_eq(peer_type(b), MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_eq(mach_port_extract_member(mach_task_self(), b, set), KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), b, b, MACH_MSG_TYPE_MAKE_SEND),
			 KERN_SUCCESS);
	ck_assert_int_eq(peer_send_id(b, MACH_MSG_TYPE_MOVE_SEND, 2), MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(b, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, 2);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), b), KERN_SUCCESS);
	assert_gone(b);
}
END_TEST

/* What a port set with members @a and @b receives; then @c joins it. */
static void set_receives(mach_port_t set, mach_port_t a, mach_port_t b, mach_port_t c)
{
	struct peer_rcv r;

	/* Each message reports the member it arrived on. */
	ck_assert_int_eq(peer_send_id(b, MACH_MSG_TYPE_COPY_SEND, 20), MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_send_id(c, MACH_MSG_TYPE_COPY_SEND, 30), MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(set, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, 20);
	ck_assert_uint_eq(r.msg.head.msgh_local_port, b);
	ck_assert_int_eq(MACH_MSGH_BITS_LOCAL(r.msg.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND);
	ck_assert_int_eq(peer_send_id(a, MACH_MSG_TYPE_COPY_SEND, 10), MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(set, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, 10);
	ck_assert_uint_eq(r.msg.head.msgh_local_port, a);
	/* Messages through a member's send-once rights come through the set too. */
	ck_assert_int_eq(peer_send_id(peer_send_once(b), MACH_MSG_TYPE_MOVE_SEND_ONCE, 21),
			 MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(set, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, 21);
	ck_assert_uint_eq(r.msg.head.msgh_local_port, b);
	ck_assert_int_eq(MACH_MSGH_BITS_LOCAL(r.msg.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	/* c is not a member: its message waits on c. */
	ck_assert_int_eq(peer_recv(set, &r, 0), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(mach_port_move_member(mach_task_self(), c, set), KERN_SUCCESS);
	ck_assert_int_eq(peer_recv(set, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(r.msg.head.msgh_local_port, c);
	ck_assert_int_eq(r.msg.head.msgh_id, 30);
}

START_TEST(test_port_set)
{
	mach_port_t set, a = peer_port_send(), b = peer_port_send(), c = peer_port_send();
	struct peer_rcv r;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_move_member(mach_task_self(), a, set), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_insert_member(mach_task_self(), b, set), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_insert_member(mach_task_self(), b, set), KERN_ALREADY_IN_SET);
	ck_assert_int_eq(mach_port_extract_member(mach_task_self(), c, set), KERN_NOT_IN_SET);
	ck_assert_int_eq(mach_port_move_member(mach_task_self(), set, a), KERN_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_move_member(mach_task_self(), a, c), KERN_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_move_member(mach_task_self(), a, 0x4207), KERN_INVALID_NAME);
	ck_assert_int_eq(peer_recv(set, &r, 0), MACH_RCV_TIMED_OUT);

	set_receives(set, a, b, c);

	/* Out of the set, a member is received on directly again. */
	ck_assert_int_eq(mach_port_extract_member(mach_task_self(), a, set), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_move_member(mach_task_self(), b, MACH_PORT_NULL), KERN_SUCCESS);
	ck_assert_int_eq(peer_send_id(a, MACH_MSG_TYPE_COPY_SEND, 11), MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(set, &r, 0), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(peer_recv(a, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, 11);

	/* A member whose receive right is destroyed leaves the set. */
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), c), KERN_SUCCESS);
	ck_assert_int_eq(peer_recv(set, &r, 0), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), a), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), b), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), set), KERN_SUCCESS);
}
END_TEST

/* A destroyed set lets its members go: a new set under a reused name does not get them. */
START_TEST(test_port_set_destroyed)
{
	mach_port_t set, set2 = MACH_PORT_NULL, a = peer_port_send();
	struct peer_rcv r;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_move_member(mach_task_self(), a, set), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), set, MACH_PORT_RIGHT_PORT_SET, -1),
			 KERN_SUCCESS);
	/* Names carry an 8-bit generation: allocate until the same name comes back. */
	for (int i = 0; i < 600; i++) {
		ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set2),
				 KERN_SUCCESS);
		if (set2 == set)
			break;
		ck_assert_int_eq(mach_port_destroy(mach_task_self(), set2), KERN_SUCCESS);
	}
	ck_assert_uint_eq(set2, set);
	ck_assert_int_eq(mach_port_extract_member(mach_task_self(), a, set2), KERN_NOT_IN_SET);
	/* A send-once queue made now must not be watched by the new set. */
	ck_assert_int_eq(peer_send_id(peer_send_once(a), MACH_MSG_TYPE_MOVE_SEND_ONCE, 1),
			 MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(set2, &r, 0), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(peer_recv(a, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), set2), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), a), KERN_SUCCESS);
}
END_TEST

/* A member that reached no-senders must not make the set spin or fail. */
START_TEST(test_port_set_member_without_senders)
{
	mach_port_t set, a = peer_port_send(), b = peer_port_send();
	struct peer_rcv r;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_move_member(mach_task_self(), a, set), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_move_member(mach_task_self(), b, set), KERN_SUCCESS);
	ck_assert_int_eq(peer_send_id(a, MACH_MSG_TYPE_MOVE_SEND, 1), MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(set, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, 1);
	/* a has no sender left; a receive on the set still times out cleanly. */
	ck_assert_int_eq(peer_recv(set, &r, 50), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(peer_send_id(b, MACH_MSG_TYPE_COPY_SEND, 2), MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(set, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(r.msg.head.msgh_local_port, b);
	/* New send rights to a make it work again. */
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), a, a, MACH_MSG_TYPE_MAKE_SEND),
			 KERN_SUCCESS);
	ck_assert_int_eq(peer_send_id(a, MACH_MSG_TYPE_COPY_SEND, 3), MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(set, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(r.msg.head.msgh_local_port, a);
	ck_assert_int_eq(r.msg.head.msgh_id, 3);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), a), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), b), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), set), KERN_SUCCESS);
}
END_TEST

/* The child's side of test_fork: exit status 0 if all is as on macOS. */
static int forked_child(mach_port_t rcv, mach_port_t boot)
{
	struct peer_rcv r;
	mach_port_type_t t = 0;

	if (mach_port_type(mach_task_self(), rcv, &t) != KERN_INVALID_NAME)
		return 10;
	if (peer_recv(rcv, &r, 0) != MACH_RCV_INVALID_NAME)
		return 11;
	/* The bootstrap port survives, as a send right only. */
	if (mach_port_type(mach_task_self(), boot, &t) != KERN_SUCCESS || t != MACH_PORT_TYPE_SEND)
		return 12;
	if (peer_recv(boot, &r, 0) != MACH_RCV_INVALID_NAME)
		return 13;
	if (peer_send_id(boot, MACH_MSG_TYPE_COPY_SEND, 77) != MACH_MSG_SUCCESS)
		return 14;
	return 0;
}

START_TEST(test_fork)
{
	mach_port_t rcv = peer_port_send(), boot = peer_port_send(), notify = peer_port();
	mach_port_t prev = MACH_PORT_NULL;
	struct peer_rcv r;
	int go[2], ws;
	pid_t pid;
	char c = 0;

	ck_assert_int_eq(task_set_bootstrap_port(mach_task_self(), boot), KERN_SUCCESS);
	ck_assert_int_eq(pipe(go), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int status = forked_child(rcv, boot);

		/* Stay alive, holding whatever fork gave us, until the parent has checked. */
		close(go[1]);
		if (read(go[0], &c, 1) < 0)
			status = 20;
		_exit(status);
	}
	close(go[0]);
	ck_assert_int_eq(peer_recv(boot, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, 77);
	ck_assert_int_eq(audit_token_to_pid(peer_audit(&r)), pid);
	/* The child holds no copy of rcv's send end: no-senders while it lives. */
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), rcv,
			 MACH_NOTIFY_NO_SENDERS, 0, notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), rcv), KERN_SUCCESS);
	ck_assert_int_eq(peer_recv(notify, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, MACH_NOTIFY_NO_SENDERS);
	ck_assert_uint_eq(r.msg.head.msgh_local_port, notify);
	ck_assert_int_eq(write(go[1], &c, 1), 1);
	close(go[1]);
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	ck_assert_msg(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "child status 0x%x", ws);
	ck_assert_int_eq(task_set_bootstrap_port(mach_task_self(), MACH_PORT_NULL), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), rcv), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), boot), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), notify), KERN_SUCCESS);
}
END_TEST

START_TEST(test_get_fd)
{
	mach_port_t a = peer_port_send(), set;
	int fd = -1;

	ck_assert_int_eq(bootstrap_port_get_fd(a, &fd), KERN_SUCCESS);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
			 KERN_SUCCESS);
	ck_assert_int_eq(bootstrap_port_get_fd(set, &fd), KERN_SUCCESS);
	ck_assert_int_eq(bootstrap_port_get_fd(0x4207, &fd), KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), a), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), a), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), set), KERN_SUCCESS);
}
END_TEST

struct waiter {
	mach_port_t port;
	mach_msg_return_t mr;
};

static void *wait_receive(void *arg)
{
	struct waiter *w = arg;
	struct peer_rcv r;

	w->mr = peer_recv(w->port, &r, PEER_TIMEOUT_MS);
	return NULL;
}

/* A thread waiting to receive on a port another thread destroys wakes at once. */
START_TEST(test_destroy_wakes_receiver)
{
	struct waiter w = { peer_port(), MACH_MSG_SUCCESS };
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, wait_receive, &w), 0);
	while (peer_recv_epoll(w.port) < 0)     /* the receiver has made its epoll */
		sched_yield();
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), w.port, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(w.mr, MACH_RCV_PORT_DIED);
}
END_TEST

/* A send right to our own port, received in a message, is one more user reference. */
START_TEST(test_receive_own_send_right)
{
	mach_port_t a = peer_port(), box = peer_port();
	struct peer_msg m;
	struct peer_rcv r;

	peer_msg_init(&m, box, MACH_MSG_TYPE_MAKE_SEND, 1, a, MACH_MSG_TYPE_MAKE_SEND);
	peer_post(&m);
	ck_assert_int_eq(peer_recv(box, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(r.msg.port.name, a);
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_SEND_RECEIVE);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), a), KERN_SUCCESS);
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_RECEIVE);
	/* The same as the reply port of a message. */
	peer_msg_init(&m, box, MACH_MSG_TYPE_MAKE_SEND, 2, MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND);
	m.head.msgh_local_port = a;
	m.head.msgh_bits = (m.head.msgh_bits & ~MACH_MSGH_BITS_LOCAL_MASK) |
		MACH_MSGH_BITS(0, MACH_MSG_TYPE_MAKE_SEND);
	peer_post(&m);
	ck_assert_int_eq(peer_recv(box, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(r.msg.head.msgh_remote_port, a);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), a), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), a), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

static Suite *port_suite(void)
{
	Suite *s = suite_create("port");
	TCase *rights = tcase_create("rights"), *sets = tcase_create("sets");
	TCase *fork = tcase_create("fork");

	tcase_add_test(rights, test_allocate);
	tcase_add_test(rights, test_insert_right);
	tcase_add_test(rights, test_urefs_limits);
	tcase_add_test(rights, test_mod_refs_errors);
	tcase_add_test(rights, test_destroy);
	tcase_add_test(rights, test_get_fd);
	tcase_add_test(rights, test_destroy_wakes_receiver);
	tcase_add_test(rights, test_receive_own_send_right);
	tcase_add_test(sets, test_port_set);
	tcase_add_test(sets, test_port_set_member_without_senders);
	tcase_add_test(sets, test_port_set_destroyed);
	tcase_add_test(fork, test_fork);
	tcase_add_checked_fixture(rights, setup, teardown);
	tcase_add_checked_fixture(sets, setup, teardown);
	tcase_add_checked_fixture(fork, setup_notify, teardown);
	suite_add_tcase(s, rights);
	suite_add_tcase(s, sets);
	suite_add_tcase(s, fork);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(port_suite(), NULL, 0, argc, argv);
}
