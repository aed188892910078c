/* SPDX-License-Identifier: MIT */
/*
 * check-channels-exit - what bootstrapd tells a port's channels when the
 * job that held its receive right exits (wire.h "Channels",
 * bootstrap-wire(7)), spoken by hand on the client's side against a real
 * job: each channel gets RETIRED with its owner's last channel call still
 * queued in R (what is no channel call of the owner's does not count) and
 * when the daemon looked; the channel lives on.  Across a re-exec and a
 * kill -9 under the fd store, the channel and its owner are kept: a call
 * queued before the restart is still found.
 */
#include <check.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "helpers/chan-wire.h"
#include "helpers/daemon.h"
#include "helpers/runner.h"
#include "helpers/echo-client.h"
#include "helpers/echo-proto.h"
#include "helpers/fake-fdstore.h"
#include "helpers/peer.h"
#include "fdpass.h"
#include "wire.h"

static struct test_daemon td;
static struct fake_fdstore store;
static int use_store;

static void setup(void)
{
	fake_fdstore_fixture_setup(&td, "channels-exit");
	echo_add_job(&td, NULL, NULL);
}

static void teardown(void)
{
	fake_fdstore_fixture_teardown(&td, &store, &use_store);
}

/* An echo request or its answer on the wire, as a channel carries it. */
struct echo_wire {
	struct wire_hdr h;
	uint32_t value, ok;
	int32_t pid;
};

/* Echo request @id as channel call @seq through S @s. */
static void echo_chan_call(int s, int32_t id, uint16_t seq)
{
	struct echo_wire m = {
		.h = { .magic = WIRE_MAGIC, .id = id, .seq = seq, .body_len = 12, .data_len = 12,
		       .bits = WIRE_BITS_CHAN | WIRE_BITS_ONCONN |
			       MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND) },
	};

	ck_assert_int_eq(send(s, &m, sizeof(m), MSG_NOSIGNAL), (ssize_t)sizeof(m));
}

/* The job's pid, from the answer to call @seq up the channel whose A is @a. */
static pid_t answered_by(int a, uint16_t seq)
{
	struct echo_wire m;
	struct pollfd p = { .fd = a, .events = POLLIN };

	for (;;) {
		ssize_t n;

		ck_assert_int_eq(poll(&p, 1, CHAN_WAIT_MS), 1);
		n = recv(a, &m, sizeof(m), 0);
		ck_assert_int_ge(n, (ssize_t)sizeof(m.h));
		if (n == (ssize_t)sizeof(m) && m.h.seq == seq && !(m.h.bits & WIRE_CONTROL_BITS))
			return m.pid;
	}
}

/*
 * Stop @pid and wait until it is stopped: a job that just answered may
 * still be on its way back into recvmsg() when kill() returns.
 */
static void stop_job(pid_t pid)
{
	char path[64], buf[512], *state;

	ck_assert_int_eq(kill(pid, SIGSTOP), 0);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (int k = 0; k < CHAN_WAIT_MS / 10; k++) {
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

		if (f)
			fclose(f);
		buf[n] = 0;
		state = strrchr(buf, ')');
		if (state && (state[2] == 'T' || state[2] == 't'))
			return;
		usleep(10000);
	}
	ck_abort_msg("pid %d did not stop", (int)pid);
}

/* A channel of ours to the echo job, S, and the job (started, its pid). */
static pid_t echo_channel(mach_port_t *port, int *s, int *a)
{
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, port), KERN_SUCCESS);
	*s = peer_send_fd(*port);
	ck_assert_int_ge(*s, 0);
	ck_assert_int_eq(chan_ask(*port, a), KERN_SUCCESS);
	echo_chan_call(*s, ECHO_QUERY, 1);
	return answered_by(*a, 1);
}

/* What echo_channel() gave, let go. */
static void echo_channel_done(mach_port_t port, int s, int a)
{
	close(s);
	close(a);
	mach_port_deallocate(mach_task_self(), port);
}

/*
 * The job stopped, a message it dies on queued first, then what is no
 * channel call of ours (junk, an empty datagram, a channel call's bits
 * cut short or with a control bit), then our calls 5 and 6: the last is
 * the one told (the one its caller waits for), and a channel of another
 * process's, with nothing queued, is told 0.  Both channels live on.
 */
START_TEST(test_exit_tells_the_last_queued_call)
{
	mach_port_t port;
	uint64_t before;
	int s, a, other;
	pid_t job;

	fake_fdstore_fixture_start(&td, &store, &use_store, 0);
	job = echo_channel(&port, &s, &a);
	ck_assert_int_eq(chan_ask_from_child(ECHO_SERVICE_NAME, &other), KERN_SUCCESS);
	stop_job(job);
	ck_assert_int_eq(echo_send(port, ECHO_CRASH, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(send(s, "junk", 4, MSG_DONTWAIT), 4);
	ck_assert_int_eq(send(s, "", 0, MSG_DONTWAIT), 0);
	ck_assert_int_eq(chan_send_bits(s, WIRE_BITS_ONCONN, 2), 0);
	ck_assert_int_eq(chan_send_bits(s, WIRE_BITS_CHAN, 3), 0);
	ck_assert_int_eq(chan_send_bits(s, WIRE_BITS_CHAN | WIRE_BITS_ONCONN | WIRE_BITS_WAKE, 4), 0);
	ck_assert_int_eq(chan_call(s, 5), 0);
	ck_assert_int_eq(chan_call(s, 6), 0);
	before = chan_now_ns();
	ck_assert_int_eq(kill(job, SIGCONT), 0);
	ck_assert_uint_eq(chan_retired_seq(a, before), 6);
	ck_assert_uint_eq(chan_retired_seq(other, before), 0);
	ck_assert(!chan_peer_gone(a));
	ck_assert(!chan_peer_gone(other));
	close(other);
	echo_channel_done(port, s, a);
}
END_TEST

/*
 * Empty datagrams read 0 but are no end of R: the daemon's look steps
 * over as many as are queued (past 1024, with S's buffer raised as far as
 * this machine lets it), and still finds the call behind them.
 */
START_TEST(test_exit_finds_a_call_behind_many_empties)
{
	int big = 8 << 20, s, a, empties = 0;
	mach_port_t port;
	uint64_t before;
	pid_t job;

	fake_fdstore_fixture_start(&td, &store, &use_store, 0);
	job = echo_channel(&port, &s, &a);
	stop_job(job);
	if (setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)) < 0)
		setsockopt(s, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	ck_assert_int_eq(echo_send(port, ECHO_CRASH, 0, 0), MACH_MSG_SUCCESS);
	while (empties < 3000 && send(s, "", 0, MSG_DONTWAIT) == 0)
		empties++;
	ck_assert_int_gt(empties, 1100);
	ck_assert_int_eq(chan_call(s, 7), 0);
	before = chan_now_ns();
	ck_assert_int_eq(kill(job, SIGCONT), 0);
	ck_assert_uint_eq(chan_retired_seq(a, before), 7);
	echo_channel_done(port, s, a);
}
END_TEST

/* Junk through S @s carrying @n fds (pipe ends), as a sender may write. */
static void junk_with_fds(int s, int n)
{
	struct wire_hdr h = { .magic = WIRE_MAGIC, .nfds = (uint32_t)n };
	struct iovec iov = { &h, sizeof(h) };
	int fds[4], pfd[2];

	ck_assert_int_le(n, 4);
	ck_assert_int_eq(pipe(pfd), 0);
	for (int i = 0; i < n; i++)
		fds[i] = pfd[i % 2];
	ck_assert_int_eq(fdpass_send(s, &iov, 1, fds, (size_t)n, 0), 0);
	close(pfd[0]);
	close(pfd[1]);
}

/*
 * A job that turned the credentials off on R (which it shares with the
 * daemon) and died with datagrams carrying fds queued: the daemon's look
 * takes none of those fds, and, unable to tell whose the datagrams are,
 * says it could not look (looked_ns 0: the client asks the next receiver).
 */
START_TEST(test_exit_with_credentials_off_takes_no_fd)
{
	uint64_t looked = 1;
	uint16_t seq = 1;
	mach_port_t port;
	int s, a, before;
	pid_t job;

	fake_fdstore_fixture_start(&td, &store, &use_store, 0);
	job = echo_channel(&port, &s, &a);
	echo_chan_call(s, ECHO_NO_CREDS, 2);
	ck_assert_int_eq(answered_by(a, 2), job);
	stop_job(job);
	ck_assert_int_eq(echo_send(port, ECHO_CRASH, 0, 0), MACH_MSG_SUCCESS);
	for (int i = 0; i < 8; i++)
		junk_with_fds(s, 4);
	ck_assert_int_eq(chan_call(s, 3), 0);
	before = chan_fds_at_rest(td.pid);
	ck_assert_int_eq(kill(job, SIGCONT), 0);
	ck_assert_int_eq(chan_read(a, &seq, &looked), 1);
	ck_assert_uint_eq(looked, 0);
	ck_assert_uint_eq(seq, 0);
	ck_assert_int_le(chan_fds_at_rest(td.pid), before);
	echo_channel_done(port, s, a);
}
END_TEST

/*
 * A re-exec, and a kill -9 under the fd store, keep the channel and its
 * owner (read again from B): a call queued from this process before the
 * restart is told when the job goes; an owner not known again would be
 * told 0.
 */
START_TEST(test_restart_keeps_the_channels_and_their_owner)
{
	mach_port_t port;
	uint64_t before;
	int s, a;
	pid_t job;

	fake_fdstore_fixture_start(&td, &store, &use_store, _i);
	job = echo_channel(&port, &s, &a);
	stop_job(job);
	ck_assert_int_eq(chan_call(s, 3), 0);
	chan_restart(&td, &store, _i, ECHO_SERVICE_NAME);
	before = chan_now_ns();
	ck_assert_int_eq(kill(job, SIGKILL), 0);
	ck_assert_uint_eq(chan_retired_seq(a, before), 3);
	echo_channel_done(port, s, a);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("channels-exit");
	TCase *tc = tcase_create("exit");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_exit_tells_the_last_queued_call);
	tcase_add_test(tc, test_exit_finds_a_call_behind_many_empties);
	tcase_add_test(tc, test_exit_with_credentials_off_takes_no_fd);
	tcase_add_loop_test(tc, test_restart_keeps_the_channels_and_their_owner, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(suite(), NULL, 0, argc, argv);
}
