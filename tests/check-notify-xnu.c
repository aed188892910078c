/* SPDX-License-Identifier: MIT */
/*
 * check-notify-xnu - mach_port_request_notification for every kind, with
 * xnu's return codes and the previous request's send-once right given back
 * in *previous; MACH_NOTIFY_SEND_POSSIBLE; MACH_NOTIFY_PORT_DESTROYED
 * carrying the receive right; immediate dead-name notifications for a name
 * already dead; the user reference a dead-name notification carries;
 * MACH_NOTIFY_PORT_DELETED; the request bits of mach_port_type().
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/notify.h>

#include "helpers/peer.h"

static void setup(void)
{
	peer_fd_mark(true);
}

static void teardown(void)
{
	peer_fd_check();
}

static kern_return_t req(mach_port_t name, mach_msg_id_t id, mach_port_mscount_t sync,
			 mach_port_t notify, mach_port_t *prev)
{
	return mach_port_request_notification(mach_task_self(), name, id, sync, notify,
					      MACH_MSG_TYPE_MAKE_SEND_ONCE, prev);
}

/* Expect notification @id naming @subject (0: any) on @n. */
static void expect(mach_port_t n, mach_msg_id_t id, mach_port_t subject)
{
	struct peer_rcv r;
	const mach_dead_name_notification_t *dn = (const void *)&r.msg;

	ck_assert_int_eq(peer_recv(n, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, id);
	if (subject)
		ck_assert_uint_eq(dn->not_port, subject);
}

START_TEST(test_codes)
{
	mach_port_t rcv = peer_port(), n = peer_port(), set, prev = 1;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
			 KERN_SUCCESS);
	ck_assert_int_eq(req(rcv, MACH_NOTIFY_PORT_DELETED, 0, n, &prev), KERN_INVALID_VALUE);
	ck_assert_int_eq(req(rcv, 0x4242, 0, n, &prev), KERN_INVALID_VALUE);
	ck_assert_int_eq(req(MACH_PORT_NULL, MACH_NOTIFY_NO_SENDERS, 0, n, &prev), KERN_INVALID_RIGHT);
	ck_assert_int_eq(req(MACH_PORT_NULL, MACH_NOTIFY_DEAD_NAME, 0, n, &prev), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(req(MACH_PORT_NULL, MACH_NOTIFY_SEND_POSSIBLE, 0, n, &prev),
			 KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(req(rcv, MACH_NOTIFY_PORT_DESTROYED, 1, n, &prev), KERN_INVALID_VALUE);
	ck_assert_int_eq(req(MACH_PORT_DEAD, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev), KERN_INVALID_RIGHT);
	ck_assert_int_eq(req(set, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev), KERN_INVALID_RIGHT);
	ck_assert_int_eq(req(set, MACH_NOTIFY_NO_SENDERS, 0, n, &prev), KERN_INVALID_RIGHT);
	ck_assert_int_eq(req(0x4203, MACH_NOTIFY_NO_SENDERS, 0, n, &prev), KERN_INVALID_NAME);
	ck_assert_int_eq(req(0x4203, MACH_NOTIFY_DEAD_NAME, 0, n, &prev), KERN_INVALID_NAME);
	ck_assert_int_eq(req(set, MACH_NOTIFY_DEAD_NAME, 0, n, &prev), KERN_INVALID_RIGHT);
	ck_assert_int_eq(req(rcv, MACH_NOTIFY_NO_SENDERS, 0, MACH_PORT_DEAD, &prev),
			 KERN_INVALID_CAPABILITY);
	ck_assert_uint_eq(prev, 1);     /* untouched by refusals */
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), set), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), rcv), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n), KERN_SUCCESS);
}
END_TEST

#define MANY_REQUESTS 300       /* past two growths of the request table */

/* @n notifications @id on @port, then none. */
static void expect_count(mach_port_t port, mach_msg_id_t id, unsigned n)
{
	struct peer_rcv r;

	for (unsigned i = 0; i < n; i++)
		expect(port, id, 0);
	ck_assert_int_eq(peer_recv(port, &r, 0), MACH_RCV_TIMED_OUT);
}

/*
 * Among many requests, each is found by its name and kind: replaced (the
 * previous right comes back), fired, and cancelled, one by one.
 */
START_TEST(test_many_requests)
{
	static mach_port_t rcv[MANY_REQUESTS];
	mach_port_t n1 = peer_port(), n2 = peer_port(), prev;

	peer_raise_fd_limit(8 * MANY_REQUESTS);
	for (unsigned i = 0; i < MANY_REQUESTS; i++) {
		rcv[i] = peer_port_send();      /* its send right keeps no-senders away */
		ck_assert_int_eq(req(rcv[i], MACH_NOTIFY_NO_SENDERS, 0, n1, &prev), KERN_SUCCESS);
		ck_assert_uint_eq(prev, MACH_PORT_NULL);
	}
	for (unsigned i = MANY_REQUESTS; i-- > 0;) {
		ck_assert_int_eq(req(rcv[i], MACH_NOTIFY_NO_SENDERS, 0, n2, &prev), KERN_SUCCESS);
		ck_assert_uint_eq(peer_type(prev), MACH_PORT_TYPE_SEND_ONCE);
		ck_assert_int_eq(mach_port_deallocate(mach_task_self(), prev), KERN_SUCCESS);
	}
	expect_count(n1, MACH_NOTIFY_SEND_ONCE, MANY_REQUESTS);
	for (unsigned i = 0; i < MANY_REQUESTS; i += 2)
		ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), rcv[i], MACH_PORT_RIGHT_SEND, -1),
				 KERN_SUCCESS);
	expect_count(n2, MACH_NOTIFY_NO_SENDERS, MANY_REQUESTS / 2);
	for (unsigned i = 1; i < MANY_REQUESTS; i += 2) {
		ck_assert_int_eq(req(rcv[i], MACH_NOTIFY_NO_SENDERS, 0, MACH_PORT_NULL, &prev),
				 KERN_SUCCESS);
		ck_assert_uint_eq(peer_type(prev), MACH_PORT_TYPE_SEND_ONCE);
		ck_assert_int_eq(mach_port_deallocate(mach_task_self(), prev), KERN_SUCCESS);
	}
	expect_count(n2, MACH_NOTIFY_SEND_ONCE, MANY_REQUESTS / 2);
	for (unsigned i = 0; i < MANY_REQUESTS; i++)
		ck_assert_int_eq(mach_port_destroy(mach_task_self(), rcv[i]), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n1), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n2), KERN_SUCCESS);
}
END_TEST

/* A second request replaces the first, whose send-once right comes back. */
START_TEST(test_previous)
{
	mach_port_t rcv = peer_port_send(), n1 = peer_port(), n2 = peer_port(), prev = 1;
	struct peer_rcv r;

	/* rcv holds a send right: no-senders does not fire meanwhile. */
	ck_assert_int_eq(req(rcv, MACH_NOTIFY_NO_SENDERS, 0, n1, &prev), KERN_SUCCESS);
	ck_assert_uint_eq(prev, MACH_PORT_NULL);
	ck_assert_int_eq(req(rcv, MACH_NOTIFY_NO_SENDERS, 0, n2, &prev), KERN_SUCCESS);
	ck_assert(MACH_PORT_VALID(prev));
	ck_assert_uint_eq(peer_type(prev), MACH_PORT_TYPE_SEND_ONCE);
	/* It is the first request's right: a message through it reaches n1. */
	ck_assert_int_eq(peer_send_id(prev, MACH_MSG_TYPE_MOVE_SEND_ONCE, 77), MACH_MSG_SUCCESS);
	expect(n1, 77, 0);
	/* Cancelling gives the second one back. */
	ck_assert_int_eq(req(rcv, MACH_NOTIFY_NO_SENDERS, 0, MACH_PORT_NULL, &prev), KERN_SUCCESS);
	ck_assert_uint_eq(peer_type(prev), MACH_PORT_TYPE_SEND_ONCE);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), prev), KERN_SUCCESS);
	expect(n2, MACH_NOTIFY_SEND_ONCE, 0);
	ck_assert_int_eq(peer_recv(n1, &r, 0), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), rcv), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n1), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n2), KERN_SUCCESS);
}
END_TEST

/*
 * Port-destroyed: destroying the receive right sends it, queued messages
 * and all, to the notify port; the port lives on.
 */
START_TEST(test_port_destroyed)
{
	mach_port_t a = peer_port_send(), n = peer_port(), prev = 1;
	struct peer_rcv r;
	const mach_port_destroyed_notification_t *pd = (const void *)&r.msg;

	ck_assert_int_eq(req(a, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev), KERN_SUCCESS);
	ck_assert_uint_eq(prev, MACH_PORT_NULL);
	ck_assert_int_eq(req(a, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev), KERN_FAILURE);
	expect(n, MACH_NOTIFY_SEND_ONCE, 0);    /* the refused request's right, destroyed */
	ck_assert_int_eq(peer_send_id(a, MACH_MSG_TYPE_COPY_SEND, 5), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_SEND);     /* not a dead name */
	ck_assert_int_eq(peer_recv(n, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, MACH_NOTIFY_PORT_DESTROYED);
	ck_assert(MACH_MSGH_BITS_IS_COMPLEX(r.msg.head.msgh_bits));
	ck_assert_uint_eq(pd->not_port.disposition, MACH_MSG_TYPE_PORT_RECEIVE);
	/* The right comes back under the name of the send right we hold. */
	ck_assert_uint_eq(pd->not_port.name, a);
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_SEND_RECEIVE);
	ck_assert_int_eq(peer_recv(a, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, 5);
	/* The request went with the notification: now destruction is final. */
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), a), KERN_SUCCESS);
	ck_assert_int_eq(peer_recv(n, &r, 0), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n), KERN_SUCCESS);
}
END_TEST

/*
 * As in xnu, a port-destroyed request belongs to the port, not to the
 * holder of its receive right: it travels with the right in a message, and
 * destroying the right where it arrived hands it back to the notify port.
 * It used to stay behind, and the notify port only learnt that its
 * send-once right died.
 */
START_TEST(test_port_destroyed_request_moves_with_the_right)
{
	mach_port_t a = peer_port(), n = peer_port(), carrier = peer_port_send(), got;
	struct peer_rcv r;
	const mach_port_destroyed_notification_t *pd = (const void *)&r.msg;
	mach_port_status_t st;
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	struct peer_msg m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
				       MACH_MSGH_BITS_COMPLEX,
			  .msgh_size = sizeof(m), .msgh_remote_port = carrier, .msgh_id = 7 },
		.body = { 1 },
		.port = { .name = a, .disposition = MACH_MSG_TYPE_MOVE_RECEIVE,
			  .type = MACH_MSG_PORT_DESCRIPTOR },
	};

	ck_assert_int_eq(req(a, MACH_NOTIFY_PORT_DESTROYED, 0, n, NULL), KERN_SUCCESS);
	ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
				  MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(carrier, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	got = r.msg.port.name;
	ck_assert_int_eq(mach_port_get_attributes(mach_task_self(), got, MACH_PORT_RECEIVE_STATUS,
						  (mach_port_info_t)&st, &cnt), KERN_SUCCESS);
	ck_assert(st.mps_pdrequest);
	/* Nothing told the notify port while the right travelled. */
	ck_assert_int_eq(peer_recv(n, &r, 0), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), got, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	ck_assert_int_eq(peer_recv(n, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, MACH_NOTIFY_PORT_DESTROYED);
	ck_assert_uint_eq(pd->not_port.disposition, MACH_MSG_TYPE_PORT_RECEIVE);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), pd->not_port.name), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), carrier), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n), KERN_SUCCESS);
}
END_TEST

/* The notify port is gone: the receive right is destroyed after all. */
START_TEST(test_port_destroyed_unsent)
{
	mach_port_t a = peer_port_send(), n = peer_port();

	ck_assert_int_eq(req(a, MACH_NOTIFY_PORT_DESTROYED, 0, n, NULL), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_DEAD_NAME);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), a), KERN_SUCCESS);
}
END_TEST

/* A send right on a raw socket whose receive end the test holds. */
static mach_port_t send_only(int *r)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	*r = sv[0];
	return peer_name_send_fd(sv[1]);
}

START_TEST(test_send_possible_and_dead_name)
{
	int r, r2;
	mach_port_t s = send_only(&r), s2 = send_only(&r2), n = peer_port(), prev = 1;
	mach_port_urefs_t refs;

	/* The port can take a message: the notification comes at once. */
	ck_assert_int_eq(req(s, MACH_NOTIFY_SEND_POSSIBLE, 1, n, &prev), KERN_SUCCESS);
	expect(n, MACH_NOTIFY_SEND_POSSIBLE, s);
	ck_assert_int_eq(req(s, MACH_NOTIFY_DEAD_NAME, 0, n, &prev), KERN_SUCCESS);
	close(r);
	expect(n, MACH_NOTIFY_DEAD_NAME, s);
	ck_assert_uint_eq(peer_type(s), MACH_PORT_TYPE_DEAD_NAME);
	/* Already dead: an immediate notification if sync is set, which takes a reference. */
	ck_assert_int_eq(req(s, MACH_NOTIFY_DEAD_NAME, 0, n, &prev), KERN_INVALID_ARGUMENT);
	expect(n, MACH_NOTIFY_SEND_ONCE, 0);    /* the refused request's right, destroyed */
	ck_assert_int_eq(req(s, MACH_NOTIFY_DEAD_NAME, 1, n, &prev), KERN_SUCCESS);
	expect(n, MACH_NOTIFY_DEAD_NAME, s);
	/* Ours, the first notification's and the immediate one's, as xnu. */
	ck_assert_int_eq(mach_port_get_refs(mach_task_self(), s, MACH_PORT_RIGHT_DEAD_NAME, &refs),
			 KERN_SUCCESS);
	ck_assert_uint_eq(refs, 3);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_DEAD_NAME, -3),
			 KERN_SUCCESS);
	/* Send-possible on a port that dies first: a dead-name notification, as xnu. */
	ck_assert_int_eq(shutdown(r2, SHUT_RDWR), 0);
	ck_assert_int_eq(req(s2, MACH_NOTIFY_SEND_POSSIBLE, 1, n, &prev), KERN_SUCCESS);
	expect(n, MACH_NOTIFY_DEAD_NAME, s2);
	close(r2);
	/* No request was made while it lived: ours and the immediate notification's. */
	ck_assert_uint_eq(peer_urefs(s2, MACH_PORT_RIGHT_DEAD_NAME), 2);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), s2, MACH_PORT_RIGHT_DEAD_NAME, -2),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n), KERN_SUCCESS);
}
END_TEST

/* Fill the port of @s (a send_only() one) until it can take no more: send-possible waits. */
static void fill(mach_port_t s)
{
	static char chunk[32768];
	struct pollfd pfd = { .fd = peer_send_fd(s), .events = POLLOUT };

	ck_assert_int_ge(pfd.fd, 0);
	while (send(pfd.fd, chunk, sizeof(chunk), MSG_DONTWAIT) > 0)
		;
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	close(pfd.fd);
}

static void expect_nothing(mach_port_t n)
{
	struct peer_rcv r;

	ck_assert_int_eq(peer_recv(n, &r, 0), MACH_RCV_TIMED_OUT);
}

/* Drop the @urefs dead-name references of @name: the name is gone after. */
static void drop_dead(mach_port_t name, mach_port_urefs_t urefs)
{
	ck_assert_uint_eq(peer_urefs(name, MACH_PORT_RIGHT_DEAD_NAME), urefs);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_DEAD_NAME,
					    -(mach_port_delta_t)urefs), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), name), KERN_INVALID_NAME);
}

/*
 * As xnu's ipc_right_check(): a dead-name notification carries a user
 * reference of the dead name, so that its receiver deallocates the name
 * once for the notification and once for the reference it held.  One per
 * request registered when the port died, whichever of the notification
 * and a look at the name comes first; none without a request.
 */
START_TEST(test_dead_name_adds_a_reference)
{
	int r[4];
	mach_port_t s[4], n = peer_port(), d = peer_port(), so = peer_send_once(d), prev;

	for (int i = 0; i < 4; i++)
		s[i] = send_only(&r[i]);
	/* The notification first, then the name. */
	ck_assert_int_eq(req(s[0], MACH_NOTIFY_DEAD_NAME, 0, n, NULL), KERN_SUCCESS);
	close(r[0]);
	expect(n, MACH_NOTIFY_DEAD_NAME, s[0]);
	drop_dead(s[0], 2);
	/* The name first: the reference is counted, and the notification sent, once. */
	ck_assert_int_eq(req(s[1], MACH_NOTIFY_DEAD_NAME, 0, n, NULL), KERN_SUCCESS);
	close(r[1]);
	ck_assert_uint_eq(peer_urefs(s[1], MACH_PORT_RIGHT_DEAD_NAME), 2);
	expect(n, MACH_NOTIFY_DEAD_NAME, s[1]);
	expect_nothing(n);
	drop_dead(s[1], 2);
	/* A send-possible request still waiting when the port dies, as xnu. */
	fill(s[2]);
	ck_assert_int_eq(req(s[2], MACH_NOTIFY_SEND_POSSIBLE, 1, n, NULL), KERN_SUCCESS);
	expect_nothing(n);
	close(r[2]);
	expect(n, MACH_NOTIFY_DEAD_NAME, s[2]);
	drop_dead(s[2], 2);
	/* A send-once right: its one reference, and the notification's. */
	ck_assert_int_eq(req(so, MACH_NOTIFY_DEAD_NAME, 0, n, NULL), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), d), KERN_SUCCESS);
	expect(n, MACH_NOTIFY_DEAD_NAME, so);
	drop_dead(so, 2);
	/* A request cancelled, and a send-possible one that fired: no notification, no reference. */
	ck_assert_int_eq(req(s[3], MACH_NOTIFY_DEAD_NAME, 0, n, NULL), KERN_SUCCESS);
	ck_assert_int_eq(req(s[3], MACH_NOTIFY_DEAD_NAME, 0, MACH_PORT_NULL, &prev), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), prev), KERN_SUCCESS);
	expect(n, MACH_NOTIFY_SEND_ONCE, 0);
	ck_assert_int_eq(req(s[3], MACH_NOTIFY_SEND_POSSIBLE, 1, n, NULL), KERN_SUCCESS);
	expect(n, MACH_NOTIFY_SEND_POSSIBLE, s[3]);
	close(r[3]);
	ck_assert_uint_eq(peer_type(s[3]), MACH_PORT_TYPE_DEAD_NAME);
	drop_dead(s[3], 1);
	expect_nothing(n);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n), KERN_SUCCESS);
}
END_TEST

/* Send @name with @disp in a port descriptor to @box; what the send said. */
static mach_msg_return_t send_port(mach_port_t box, mach_port_t name, mach_msg_type_name_t disp)
{
	struct {
		mach_msg_header_t h;
		mach_msg_body_t b;
		mach_msg_port_descriptor_t p;
	} m = { .h = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) |
				    MACH_MSGH_BITS_COMPLEX,
		       .msgh_size = sizeof(m), .msgh_remote_port = box },
		.b = { 1 },
		.p = { .name = name, .disposition = disp, .type = MACH_MSG_PORT_DESCRIPTOR } };

	return mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/*
 * A send right whose dead-name notification fired, moved in a message
 * before the name was looked at: as xnu's copy-in, the name becomes the
 * dead name the notification counted on, one reference goes as
 * MACH_PORT_DEAD, and the notification's stays for its handler.  The name
 * used to go altogether, the handler's deallocate failing.  A dead name in
 * a descriptor is sent as MACH_PORT_DEAD, not refused.
 */
START_TEST(test_dead_right_moved_after_notification)
{
	int r;
	mach_port_t s = send_only(&r), n = peer_port(), box = peer_port();
	struct peer_rcv got;

	ck_assert_int_eq(req(s, MACH_NOTIFY_DEAD_NAME, 0, n, NULL), KERN_SUCCESS);
	close(r);
	expect(n, MACH_NOTIFY_DEAD_NAME, s);
	ck_assert_int_eq(send_port(box, s, MACH_MSG_TYPE_MOVE_SEND), MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(box, &got, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(got.msg.port.name, MACH_PORT_DEAD);
	ck_assert_uint_eq(peer_type(s), MACH_PORT_TYPE_DEAD_NAME);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), s), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_type(mach_task_self(), s, &(mach_port_type_t){ 0 }),
			 KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n), KERN_SUCCESS);
}
END_TEST

/* Expect MACH_NOTIFY_PORT_DELETED naming @subject on @n, and nothing after it. */
static void expect_deleted(mach_port_t n, mach_port_t subject)
{
	expect(n, MACH_NOTIFY_PORT_DELETED, subject);
	expect_nothing(n);
}

/*
 * A send or send-once right with a dead-name (or send-possible) request
 * leaves its name while the port lives: the request ends with
 * MACH_NOTIFY_PORT_DELETED naming it, as xnu's ipc_right_dealloc(),
 * ipc_right_delta(), ipc_right_destroy() and ipc_right_copyin().
 */
START_TEST(test_port_deleted)
{
	int r[6];
	mach_port_t s[6], n = peer_port(), d = peer_port(), so = peer_send_once(d);

	for (int i = 0; i < 6; i++)
		s[i] = send_only(&r[i]);
	fill(s[3]);     /* its send-possible request waits */
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(req(s[i], i == 3 ? MACH_NOTIFY_SEND_POSSIBLE : MACH_NOTIFY_DEAD_NAME,
				     1, n, NULL), KERN_SUCCESS);
	ck_assert_int_eq(req(so, MACH_NOTIFY_DEAD_NAME, 0, n, NULL), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), s[0]), KERN_SUCCESS);
	expect_deleted(n, s[0]);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), s[1], MACH_PORT_RIGHT_SEND, -1),
			 KERN_SUCCESS);
	expect_deleted(n, s[1]);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), s[2]), KERN_SUCCESS);
	expect_deleted(n, s[2]);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), s[3]), KERN_SUCCESS);
	expect_deleted(n, s[3]);
	/* The last send right leaves in a message. */
	ck_assert_int_eq(peer_send_id(s[4], MACH_MSG_TYPE_MOVE_SEND, 1), MACH_MSG_SUCCESS);
	expect_deleted(n, s[4]);
	/* The send-once right's port is told too, as ever. */
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), so), KERN_SUCCESS);
	expect_deleted(n, so);
	expect(d, MACH_NOTIFY_SEND_ONCE, 0);
	/* A right whose port died is not deleted: its dead-name notification went. */
	close(r[5]);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), s[5]), KERN_SUCCESS);
	expect(n, MACH_NOTIFY_DEAD_NAME, s[5]);
	expect_nothing(n);
	for (int i = 0; i < 5; i++)
		close(r[i]);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), d), KERN_SUCCESS);
}
END_TEST

/* @name's type in mach_port_names(). */
static mach_port_type_t names_type(mach_port_t name)
{
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n, nt;
	mach_port_type_t type = 0;

	ck_assert_int_eq(mach_port_names(mach_task_self(), &names, &n, &types, &nt), KERN_SUCCESS);
	for (mach_msg_type_number_t i = 0; i < n; i++)
		if (names[i] == name)
			type = types[i];
	vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, nt * sizeof(*types));
	return type;
}

/* @name's type, the same in mach_port_type() and mach_port_names(). */
static mach_port_type_t type_of(mach_port_t name)
{
	mach_port_type_t type = peer_type(name);

	ck_assert_uint_eq(names_type(name), type);
	return type;
}

/*
 * As xnu's ipc_right_info(): the type of a send or send-once right says
 * whether a dead-name request names it (MACH_PORT_TYPE_DNREQUEST), and a
 * send-possible one (with MACH_PORT_TYPE_SPREQUEST); a dead name has none.
 */
START_TEST(test_type_reports_requests)
{
	int r, r2;
	mach_port_t s = send_only(&r), s2 = send_only(&r2), n = peer_port(), d = peer_port();
	mach_port_t so = peer_send_once(d), prev;

	ck_assert_uint_eq(type_of(s), MACH_PORT_TYPE_SEND);
	ck_assert_int_eq(req(s, MACH_NOTIFY_DEAD_NAME, 0, n, NULL), KERN_SUCCESS);
	ck_assert_uint_eq(type_of(s), MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST);
	ck_assert_int_eq(req(so, MACH_NOTIFY_DEAD_NAME, 0, n, NULL), KERN_SUCCESS);
	ck_assert_uint_eq(type_of(so), MACH_PORT_TYPE_SEND_ONCE | MACH_PORT_TYPE_DNREQUEST);
	fill(s2);
	ck_assert_int_eq(req(s2, MACH_NOTIFY_SEND_POSSIBLE, 1, n, NULL), KERN_SUCCESS);
	ck_assert_uint_eq(type_of(s2), MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST |
				       MACH_PORT_TYPE_SPREQUEST);
	/* Cancelled: no request. */
	ck_assert_int_eq(req(s, MACH_NOTIFY_DEAD_NAME, 0, MACH_PORT_NULL, &prev), KERN_SUCCESS);
	ck_assert_uint_eq(type_of(s), MACH_PORT_TYPE_SEND);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), prev), KERN_SUCCESS);
	expect(n, MACH_NOTIFY_SEND_ONCE, 0);
	/* Fired with the port's death: none left on the dead name. */
	close(r2);
	expect(n, MACH_NOTIFY_DEAD_NAME, s2);
	ck_assert_uint_eq(type_of(s2), MACH_PORT_TYPE_DEAD_NAME);
	drop_dead(s2, 2);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), so), KERN_SUCCESS);
	expect(n, MACH_NOTIFY_PORT_DELETED, so);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), s), KERN_SUCCESS);
	close(r);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), d), KERN_SUCCESS);
}
END_TEST

static Suite *notify_xnu_suite(void)
{
	Suite *s = suite_create("notify-xnu");
	TCase *tc = tcase_create("kinds");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_codes);
	tcase_add_test(tc, test_previous);
	tcase_add_test(tc, test_port_destroyed);
	tcase_add_test(tc, test_port_destroyed_unsent);
	tcase_add_test(tc, test_port_destroyed_request_moves_with_the_right);
	tcase_add_test(tc, test_send_possible_and_dead_name);
	tcase_add_test(tc, test_dead_name_adds_a_reference);
	tcase_add_test(tc, test_dead_right_moved_after_notification);
	tcase_add_test(tc, test_port_deleted);
	tcase_add_test(tc, test_type_reports_requests);
	tcase_add_test(tc, test_many_requests);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(notify_xnu_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
