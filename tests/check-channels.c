/* SPDX-License-Identifier: MIT */
/*
 * check-channels - the daemon's part of channels (bootstrap-wire(7)
 * "Channels") against a real daemon, its wire spoken by hand: the ask
 * answers A and an OFFER of A's peer lands in R; the ask is refused for a
 * registered port, a port that is no service, past a port's cap and past
 * a caller's cap (and a dead channel makes room); when the port's
 * receiver goes, a B with a call queued is retired (RETIRED(seq) up A),
 * an empty one closed (A reads end of file), one whose OFFER was never
 * read left alone; the next check-in hands the retired Bs (counted in
 * wire_desc.reserved); a retired B holding a message starts its job; a
 * re-exec, and a kill -9 under the fd store, keep every channel, its
 * number and whether it was retired.
 *
 * The receiver here is mostly the test itself, holding a dynamic name
 * (bootstrap_check_in() of a name no job declares) and reading R's fd
 * raw: the library does not read OFFERs yet.  Letting the right go (its
 * port-destroyed request) is, for the daemon, the receiver going.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "helpers/bsctl-run.h"
#include "helpers/chan-wire.h"
#include "helpers/daemon.h"
#include "helpers/give-right.h"
#include "helpers/echo-client.h"
#include "helpers/fake-fdstore.h"
#include "helpers/peer.h"
#include "helpers/raw-client.h"
#include "wire.h"

#define DYN "com.example.chan"
#define CAP_SERVICE 32
#define CAP_CALLER 64

static struct test_daemon td;

static void setup(void)
{
	test_daemon_init(&td, "channels");
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

/* A dynamic name @name checked in here: *@recv its receive right, *@send a send right to it. */
static void serve(const char *name, mach_port_t *recv, mach_port_t *send)
{
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, (char *)name, recv), KERN_SUCCESS);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, (char *)name, send), KERN_SUCCESS);
}

/* Whether @x and @y are the two ends of one socketpair: what goes down one comes up the other. */
static void assert_peers(int x, int y)
{
	char c = 0;

	ck_assert_int_eq(chan_send(x, 7), 0);
	ck_assert_int_gt(recv(y, &c, 1, MSG_DONTWAIT | MSG_TRUNC), 0);
}

START_TEST(test_ask_answers_a_and_offers_b_in_r)
{
	mach_port_t recv, send;
	int a, b, r;
	int32_t id;

	test_daemon_start(&td);
	serve(DYN, &recv, &send);
	r = peer_recv_fd(recv);
	ck_assert_int_eq(chan_ask(send, &a), KERN_SUCCESS);
	id = chan_read_offer(r, &b);
	ck_assert_int_ne(id, 0);
	assert_peers(a, b);
	ck_assert(!chan_pending(r));    /* one OFFER, nothing else */
	close(a);
	close(b);
}
END_TEST

/* The port's message count: an OFFER waiting in R is no message. */
static mach_port_msgcount_t msgcount(mach_port_t recv)
{
	mach_port_status_t st;
	mach_msg_type_number_t n = MACH_PORT_RECEIVE_STATUS_COUNT;

	ck_assert_int_eq(mach_port_get_attributes(mach_task_self(), recv, MACH_PORT_RECEIVE_STATUS,
						  (mach_port_info_t)&st, &n), KERN_SUCCESS);
	return st.mps_msgcount;
}

START_TEST(test_offer_in_r_is_no_message)
{
	struct {
		mach_msg_header_t head;
		mach_msg_trailer_t trailer;
	} m = { .head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
			  .msgh_size = sizeof(mach_msg_header_t), .msgh_id = 1 } };
	mach_port_t recv, send;
	int a;

	test_daemon_start(&td);
	serve(DYN, &recv, &send);
	ck_assert_int_eq(chan_ask(send, &a), KERN_SUCCESS);
	ck_assert_uint_eq(msgcount(recv), 0);
	m.head.msgh_remote_port = send;
	ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG, sizeof(m.head), 0, MACH_PORT_NULL, 0,
				  MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(msgcount(recv), 1);
	close(a);
}
END_TEST

START_TEST(test_ask_refused_for_what_is_no_service)
{
	mach_port_t reg, plain;
	int a;

	test_daemon_start(&td);
	ck_assert_int_eq(make_registered_port("com.example.chan.registered", false, &reg),
			 KERN_SUCCESS);
	ck_assert_int_eq(chan_ask(reg, &a), KERN_NOT_SUPPORTED);
	plain = peer_port_send();
	ck_assert_int_eq(chan_ask(plain, &a), KERN_NOT_SUPPORTED);
	ck_assert_int_eq(chan_ask(bootstrap_port, &a), KERN_NOT_SUPPORTED);
	ck_assert(test_daemon_wait_log(&td, "no service of this daemon's: refused", CHAN_WAIT_MS));
}
END_TEST

START_TEST(test_ask_refused_while_r_is_full)
{
	mach_port_t recv, port;
	char filler[1024] = { 0 };
	int s, a;

	test_daemon_start(&td);
	serve(DYN, &recv, &port);
	s = peer_send_fd(port);
	ck_assert_int_ge(s, 0);
	while (send(s, filler, sizeof(filler), MSG_DONTWAIT | MSG_NOSIGNAL) > 0)
		;
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(chan_ask(port, &a), KERN_NOT_SUPPORTED);
	ck_assert(test_daemon_wait_log(&td, "refused (its queue is full)", CHAN_WAIT_MS));
	close(s);
}
END_TEST

/* Ask @n channels to @send, all granted, their As in @a. */
static void ask_n(mach_port_t send, int *a, int n)
{
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(chan_ask(send, &a[i]), KERN_SUCCESS);
}

/* Channel numbers are not guessable: not a running count, and all different. */
START_TEST(test_channel_ids_are_not_sequential)
{
	mach_port_t recv, send;
	int32_t id[4];
	int a[4], b, steps = 0;

	test_daemon_start(&td);
	serve(DYN, &recv, &send);
	ask_n(send, a, 4);
	for (int i = 0; i < 4; i++) {
		id[i] = chan_read_offer(peer_recv_fd(recv), &b);
		ck_assert_int_gt(id[i], 0);
		close(b);
		close(a[i]);
		for (int j = 0; j < i; j++)
			ck_assert_int_ne(id[i], id[j]);
		if (i && id[i] == id[i - 1] + 1)
			steps++;
	}
	ck_assert_int_lt(steps, 3);
}
END_TEST

START_TEST(test_ask_refused_past_the_port_cap_until_one_dies)
{
	mach_port_t recv, send;
	int a[CAP_SERVICE], extra;

	test_daemon_start(&td);
	serve(DYN, &recv, &send);
	ask_n(send, a, CAP_SERVICE);
	ck_assert_int_eq(chan_ask(send, &extra), KERN_RESOURCE_SHORTAGE);
	ck_assert(test_daemon_wait_log(&td, "the port's channels are at their cap", CHAN_WAIT_MS));
	/* A channel whose client went and whose B is empty is swept at the cap. */
	close(a[5]);
	ck_assert_int_eq(chan_ask(send, &a[5]), KERN_SUCCESS);
	for (int i = 0; i < CAP_SERVICE; i++)
		close(a[i]);
}
END_TEST

START_TEST(test_ask_refused_past_the_caller_cap)
{
	mach_port_t recv[3], send[3];
	int a[CAP_CALLER], extra;

	test_daemon_start(&td);
	serve(DYN ".1", &recv[0], &send[0]);
	serve(DYN ".2", &recv[1], &send[1]);
	serve(DYN ".3", &recv[2], &send[2]);
	ask_n(send[0], a, CAP_SERVICE);
	ask_n(send[1], a + CAP_SERVICE, CAP_CALLER - CAP_SERVICE);
	ck_assert_int_eq(chan_ask(send[2], &extra), KERN_RESOURCE_SHORTAGE);
	ck_assert(test_daemon_wait_log(&td, "the caller's channels are at their cap", CHAN_WAIT_MS));
	close(a[0]);
	ck_assert_int_eq(chan_ask(send[2], &a[0]), KERN_SUCCESS);
	for (int i = 0; i < CAP_CALLER; i++)
		close(a[i]);
}
END_TEST

/*
 * Every ask sweeps the asked port's dead channels (client gone, B empty),
 * not only at its cap: the daemon's fds for them go at the next ask.
 */
START_TEST(test_ask_sweeps_the_ports_dead_channels)
{
	mach_port_t recv, send;
	int a[4], base = -1;

	test_daemon_start(&td);
	serve(DYN, &recv, &send);
	/* The daemon's fds at rest (what a request had open briefly closed). */
	for (int k = 0; k < 30; k++) {
		int n = raw_fd_count(td.pid);

		if (base < 0 || n < base)
			base = n;
		usleep(10000);
	}
	ask_n(send, a, 4);
	for (int i = 0; i < 4; i++)
		close(a[i]);
	ck_assert_int_eq(chan_ask(send, &a[0]), KERN_SUCCESS);
	/* Four swept, one made: the daemon keeps one B. */
	ck_assert_int_eq(raw_wait_fd_count(td.pid, base + 1, 2000), base + 1);
	close(a[0]);
}
END_TEST

/*
 * The caller's sweep empties the very port it asks for: every channel of
 * it gone, its set goes too, and the ask goes on without it (it used to
 * read the freed set: ASan's heap-use-after-free).
 */
START_TEST(test_caller_sweep_empties_the_port_asked_for)
{
	mach_port_t recv[2], send[2];
	int a[CAP_CALLER];

	test_daemon_start(&td);
	serve(DYN ".1", &recv[0], &send[0]);
	serve(DYN ".2", &recv[1], &send[1]);
	ask_n(send[0], a, CAP_SERVICE);
	ask_n(send[1], a + CAP_SERVICE, CAP_CALLER - CAP_SERVICE);
	for (int i = 0; i < CAP_SERVICE; i++)
		close(a[i]);
	ck_assert_int_eq(chan_ask(send[0], &a[0]), KERN_SUCCESS);
	close(a[0]);
	for (int i = CAP_SERVICE; i < CAP_CALLER; i++)
		close(a[i]);
}
END_TEST

/* Three channels to DYN: a call queued in the first, the second empty, the third's OFFER unread. */
struct three {
	mach_port_t recv, send;
	int a[3];
};

static void three_channels(struct three *t)
{
	int b;

	serve(DYN, &t->recv, &t->send);
	ask_n(t->send, t->a, 3);
	chan_read_offer(peer_recv_fd(t->recv), &b);
	close(b);       /* the receiver's copy: the daemon keeps its own */
	chan_read_offer(peer_recv_fd(t->recv), &b);
	close(b);
	ck_assert_int_eq(chan_send(t->a[0], 1), 0);
	/* The receiver goes: it destroys the right, which comes back to the daemon. */
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), t->recv, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
}

START_TEST(test_receiver_gone_retires_closes_or_leaves)
{
	struct three t;
	uint16_t seq = 0;

	test_daemon_start(&td);
	three_channels(&t);
	ck_assert_int_eq(chan_read(t.a[0], &seq), 1);   /* retired: RETIRED(1) */
	ck_assert_uint_eq(seq, 1);
	ck_assert_int_eq(chan_send(t.a[0], 2), -EPIPE); /* shut for reading */
	ck_assert_int_eq(chan_read(t.a[1], &seq), 0);   /* empty: closed */
	/* Its OFFER never read: nothing comes, and B still takes calls. */
	ck_assert(!chan_pending(t.a[2]));
	ck_assert_int_eq(chan_send(t.a[2], 1), 0);
	for (int i = 0; i < 3; i++)
		close(t.a[i]);
}
END_TEST

START_TEST(test_check_in_hands_retired_channels)
{
	struct chan_check_in ci;
	struct three t;
	uint16_t seq;
	int b;

	test_daemon_start(&td);
	three_channels(&t);
	ck_assert_int_eq(chan_read(t.a[0], &seq), 1);
	ck_assert_int_eq(chan_raw_check_in(td.socket, DYN, &ci), KERN_SUCCESS);
	ck_assert_uint_eq(ci.reserved, WIRE_RECV_RESERVED(1, 1));
	ck_assert_uint_eq(ci.nfds, 4);  /* R, S, the port-destroyed request, B */
	chan_read_offer(ci.fds[0], &b); /* the unread OFFER waits in R */
	assert_peers(t.a[2], b);
	/* The retired B still holds the call sent before the receiver went. */
	ck_assert_int_eq(recv(ci.fds[3], &seq, sizeof(seq), MSG_DONTWAIT | MSG_TRUNC),
			 (ssize_t)(sizeof(struct wire_hdr) + 8));
	close(b);
	chan_check_in_close(&ci);
	for (int i = 0; i < 3; i++)
		close(t.a[i]);
}
END_TEST

/*
 * A retired B handed at a check-in, one of its two calls taken, and the
 * receiver gone again: the client is told RETIRED again, with the seq of
 * the call still queued (the one taken died with that receiver).
 */
START_TEST(test_retired_again_tells_the_client_again)
{
	struct chan_check_in ci;
	struct three t;
	uint16_t seq = 0;
	int b;

	test_daemon_start(&td);
	serve(DYN, &t.recv, &t.send);
	ask_n(t.send, t.a, 1);
	chan_read_offer(peer_recv_fd(t.recv), &b);
	close(b);
	ck_assert_int_eq(chan_send(t.a[0], 1), 0);
	ck_assert_int_eq(chan_send(t.a[0], 2), 0);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), t.recv, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	ck_assert_int_eq(chan_read(t.a[0], &seq), 1);
	ck_assert_uint_eq(seq, 1);
	ck_assert_int_eq(chan_raw_check_in(td.socket, DYN, &ci), KERN_SUCCESS);
	ck_assert_uint_eq(ci.nfds, 4);
	/* The next receiver takes call 1, then goes. */
	ck_assert_int_gt(recv(ci.fds[3], &seq, sizeof(seq), MSG_DONTWAIT | MSG_TRUNC), 0);
	chan_check_in_close(&ci);
	ck_assert_int_eq(chan_read(t.a[0], &seq), 1);
	ck_assert_uint_eq(seq, 2);
	close(t.a[0]);
}
END_TEST

/*
 * A RETIRED that finds the client's queue full is owed: it goes at the
 * next check-in, once the client has read what filled its queue.
 */
START_TEST(test_retired_owed_goes_at_the_next_check_in)
{
	struct chan_check_in ci;
	mach_port_t rcv, snd;
	char filler[64] = { 0 };
	uint16_t seq = 0;
	int a, b;

	test_daemon_start(&td);
	serve(DYN, &rcv, &snd);
	ask_n(snd, &a, 1);
	chan_read_offer(peer_recv_fd(rcv), &b);
	ck_assert_int_eq(chan_send(a, 4), 0);
	while (send(b, filler, sizeof(filler), MSG_DONTWAIT | MSG_NOSIGNAL) > 0)
		;
	ck_assert_int_eq(errno, EAGAIN);
	close(b);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), rcv, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	/* Retired meanwhile (its sends fail), the notice not delivered: the queue was full. */
	for (int k = 0; k < 1000 && chan_send(a, 5) == 0; k++)
		usleep(10000);
	ck_assert_int_eq(chan_send(a, 5), -EPIPE);
	while (recv(a, filler, sizeof(filler), MSG_DONTWAIT) > 0)
		;
	ck_assert_int_eq(chan_raw_check_in(td.socket, DYN, &ci), KERN_SUCCESS);
	ck_assert_int_eq(chan_read(a, &seq), 1);
	ck_assert_uint_eq(seq, 4);
	chan_check_in_close(&ci);
	close(a);
}
END_TEST

#define MANY_RETIRED 10
#define PER_CHECK_IN 8

/* The seqs of the calls waiting first in the retired Bs @ci handed, flagged in @seen. */
static void mark_handed(const struct chan_check_in *ci, bool *seen)
{
	for (size_t i = 3; i < ci->nfds; i++) {
		struct wire_hdr h = { 0 };

		ck_assert_int_ge(recv(ci->fds[i], &h, sizeof(h), MSG_PEEK | MSG_DONTWAIT),
				 (ssize_t)sizeof(h));
		ck_assert(h.seq >= 1 && h.seq <= MANY_RETIRED);
		seen[h.seq - 1] = true;
	}
}

/*
 * A check-in hands at most 8 retired Bs; the others stay with the daemon
 * and go at the next check-in, those not handed yet first.
 */
START_TEST(test_check_in_hands_at_most_eight_retired)
{
	struct chan_check_in ci;
	mach_port_t rcv, snd;
	bool seen[MANY_RETIRED] = { false };
	int a[MANY_RETIRED], b;

	test_daemon_start(&td);
	serve(DYN, &rcv, &snd);
	ask_n(snd, a, MANY_RETIRED);
	for (int i = 0; i < MANY_RETIRED; i++) {
		chan_read_offer(peer_recv_fd(rcv), &b);
		close(b);
		ck_assert_int_eq(chan_send(a[i], (uint16_t)(i + 1)), 0);
	}
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), rcv, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	for (int i = 0; i < MANY_RETIRED; i++) {
		uint16_t seq = 0;

		ck_assert_int_eq(chan_read(a[i], &seq), 1);
	}
	ck_assert_int_eq(chan_raw_check_in(td.socket, DYN, &ci), KERN_SUCCESS);
	ck_assert_uint_eq(ci.nfds, 3 + PER_CHECK_IN);
	ck_assert_uint_eq(ci.reserved, WIRE_RECV_RESERVED(PER_CHECK_IN, PER_CHECK_IN));
	mark_handed(&ci, seen);
	chan_check_in_close(&ci);       /* the receiver goes, every call still queued */
	ck_assert(test_daemon_wait_log_count(&td, "let go of " DYN, 2, CHAN_WAIT_MS));
	ck_assert_int_eq(chan_raw_check_in(td.socket, DYN, &ci), KERN_SUCCESS);
	ck_assert_uint_eq(ci.nfds, 3 + PER_CHECK_IN);
	mark_handed(&ci, seen);
	for (int i = 0; i < MANY_RETIRED; i++)
		ck_assert_msg(seen[i], "channel %d never handed", i);
	chan_check_in_close(&ci);
	for (int i = 0; i < MANY_RETIRED; i++)
		close(a[i]);
}
END_TEST

START_TEST(test_retired_channel_with_a_message_starts_the_job)
{
	mach_port_t send;
	struct echo_msg r;
	uint16_t seq = 0;
	int a;

	echo_add_job(&td, NULL, NULL);
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &send), KERN_SUCCESS);
	ck_assert_int_eq(chan_ask(send, &a), KERN_SUCCESS);   /* the OFFER starts the job */
	/* Answered down a channel the library asks for after: the job has read
	 * our OFFER.  Stopped, it reads nothing more: the call stays in B. */
	ck_assert_int_eq(echo_call(send, &r), ECHO_QUERY + 100);
	ck_assert_int_eq(kill(r.pid, SIGSTOP), 0);
	ck_assert_int_eq(chan_send(a, 9), 0);
	ck_assert_int_eq(kill(r.pid, SIGKILL), 0);
	ck_assert_int_eq(chan_read(a, &seq), 1);
	ck_assert_uint_eq(seq, 9);
	ck_assert(test_daemon_wait_log_count(&td, "reason demand", 2, CHAN_WAIT_MS));
	close(a);
}
END_TEST

/* The restart variants: the daemon under a fake fd store, to be killed. */
static struct fake_fdstore store;
static int use_store;

static void restart_setup(void)
{
	fake_fdstore_fixture_setup(&td, "channels-restart");
}

static void restart_teardown(void)
{
	fake_fdstore_fixture_teardown(&td, &store, &use_store);
}

/* Re-exec (@from_store 0), or SIGKILL and start again from the fd store. */
static void restart(int from_store)
{
	static struct bsctl_out out;
	mach_port_t probe;

	if (!from_store) {
		ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
		return;
	}
	/* A request after the last change: the state was saved in an earlier turn. */
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, DYN, &probe), KERN_SUCCESS);
	fake_fdstore_kill(&store, &td);
	fake_fdstore_start(&store, &td);
}

START_TEST(test_restart_keeps_the_channels)
{
	mach_port_t recv, send;
	uint16_t seq = 0;
	int a[2], b;

	fake_fdstore_fixture_start(&td, &store, &use_store, _i);
	serve(DYN, &recv, &send);
	ask_n(send, a, 2);
	chan_read_offer(peer_recv_fd(recv), &b);
	close(b);
	ck_assert_int_eq(chan_send(a[0], 3), 0);
	restart(_i);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), recv, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	/* The B kept across the restart is retired, and holds the call. */
	ck_assert_int_eq(chan_read(a[0], &seq), 1);
	ck_assert_uint_eq(seq, 3);
	/* The other's number was kept too: its OFFER is still known to wait in R. */
	ck_assert(!chan_pending(a[1]));
	ck_assert_int_eq(chan_send(a[1], 1), 0);
	close(a[0]);
	close(a[1]);
}
END_TEST

static Suite *channels_suite(void)
{
	Suite *s = suite_create("channels");
	TCase *tc = tcase_create("daemon");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ask_answers_a_and_offers_b_in_r);
	tcase_add_test(tc, test_channel_ids_are_not_sequential);
	tcase_add_test(tc, test_ask_refused_for_what_is_no_service);
	tcase_add_test(tc, test_ask_refused_while_r_is_full);
	tcase_add_test(tc, test_ask_refused_past_the_port_cap_until_one_dies);
	tcase_add_test(tc, test_ask_refused_past_the_caller_cap);
	tcase_add_test(tc, test_offer_in_r_is_no_message);
	tcase_add_test(tc, test_caller_sweep_empties_the_port_asked_for);
	tcase_add_test(tc, test_ask_sweeps_the_ports_dead_channels);
	tcase_add_test(tc, test_receiver_gone_retires_closes_or_leaves);
	tcase_add_test(tc, test_check_in_hands_retired_channels);
	tcase_add_test(tc, test_retired_again_tells_the_client_again);
	tcase_add_test(tc, test_retired_owed_goes_at_the_next_check_in);
	tcase_add_test(tc, test_check_in_hands_at_most_eight_retired);
	tcase_add_test(tc, test_retired_channel_with_a_message_starts_the_job);
	suite_add_tcase(s, tc);
	tc = tcase_create("restart");
	tcase_add_checked_fixture(tc, restart_setup, restart_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_restart_keeps_the_channels, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(channels_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
