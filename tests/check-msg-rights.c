/* SPDX-License-Identifier: MIT */
/*
 * check-msg-rights - mach_msg in one process: every disposition in the
 * header and in port descriptors, the received bits and rights, moved
 * receive rights, and errors that must leave the sender's rights alone.
 * Timeouts, MACH_RCV_TOO_LARGE, trailers, the wrappers and threads are in
 * check-msg-flow, send-once pairs in check-msg-pair, out-of-line memory in
 * check-memobj.
 */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/notify.h>

#include "helpers/msg.h"
#include "helpers/peer.h"
#include "helpers/runner.h"

/* COPY_SEND + MAKE_SEND_ONCE: the classic request.  Return: the send-once right it carried. */
static mach_port_t header_request(mach_port_t dst, mach_port_t rep)
{
	mach_port_t so;
	mach_msg_header_t h;
	union rcv_buf b;

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
	return so;
}

/* MOVE_SEND_ONCE: the reply uses the right up. */
static void header_reply(mach_port_t so, mach_port_t rep)
{
	mach_msg_header_t h;
	union rcv_buf b;

	header(&h, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 2);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_port_type(mach_task_self(), so, &(mach_port_type_t){ 0 }),
			 KERN_INVALID_NAME);
	ck_assert_int_eq(recv_msg(rep, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(b.head.msgh_id, 2);
	ck_assert_int_eq(MACH_MSGH_BITS_LOCAL(b.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_int_eq(MACH_MSGH_BITS_REMOTE(b.head.msgh_bits), 0);
	ck_assert_uint_eq(b.head.msgh_remote_port, MACH_PORT_NULL);
}

/* Send and receive rights made and moved in the header, between @dst and @rep. */
static void header_send_rights(mach_port_t dst, mach_port_t rep)
{
	mach_msg_header_t h;
	union rcv_buf b;

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
}

/* Header dispositions: what arrives, and what the sender keeps. */
START_TEST(test_header_dispositions)
{
	mach_port_t dst = peer_port_send(), rep = peer_port();

	header_reply(header_request(dst, rep), rep);
	header_send_rights(dst, rep);
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

/* A send-once right to @to, to move: made by a message to ourselves through @via. */
static mach_port_t make_send_once(mach_port_t via, mach_port_t to)
{
	struct ports_msg m = { 0 };
	union rcv_buf r;

	header(&m.head, via, MACH_MSG_TYPE_MAKE_SEND, to, MACH_MSG_TYPE_MAKE_SEND_ONCE, 9);
	ck_assert_int_eq(send_msg(&m.head, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(recv_msg(via, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
	return r.head.msgh_remote_port;
}

/* What test_descriptor_dispositions receives on its names @a, @b, @c, @d. */
static void check_received_descriptors(const union rcv_buf *r, mach_port_t a, mach_port_t b,
				       mach_port_t c, mach_port_t d)
{
	ck_assert(MACH_MSGH_BITS_IS_COMPLEX(r->head.msgh_bits));
	ck_assert_uint_eq(r->head.msgh_size, sizeof(struct ports_msg));
	ck_assert_uint_eq(r->ports.body.msgh_descriptor_count, NDESC);
	ck_assert_int_eq(r->ports.tail, 0x5a5a);
	for (int i = 0; i < NDESC; i++)
		ck_assert_uint_eq(r->ports.d[i].type, MACH_MSG_PORT_DESCRIPTOR);
	/* Send rights land on the names we already have, one reference each. */
	ck_assert_uint_eq(r->ports.d[0].name, a);
	ck_assert_uint_eq(r->ports.d[0].disposition, MACH_MSG_TYPE_PORT_SEND);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 2);
	ck_assert_uint_eq(r->ports.d[1].name, b);
	ck_assert_uint_eq(r->ports.d[1].disposition, MACH_MSG_TYPE_PORT_SEND);
	ck_assert_uint_eq(peer_type(b), MACH_PORT_TYPE_SEND_RECEIVE);
	ck_assert_uint_eq(peer_urefs(b, MACH_PORT_RIGHT_SEND), 1);
	ck_assert_uint_eq(r->ports.d[2].name, c);
	ck_assert_uint_eq(r->ports.d[2].disposition, MACH_MSG_TYPE_PORT_SEND);
	ck_assert_uint_eq(peer_urefs(c, MACH_PORT_RIGHT_SEND), 2);
	/* Send-once rights always get a fresh name. */
	ck_assert_uint_eq(r->ports.d[3].disposition, MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_uint_eq(peer_type(r->ports.d[3].name), MACH_PORT_TYPE_SEND_ONCE);
	ck_assert_uint_ne(r->ports.d[3].name, d);
	ck_assert_uint_eq(r->ports.d[4].disposition, MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_uint_eq(peer_type(r->ports.d[4].name), MACH_PORT_TYPE_SEND_ONCE);
	ck_assert_uint_eq(r->ports.d[5].name, MACH_PORT_NULL);
	ck_assert_uint_eq(r->ports.d[6].name, MACH_PORT_DEAD);
}

/* Both send-once rights @so1 and @so2 still lead to @d. */
static void check_send_once_to(mach_port_t so1, mach_port_t so2, mach_port_t d)
{
	mach_msg_header_t h;
	union rcv_buf r;

	header(&h, so1, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 31);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	header(&h, so2, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 32);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(recv_msg(d, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
		ck_assert(r.head.msgh_id == 31 || r.head.msgh_id == 32);
		ck_assert_uint_eq(r.head.msgh_local_port, d);
	}
}

START_TEST(test_descriptor_dispositions)
{
	mach_port_t dst = peer_port(), a = peer_port_send(), b = peer_port(), c = peer_port_send();
	mach_port_t d = peer_port(), so_src = peer_port(), so = make_send_once(so_src, d);
	struct ports_msg m = { 0 };
	union rcv_buf r;

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
	check_received_descriptors(&r, a, b, c, d);
	check_send_once_to(r.ports.d[3].name, r.ports.d[4].name, d);
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

/* A header that fails consumes nothing. */
START_TEST(test_send_errors)
{
	mach_port_t dst = peer_port(), a = peer_port_send(), rcv = peer_port();
	mach_msg_header_t h;

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
	expect_nothing(dst);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	destroy(dst);
	destroy(a);
	destroy(rcv);
}
END_TEST

/*
 * A right the body cannot take fails the send once the header's rights
 * and the descriptors before it were taken, and xnu destroys those
 * (ipc_kmsg_copyin_body): a send reference moved before is gone, the
 * reply right made for the message tells its port at once.  A type that
 * is not one is found before anything is taken.  These used to stay with
 * the sender, and a reply right's port was never told.
 */
START_TEST(test_body_failure_destroys_what_was_taken)
{
	mach_port_t dst = peer_port(), a = peer_port_send(), rcv = peer_port();
	struct ports_msg m = { 0 };
	union rcv_buf r;

	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_SEND, 2),
			 KERN_SUCCESS);
	header(&m.head, dst, MACH_MSG_TYPE_MAKE_SEND, rcv, MACH_MSG_TYPE_MAKE_SEND_ONCE, 2);
	m.head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m);
	m.body.msgh_descriptor_count = 2;
	port_desc(&m.d[0], a, MACH_MSG_TYPE_MOVE_SEND);
	port_desc(&m.d[1], 0x4207, MACH_MSG_TYPE_COPY_SEND);
	ck_assert_int_eq(send_msg(&m.head, 0, 0), MACH_SEND_INVALID_RIGHT);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 2);
	ck_assert_int_eq(mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), rcv,
				  10000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.head.msgh_id, MACH_NOTIFY_SEND_ONCE);
	port_desc(&m.d[1], rcv, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	ck_assert_int_eq(send_msg(&m.head, 0, 0), MACH_SEND_INVALID_RIGHT);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	ck_assert_int_eq(mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), rcv,
				  10000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.head.msgh_id, MACH_NOTIFY_SEND_ONCE);
	m.d[1].type = 9;
	ck_assert_int_eq(send_msg(&m.head, 0, 0), MACH_SEND_INVALID_TYPE);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	expect_nothing(rcv);
	{
		struct ool_msg o = { .head = m.head, .body = { 1 } };

		header(&o.head, dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 2);
		o.head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		o.head.msgh_size = sizeof(o);
		o.ool.size = 100;       /* and no address */
		o.ool.type = MACH_MSG_OOL_DESCRIPTOR;
		ck_assert_int_eq(send_msg(&o.head, 0, 0), MACH_SEND_INVALID_MEMORY);
		o.ool.size = 100000;
		ck_assert_int_eq(send_msg(&o.head, 0, 0), MACH_SEND_INVALID_MEMORY);
		/* Small regions are read without faulting too (they used to crash). */
		o.ool.address = (void *)(uintptr_t)0x1000;
		o.ool.size = 64;
		ck_assert_int_eq(send_msg(&o.head, 0, 0), MACH_SEND_INVALID_MEMORY);
		ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	}
	expect_nothing(a);
	destroy(dst);
	destroy(a);
	destroy(rcv);
}

#pragma pack(push, 4)
struct mixed_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t before;
	mach_msg_ool_descriptor_t ool;
	mach_msg_port_descriptor_t after;
};
#pragma pack(pop)

/* To @dst, reply MAKE_SEND_ONCE of @rcv: @a moved, @size bytes at @addr, then @after (@disp). */
static mach_msg_return_t send_mixed(mach_port_t dst, mach_port_t rcv, mach_port_t a, void *addr,
				    mach_msg_size_t size, mach_port_t after, mach_msg_type_name_t disp)
{
	struct mixed_msg m = { .body = { 3 } };

	header(&m.head, dst, MACH_MSG_TYPE_MAKE_SEND, rcv, MACH_MSG_TYPE_MAKE_SEND_ONCE, 4);
	m.head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m);
	port_desc(&m.before, a, MACH_MSG_TYPE_MOVE_SEND);
	m.ool = (mach_msg_ool_descriptor_t){ .address = addr, .size = size,
					     .copy = MACH_MSG_VIRTUAL_COPY,
					     .type = MACH_MSG_OOL_DESCRIPTOR };
	port_desc(&m.after, after, disp);
	return send_msg(&m.head, 0, 0);
}

/*
 * A small out-of-line region that cannot be read, or whose end cannot:
 * MACH_SEND_INVALID_MEMORY, as xnu's copy-in, the rights taken before it
 * destroyed and those after it never taken, whatever comes after it (a
 * bad right too) and even in a message that would have been destroyed
 * as circular.  Nothing arrives.
 */
START_TEST(test_unreadable_small_ool)
{
	mach_port_t dst = peer_port(), a = peer_port_send(), b = peer_port_send(), rcv = peer_port();
	long page = sysconf(_SC_PAGESIZE);
	char *mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	union rcv_buf r;

	ck_assert_ptr_ne(mem, MAP_FAILED);
	ck_assert_int_eq(mprotect(mem + page, page, PROT_NONE), 0);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_SEND, 3),
			 KERN_SUCCESS);
	ck_assert_int_eq(send_mixed(dst, rcv, a, mem + page, 64, b, MACH_MSG_TYPE_MOVE_SEND),
			 MACH_SEND_INVALID_MEMORY);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 3);
	ck_assert_uint_eq(peer_urefs(b, MACH_PORT_RIGHT_SEND), 1);
	ck_assert(peer_told_send_once(rcv));
	ck_assert_int_eq(send_mixed(dst, rcv, a, mem + page - 32, 64, b, MACH_MSG_TYPE_MOVE_SEND),
			 MACH_SEND_INVALID_MEMORY);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 2);
	ck_assert(peer_told_send_once(rcv));
	ck_assert_int_eq(send_mixed(dst, rcv, a, mem + page, 64, 0x4207, MACH_MSG_TYPE_COPY_SEND),
			 MACH_SEND_INVALID_MEMORY);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	ck_assert(peer_told_send_once(rcv));
	ck_assert_int_eq(send_mixed(b, rcv, a, mem + page, 64, b, MACH_MSG_TYPE_MOVE_RECEIVE),
			 MACH_SEND_INVALID_MEMORY);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 0);
	ck_assert_uint_eq(peer_type(b), MACH_PORT_TYPE_SEND_RECEIVE);
	ck_assert(peer_told_send_once(rcv));
	expect_nothing(dst);
	/* Readable, it goes. */
	memset(mem, 7, (size_t)page);
	ck_assert_int_eq(send_mixed(dst, rcv, b, mem + page - 64, 64, MACH_PORT_NULL, 0),
			 MACH_MSG_SUCCESS);
	ck_assert_int_eq(recv_msg(dst, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
	mach_msg_destroy(&r.head);
	munmap(mem, 2 * (size_t)page);
	destroy(dst);
	destroy(a);
	destroy(b);
	destroy(rcv);
}
END_TEST

/*
 * A message body that cannot be read, past its descriptors or in a simple
 * message, is MACH_SEND_INVALID_DATA, as xnu, which copies the message in
 * before it takes any right (ipc_kmsg_get_and_inflate_from_user()):
 * every right stays the caller's, a reply right made for it tells no one,
 * and that comes first even when a small out-of-line region cannot be read
 * either.  Nothing arrives.  It used to be MACH_SEND_NO_BUFFER.
 */
START_TEST(test_unreadable_body)
{
	mach_port_t dst = peer_port(), a = peer_port_send(), rcv = peer_port();
	long page = sysconf(_SC_PAGESIZE);
	char *mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct mixed_msg *m = (struct mixed_msg *)(mem + page - sizeof(*m));
	mach_msg_header_t *h = (mach_msg_header_t *)(mem + page - sizeof(*h));
	union rcv_buf r;

	ck_assert_ptr_ne(mem, MAP_FAILED);
	ck_assert_int_eq(mprotect(mem + page, page, PROT_NONE), 0);
	*m = (struct mixed_msg){ .body = { 3 } };
	header(&m->head, dst, MACH_MSG_TYPE_MAKE_SEND, rcv, MACH_MSG_TYPE_MAKE_SEND_ONCE, 4);
	m->head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	m->head.msgh_size = sizeof(*m) + 64;    /* 64 body bytes in the page that cannot be read */
	port_desc(&m->before, a, MACH_MSG_TYPE_MOVE_SEND);
	m->ool = (mach_msg_ool_descriptor_t){ .address = mem, .size = 64,
					      .copy = MACH_MSG_VIRTUAL_COPY,
					      .type = MACH_MSG_OOL_DESCRIPTOR };
	port_desc(&m->after, MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND);
	ck_assert_int_eq(send_msg(&m->head, 0, 0), MACH_SEND_INVALID_DATA);
	m->ool.address = mem + page;            /* cannot be read either */
	ck_assert_int_eq(send_msg(&m->head, 0, 0), MACH_SEND_INVALID_DATA);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	header(h, dst, MACH_MSG_TYPE_MAKE_SEND, rcv, MACH_MSG_TYPE_MAKE_SEND_ONCE, 5);
	h->msgh_size = sizeof(*h) + 64;
	ck_assert_int_eq(send_msg(h, 0, 0), MACH_SEND_INVALID_DATA);
	expect_nothing(rcv);
	expect_nothing(dst);
	/* Readable, it goes. */
	h->msgh_size = sizeof(*h);
	ck_assert_int_eq(send_msg(h, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(recv_msg(dst, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
	mach_msg_destroy(&r.head);
	munmap(mem, 2 * (size_t)page);
	destroy(dst);
	destroy(a);
	destroy(rcv);
}
END_TEST

#define MANY_PORTS 400           /* past three growths of the space's inode index */

/* A send right to each of @ports comes back under its receive right's name, with one reference. */
static void assert_found_by_name(mach_port_t rcv, const mach_port_t *ports, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		mach_msg_header_t h;
		union rcv_buf b;

		if (ports[i] == MACH_PORT_NULL)
			continue;
		header(&h, rcv, MACH_MSG_TYPE_MAKE_SEND, ports[i], MACH_MSG_TYPE_MAKE_SEND, 5);
		ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
		ck_assert_int_eq(recv_msg(rcv, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
		ck_assert_uint_eq(b.head.msgh_remote_port, ports[i]);
		ck_assert_uint_eq(peer_urefs(ports[i], MACH_PORT_RIGHT_SEND), 1);
		ck_assert_int_eq(mach_port_deallocate(mach_task_self(), ports[i]), KERN_SUCCESS);
	}
}

/*
 * A received right lands under the name its port has already, found by
 * the port's identity among many names, as names come and go.
 */
START_TEST(test_names_found_among_many)
{
	static mach_port_t ports[MANY_PORTS];
	mach_port_t rcv = peer_port();

	peer_raise_fd_limit(4 * MANY_PORTS);   /* two fds a receive right, and room */
	for (size_t i = 0; i < MANY_PORTS; i++)
		ports[i] = peer_port();
	assert_found_by_name(rcv, ports, MANY_PORTS);
	for (size_t i = 0; i < MANY_PORTS; i += 2) {
		destroy(ports[i]);
		ports[i] = MACH_PORT_NULL;
	}
	assert_found_by_name(rcv, ports, MANY_PORTS);
	for (size_t i = 0; i < MANY_PORTS; i += 2)
		ports[i] = peer_port();         /* names of freed slots come back */
	assert_found_by_name(rcv, ports, MANY_PORTS);
	for (size_t i = 0; i < MANY_PORTS; i++)
		destroy(ports[i]);
	destroy(rcv);
}
END_TEST

/*
 * A message to a port carrying that port's own receive right is destroyed,
 * not sent, but its body is read first all the same, as xnu copies the
 * message in before it looks: an unreadable one is MACH_SEND_INVALID_DATA,
 * the receive right still the caller's.  It used to be reported sent, and
 * the right destroyed.
 */
START_TEST(test_unreadable_body_circular)
{
	mach_port_t port = peer_port();
	long page = sysconf(_SC_PAGESIZE);
	char *mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct mixed_msg *m = (struct mixed_msg *)(mem + page - sizeof(*m));

	ck_assert_ptr_ne(mem, MAP_FAILED);
	ck_assert_int_eq(mprotect(mem + page, page, PROT_NONE), 0);
	*m = (struct mixed_msg){ .body = { 1 } };
	header(&m->head, port, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 6);
	m->head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	m->head.msgh_size = sizeof(*m) + 64;    /* 64 body bytes in the page that cannot be read */
	port_desc(&m->before, port, MACH_MSG_TYPE_MOVE_RECEIVE);
	ck_assert_int_eq(send_msg(&m->head, 0, 0), MACH_SEND_INVALID_DATA);
	ck_assert_uint_eq(peer_type(port), MACH_PORT_TYPE_RECEIVE);
	expect_nothing(port);
	munmap(mem, 2 * (size_t)page);
	destroy(port);
}
END_TEST

static Suite *msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *rights = tcase_create("rights");

	tcase_add_test(rights, test_header_dispositions);
	tcase_add_test(rights, test_descriptor_dispositions);
	tcase_add_test(rights, test_move_receive);
	tcase_add_test(rights, test_send_errors);
	tcase_add_test(rights, test_body_failure_destroys_what_was_taken);
	tcase_add_test(rights, test_unreadable_small_ool);
	tcase_add_test(rights, test_unreadable_body);
	tcase_add_test(rights, test_unreadable_body_circular);
	tcase_add_test(rights, test_names_found_among_many);
	tcase_add_checked_fixture(rights, setup, teardown);
	suite_add_tcase(s, rights);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(msg_suite(), NULL, 0, argc, argv);
}
