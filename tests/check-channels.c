/* SPDX-License-Identifier: MIT */
/*
 * check-channels - the daemon's part of channels v2 (bootstrap-wire(7)
 * "Channels") against a real daemon, its wire spoken by hand: the client
 * makes the pair and hands B in the ask, and an OFFER of that B lands in
 * R; the ask is refused for a B the asker did not make, for a B that is
 * no SEQPACKET socket, for a registered port, a port that is no service,
 * past a port's cap and past a caller's cap (and a dead channel makes
 * room); a second ask of one owner is refused while its first channel
 * lives, and takes its place once it is gone.  A receiver that
 * lets its right go but lives on tells no channel; a check-in hands every
 * channel (counted in wire_desc.reserved).  A job that will not start
 * tells them when its messages are destroyed.  The RETIRED the daemon
 * builds is one wire_control() knows.  (What an exit tells, and a restart
 * keeps: check-channels-exit.)
 *
 * The receiver here is the test itself, holding a dynamic name
 * (bootstrap_check_in() of a name no job declares) and reading R's fd
 * raw.  Channel calls are written through S raw: the kernel's
 * credentials on them name this process, B's owner.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "../daemon/bootstrap/channels-notice.h"
#include "helpers/chan-wire.h"
#include "helpers/daemon.h"
#include "helpers/runner.h"
#include "helpers/give-right.h"
#include "helpers/fake-fdstore.h"
#include "helpers/peer.h"
#include "helpers/raw-client.h"
#include "fdpass.h"
#include "wire.h"

#define DYN "com.example.chan"
#define CAP_SERVICE 32
#define CAP_CALLER 64
#define BROKEN "com.example.chan.broken"

static struct test_daemon td;

static void setup(void)
{
	test_daemon_init(&td, "channels");
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

/* The notice the daemon writes is a RETIRED to wire_control(), whatever its seq. */
START_TEST(test_retired_notice_is_a_retired)
{
	static const uint16_t seqs[] = { 0, 1, 65535 };

	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		struct channels_retired n = channels_retired_notice(seqs[i], 123456789);

		ck_assert_int_eq(wire_control(&n, sizeof(n), 0), WIRE_CTL_RETIRED);
		ck_assert_uint_eq(n.h.seq, seqs[i]);
		ck_assert_uint_eq(n.body.looked_ns, 123456789);
		/* Its shape is checked: with an fd, or cut short, it is no RETIRED. */
		ck_assert_int_eq(wire_control(&n, sizeof(n), 1), WIRE_CTL_INVALID);
		ck_assert_int_eq(wire_control(&n, sizeof(n.h), 0), WIRE_CTL_INVALID);
	}
}
END_TEST

START_TEST(test_ask_offers_b_in_r)
{
	mach_port_t recv, send;
	int a, b, mine, r;
	int32_t id;

	test_daemon_start(&td);
	chan_serve(DYN, &recv, &send);
	r = peer_recv_fd(recv);
	chan_pair(&a, &mine);
	ck_assert_int_eq(chan_ask_with(send, mine), KERN_SUCCESS);
	id = chan_read_offer(r, &b);
	ck_assert_int_ne(id, 0);
	chan_assert_peers(a, b);             /* the OFFER's B is the one handed in */
	ck_assert(!chan_pending(r));    /* one OFFER, nothing else */
	ck_assert(!chan_peer_gone(a));  /* the daemon keeps its copy */
	close(b);
	close(a);
}
END_TEST

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
	chan_serve(DYN, &recv, &send);
	ck_assert_int_eq(chan_ask(send, &a), KERN_SUCCESS);
	ck_assert_uint_eq(chan_msgcount(recv), 0);
	m.head.msgh_remote_port = send;
	ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG, sizeof(m.head), 0, MACH_PORT_NULL, 0,
				  MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(chan_msgcount(recv), 1);
	close(a);
}
END_TEST

START_TEST(test_ask_refused_for_a_b_the_asker_did_not_make)
{
	mach_port_t recv, send;
	int a, b;

	test_daemon_start(&td);
	chan_serve(DYN, &recv, &send);
	chan_pair_from_child(&a, &b);
	ck_assert_int_eq(chan_ask_with(send, b), KERN_INVALID_ARGUMENT);
	ck_assert(test_daemon_wait_log(&td, "a pair the caller did not make: refused",
				       CHAN_WAIT_MS));
	ck_assert(chan_wait_peer_gone(a));   /* the daemon closed B */
	ck_assert(!chan_pending(peer_recv_fd(recv)));   /* and offered nothing */
	close(a);
}
END_TEST

START_TEST(test_ask_refused_for_a_b_not_seqpacket)
{
	mach_port_t recv, send;
	int sv[2], pfd[2];

	test_daemon_start(&td);
	chan_serve(DYN, &recv, &send);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(chan_ask_with(send, sv[1]), KERN_INVALID_ARGUMENT);
	ck_assert(test_daemon_wait_log(&td, "not a SEQPACKET socket: refused", CHAN_WAIT_MS));
	ck_assert(chan_wait_peer_gone(sv[0]));
	close(sv[0]);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(chan_ask_with(send, sv[1]), KERN_INVALID_ARGUMENT);
	close(sv[0]);
	ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
	ck_assert_int_eq(chan_ask_with(send, pfd[1]), KERN_INVALID_ARGUMENT);
	ck_assert(test_daemon_wait_log(&td, "not a local socket: refused", CHAN_WAIT_MS));
	close(pfd[0]);
	ck_assert(!chan_pending(peer_recv_fd(recv)));
}
END_TEST

/*
 * A listening socket has its listener's credentials and never hangs up,
 * and an end whose peer is gone answers nobody: neither may hold one of
 * the port's channel places.
 */
START_TEST(test_ask_refused_for_a_b_that_is_no_live_pair)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	mach_port_t recv, send;
	int l, a, b;

	test_daemon_start(&td);
	chan_serve(DYN, &recv, &send);
	l = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(l, 0);
	snprintf(addr.sun_path + 1, sizeof(addr.sun_path) - 1, "bsd-chan-%d", (int)getpid());
	ck_assert_int_eq(bind(l, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(listen(l, 1), 0);
	ck_assert_int_eq(chan_ask_with(send, l), KERN_INVALID_ARGUMENT);
	chan_pair(&a, &b);
	close(a);
	ck_assert_int_eq(chan_ask_with(send, b), KERN_INVALID_ARGUMENT);
	ck_assert(test_daemon_wait_log(&td, "no live pair's end: refused", CHAN_WAIT_MS));
	ck_assert(!chan_pending(peer_recv_fd(recv)));
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
	chan_serve(DYN, &recv, &port);
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

/* Channel numbers are not guessable: not a running count, and all different. */
START_TEST(test_channel_ids_are_not_sequential)
{
	mach_port_t recv, send;
	int32_t id[4];
	int a[4], b, steps = 0;

	test_daemon_start(&td);
	chan_serve(DYN, &recv, &send);
	/* One live channel per owner: each ask after the last one's end. */
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(chan_ask(send, &a[i]), KERN_SUCCESS);
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

/*
 * One channel per owner and port: a second ask while the first channel
 * lives is refused (each would write an OFFER, start the job and save
 * the state); once its A is closed, the next ask takes its place.
 */
START_TEST(test_second_ask_refused_while_the_first_lives)
{
	struct chan_check_in ci;
	mach_port_t recv, send;
	int a[2], b;

	test_daemon_start(&td);
	chan_serve(DYN, &recv, &send);
	ck_assert_int_eq(chan_ask(send, &a[0]), KERN_SUCCESS);
	chan_read_offer(peer_recv_fd(recv), &b);
	close(b);
	ck_assert_int_eq(chan_ask(send, &a[1]), KERN_NAME_EXISTS);
	ck_assert(test_daemon_wait_log(&td, "a live channel to it already", CHAN_WAIT_MS));
	ck_assert(!chan_pending(peer_recv_fd(recv)));
	close(a[0]);
	ck_assert_int_eq(chan_ask(send, &a[1]), KERN_SUCCESS);
	chan_read_offer(peer_recv_fd(recv), &b);
	close(b);
	chan_receiver_goes(recv);
	ck_assert_int_eq(chan_raw_check_in(td.socket, DYN, &ci), KERN_SUCCESS);
	ck_assert_uint_eq(ci.reserved, WIRE_RECV_RESERVED(1));
	ck_assert_uint_eq(ci.nfds, 4);
	chan_assert_peers(a[1], ci.fds[3]);
	chan_check_in_close(&ci);
	close(a[1]);
}
END_TEST

START_TEST(test_ask_refused_past_the_port_cap_until_one_dies)
{
	mach_port_t recv, send;
	int a[CAP_SERVICE], extra;

	test_daemon_start(&td);
	chan_serve(DYN, &recv, &send);
	/* One channel per owner: the cap takes as many processes. */
	for (int i = 0; i < CAP_SERVICE; i++)
		ck_assert_int_eq(chan_ask_from_child(DYN, &a[i]), KERN_SUCCESS);
	ck_assert_int_eq(chan_ask(send, &extra), KERN_RESOURCE_SHORTAGE);
	ck_assert(test_daemon_wait_log(&td, "the port's channels are at their cap", CHAN_WAIT_MS));
	/* A channel whose client went is swept at the next ask. */
	close(a[5]);
	ck_assert_int_eq(chan_ask(send, &a[5]), KERN_SUCCESS);
	for (int i = 0; i < CAP_SERVICE; i++)
		close(a[i]);
}
END_TEST

/*
 * A caller holds 64 channels at most, one per port here; a dead one makes
 * room, also when the caller's sweep empties the very port asked for (it
 * used to read the freed set: ASan's heap-use-after-free).
 */
START_TEST(test_ask_refused_past_the_caller_cap)
{
	mach_port_t recv[CAP_CALLER + 1], send[CAP_CALLER + 1];
	int a[CAP_CALLER], extra;
	char name[64];

	test_daemon_start(&td);
	for (int i = 0; i <= CAP_CALLER; i++) {
		snprintf(name, sizeof(name), DYN ".%d", i);
		chan_serve(name, &recv[i], &send[i]);
	}
	for (int i = 0; i < CAP_CALLER; i++)
		ck_assert_int_eq(chan_ask(send[i], &a[i]), KERN_SUCCESS);
	ck_assert_int_eq(chan_ask(send[CAP_CALLER], &extra), KERN_RESOURCE_SHORTAGE);
	ck_assert(test_daemon_wait_log(&td, "the caller's channels are at their cap", CHAN_WAIT_MS));
	close(a[0]);
	ck_assert_int_eq(chan_ask(send[0], &a[0]), KERN_SUCCESS);
	ck_assert_int_eq(chan_ask(send[CAP_CALLER], &extra), KERN_RESOURCE_SHORTAGE);
	for (int i = 0; i < CAP_CALLER; i++)
		close(a[i]);
}
END_TEST

/*
 * Every ask sweeps the asked port's dead channels (client gone), not only
 * at its cap: the daemon's fds for them go at the next ask.
 */
START_TEST(test_ask_sweeps_the_ports_dead_channels)
{
	mach_port_t recv, send;
	int a[4], base;

	test_daemon_start(&td);
	chan_serve(DYN, &recv, &send);
	base = chan_fds_at_rest(td.pid);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(chan_ask_from_child(DYN, &a[i]), KERN_SUCCESS);
	for (int i = 0; i < 4; i++)
		close(a[i]);
	ck_assert_int_eq(chan_ask(send, &a[0]), KERN_SUCCESS);
	/* Four swept, one kept: the daemon keeps one B. */
	ck_assert_int_eq(raw_wait_fd_count(td.pid, base + 1, 2000), base + 1);
	close(a[0]);
}
END_TEST

/*
 * A receiver that lets its right go but lives on keeps the reply rights of
 * the calls it took, and may still answer them: no channel is told (its
 * exit tells them, check-channels-exit).
 */
START_TEST(test_letting_go_tells_no_channel)
{
	mach_port_t recv, send;
	int a, b, s;

	test_daemon_start(&td);
	chan_serve(DYN, &recv, &send);
	s = peer_send_fd(send);
	ck_assert_int_eq(chan_ask(send, &a), KERN_SUCCESS);
	chan_read_offer(peer_recv_fd(recv), &b);
	close(b);
	ck_assert_int_eq(chan_call(s, 3), 0);
	chan_receiver_goes(recv);
	ck_assert(test_daemon_wait_log(&td, "let go of " DYN, CHAN_WAIT_MS));
	ck_assert(!chan_pending(a));
	ck_assert(!chan_peer_gone(a));
	close(s);
	close(a);
}
END_TEST

#define MANY 10

/* A check-in hands every channel of the port, past the 8 channels v1 handed. */
START_TEST(test_check_in_hands_every_channel)
{
	struct chan_check_in ci;
	mach_port_t rcv, snd;
	int a[MANY];
	bool found[MANY] = { false };

	test_daemon_start(&td);
	chan_serve(DYN, &rcv, &snd);
	for (int i = 0; i < MANY; i++)
		ck_assert_int_eq(chan_ask_from_child(DYN, &a[i]), KERN_SUCCESS);
	chan_receiver_goes(rcv);
	ck_assert(test_daemon_wait_log(&td, "let go of " DYN, CHAN_WAIT_MS));
	ck_assert_int_eq(chan_raw_check_in(td.socket, DYN, &ci), KERN_SUCCESS);
	ck_assert_uint_eq(ci.reserved, WIRE_RECV_RESERVED(MANY));
	ck_assert_uint_eq(ci.nfds, 3 + MANY);
	/* Each A is the peer of one B handed. */
	for (int i = 0; i < MANY; i++)
		ck_assert_int_eq(chan_call(a[i], (uint16_t)(i + 1)), 0);
	for (size_t k = 3; k < ci.nfds; k++) {
		struct wire_hdr h = { 0 };

		ck_assert_int_ge(recv(ci.fds[k], &h, sizeof(h), MSG_DONTWAIT | MSG_TRUNC),
				 (ssize_t)sizeof(h));
		ck_assert(h.seq >= 1 && h.seq <= MANY && !found[h.seq - 1]);
		found[h.seq - 1] = true;
	}
	chan_check_in_close(&ci);
	for (int i = 0; i < MANY; i++)
		close(a[i]);
}
END_TEST

/* A job that will not start: its clients are told RETIRED after its messages are destroyed. */
START_TEST(test_failed_job_tells_its_channels)
{
	mach_port_t port;
	uint64_t before;
	int a, s;

	test_daemon_add_job(&td, BROKEN, "<key>Program</key><string>/nonexistent/broken</string>\n"
			    "<key>MachServices</key><dict><key>" BROKEN "</key><true/></dict>");
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, BROKEN, &port), KERN_SUCCESS);
	s = peer_send_fd(port);
	ck_assert_int_eq(chan_ask(port, &a), KERN_SUCCESS);     /* its OFFER starts the job */
	ck_assert(test_daemon_wait_log(&td, "destroyed 1 message(s) waiting on " BROKEN,
				       CHAN_WAIT_MS));
	ck_assert_uint_eq(chan_retired_seq(a, 0), 0);
	before = chan_now_ns();
	ck_assert_int_eq(chan_call(s, 1), 0);
	ck_assert(test_daemon_wait_log(&td, "destroyed 1 message(s) for " BROKEN, CHAN_WAIT_MS));
	ck_assert_uint_eq(chan_retired_seq(a, before), 0);     /* looked after the call: it died */
	close(s);
	close(a);
}
END_TEST

static Suite *channels_suite(void)
{
	Suite *s = suite_create("channels");
	TCase *tc = tcase_create("notice");

	tcase_add_test(tc, test_retired_notice_is_a_retired);
	suite_add_tcase(s, tc);
	tc = tcase_create("daemon");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ask_offers_b_in_r);
	tcase_add_test(tc, test_offer_in_r_is_no_message);
	tcase_add_test(tc, test_ask_refused_for_a_b_the_asker_did_not_make);
	tcase_add_test(tc, test_ask_refused_for_a_b_not_seqpacket);
	tcase_add_test(tc, test_ask_refused_for_a_b_that_is_no_live_pair);
	tcase_add_test(tc, test_ask_refused_for_what_is_no_service);
	tcase_add_test(tc, test_ask_refused_while_r_is_full);
	tcase_add_test(tc, test_channel_ids_are_not_sequential);
	tcase_add_test(tc, test_second_ask_refused_while_the_first_lives);
	tcase_add_test(tc, test_ask_refused_past_the_port_cap_until_one_dies);
	tcase_add_test(tc, test_ask_refused_past_the_caller_cap);
	tcase_add_test(tc, test_ask_sweeps_the_ports_dead_channels);
	tcase_add_test(tc, test_letting_go_tells_no_channel);
	tcase_add_test(tc, test_check_in_hands_every_channel);
	tcase_add_test(tc, test_failed_job_tells_its_channels);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(channels_suite(), NULL, 0, argc, argv);
}
