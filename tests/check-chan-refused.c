/* SPDX-License-Identifier: MIT */
/*
 * check-chan-refused - a channel the receiver cannot take, both sides by
 * hand in one process: past 256 channels a port's receiver refuses an
 * OFFER and says so up its B (REFUSED), since the calls of its client
 * would be destroyed unread; a caller that reads REFUSED while it waits
 * goes the ordinary way (MSG_RECV_RESEND) and asks no more; and a PROBE
 * through a full R waits for room rather than being lost.
 */
#include <check.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>

#include "helpers/chan-wire.h"
#include "helpers/msg.h"
#include "helpers/peer.h"
#include "helpers/runner.h"
#include "fdpass.h"
#include "msg-recv.h"
#include "port.h"
#include "space.h"
#include "wire.h"

#define RECEIVER_MAX 256        /* port-channels.c PORT_MAX_CHANNELS */

/* An OFFER of @b written into @port's queue through S @s, as the daemon writes one. */
static void offer(int s, int b, int32_t id)
{
	struct wire_hdr h = { .magic = WIRE_MAGIC, .bits = WIRE_BITS_OFFER, .id = id, .nfds = 1 };
	struct iovec iov = { &h, sizeof(h) };

	ck_assert_int_eq(fdpass_send(s, &iov, 1, &b, 1, 0), 0);
}

/* Whether a header with @bits is waiting on @a. */
static bool told(int a, uint32_t bits)
{
	struct wire_hdr h = { 0 };
	struct pollfd p = { .fd = a, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && recv(a, &h, sizeof(h), MSG_DONTWAIT) == (ssize_t)sizeof(h) &&
	       h.bits == bits && h.seq == 0;
}

START_TEST(test_receiver_refuses_past_its_channels)
{
	static int a[RECEIVER_MAX + 1];
	mach_port_t port = peer_port_send();
	int s = peer_send_fd(port);
	union rcv_buf buf;

	ck_assert_int_ge(s, 0);
	for (int i = 0; i <= RECEIVER_MAX; i++) {
		int b;

		chan_pair_from_child(&a[i], &b);        /* distinct owners, one channel each */
		offer(s, b, i + 1);
		close(b);
	}
	/* The receive reads every OFFER before the message behind them. */
	ck_assert_int_eq(peer_send_id(port, MACH_MSG_TYPE_COPY_SEND, 77), MACH_MSG_SUCCESS);
	ck_assert_int_eq(recv_msg(port, &buf, 0, sizeof(buf)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(buf.head.msgh_id, 77);
	for (int i = 0; i < RECEIVER_MAX; i++)
		ck_assert(!told(a[i], WIRE_BITS_OFFER | WIRE_BITS_ONCONN));
	ck_assert(told(a[RECEIVER_MAX], WIRE_BITS_OFFER | WIRE_BITS_ONCONN));
	for (int i = 0; i <= RECEIVER_MAX; i++)
		close(a[i]);
	close(s);
	destroy(port);
}
END_TEST

/* A waiting call's caller, on a pair of its own: @w as msg_chan_call() fills it. */
static mach_msg_return_t wait_answer(int a, int s, struct conn_wait *w, mach_port_t reply)
{
	union rcv_buf buf;
	struct port *p;
	mach_msg_return_t mr;

	*w = (struct conn_wait){ .fd = a, .seq = 5, .channel = true, .probe_fd = s,
				 .sent_from = 100, .sent_by = 200 };
	space_lock();
	p = space_get(reply);
	port_ref(p);
	space_unlock();
	mr = msg_receive_conn(&buf.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(buf), p, w, 5000);
	port_unref(p);
	return mr;
}

START_TEST(test_refused_call_goes_the_ordinary_way)
{
	mach_port_t reply = peer_port();
	struct wire_hdr h = { .magic = WIRE_MAGIC, .bits = WIRE_BITS_OFFER | WIRE_BITS_ONCONN };
	struct conn_wait w;
	int a, b;

	chan_pair(&a, &b);
	ck_assert_int_eq(send(b, &h, sizeof(h), 0), (ssize_t)sizeof(h));
	ck_assert_int_eq(wait_answer(a, -1, &w, reply), MSG_RECV_RESEND);
	ck_assert(w.refused && w.gone);
	close(a);
	close(b);
	destroy(reply);
}
END_TEST

/*
 * A RETIRED that cannot tell (the daemon could not look) sends a PROBE
 * through S, and waits for room in R to do so: R full, the probe goes
 * once a datagram is read out, and the caller waits on.
 */
START_TEST(test_probe_waits_for_room_in_r)
{
	mach_port_t reply = peer_port(), port = peer_port_send();
	struct {
		struct wire_hdr h;
		struct wire_retired r;
	} ret = { .h = { .magic = WIRE_MAGIC, .bits = WIRE_BITS_RETIRED, .body_len = 8,
			 .data_len = 8 } };
	int s = peer_send_fd(port), r = peer_recv_fd(port), r_copy, a, b, filled = 0;
	struct wire_hdr got = { 0 };
	struct conn_wait w;

	chan_pair(&a, &b);
	while (send(s, "x", 1, MSG_DONTWAIT) == 1)
		filled++;
	ck_assert_int_gt(filled, 0);
	ck_assert_int_eq(send(b, &ret, sizeof(ret), 0), (ssize_t)sizeof(ret));
	/* The probe blocks until room is made: a child makes it after a while
	 * (through a copy of R: the child's library closes the task's own). */
	r_copy = dup(r);
	if (fork() == 0) {
		usleep(200000);
		/* A blocked sender wakes once most of the buffer is free. */
		for (int i = 0; i < filled; i++)
			recv(r_copy, &got, sizeof(got), 0);
		_exit(0);
	}
	close(r_copy);
	ck_assert_int_eq(wait_answer(a, s, &w, reply), MACH_RCV_TIMED_OUT);
	wait(NULL);
	while (recv(r, &got, sizeof(got), MSG_DONTWAIT) == 1)
		;       /* what the child left */
	ck_assert_uint_eq(got.magic, WIRE_MAGIC);
	ck_assert_uint_eq(got.bits, WIRE_BITS_RETIRED | WIRE_BITS_CHAN);
	ck_assert_uint_eq(got.seq, 5);
	close(a);
	close(b);
	close(s);
	destroy(port);
	destroy(reply);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("chan-refused");
	TCase *tc = tcase_create("chan-refused");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_receiver_refuses_past_its_channels);
	tcase_add_test(tc, test_refused_call_goes_the_ordinary_way);
	tcase_add_test(tc, test_probe_waits_for_room_in_r);
	suite_add_tcase(s, tc);
	return runner_main(s, NULL, 0, argc, argv);
}
