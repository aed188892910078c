/* SPDX-License-Identifier: MIT */
/*
 * check-msg-pair - the socketpair behind a send-once right: parked on its
 * reply port and reused for the next reply to the same destination, yet
 * still reporting the right's death, and dropped when a kept copy of its
 * send end is used.
 */
#include <check.h>
#include <malloc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/notify.h>

#include "helpers/address-cap.h"
#include "helpers/msg.h"
#include "helpers/peer.h"
#include "helpers/runner.h"

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

/*
 * A send-once right to @reply, as a server receives it from a request to
 * @service, whose pair's queue the client filled through a copy of its
 * send end.  @kept: out: that copy, the caller's to close.
 */
static mach_port_t filled_reply_right(mach_port_t service, mach_port_t reply, int *kept)
{
	mach_msg_header_t h;
	union rcv_buf b;

	header(&h, service, MACH_MSG_TYPE_MAKE_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(recv_msg(service, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	*kept = peer_send_fd(b.head.msgh_remote_port);
	ck_assert_int_ge(*kept, 0);
	while (send(*kept, "x", 1, MSG_DONTWAIT | MSG_NOSIGNAL) == 1)
		;
	return b.head.msgh_remote_port;
}

/*
 * A reply never waits, as in xnu (a send-once message is not held to the
 * queue limit): a client that kept a copy of its reply right's send end
 * and filled the pair's queue gets MACH_SEND_NO_BUFFER from the server's
 * mach_msg at once, which keeps its send-once right, instead of a server
 * blocked for good.
 */
START_TEST(test_reply_to_filled_pair_does_not_wait)
{
	mach_port_t service = peer_port(), reply = peer_port(), so;
	mach_port_type_t type;
	mach_msg_header_t h;
	int kept;

	so = filled_reply_right(service, reply, &kept);
	header(&h, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 2);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_SEND_NO_BUFFER);
	ck_assert_int_eq(mach_port_type(mach_task_self(), so, &type), KERN_SUCCESS);
	ck_assert_uint_eq(type, MACH_PORT_TYPE_SEND_ONCE);
	close(kept);
	destroy(so);
	destroy(service);
	destroy(reply);
}
END_TEST

/*
 * Send-once rights outstanding on one port: a power of two, so that its
 * queue array is full, and big enough that growing it takes new address
 * space (glibc maps it at 128 KiB, the threshold pinned below; under
 * AddressSanitizer 256 KiB is mapped as well).
 */
#define FULL_QUEUES 4096
/* Address space left under the cap: less than the growth needs. */
#define QUEUE_HEADROOM (64u << 10)

#if defined(__SANITIZE_ADDRESS__)
/* An allocation that fails returns NULL under AddressSanitizer too, as malloc(3) does. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
#endif

/*
 * To @dst, send-once rights to @rcv made for it: the reply if @reply, and
 * one descriptor after @a moved.
 */
static mach_msg_return_t send_two_send_once(mach_port_t dst, mach_port_t rcv, mach_port_t a,
					    bool reply)
{
	struct ports_msg m = { .body = { 2 } };

	header(&m.head, dst, MACH_MSG_TYPE_MAKE_SEND, reply ? rcv : MACH_PORT_NULL,
	       reply ? MACH_MSG_TYPE_MAKE_SEND_ONCE : 0, 7);
	m.head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = offsetof(struct ports_msg, d[2]);
	m.d[0] = (mach_msg_port_descriptor_t){ .name = a, .disposition = MACH_MSG_TYPE_MOVE_SEND,
					       .type = MACH_MSG_PORT_DESCRIPTOR };
	m.d[1] = (mach_msg_port_descriptor_t){ .name = rcv,
					       .disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE,
					       .type = MACH_MSG_PORT_DESCRIPTOR };
	return send_msg(&m.head, 0, 0);
}

/* send_two_send_once(), the address space capped just above what is mapped. */
static mach_msg_return_t send_without_memory(mach_port_t dst, mach_port_t rcv, mach_port_t a,
					     bool reply)
{
	struct rlimit saved;
	mach_msg_return_t mr;

	address_cap(QUEUE_HEADROOM, &saved);
	mr = send_two_send_once(dst, rcv, a, reply);
	address_uncap(&saved);
	return mr;
}

/* Answer the request waiting on @service through each send-once right it carries. */
static void answer_both(mach_port_t service, mach_port_t reply)
{
	union rcv_buf r;
	mach_msg_header_t h;
	mach_port_t so[2];

	ck_assert_int_eq(recv_msg(service, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(r.ports.body.msgh_descriptor_count, 2);
	so[0] = r.head.msgh_remote_port;
	so[1] = r.ports.d[1].name;
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), r.ports.d[0].name), KERN_SUCCESS);
	for (int i = 0; i < 2; i++) {
		header(&h, so[i], MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 100 + i);
		ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	}
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(recv_msg(reply, &r, 0, sizeof(r)), MACH_MSG_SUCCESS);
		ck_assert_int_ge(r.head.msgh_id, 100);
		ck_assert_int_le(r.head.msgh_id, 101);
	}
}

/*
 * A send-once right made for a message when its port has no room for one
 * more queue (the address space capped) fails the send before anything is
 * sent, MACH_SEND_NO_BUFFER as xnu's copy-in without memory, whether it is
 * the reply port or a descriptor: nothing arrives and the rights moved stay
 * the caller's.  It used to be sent all the same, its queue lost: the
 * receiver held a right whose reply reached no one and whose death was
 * never told.  With room again, both rights reach the port.
 */
START_TEST(test_send_once_without_queue_room)
{
	static mach_port_t kept[FULL_QUEUES];
	mach_port_t service = peer_port(), reply = peer_port(), a = peer_port_send();
	mach_msg_type_name_t type;
	union rcv_buf r;

	peer_raise_fd_limit(2 * FULL_QUEUES + 256);
#if !defined(__SANITIZE_ADDRESS__)      /* its allocator maps 256 KiB by itself */
	ck_assert_int_eq(mallopt(M_MMAP_THRESHOLD, 128 << 10), 1);
#endif
	for (size_t i = 0; i < FULL_QUEUES; i++)
		ck_assert_int_eq(mach_port_extract_right(mach_task_self(), reply,
							 MACH_MSG_TYPE_MAKE_SEND_ONCE, &kept[i],
							 &type), KERN_SUCCESS);
	ck_assert_int_eq(send_without_memory(service, reply, a, true), MACH_SEND_NO_BUFFER);
	ck_assert_int_eq(send_without_memory(service, reply, a, false), MACH_SEND_NO_BUFFER);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	ck_assert_int_eq(mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), service, 0,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(send_two_send_once(service, reply, a, true), MACH_MSG_SUCCESS);
	answer_both(service, reply);
	for (size_t i = 0; i < FULL_QUEUES; i++)
		ck_assert_int_eq(mach_port_deallocate(mach_task_self(), kept[i]), KERN_SUCCESS);
	destroy(a);
	destroy(service);
	destroy(reply);
}
END_TEST

/* A MIG-shaped answer, KERN_SUCCESS, to whatever came. */
static boolean_t answer_any(mach_msg_header_t *in, mach_msg_header_t *out)
{
	mig_reply_error_t *rep = (mig_reply_error_t *)out;

	rep->Head.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
	rep->Head.msgh_remote_port = in->msgh_remote_port;
	rep->Head.msgh_size = sizeof(*rep);
	rep->Head.msgh_id = in->msgh_id + 100;
	rep->NDR = NDR_record;
	rep->RetCode = KERN_SUCCESS;
	return TRUE;
}

/*
 * The same filled pair under mach_msg_server(): the answer that cannot go
 * is destroyed and the loop goes on, as for a client that died; a client
 * could otherwise end a server's loop by filling its own reply pair.
 */
START_TEST(test_server_loop_survives_a_filled_reply_pair)
{
	mach_port_t service = peer_port(), reply = peer_port(), so;
	mach_msg_header_t h;
	int kept;

	so = filled_reply_right(service, reply, &kept);
	/* The request again, now with the right to the filled pair as its reply port. */
	header(&h, service, MACH_MSG_TYPE_MAKE_SEND, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 500);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_msg_server_once(answer_any, 256, service, 0), MACH_MSG_SUCCESS);
	close(kept);
	destroy(service);
	destroy(reply);
}
END_TEST

static Suite *msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *rights = tcase_create("rights");

	tcase_add_test(rights, test_send_once_pair_reused);
	tcase_add_test(rights, test_parked_pair_stray_message);
	tcase_add_test(rights, test_reused_pair_send_once_notification);
	tcase_add_test(rights, test_reply_to_filled_pair_does_not_wait);
	tcase_add_test(rights, test_server_loop_survives_a_filled_reply_pair);
	tcase_add_test(rights, test_send_once_without_queue_room);
	tcase_add_checked_fixture(rights, setup, teardown);
	suite_add_tcase(s, rights);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(msg_suite(), NULL, 0, argc, argv);
}
