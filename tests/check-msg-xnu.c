/* SPDX-License-Identifier: MIT */
/*
 * check-msg-xnu - message behaviours as XNU has them: the trailer sizes a
 * receiver asks for and the port's sequence number in them,
 * mach_msg_overwrite() with a separate receive buffer,
 * MACH_SEND_TIMEOUT on a full queue (blocking without it), rights
 * taken in order within one message (none moved twice), and a message
 * carrying its own destination's receive right.
 */
#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/notify.h>

#include "helpers/peer.h"

#pragma pack(push, 4)
struct small_msg {
	mach_msg_header_t head;
	int32_t value;
};
#pragma pack(pop)

union rcv_buf {
	struct small_msg m;
	char space[sizeof(struct small_msg) + MAX_TRAILER_SIZE + 64];
};

static void setup(void)
{
	peer_fd_mark(false);
}

static void teardown(void)
{
	peer_fd_check();
}

static mach_msg_return_t post(mach_port_t dest, int32_t value, mach_msg_option_t opt,
			      mach_msg_timeout_t ms)
{
	struct small_msg m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
			  .msgh_size = sizeof(m), .msgh_remote_port = dest, .msgh_id = 7 },
		.value = value,
	};

	return mach_msg(&m.head, MACH_SEND_MSG | opt, sizeof(m), 0, MACH_PORT_NULL, ms,
			MACH_PORT_NULL);
}

static mach_msg_return_t take(mach_port_t port, union rcv_buf *b, mach_msg_option_t opt,
			      mach_msg_size_t size)
{
	memset(b, 0xaa, sizeof(*b));
	return mach_msg(&b->m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT | opt, 0, size, port,
			PEER_TIMEOUT_MS, MACH_PORT_NULL);
}

static mach_msg_option_t elements(int n)
{
	return MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | MACH_RCV_TRAILER_ELEMENTS(n);
}

static const mach_msg_max_trailer_t *trailer_of(const union rcv_buf *b)
{
	return (const void *)(b->space + round_msg(b->m.head.msgh_size));
}

/* Each element count: that trailer's size, in the size field, and not one byte more written. */
START_TEST(test_trailer_sizes)
{
	static const struct { int n; size_t size; } want[] = {
		{ MACH_RCV_TRAILER_NULL, sizeof(mach_msg_trailer_t) },
		{ MACH_RCV_TRAILER_SEQNO, sizeof(mach_msg_seqno_trailer_t) },
		{ MACH_RCV_TRAILER_SENDER, sizeof(mach_msg_security_trailer_t) },
		{ MACH_RCV_TRAILER_AUDIT, sizeof(mach_msg_audit_trailer_t) },
		{ MACH_RCV_TRAILER_CTX, sizeof(mach_msg_context_trailer_t) },
		{ MACH_RCV_TRAILER_AV, sizeof(mach_msg_mac_trailer_t) },
	};
	mach_port_t p = peer_port_send();
	union rcv_buf b;

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const mach_msg_max_trailer_t *t;

		ck_assert_int_eq(post(p, (int32_t)i, 0, 0), MACH_MSG_SUCCESS);
		ck_assert_int_eq(take(p, &b, elements(want[i].n), sizeof(b)), MACH_MSG_SUCCESS);
		t = trailer_of(&b);
		ck_assert_uint_eq(t->msgh_trailer_type, MACH_MSG_TRAILER_FORMAT_0);
		ck_assert_uint_eq(t->msgh_trailer_size, want[i].size);
		ck_assert_uint_eq(REQUESTED_TRAILER_SIZE(elements(want[i].n)), want[i].size);
		ck_assert_uint_eq((unsigned char)((const char *)t)[want[i].size], 0xaa);
		if (want[i].n >= MACH_RCV_TRAILER_SENDER) {
			ck_assert_uint_eq(t->msgh_sender.val[0], geteuid());
			ck_assert_uint_eq(t->msgh_sender.val[1], getegid());
		}
		if (want[i].n >= MACH_RCV_TRAILER_AUDIT)
			ck_assert_uint_eq(t->msgh_audit.val[5], (unsigned)getpid());
	}
	/* No room for the trailer asked for. */
	ck_assert_int_eq(post(p, 1, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(take(p, &b, elements(MACH_RCV_TRAILER_AUDIT) | MACH_RCV_LARGE,
			      sizeof(struct small_msg) + sizeof(mach_msg_seqno_trailer_t)),
			 MACH_RCV_TOO_LARGE);
	ck_assert_int_eq(take(p, &b, elements(MACH_RCV_TRAILER_SEQNO), sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
}
END_TEST

static mach_port_seqno_t seqno_of(mach_port_t p)
{
	union rcv_buf b;

	ck_assert_int_eq(take(p, &b, elements(MACH_RCV_TRAILER_SEQNO), sizeof(b)), MACH_MSG_SUCCESS);
	return trailer_of(&b)->msgh_seqno;
}

/* Counted per receive right from 0; a message left queued by MACH_RCV_LARGE is not counted. */
START_TEST(test_seqno)
{
	mach_port_t p = peer_port_send(), q = peer_port_send();
	struct peer_msg m;
	struct peer_rcv r;
	union rcv_buf b;

	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(post(p, i, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(seqno_of(p), 0);
	ck_assert_int_eq(take(p, &b, MACH_RCV_LARGE, sizeof(mach_msg_header_t)), MACH_RCV_TOO_LARGE);
	ck_assert_uint_eq(seqno_of(p), 1);
	ck_assert_uint_eq(seqno_of(p), 2);
	/* Another port counts on its own. */
	ck_assert_int_eq(post(q, 0, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(seqno_of(q), 0);
	/* A receive right that moves starts again from 0, as XNU clears it. */
	peer_msg_init(&m, q, MACH_MSG_TYPE_COPY_SEND, 1, p, MACH_MSG_TYPE_MOVE_RECEIVE);
	peer_post(&m);
	ck_assert_int_eq(peer_recv(q, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(r.msg.port.name, p);
	ck_assert_int_eq(post(p, 9, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(seqno_of(p), 0);
	ck_assert_int_eq(post(q, 0, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(seqno_of(q), 2);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), q), KERN_SUCCESS);
}
END_TEST

/* The message goes from one buffer and the reply lands in another; without one, in the first. */
START_TEST(test_overwrite)
{
	mach_port_t p = peer_port_send();
	struct small_msg m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
			  .msgh_size = sizeof(m), .msgh_remote_port = p, .msgh_id = 42 },
		.value = 1234,
	};
	struct small_msg sent = m;
	union rcv_buf b;

	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(mach_msg_overwrite(&m.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m),
					    sizeof(b), p, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL,
					    &b.m.head, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(memcmp(&m, &sent, sizeof(m)), 0);      /* the send buffer is untouched */
	ck_assert_int_eq(b.m.head.msgh_id, 42);
	ck_assert_int_eq(b.m.value, 1234);
	ck_assert_uint_eq(b.m.head.msgh_local_port, p);
	/* rcv_msg NULL: mach_msg() itself. */
	memcpy(&b.m, &sent, sizeof(sent));
	ck_assert_int_eq(mach_msg_overwrite(&b.m.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m),
					    sizeof(b), p, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL,
					    NULL, 0), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(b.m.head.msgh_local_port, p);
	ck_assert_uint_eq(b.m.head.msgh_remote_port, MACH_PORT_NULL);
	/* Receive only, into rcv_msg. */
	ck_assert_int_eq(post(p, 5, 0, 0), MACH_MSG_SUCCESS);
	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(mach_msg_overwrite(NULL, MACH_RCV_MSG, 0, sizeof(b), p,
					    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL, &b.m.head, 0),
			 MACH_MSG_SUCCESS);
	ck_assert_int_eq(b.m.value, 5);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
}
END_TEST

/* Send until the queue is full: the count it took. */
static int fill(mach_port_t p)
{
	mach_msg_return_t mr;
	int n = 0;

	while ((mr = post(p, n, MACH_SEND_TIMEOUT, 0)) == MACH_MSG_SUCCESS)
		ck_assert_int_lt(++n, 100000);
	ck_assert_int_eq(mr, MACH_SEND_TIMED_OUT);
	ck_assert_int_gt(n, 0);
	return n;
}

static void *blocked_sender(void *arg)
{
	mach_port_t p = (mach_port_t)(uintptr_t)arg;

	return (void *)(uintptr_t)post(p, -1, 0, 0);
}

START_TEST(test_send_timeout_full)
{
	mach_port_t p = peer_port_send(), reply = peer_port();
	struct small_msg m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						      MACH_MSG_TYPE_MAKE_SEND_ONCE),
			  .msgh_size = sizeof(m), .msgh_remote_port = p, .msgh_local_port = reply },
	};
	pthread_t t;
	void *res;
	union rcv_buf b;
	int n = fill(p), got = 0;

	/* With a timeout: MACH_SEND_TIMED_OUT once it passed, and the rights as they were. */
	ck_assert_int_eq(post(p, 0, MACH_SEND_TIMEOUT, 20), MACH_SEND_TIMED_OUT);
	ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
				  MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_SEND_TIMED_OUT);
	ck_assert_uint_eq(peer_type(reply), MACH_PORT_TYPE_RECEIVE);
	ck_assert_uint_eq(peer_urefs(p, MACH_PORT_RIGHT_SEND), 1);
	/*
	 * Without: the sender waits for room, then its message goes, after
	 * every one queued before it.  The kernel wakes a sender blocked on a
	 * full socket once the queue is down to a quarter of its buffer, not
	 * at the first message taken: so take them all before joining it.
	 */
	ck_assert_int_eq(pthread_create(&t, NULL, blocked_sender, (void *)(uintptr_t)p), 0);
	for (; got <= n; got++) {
		ck_assert_int_eq(take(p, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
		ck_assert_int_eq(b.m.value, got < n ? got : -1);
	}
	ck_assert_int_eq(pthread_join(t, &res), 0);
	ck_assert_int_eq((mach_msg_return_t)(uintptr_t)res, MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_msg(&b.m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), p, 0,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), reply), KERN_SUCCESS);
}
END_TEST

#pragma pack(push, 4)
struct pair_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_ool_ports_descriptor_t list;
};
#pragma pack(pop)

/* @name twice in an array with @disp, to @dest with @dest_disp. */
static mach_msg_return_t twice(mach_port_t dest, mach_msg_type_name_t dest_disp, mach_port_t name,
			       mach_msg_type_name_t disp)
{
	mach_port_name_t names[2] = { name, name };
	struct pair_msg m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(dest_disp, 0) | MACH_MSGH_BITS_COMPLEX,
			  .msgh_size = sizeof(m), .msgh_remote_port = dest },
		.body = { 1 },
		.list = { .address = names, .count = 2, .disposition = disp,
			  .type = MACH_MSG_OOL_PORTS_DESCRIPTOR },
	};

	return mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL,
			PEER_TIMEOUT_MS, MACH_PORT_NULL);
}

/*
 * A name gives no more than it holds: XNU fails the second copy-in with
 * MACH_SEND_INVALID_RIGHT, and destroys what the message took before it
 * (the first element here, and the destination's send-once right), as
 * ipc_kmsg_copyin_body cleans up.
 */
START_TEST(test_rights_taken_once)
{
	mach_port_t box = peer_port_send(), p = peer_port_send(), c = peer_port(), n = peer_port();
	mach_port_t so = peer_send_once(n);
	mach_port_type_t type;
	union rcv_buf b;

	ck_assert_int_eq(twice(box, MACH_MSG_TYPE_COPY_SEND, p, MACH_MSG_TYPE_MOVE_SEND),
			 MACH_SEND_INVALID_RIGHT);
	ck_assert_uint_eq(peer_urefs(p, MACH_PORT_RIGHT_SEND), 0);
	ck_assert_uint_eq(peer_type(p), MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_eq(twice(box, MACH_MSG_TYPE_COPY_SEND, so, MACH_MSG_TYPE_MOVE_SEND_ONCE),
			 MACH_SEND_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_type(mach_task_self(), so, &type), KERN_INVALID_NAME);
	ck_assert(peer_told_send_once(n));
	ck_assert_int_eq(twice(box, MACH_MSG_TYPE_COPY_SEND, c, MACH_MSG_TYPE_MOVE_RECEIVE),
			 MACH_SEND_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_type(mach_task_self(), c, &type), KERN_INVALID_NAME);
	/* The destination's send-once right is taken first, and goes too. */
	so = peer_send_once(n);
	ck_assert_int_eq(twice(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, so, MACH_MSG_TYPE_MOVE_SEND_ONCE),
			 MACH_SEND_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_type(mach_task_self(), so, &type), KERN_INVALID_NAME);
	ck_assert(peer_told_send_once(n));
	/* Nothing reached the box. */
	ck_assert_int_eq(mach_msg(&b.m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), box, 0,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	/* Two references: both go, and come back. */
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, 1),
			 KERN_SUCCESS);
	ck_assert_int_eq(twice(box, MACH_MSG_TYPE_COPY_SEND, p, MACH_MSG_TYPE_MOVE_SEND),
			 MACH_MSG_SUCCESS);
	ck_assert_int_eq(take(box, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(peer_urefs(p, MACH_PORT_RIGHT_SEND), 2);
	mach_msg_destroy(&b.m.head);
	ck_assert_uint_eq(peer_urefs(p, MACH_PORT_RIGHT_SEND), 0);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

/* Through send-once right @so, a message carrying receive right @rcv; what the send says. */
static mach_msg_return_t send_own_receive(mach_port_t so, mach_port_t rcv)
{
	struct peer_msg m;

	peer_msg_init(&m, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 11, rcv, MACH_MSG_TYPE_MOVE_RECEIVE);
	return mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/*
 * XNU's circularity check (ipc_port_check_circularity()): a message that
 * carries its destination port's receive right is destroyed, the port
 * with it, and the send reported done, whatever right names the
 * destination, a send-once right too.  A port-destroyed request fires,
 * and the port it brings back is told its send-once right went unused.
 */
START_TEST(test_circular_through_send_once)
{
	mach_port_t p = peer_port_send(), so = peer_send_once(p), n = peer_port(), q, prev;
	mach_port_type_t type;
	struct peer_rcv r;

	ck_assert_int_eq(send_own_receive(so, p), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_port_type(mach_task_self(), so, &type), KERN_INVALID_NAME);
	ck_assert_uint_eq(peer_type(p), MACH_PORT_TYPE_DEAD_NAME);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	/* A send-once right made by mach_port_insert_right(), a port-destroyed request. */
	p = peer_port();
	so = peer_port();
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), so), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), so, p,
						MACH_MSG_TYPE_MAKE_SEND_ONCE), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), p,
			 MACH_NOTIFY_PORT_DESTROYED, 0, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 KERN_SUCCESS);
	ck_assert_int_eq(send_own_receive(so, p), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_port_type(mach_task_self(), so, &type), KERN_INVALID_NAME);
	ck_assert_int_eq(peer_recv(n, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, MACH_NOTIFY_PORT_DESTROYED);
	q = r.msg.port.name;
	ck_assert_uint_eq(peer_type(q), MACH_PORT_TYPE_RECEIVE);
	ck_assert(peer_told_send_once(q));
	ck_assert_int_eq(peer_recv(q, &r, 0), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), q), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n), KERN_SUCCESS);
}
END_TEST

/* A header-only message to @dest (@dd) with reply @reply (@rd); what the send says. */
static mach_msg_return_t send_header(mach_port_t dest, mach_msg_type_name_t dd, mach_port_t reply,
				     mach_msg_type_name_t rd, mach_msg_id_t id)
{
	mach_msg_header_t h = { .msgh_bits = MACH_MSGH_BITS(dd, rd), .msgh_size = sizeof(h),
				.msgh_remote_port = dest, .msgh_local_port = reply, .msgh_id = id };

	return mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/*
 * The header is checked in XNU's order (ipc_kmsg_copyin_header_validate),
 * and the descriptors measured, before any name is looked at.
 */
START_TEST(test_header_checks_in_xnu_order)
{
	mach_port_t p = peer_port_send();
	struct {
		struct pair_msg m;
	} t;

	ck_assert_int_eq(send_header(p, MACH_MSG_TYPE_COPY_SEND, p, 0, 1), MACH_SEND_INVALID_HEADER);
	ck_assert_int_eq(send_header(p, MACH_MSG_TYPE_COPY_SEND, p, MACH_MSG_TYPE_MOVE_RECEIVE, 1),
			 MACH_SEND_INVALID_HEADER);
	ck_assert_int_eq(send_header(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 5, 1),
			 MACH_SEND_INVALID_HEADER);
	ck_assert_int_eq(send_header(0x4207, 5, MACH_PORT_NULL, 0, 1), MACH_SEND_INVALID_HEADER);
	ck_assert_int_eq(send_header(p, MACH_MSG_TYPE_MAKE_SEND, p, MACH_MSG_TYPE_MOVE_SEND_ONCE, 1),
			 MACH_SEND_INVALID_DEST);
	memset(&t, 0, sizeof(t));
	t.m.head = (mach_msg_header_t){
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX,
		.msgh_size = sizeof(t), .msgh_remote_port = 0x4207 };
	t.m.body.msgh_descriptor_count = 1;
	t.m.list.type = 9;
	ck_assert_int_eq(mach_msg(&t.m.head, MACH_SEND_MSG, sizeof(t), 0, MACH_PORT_NULL, 0,
				  MACH_PORT_NULL), MACH_SEND_INVALID_TYPE);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
}
END_TEST

/*
 * The reply port as XNU delivers it: a dead one arrives dead, a null one
 * keeps its type; and a message too large for the receiver keeps its
 * header (id, types) when it is destroyed, its reply right told at once.
 */
START_TEST(test_reply_port_as_delivered)
{
	mach_port_t p = peer_port_send(), n = peer_port();
	union rcv_buf b;

	ck_assert_int_eq(send_header(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_DEAD,
				     MACH_MSG_TYPE_COPY_SEND, 1), MACH_MSG_SUCCESS);
	ck_assert_int_eq(take(p, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(b.m.head.msgh_remote_port, MACH_PORT_DEAD);
	ck_assert_uint_eq(b.m.head.msgh_bits, MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND,
							     MACH_MSG_TYPE_PORT_SEND));
	ck_assert_int_eq(send_header(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL,
				     MACH_MSG_TYPE_MAKE_SEND_ONCE, 2), MACH_MSG_SUCCESS);
	ck_assert_int_eq(take(p, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(b.m.head.msgh_remote_port, MACH_PORT_NULL);
	ck_assert_uint_eq(b.m.head.msgh_bits, MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE,
							     MACH_MSG_TYPE_PORT_SEND));
	{
		struct small_msg m = {
			.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
							      MACH_MSG_TYPE_MAKE_SEND_ONCE),
				  .msgh_size = sizeof(m), .msgh_remote_port = p,
				  .msgh_local_port = n, .msgh_id = 4242 },
		};

		ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0,
					  MACH_PORT_NULL), MACH_MSG_SUCCESS);
	}
	ck_assert_int_eq(take(p, &b, 0, sizeof(mach_msg_header_t) + sizeof(mach_msg_trailer_t)),
			 MACH_RCV_TOO_LARGE);
	ck_assert_int_eq(b.m.head.msgh_id, 4242);
	ck_assert_uint_eq(b.m.head.msgh_bits, MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE,
							     MACH_MSG_TYPE_PORT_SEND));
	ck_assert_uint_eq(b.m.head.msgh_remote_port, MACH_PORT_NULL);
	ck_assert_uint_eq(b.m.head.msgh_local_port, p);
	ck_assert(peer_told_send_once(n));
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
}
END_TEST

/* Every descriptor's type is checked before any right is taken, as XNU measures first. */
START_TEST(test_types_before_rights)
{
	mach_port_t box = peer_port_send(), p = peer_port_send();
	struct {
		struct pair_msg m;
		mach_msg_port_descriptor_t bad;
	} t;

	memset(&t, 0, sizeof(t));
	t.m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	t.m.head.msgh_size = sizeof(t);
	t.m.head.msgh_remote_port = box;
	t.m.body.msgh_descriptor_count = 2;
	t.m.list = (mach_msg_ool_ports_descriptor_t){ .address = &p, .count = 1,
		.disposition = MACH_MSG_TYPE_MOVE_SEND_ONCE, .type = MACH_MSG_OOL_PORTS_DESCRIPTOR };
	t.bad.type = 9;
	ck_assert_int_eq(mach_msg(&t.m.head, MACH_SEND_MSG, sizeof(t), 0, MACH_PORT_NULL, 0,
				  MACH_PORT_NULL), MACH_SEND_INVALID_TYPE);
	t.bad.type = MACH_MSG_PORT_DESCRIPTOR;          /* now the right is what fails */
	ck_assert_int_eq(mach_msg(&t.m.head, MACH_SEND_MSG, sizeof(t), 0, MACH_PORT_NULL, 0,
				  MACH_PORT_NULL), MACH_SEND_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

/*
 * A dead name moved in a port array takes one of a message's rights, as
 * any right does: an array of more dead names than a message may carry
 * is MACH_SEND_TOO_LARGE, and the name keeps its references.  It used to
 * write past the end of the send's bookkeeping.
 */
START_TEST(test_dead_names_in_array_bounded)
{
	enum { N = 140 };
	mach_port_t p = peer_port_send(), box = peer_port(), names[N];
	mach_port_urefs_t refs = 0;
	mach_port_type_t type;
	struct {
		mach_msg_header_t head;
		mach_msg_body_t body;
		mach_msg_ool_ports_descriptor_t ports;
	} m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) |
				       MACH_MSGH_BITS_COMPLEX,
			  .msgh_size = sizeof(m), .msgh_remote_port = box },
		.body = { 1 },
		.ports = { .address = names, .count = N, .disposition = MACH_MSG_TYPE_MOVE_SEND,
			   .type = MACH_MSG_OOL_PORTS_DESCRIPTOR },
	};

	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, N - 1),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_type(mach_task_self(), p, &type), KERN_SUCCESS);
	ck_assert_uint_eq(type, MACH_PORT_TYPE_DEAD_NAME);
	for (int i = 0; i < N; i++)
		names[i] = p;
	ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0,
				  MACH_PORT_NULL), MACH_SEND_TOO_LARGE);
	ck_assert_int_eq(mach_port_get_refs(mach_task_self(), p, MACH_PORT_RIGHT_DEAD_NAME, &refs),
			 KERN_SUCCESS);
	ck_assert_uint_gt(refs, 0);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

/* Dead names leave no room for a receive right's fds: refused whole, the right kept. */
START_TEST(test_dead_names_then_receive_right)
{
	enum { N = 63 };
	mach_port_t p = peer_port_send(), q = peer_port_send(), box = peer_port(), names[N];
	mach_port_type_t type;
	struct {
		mach_msg_header_t head;
		mach_msg_body_t body;
		mach_msg_ool_ports_descriptor_t ports;
		mach_msg_port_descriptor_t recv;
	} m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) |
				       MACH_MSGH_BITS_COMPLEX,
			  .msgh_size = sizeof(m), .msgh_remote_port = box },
		.body = { 2 },
		.ports = { .address = names, .count = N, .disposition = MACH_MSG_TYPE_MOVE_SEND,
			   .type = MACH_MSG_OOL_PORTS_DESCRIPTOR },
		.recv = { .name = q, .disposition = MACH_MSG_TYPE_MOVE_RECEIVE,
			  .type = MACH_MSG_PORT_DESCRIPTOR },
	};

	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, N - 1),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	for (int i = 0; i < N; i++)
		names[i] = p;
	ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0,
				  MACH_PORT_NULL), MACH_SEND_TOO_LARGE);
	ck_assert_int_eq(mach_port_type(mach_task_self(), q, &type), KERN_SUCCESS);
	ck_assert(type & MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), q), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("msg-xnu");
	TCase *tc = tcase_create("msg-xnu");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_trailer_sizes);
	tcase_add_test(tc, test_seqno);
	tcase_add_test(tc, test_overwrite);
	tcase_add_test(tc, test_send_timeout_full);
	tcase_add_test(tc, test_rights_taken_once);
	tcase_add_test(tc, test_circular_through_send_once);
	tcase_add_test(tc, test_types_before_rights);
	tcase_add_test(tc, test_header_checks_in_xnu_order);
	tcase_add_test(tc, test_reply_port_as_delivered);
	tcase_add_test(tc, test_dead_names_in_array_bounded);
	tcase_add_test(tc, test_dead_names_then_receive_right);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
