/* SPDX-License-Identifier: MIT */
/*
 * check-msg-race - a right a message uses while another thread of the task
 * drops it: the drop happens before the send (which then fails with
 * MACH_SEND_INVALID_DEST) or after it (the message reaches the port it was
 * addressed to, carrying the right it was given), never anything else.
 * A send-once right it moves cannot be moved elsewhere meanwhile, nor
 * sent by another message.
 *
 * How the sender is caught waiting: helpers/race.h.
 */
#include <check.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/notify.h>

#include "helpers/msg.h"
#include "helpers/peer.h"
#include "helpers/race.h"
#include "helpers/runner.h"

/* @got is a send-once right: through it, a message reaches @port. */
static void expect_send_once_to(mach_port_t got, mach_port_t port)
{
	union rcv_buf b;

	ck_assert_uint_eq(peer_type(got), MACH_PORT_TYPE_SEND_ONCE);
	header(&b.head, got, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, RACED_ID);
	ck_assert_int_eq(send_msg(&b.head, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(recv_msg(port, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(b.head.msgh_id, RACED_ID);
}

/* @m: to @dest as @disp, moving the send right @keep in one port descriptor. */
static void moving(struct ports_msg *m, mach_port_t dest, mach_msg_type_name_t disp,
		   mach_port_t keep)
{
	header(&m->head, dest, disp, MACH_PORT_NULL, 0, RACED_ID);
	m->head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	m->head.msgh_size = sizeof(*m);
	m->body.msgh_descriptor_count = 1;
	m->d[0] = (mach_msg_port_descriptor_t){ .name = keep, .type = MACH_MSG_PORT_DESCRIPTOR,
						.disposition = MACH_MSG_TYPE_MOVE_SEND };
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

	carry(&r, port, name, MACH_MSG_TYPE_COPY_SEND);
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

/*
 * A send-once right the message carries is the message's from the start,
 * as xnu's copy-in takes it: while the send waits, another thread can move
 * it neither to another name nor into a notification request, and what
 * arrives is the send-once right to its port.
 */
START_TEST(test_send_once_descriptor_moved_away)
{
	mach_port_t port = peer_port_send(), other = peer_port(), ports[NEW_PORTS];
	mach_port_t so = send_once_to(other), previous;
	struct race r;
	union rcv_buf b;
	int queued = fill(port);

	carry(&r, port, so, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	race_start(&r);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), free_name(), so,
						MACH_MSG_TYPE_MOVE_SEND_ONCE), KERN_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), other,
			 MACH_NOTIFY_NO_SENDERS, 0, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, &previous),
			 KERN_INVALID_RIGHT);
	ck_assert_uint_eq(peer_type(so), MACH_PORT_TYPE_SEND_ONCE);  /* the name still holds it */
	make_ports(ports);
	ck_assert_int_eq(recv_msg(port, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);    /* room */
	race_finish(&r);
	ck_assert_int_eq(r.result, MACH_MSG_SUCCESS);
	check_ports_empty(ports);
	expect_send_once_to(drain(port, queued), other);
	destroy(other);
	destroy(port);
}
END_TEST

/*
 * A send that finds the send-once right it moves already in a waiting
 * send fails, as xnu's copy-in finds the name without the right: the
 * waiting send carries the right, and the failed one's other rights stay
 * the caller's.  @m is that send, through @n or carrying it; @keep, a
 * send right it moves after @n, must still be there.  Then what arrives
 * from the waiting send, to @dest, is the send-once right to @so_port.
 */
static void send_once_sent_twice(mach_port_t dest, mach_port_t n, mach_port_t so_port,
				 struct ports_msg *m, mach_msg_return_t expected, mach_port_t keep)
{
	mach_port_t ports[NEW_PORTS];
	struct race r;
	union rcv_buf b;
	int queued = fill(dest);

	carry(&r, dest, n, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	race_start(&r);
	ck_assert_int_eq(send_msg(&m->head, 0, 0), expected);
	ck_assert_uint_eq(peer_urefs(keep, MACH_PORT_RIGHT_SEND), 1);
	make_ports(ports);
	ck_assert_int_eq(recv_msg(dest, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);    /* room */
	race_finish(&r);
	ck_assert_int_eq(r.result, MACH_MSG_SUCCESS);
	check_ports_empty(ports);
	expect_send_once_to(drain(dest, queued), so_port);
}

/* Another thread's message through the send-once right a waiting send carries. */
START_TEST(test_send_once_carried_not_dest_again)
{
	mach_port_t dest = peer_port_send(), other = peer_port(), n = send_once_to(other);
	mach_port_t reply = peer_port_send(), keep = peer_port_send();
	struct ports_msg m;

	moving(&m, n, MACH_MSG_TYPE_MOVE_SEND_ONCE, keep);
	m.head.msgh_local_port = reply;
	m.head.msgh_bits |= MACH_MSGH_BITS(0, MACH_MSG_TYPE_MOVE_SEND);
	send_once_sent_twice(dest, n, other, &m, MACH_SEND_INVALID_DEST, keep);
	ck_assert_uint_eq(peer_urefs(reply, MACH_PORT_RIGHT_SEND), 1);
	expect_nothing(other);
	destroy(keep);
	destroy(reply);
	destroy(other);
	destroy(dest);
}
END_TEST

/* Another thread's message with the send-once right a waiting send carries as reply port. */
START_TEST(test_send_once_carried_not_reply_again)
{
	mach_port_t dest = peer_port_send(), other = peer_port(), n = send_once_to(other);
	mach_port_t to = peer_port_send(), keep = peer_port_send();
	struct ports_msg m;

	moving(&m, to, MACH_MSG_TYPE_COPY_SEND, keep);
	m.head.msgh_local_port = n;
	m.head.msgh_bits |= MACH_MSGH_BITS(0, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	send_once_sent_twice(dest, n, other, &m, MACH_SEND_INVALID_REPLY, keep);
	expect_nothing(to);
	destroy(keep);
	destroy(to);
	destroy(other);
	destroy(dest);
}
END_TEST

/* Another thread's message carrying the send-once right a waiting send carries. */
START_TEST(test_send_once_carried_not_descriptor_again)
{
	mach_port_t dest = peer_port_send(), other = peer_port(), n = send_once_to(other);
	mach_port_t to = peer_port_send(), keep = peer_port_send();
	struct ports_msg m;

	moving(&m, to, MACH_MSG_TYPE_COPY_SEND, keep);
	m.d[1] = m.d[0];
	m.d[0] = (mach_msg_port_descriptor_t){ .name = n, .type = MACH_MSG_PORT_DESCRIPTOR,
					       .disposition = MACH_MSG_TYPE_MOVE_SEND_ONCE };
	m.body.msgh_descriptor_count = 2;
	send_once_sent_twice(dest, n, other, &m, MACH_SEND_INVALID_RIGHT, keep);
	ck_assert_uint_eq(peer_urefs(to, MACH_PORT_RIGHT_SEND), 1);
	expect_nothing(to);
	expect_nothing(other);
	destroy(keep);
	destroy(to);
	destroy(other);
	destroy(dest);
}
END_TEST

/*
 * The send-once right a waiting send carries cannot be moved to another
 * name meanwhile.  A copy left under that name would outlive the right:
 * the answer returns the pair to its maker, which reuses it for its next
 * request (sopool.h), and the copy would answer that request.
 */
START_TEST(test_send_once_carried_not_left_behind)
{
	mach_port_t service = peer_port(), reply = peer_port(), dest = peer_port_send(), moved, n;
	struct race r;
	union rcv_buf b;
	int queued = fill(dest);
	kern_return_t kr;
	mach_msg_return_t stale;

	n = ask(service, reply, 1);
	carry(&r, dest, n, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	race_start(&r);
	moved = free_name();
	kr = mach_port_insert_right(mach_task_self(), moved, n, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	ck_assert_int_eq(recv_msg(dest, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);    /* room */
	race_finish(&r);
	ck_assert_int_eq(r.result, MACH_MSG_SUCCESS);
	ck_assert_int_eq(answer(drain(dest, queued), 101), MACH_MSG_SUCCESS);
	expect_id(reply, 101);          /* the pair is back with reply, parked */
	n = ask(service, reply, 2);     /* and serves this request */
	stale = answer(moved, 0xbad);
	ck_assert_int_eq(answer(n, 102), MACH_MSG_SUCCESS);
	expect_id(reply, 102);
	ck_assert_int_eq(stale, MACH_SEND_INVALID_DEST);
	ck_assert_int_eq(kr, KERN_INVALID_RIGHT);
	destroy(dest);
	destroy(reply);
	destroy(service);
}
END_TEST

/*
 * A receive right in a message, destroyed while the send waits: its
 * receive end's close is put off, and so is its send end's after it,
 * though no send pinned the port since the first: the message still
 * carries both, and the right arrives able to make send rights to itself.
 */
START_TEST(test_second_close_waits_as_first)
{
	mach_port_t dest = peer_port_send(), port = peer_port_send(), ports[NEW_PORTS], got;
	struct race r;
	union rcv_buf b;
	int queued = fill(dest);

	carry(&r, dest, port, MACH_MSG_TYPE_MOVE_RECEIVE);
	race_start(&r);
	/* The send right goes first: the receive right keeps the send end. */
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), port), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	make_ports(ports);
	ck_assert_int_eq(recv_msg(dest, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);    /* room */
	race_finish(&r);
	ck_assert_int_eq(r.result, MACH_MSG_SUCCESS);
	check_ports_empty(ports);
	got = drain(dest, queued);
	header(&b.head, got, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, RACED_ID);
	ck_assert_int_eq(send_msg(&b.head, 0, 0), MACH_MSG_SUCCESS);
	expect_id(got, RACED_ID);
	destroy(got);
	destroy(dest);
}
END_TEST

/* The notification thread's fds are counted from the start (peer_fd_mark()). */
static void setup_notifier(void)
{
	peer_fd_mark(true);
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
	carry(&first, dest, port, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	carry(&later, dest, port, MACH_MSG_TYPE_MAKE_SEND_ONCE);
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

/*
 * Two closes put off on one port, each for the sends pinned before it: the
 * later send finishing first ends neither, as the earlier close still waits
 * for the earlier send, and the later close for the earlier one.  The
 * closes: the port's own send end at a no-senders request, then its
 * receive end with the receive right; a copy of the receive end shows
 * whether the send end is closed.
 */
START_TEST(test_deferred_closes_wait_for_earliest_send)
{
	mach_port_t d1 = peer_port_send(), d2 = peer_port_send(), port = peer_port();
	mach_port_t notify = peer_port();
	int r = dup(peer_recv_fd(port));
	struct race first, later;
	union rcv_buf b;

	fill(d1);
	fill(d2);
	carry(&first, d1, port, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	carry(&later, d2, port, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	race_start(&first);
	request_no_senders(port, notify);
	race_start(&later);
	destroy(port);
	ck_assert_int_eq(recv_msg(d2, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);      /* room */
	race_finish(&later);
	ck_assert_int_eq(later.result, MACH_MSG_SUCCESS);
	ck_assert(!no_sender_left(r));          /* first is still out */
	ck_assert_int_eq(recv_msg(d1, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);      /* room */
	race_finish(&first);
	ck_assert_int_eq(first.result, MACH_MSG_SUCCESS);
	ck_assert(no_sender_left(r));
	close(r);
	destroy(d1);
	destroy(d2);
	destroy(notify);
}
END_TEST

/*
 * Once the sends a close waited for are done, the port waits for no one:
 * a close after them happens at once.  Both closes are the port's own
 * send end at a no-senders request, the second on a send end made anew.
 */
START_TEST(test_close_after_drained_sends_at_once)
{
	mach_port_t dest = peer_port_send(), port = peer_port(), notify = peer_port();
	struct race r;
	struct peer_rcv n;
	union rcv_buf b;

	fill(dest);
	carry(&r, dest, port, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	race_start(&r);
	request_no_senders(port, notify);
	ck_assert_int_eq(recv_msg(dest, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);    /* room */
	race_finish(&r);
	ck_assert_int_eq(r.result, MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(notify, &n, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(n.msg.head.msgh_id, MACH_NOTIFY_NO_SENDERS);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), port, port,
						MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), port), KERN_SUCCESS);
	request_no_senders(port, notify);
	ck_assert(no_sender_left(peer_recv_fd(port)));
	destroy(dest);
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
	tcase_add_test(tc, test_send_once_carried_not_left_behind);
	tcase_add_test(tc, test_send_once_carried_not_dest_again);
	tcase_add_test(tc, test_send_once_carried_not_reply_again);
	tcase_add_test(tc, test_send_once_carried_not_descriptor_again);
	tcase_add_test(tc, test_second_close_waits_as_first);
	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	tc = tcase_create("race-notify");
	tcase_add_test(tc, test_deferred_close_waits_for_earlier_sends);
	tcase_add_test(tc, test_deferred_closes_wait_for_earliest_send);
	tcase_add_test(tc, test_close_after_drained_sends_at_once);
	tcase_add_checked_fixture(tc, setup_notifier, teardown);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(race_suite(), NULL, 0, argc, argv);
}
