/* SPDX-License-Identifier: MIT */
/*
 * check-msg - mach_msg in one process: every disposition in the header and
 * in port descriptors, the received bits and rights, errors that must
 * leave the sender's rights alone, timeouts, MACH_RCV_TOO_LARGE, trailers,
 * the thin wrappers and two threads on one port.  Out-of-line memory is in
 * check-memobj.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bsm/libbsm.h>
#include <mach/mach.h>
#include <mach/notify.h>

#include "helpers/fdcheck.h"
#include "helpers/peer.h"

#define NDESC 7

#pragma pack(push, 4)
struct ports_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t d[NDESC];
	int32_t tail;
};

struct ool_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t ool;
	int32_t tail;
};

struct big_msg {
	mach_msg_header_t head;
	char data[200];
};
#pragma pack(pop)

union rcv_buf {
	mach_msg_header_t head;
	struct ports_msg ports;
	struct ool_msg ool;
	struct big_msg big;
	char space[sizeof(struct ports_msg) + sizeof(struct big_msg) + MAX_TRAILER_SIZE];
};

static void setup(void)
{
	peer_fd_mark(false);
}

static void teardown(void)
{
	peer_fd_check();
}

static mach_msg_return_t send_msg(mach_msg_header_t *m, mach_msg_option_t extra, mach_msg_timeout_t ms)
{
	return mach_msg(m, MACH_SEND_MSG | extra, m->msgh_size, 0, MACH_PORT_NULL, ms, MACH_PORT_NULL);
}

static mach_msg_return_t recv_msg(mach_port_t port, union rcv_buf *b, mach_msg_option_t extra,
				  mach_msg_size_t size)
{
	memset(b, 0, sizeof(*b));
	return mach_msg(&b->head, MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra, 0, size, port,
			PEER_TIMEOUT_MS, MACH_PORT_NULL);
}

static void destroy(mach_port_t name)
{
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), name), KERN_SUCCESS);
}

static void header(mach_msg_header_t *h, mach_port_t dest, mach_msg_type_name_t dest_disp,
		   mach_port_t reply, mach_msg_type_name_t reply_disp, mach_msg_id_t id)
{
	memset(h, 0, sizeof(*h));
	h->msgh_bits = MACH_MSGH_BITS(dest_disp, reply_disp);
	h->msgh_size = sizeof(*h);
	h->msgh_remote_port = dest;
	h->msgh_local_port = reply;
	h->msgh_id = id;
}

/* Header dispositions: what arrives, and what the sender keeps. */
START_TEST(test_header_dispositions)
{
	mach_port_t dst = peer_port_send(), rep = peer_port(), so;
	mach_msg_header_t h;
	union rcv_buf b;

	/* COPY_SEND + MAKE_SEND_ONCE: the classic request. */
	header(&h, dst, MACH_MSG_TYPE_COPY_SEND, rep, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(peer_urefs(dst, MACH_PORT_RIGHT_SEND), 1);
	ck_assert_uint_eq(peer_type(rep), MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_eq(recv_msg(dst, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(MACH_MSGH_BITS_REMOTE(b.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_int_eq(MACH_MSGH_BITS_LOCAL(b.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND);
	ck_assert(!MACH_MSGH_BITS_IS_COMPLEX(b.head.msgh_bits));
	ck_assert_uint_eq(b.head.msgh_local_port, dst);
	ck_assert_uint_eq(b.head.msgh_size, sizeof(mach_msg_header_t));
	ck_assert_int_eq(b.head.msgh_id, 1);
	so = b.head.msgh_remote_port;
	ck_assert(MACH_PORT_VALID(so) && so != rep);    /* send-once rights get their own name */
	ck_assert_uint_eq(peer_type(so), MACH_PORT_TYPE_SEND_ONCE);
	ck_assert_uint_eq(peer_urefs(so, MACH_PORT_RIGHT_SEND_ONCE), 1);

	/* MOVE_SEND_ONCE: the reply uses the right up. */
	header(&h, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 2);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_port_type(mach_task_self(), so, &(mach_port_type_t){ 0 }),
			 KERN_INVALID_NAME);
	ck_assert_int_eq(recv_msg(rep, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(b.head.msgh_id, 2);
	ck_assert_int_eq(MACH_MSGH_BITS_LOCAL(b.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_int_eq(MACH_MSGH_BITS_REMOTE(b.head.msgh_bits), 0);
	ck_assert_uint_eq(b.head.msgh_remote_port, MACH_PORT_NULL);

	/* MAKE_SEND as destination, COPY_SEND reply: it lands on the name we have. */
	header(&h, rep, MACH_MSG_TYPE_MAKE_SEND, dst, MACH_MSG_TYPE_COPY_SEND, 3);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(peer_type(rep), MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_eq(recv_msg(rep, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(MACH_MSGH_BITS_LOCAL(b.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND);
	ck_assert_int_eq(MACH_MSGH_BITS_REMOTE(b.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND);
	ck_assert_uint_eq(b.head.msgh_remote_port, dst);
	ck_assert_uint_eq(peer_urefs(dst, MACH_PORT_RIGHT_SEND), 2);

	/* MOVE_SEND destination, MAKE_SEND reply. */
	header(&h, dst, MACH_MSG_TYPE_MOVE_SEND, rep, MACH_MSG_TYPE_MAKE_SEND, 4);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(peer_urefs(dst, MACH_PORT_RIGHT_SEND), 1);
	ck_assert_int_eq(recv_msg(dst, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(b.head.msgh_remote_port, rep);
	ck_assert_int_eq(MACH_MSGH_BITS_REMOTE(b.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND);
	ck_assert_uint_eq(peer_type(rep), MACH_PORT_TYPE_SEND_RECEIVE);
	ck_assert_uint_eq(peer_urefs(rep, MACH_PORT_RIGHT_SEND), 1);

	/* MAKE_SEND_ONCE destination; MOVE_SEND of the last reference. */
	header(&h, rep, MACH_MSG_TYPE_MAKE_SEND_ONCE, dst, MACH_MSG_TYPE_MOVE_SEND, 5);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(peer_type(dst), MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_eq(recv_msg(rep, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(MACH_MSGH_BITS_LOCAL(b.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_uint_eq(b.head.msgh_remote_port, dst);
	ck_assert_uint_eq(peer_type(dst), MACH_PORT_TYPE_SEND_RECEIVE);
	ck_assert_uint_eq(peer_urefs(dst, MACH_PORT_RIGHT_SEND), 1);
	destroy(dst);
	destroy(rep);
}
END_TEST

static void port_desc(mach_msg_port_descriptor_t *d, mach_port_t name, mach_msg_type_name_t disp)
{
	memset(d, 0, sizeof(*d));
	d->name = name;
	d->disposition = disp;
	d->type = MACH_MSG_PORT_DESCRIPTOR;
}

START_TEST(test_descriptor_dispositions)
{
	mach_port_t dst = peer_port(), a = peer_port_send(), b = peer_port(), c = peer_port_send();
	mach_port_t d = peer_port(), so_src = peer_port(), so;
	struct ports_msg m = { 0 };
	union rcv_buf r;

	/* A send-once right to move: made by a message to ourselves. */
	header(&m.head, so_src, MACH_MSG_TYPE_MAKE_SEND, d, MACH_MSG_TYPE_MAKE_SEND_ONCE, 9);
	ck_assert_int_eq(send_msg(&m.head, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(recv_msg(so_src, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
	so = r.head.msgh_remote_port;
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), c, MACH_PORT_RIGHT_SEND, 1), KERN_SUCCESS);

	header(&m.head, dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 10);
	m.head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m);
	m.body.msgh_descriptor_count = NDESC;
	port_desc(&m.d[0], a, MACH_MSG_TYPE_COPY_SEND);
	port_desc(&m.d[1], b, MACH_MSG_TYPE_MAKE_SEND);
	port_desc(&m.d[2], c, MACH_MSG_TYPE_MOVE_SEND);
	port_desc(&m.d[3], d, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	port_desc(&m.d[4], so, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	port_desc(&m.d[5], MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND);
	port_desc(&m.d[6], MACH_PORT_DEAD, MACH_MSG_TYPE_MOVE_SEND);
	m.tail = 0x5a5a;
	ck_assert_int_eq(send_msg(&m.head, 0, 0), MACH_MSG_SUCCESS);
	/* What the sender keeps. */
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	ck_assert_uint_eq(peer_type(b), MACH_PORT_TYPE_RECEIVE);
	ck_assert_uint_eq(peer_urefs(c, MACH_PORT_RIGHT_SEND), 1);
	ck_assert_int_eq(mach_port_type(mach_task_self(), so, &(mach_port_type_t){ 0 }),
			 KERN_INVALID_NAME);

	ck_assert_int_eq(recv_msg(dst, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
	ck_assert(MACH_MSGH_BITS_IS_COMPLEX(r.head.msgh_bits));
	ck_assert_uint_eq(r.head.msgh_size, sizeof(m));
	ck_assert_uint_eq(r.ports.body.msgh_descriptor_count, NDESC);
	ck_assert_int_eq(r.ports.tail, 0x5a5a);
	for (int i = 0; i < NDESC; i++)
		ck_assert_uint_eq(r.ports.d[i].type, MACH_MSG_PORT_DESCRIPTOR);
	/* Send rights land on the names we already have, one reference each. */
	ck_assert_uint_eq(r.ports.d[0].name, a);
	ck_assert_uint_eq(r.ports.d[0].disposition, MACH_MSG_TYPE_PORT_SEND);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 2);
	ck_assert_uint_eq(r.ports.d[1].name, b);
	ck_assert_uint_eq(r.ports.d[1].disposition, MACH_MSG_TYPE_PORT_SEND);
	ck_assert_uint_eq(peer_type(b), MACH_PORT_TYPE_SEND_RECEIVE);
	ck_assert_uint_eq(peer_urefs(b, MACH_PORT_RIGHT_SEND), 1);
	ck_assert_uint_eq(r.ports.d[2].name, c);
	ck_assert_uint_eq(r.ports.d[2].disposition, MACH_MSG_TYPE_PORT_SEND);
	ck_assert_uint_eq(peer_urefs(c, MACH_PORT_RIGHT_SEND), 2);
	/* Send-once rights always get a fresh name. */
	ck_assert_uint_eq(r.ports.d[3].disposition, MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_uint_eq(peer_type(r.ports.d[3].name), MACH_PORT_TYPE_SEND_ONCE);
	ck_assert_uint_ne(r.ports.d[3].name, d);
	ck_assert_uint_eq(r.ports.d[4].disposition, MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_uint_eq(peer_type(r.ports.d[4].name), MACH_PORT_TYPE_SEND_ONCE);
	ck_assert_uint_eq(r.ports.d[5].name, MACH_PORT_NULL);
	ck_assert_uint_eq(r.ports.d[6].name, MACH_PORT_DEAD);

	/* Both send-once rights still lead to d. */
	header(&m.head, r.ports.d[3].name, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 31);
	ck_assert_int_eq(send_msg(&m.head, 0, 0), MACH_MSG_SUCCESS);
	header(&m.head, r.ports.d[4].name, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 32);
	ck_assert_int_eq(send_msg(&m.head, 0, 0), MACH_MSG_SUCCESS);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(recv_msg(d, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
		ck_assert(r.head.msgh_id == 31 || r.head.msgh_id == 32);
		ck_assert_uint_eq(r.head.msgh_local_port, d);
	}
	destroy(dst);
	destroy(a);
	destroy(b);
	destroy(c);
	destroy(d);
	destroy(so_src);
}
END_TEST

START_TEST(test_move_receive)
{
	mach_port_t dst = peer_port(), q = peer_port(), q2 = peer_port_send(), moved;
	struct ports_msg m = { 0 };
	union rcv_buf r;

	for (int i = 0; i < 3; i++) {
		header(&m.head, q, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 100 + i);
		ck_assert_int_eq(send_msg(&m.head, 0, 0), MACH_MSG_SUCCESS);
	}
	header(&m.head, dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1);
	m.head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m);
	m.body.msgh_descriptor_count = NDESC;
	port_desc(&m.d[0], q, MACH_MSG_TYPE_MOVE_RECEIVE);
	port_desc(&m.d[1], q2, MACH_MSG_TYPE_MOVE_RECEIVE);
	ck_assert_int_eq(send_msg(&m.head, 0, 0), MACH_MSG_SUCCESS);
	/* Gone from the sender; a name with a send right keeps that. */
	ck_assert_int_eq(mach_port_type(mach_task_self(), q, &(mach_port_type_t){ 0 }),
			 KERN_INVALID_NAME);
	ck_assert_uint_eq(peer_type(q2), MACH_PORT_TYPE_SEND);
	ck_assert_int_eq(recv_msg(q, &r, 0, sizeof(r)), MACH_RCV_INVALID_NAME);
	ck_assert_int_eq(recv_msg(q2, &r, 0, sizeof(r)), MACH_RCV_INVALID_NAME);

	ck_assert_int_eq(recv_msg(dst, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(r.ports.d[0].disposition, MACH_MSG_TYPE_PORT_RECEIVE);
	ck_assert_uint_eq(r.ports.d[1].disposition, MACH_MSG_TYPE_PORT_RECEIVE);
	moved = r.ports.d[0].name;
	ck_assert_uint_eq(peer_type(moved), MACH_PORT_TYPE_RECEIVE);
	/* The receive right joins the send right's name. */
	ck_assert_uint_eq(r.ports.d[1].name, q2);
	ck_assert_uint_eq(peer_type(q2), MACH_PORT_TYPE_SEND_RECEIVE);
	/* Messages queued before the move are all there, in order. */
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(recv_msg(moved, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
		ck_assert_int_eq(r.head.msgh_id, 100 + i);
		ck_assert_uint_eq(r.head.msgh_local_port, moved);
	}
	ck_assert_int_eq(peer_send_id(q2, MACH_MSG_TYPE_COPY_SEND, 7), MACH_MSG_SUCCESS);
	ck_assert_int_eq(recv_msg(q2, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.head.msgh_id, 7);
	destroy(dst);
	destroy(moved);
	destroy(q2);
}
END_TEST

/* A failed send consumes nothing. */
START_TEST(test_send_errors)
{
	mach_port_t dst = peer_port(), a = peer_port_send(), rcv = peer_port();
	struct ports_msg m = { 0 };
	mach_msg_header_t h;
	union rcv_buf r;

	header(&h, 0x4207, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_SEND_INVALID_DEST);
	header(&h, rcv, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_SEND_INVALID_DEST);
	header(&h, dst, MACH_MSG_TYPE_MAKE_SEND, 0x4207, MACH_MSG_TYPE_COPY_SEND, 1);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_SEND_INVALID_REPLY);
	header(&h, dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1);
	h.msgh_bits |= 0x4000000;
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_SEND_INVALID_HEADER);
	header(&h, dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1);
	h.msgh_size = 8;
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_SEND_MSG_TOO_SMALL);

	/* A good right before a bad one: the good one stays ours. */
	header(&m.head, a, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, 2);
	m.head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m);
	m.body.msgh_descriptor_count = 2;
	port_desc(&m.d[0], a, MACH_MSG_TYPE_MOVE_SEND);
	port_desc(&m.d[1], 0x4207, MACH_MSG_TYPE_COPY_SEND);
	ck_assert_int_eq(send_msg(&m.head, 0, 0), MACH_SEND_INVALID_RIGHT);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	port_desc(&m.d[1], rcv, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	ck_assert_int_eq(send_msg(&m.head, 0, 0), MACH_SEND_INVALID_RIGHT);
	m.d[1].type = 9;
	ck_assert_int_eq(send_msg(&m.head, 0, 0), MACH_SEND_INVALID_TYPE);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	{
		struct ool_msg o = { .head = m.head, .body = { 1 } };

		o.head.msgh_size = sizeof(o);
		o.ool.size = 100;       /* and no address */
		o.ool.type = MACH_MSG_OOL_DESCRIPTOR;
		ck_assert_int_eq(send_msg(&o.head, 0, 0), MACH_SEND_INVALID_MEMORY);
		o.ool.size = 100000;
		ck_assert_int_eq(send_msg(&o.head, 0, 0), MACH_SEND_INVALID_MEMORY);
		ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	}
	ck_assert_int_eq(mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), a, 0,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	destroy(dst);
	destroy(a);
	destroy(rcv);
}
END_TEST

START_TEST(test_timeouts)
{
	mach_port_t p = peer_port_send();
	mach_msg_header_t h;
	union rcv_buf r;
	int sent = 0;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	ck_assert_int_eq(mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), p, 0,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), p, 20,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	/* Fill the queue: a send that cannot proceed times out instead of blocking. */
	while (sent < 100000) {
		header(&h, p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, sent);
		mr = send_msg(&h, MACH_SEND_TIMEOUT, 0);
		if (mr != MACH_MSG_SUCCESS)
			break;
		sent++;
	}
	ck_assert_int_eq(mr, MACH_SEND_TIMED_OUT);
	ck_assert_int_gt(sent, 0);
	header(&h, p, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, -1);
	ck_assert_int_eq(send_msg(&h, MACH_SEND_TIMEOUT, 20), MACH_SEND_TIMED_OUT);
	ck_assert_uint_eq(peer_urefs(p, MACH_PORT_RIGHT_SEND), 1);
	/* Room again after one receive; nothing was lost or reordered. */
	ck_assert_int_eq(recv_msg(p, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.head.msgh_id, 0);
	header(&h, p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, sent);
	ck_assert_int_eq(send_msg(&h, MACH_SEND_TIMEOUT, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	for (int i = 1; i <= sent; i++) {
		ck_assert_int_eq(recv_msg(p, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
		ck_assert_int_eq(r.head.msgh_id, i);
	}
	ck_assert_int_eq(mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), p, 0,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	destroy(p);
}
END_TEST

static void send_big(mach_port_t dest, mach_port_t reply, mach_msg_id_t id)
{
	struct big_msg m;

	header(&m.head, dest, MACH_MSG_TYPE_MAKE_SEND, reply,
	       reply ? MACH_MSG_TYPE_MAKE_SEND_ONCE : 0, id);
	m.head.msgh_size = sizeof(m);
	memset(m.data, id, sizeof(m.data));
	ck_assert_int_eq(send_msg(&m.head, 0, 0), MACH_MSG_SUCCESS);
}

START_TEST(test_rcv_too_large)
{
	mach_port_t p = peer_port(), n = peer_port();
	mach_msg_size_t small = sizeof(mach_msg_header_t) + sizeof(mach_msg_trailer_t);
	union rcv_buf r;

	/* MACH_RCV_LARGE: the message stays, and its size is reported. */
	send_big(p, n, 1);
	ck_assert_int_eq(recv_msg(p, &r, MACH_RCV_LARGE, small), MACH_RCV_TOO_LARGE);
	ck_assert_uint_eq(r.head.msgh_size, sizeof(struct big_msg));
	ck_assert_int_eq(recv_msg(p, &r, MACH_RCV_LARGE, r.head.msgh_size + sizeof(mach_msg_trailer_t)),
			 MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.head.msgh_id, 1);
	ck_assert_int_eq(r.big.data[199], 1);
	/* Its send-once right came through: dropping it notifies n. */
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), r.head.msgh_remote_port), KERN_SUCCESS);
	ck_assert_int_eq(recv_msg(n, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.head.msgh_id, MACH_NOTIFY_SEND_ONCE);

	/* The requested trailer counts. */
	send_big(p, MACH_PORT_NULL, 2);
	ck_assert_int_eq(recv_msg(p, &r, MACH_RCV_LARGE |
				  MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
				  sizeof(struct big_msg) + sizeof(mach_msg_trailer_t)), MACH_RCV_TOO_LARGE);
	ck_assert_uint_eq(r.head.msgh_size, sizeof(struct big_msg));

	/* Without MACH_RCV_LARGE the message is destroyed, rights included. */
	ck_assert_int_eq(recv_msg(p, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
	send_big(p, n, 3);
	ck_assert_int_eq(recv_msg(p, &r, 0, small), MACH_RCV_TOO_LARGE);
	ck_assert_int_eq(mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), p, 0,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(recv_msg(n, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.head.msgh_id, MACH_NOTIFY_SEND_ONCE);
	ck_assert_uint_eq(r.head.msgh_local_port, n);
	destroy(p);
	destroy(n);
}
END_TEST

START_TEST(test_trailers)
{
	mach_port_t p = peer_port_send();
	mach_msg_header_t h;
	struct peer_rcv r;
	audit_token_t t;
	mach_msg_trailer_t min;
	union rcv_buf b;

	header(&h, p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(p, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	t = peer_audit(&r);
	ck_assert_int_eq(audit_token_to_pid(t), getpid());
	ck_assert_uint_eq(audit_token_to_euid(t), geteuid());
	ck_assert_uint_eq(audit_token_to_egid(t), getegid());
	/* Without a request: the minimal trailer, right after the message. */
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(recv_msg(p, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	memcpy(&min, (char *)&b + sizeof(mach_msg_header_t), sizeof(min));
	ck_assert_uint_eq(min.msgh_trailer_type, MACH_MSG_TRAILER_FORMAT_0);
	ck_assert_uint_eq(min.msgh_trailer_size, sizeof(mach_msg_trailer_t));
	destroy(p);
}
END_TEST

START_TEST(test_wrappers)
{
	mach_port_t p = peer_port_send();
	struct big_msg m;
	union rcv_buf r, r2;

	header(&m.head, p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1);
	m.head.msgh_size = sizeof(m);
	ck_assert_int_eq(mach_msg_send(&m.head), MACH_MSG_SUCCESS);
	memset(&r, 0, sizeof(r));
	r.head.msgh_size = sizeof(r);
	r.head.msgh_local_port = p;
	ck_assert_int_eq(mach_msg_receive(&r.head), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.head.msgh_id, 1);
	ck_assert_uint_eq(r.head.msgh_size, sizeof(m));
	/* Send from one buffer, receive into another. */
	m.head.msgh_id = 2;
	memset(&r2, 0, sizeof(r2));
	ck_assert_int_eq(mach_msg_overwrite(&m.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m),
					    sizeof(r2), p, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL,
					    &r2.head, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r2.head.msgh_id, 2);
	ck_assert_int_eq(m.head.msgh_id, 2);
	ck_assert_uint_eq(m.head.msgh_remote_port, p);
	destroy(p);
}
END_TEST

#define THREAD_MSGS 2000

struct thread_arg {
	mach_port_t port;
	int base;
	pthread_mutex_t *lock;
	unsigned char *seen;
	int errors;
};

/* Send a burst, receive as many, repeat: the queue never holds more than two bursts. */
static void *thread_main(void *arg)
{
	struct thread_arg *t = arg;

	for (int i = 0; i < THREAD_MSGS; i += 10) {
		for (int k = 0; k < 10; k++)
			if (peer_send_id(t->port, MACH_MSG_TYPE_COPY_SEND, t->base + i + k) != MACH_MSG_SUCCESS)
				t->errors++;
		for (int k = 0; k < 10; k++) {
			union rcv_buf r;

			if (recv_msg(t->port, &r, 0, sizeof(r)) != MACH_MSG_SUCCESS) {
				t->errors++;
				continue;
			}
			pthread_mutex_lock(t->lock);
			if (r.head.msgh_id >= 0 && r.head.msgh_id < 2 * THREAD_MSGS)
				t->seen[r.head.msgh_id]++;
			else
				t->errors++;
			pthread_mutex_unlock(t->lock);
		}
	}
	return NULL;
}

START_TEST(test_threads)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static unsigned char seen[2 * THREAD_MSGS];
	struct thread_arg a[2];
	pthread_t t[2];
	union rcv_buf r;
	mach_port_t p = peer_port_send();

	for (int i = 0; i < 2; i++) {
		a[i] = (struct thread_arg){ p, i * THREAD_MSGS, &lock, seen, 0 };
		ck_assert_int_eq(pthread_create(&t[i], NULL, thread_main, &a[i]), 0);
	}
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
		ck_assert_int_eq(a[i].errors, 0);
	}
	for (int i = 0; i < 2 * THREAD_MSGS; i++)
		ck_assert_msg(seen[i] == 1, "message %d seen %d times", i, seen[i]);
	ck_assert_int_eq(mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), p, 0,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	destroy(p);
}
END_TEST

/* One request to @service carrying a send-once reply right to @reply, and its
 * answer.  Return: the inode of the send-once right's socket; @keep (if not
 * NULL): a copy of its fd, as a hostile server could keep. */
static ino_t send_once_round_trip_keep(mach_port_t service, mach_port_t reply, int *keep)
{
	union {
		mach_msg_header_t h;
		char buf[256];
	} m;
	struct stat st;
	int fd;

	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.h.msgh_remote_port = service;
	m.h.msgh_local_port = reply;
	m.h.msgh_id = 1;
	ck_assert_int_eq(mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				  sizeof(m.h), sizeof(m), service, 5000, 0), MACH_MSG_SUCCESS);
	fd = peer_send_fd(m.h.msgh_remote_port);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	if (keep)
		*keep = fd;
	else
		close(fd);
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	m.h.msgh_local_port = MACH_PORT_NULL;
	m.h.msgh_id = 2;
	ck_assert_int_eq(mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				  sizeof(m.h), sizeof(m), reply, 5000, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(m.h.msgh_id, 2);
	ck_assert_uint_eq(MACH_MSGH_BITS_LOCAL(m.h.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	return st.st_ino;
}

static ino_t send_once_round_trip(mach_port_t service, mach_port_t reply)
{
	return send_once_round_trip_keep(service, reply, NULL);
}

/*
 * A pair parked on its reply port stays in the port's epoll.  A stray
 * datagram through a kept copy of its send end must neither be received
 * nor make the receiver spin on an fd it does not own: the pair is dropped
 * (the copy then has no peer) and the next call gets a fresh one.
 */
START_TEST(test_parked_pair_stray_message)
{
	mach_port_t service = peer_port(), reply = peer_port();
	union rcv_buf b;
	int kept = -1;
	ino_t first = send_once_round_trip_keep(service, reply, &kept);

	ck_assert_int_eq(send(kept, "x", 1, MSG_DONTWAIT), 1);
	ck_assert_int_eq(mach_msg(&b.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), reply, 50,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	ck_assert_int_lt(send(kept, "x", 1, MSG_DONTWAIT | MSG_NOSIGNAL), 0);
	close(kept);
	ck_assert_uint_ne(send_once_round_trip(service, reply), first);
	destroy(service);
	destroy(reply);
}
END_TEST

/*
 * A reused (parked) pair still reports its right's death: the server drops
 * the send-once right unused, the client gets MACH_NOTIFY_SEND_ONCE.
 */
START_TEST(test_reused_pair_send_once_notification)
{
	mach_port_t service = peer_port(), reply = peer_port();
	ino_t first = send_once_round_trip(service, reply);
	mach_msg_header_t h;
	union rcv_buf b;
	struct stat st;
	int fd;

	header(&h, service, MACH_MSG_TYPE_MAKE_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(recv_msg(service, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	fd = peer_send_fd(b.head.msgh_remote_port);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_uint_eq(st.st_ino, first);      /* the parked pair was reused */
	close(fd);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), b.head.msgh_remote_port),
			 KERN_SUCCESS);
	ck_assert_int_eq(recv_msg(reply, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(b.head.msgh_id, MACH_NOTIFY_SEND_ONCE);
	ck_assert_uint_eq(b.head.msgh_local_port, reply);
	destroy(service);
	destroy(reply);
}
END_TEST

/*
 * A send-once pair comes back with the message sent through it, and is
 * used again for the next reply right to the same destination: no new
 * socketpair per call.  Another destination gets a pair of its own.
 */
START_TEST(test_send_once_pair_reused)
{
	mach_port_t service = peer_port(), other = peer_port(), reply = peer_port();
	ino_t first = send_once_round_trip(service, reply);

	ck_assert_uint_eq(send_once_round_trip(service, reply), first);
	ck_assert_uint_ne(send_once_round_trip(other, reply), first);
	ck_assert_uint_eq(send_once_round_trip(service, reply), first);
	mach_port_destroy(mach_task_self(), service);
	mach_port_destroy(mach_task_self(), other);
	mach_port_destroy(mach_task_self(), reply);
}
END_TEST

static Suite *msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *rights = tcase_create("rights"), *flow = tcase_create("flow");

	tcase_add_test(rights, test_header_dispositions);
	tcase_add_test(rights, test_send_once_pair_reused);
	tcase_add_test(rights, test_parked_pair_stray_message);
	tcase_add_test(rights, test_reused_pair_send_once_notification);
	tcase_add_test(rights, test_descriptor_dispositions);
	tcase_add_test(rights, test_move_receive);
	tcase_add_test(rights, test_send_errors);
	tcase_add_test(flow, test_timeouts);
	tcase_add_test(flow, test_rcv_too_large);
	tcase_add_test(flow, test_trailers);
	tcase_add_test(flow, test_wrappers);
	tcase_add_test(flow, test_threads);
	tcase_add_checked_fixture(rights, setup, teardown);
	tcase_add_checked_fixture(flow, setup, teardown);
	suite_add_tcase(s, rights);
	suite_add_tcase(s, flow);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(msg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
