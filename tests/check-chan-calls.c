/* SPDX-License-Identifier: MIT */
/*
 * check-chan-calls - calls over channels (wire.h "Channels", bootstrap-wire(7)) between
 * real processes: a client's calls to a MachService go down the channel
 * the daemon made, answered up it, without a reply right; messages keep
 * their order across the switch from S to the channel; a reply right the
 * service drops, or sends on, still answers; a call the job took dies
 * with it, and one still queued is answered by the next instance; and a
 * receiver takes an OFFER from anyone but drops channel datagrams that
 * come through R.
 */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "port.h"
#include "wire.h"

static struct test_daemon td;

static void setup(void)
{
	test_daemon_init(&td, "chan-calls");
	echo_add_job(&td, NULL, NULL);
	test_daemon_start(&td);
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

static mach_port_t look_up_echo(void)
{
	mach_port_t port;

	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port),
			 BOOTSTRAP_SUCCESS);
	return port;
}

/* Where @port's channel stands (port.h), and its A, read from the IPC space. */
static int chan_state(mach_port_t port, int *fd)
{
	struct port *p;
	int state = -1;

	space_lock();
	p = space_get(port);
	if (p) {
		state = p->chan_state;
		if (fd)
			*fd = p->chan_fd;
	}
	space_unlock();
	return state;
}

/* The fd of @port's send end S, as this task holds it. */
static int send_end(mach_port_t port)
{
	struct port *p;
	int fd;

	space_lock();
	p = space_get(port);
	fd = p ? p->send_fd : -1;
	space_unlock();
	return fd;
}

static uint32_t echo_value(mach_port_t port, uint32_t value)
{
	struct echo_msg r;

	ck_assert_int_eq(echo_request(port, ECHO_ECHO, value, &r), ECHO_ECHO + 100);
	return r.value;
}

START_TEST(test_calls_go_down_a_channel)
{
	mach_port_t port = look_up_echo();
	int a = -1;

	ck_assert_int_eq(chan_state(port, NULL), PORT_CHAN_ASKABLE);
	for (uint32_t i = 1; i <= 20; i++)
		ck_assert_uint_eq(echo_value(port, i), i);
	ck_assert_int_eq(chan_state(port, &a), PORT_CHAN_OPEN);
	ck_assert_int_ge(a, 0);
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

/*
 * Sent through S before the first call, down the channel after: the job
 * sees one stream in order (the OFFER is queued behind what went before).
 */
START_TEST(test_order_kept_across_the_switch)
{
	mach_port_t port = look_up_echo();
	struct echo_msg r;

	for (uint32_t i = 0; i < 40; i++)
		ck_assert_int_eq(echo_send(port, ECHO_DATA, i, 0), MACH_MSG_SUCCESS);
	r = echo_query(port);
	ck_assert_uint_eq(r.value, 40);
	ck_assert_int_eq(chan_state(port, NULL), PORT_CHAN_OPEN);
	for (uint32_t i = 40; i < 100; i++)
		ck_assert_int_eq(echo_send(port, ECHO_DATA, i, 0), MACH_MSG_SUCCESS);
	r = echo_query(port);
	ck_assert_uint_eq(r.value, 100);
	ck_assert_uint_eq(r.ok, 1);
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

START_TEST(test_dropped_reply_right_tells_the_caller)
{
	mach_port_t port = look_up_echo();

	ck_assert_uint_eq(echo_value(port, 3), 3);
	ck_assert_int_eq(echo_request(port, ECHO_DROP, 0, NULL), MACH_NOTIFY_SEND_ONCE);
	ck_assert_uint_eq(echo_value(port, 4), 4);
	ck_assert_int_eq(chan_state(port, NULL), PORT_CHAN_OPEN);
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

START_TEST(test_reply_right_sent_on_still_answers)
{
	mach_port_t port = look_up_echo();
	struct echo_msg r;

	ck_assert_uint_eq(echo_value(port, 1), 1);
	ck_assert_int_eq(echo_request(port, ECHO_FORWARD, 77, &r), ECHO_FORWARD + 100);
	ck_assert_uint_eq(r.value, 77);
	ck_assert_uint_eq(echo_value(port, 2), 2);
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

struct asker {
	mach_port_t port;
	struct echo_msg reply;
};

/* A call that asks for the channel first (the daemon is stopped: it waits). */
static void *ask_in_thread(void *arg)
{
	struct asker *a = arg;

	echo_request(a->port, ECHO_ECHO, 7, &a->reply);
	return NULL;
}

/* Resumes the daemon after a while: without it, a send that did not time out would wait for ever. */
static void *resume_later(void *arg)
{
	(void)arg;
	test_pause_ms(3000);
	test_daemon_resume(&td);
	return NULL;
}

/*
 * While another thread's ask is out, a send to the port waits (it could
 * otherwise land after the OFFER); with MACH_SEND_TIMEOUT only until its
 * time is up, as for a full queue.
 */
START_TEST(test_timed_send_behind_an_ask_times_out)
{
	struct asker a = { .port = look_up_echo() };
	pthread_t asker, resumer;
	int i;

	test_daemon_pause(&td);
	ck_assert_int_eq(pthread_create(&asker, NULL, ask_in_thread, &a), 0);
	for (i = 0; i < 500 && chan_state(a.port, NULL) != PORT_CHAN_ASKING; i++)
		test_pause_ms(10);
	ck_assert_int_eq(chan_state(a.port, NULL), PORT_CHAN_ASKING);
	ck_assert_int_eq(pthread_create(&resumer, NULL, resume_later, NULL), 0);
	ck_assert_int_eq(echo_send(a.port, ECHO_DATA, 0, 100), MACH_SEND_TIMED_OUT);
	pthread_join(resumer, NULL);
	pthread_join(asker, NULL);
	ck_assert_uint_eq(a.reply.value, 7);
	mach_port_deallocate(mach_task_self(), a.port);
}
END_TEST

/* An answer up the channel may carry a reply port, as any answer may. */
START_TEST(test_answer_carries_a_reply_port)
{
	mach_port_t port = look_up_echo();
	mach_port_type_t type = 0;
	struct echo_msg r;

	ck_assert_uint_eq(echo_value(port, 1), 1);
	ck_assert_int_eq(chan_state(port, NULL), PORT_CHAN_OPEN);
	ck_assert_int_eq(echo_request(port, ECHO_REPLY_PORT, 0, &r), ECHO_REPLY_PORT + 100);
	ck_assert(MACH_PORT_VALID(r.head.msgh_remote_port));
	ck_assert_uint_eq(MACH_MSGH_BITS_REMOTE(r.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_int_eq(mach_port_type(mach_task_self(), r.head.msgh_remote_port, &type), 0);
	ck_assert(type & MACH_PORT_TYPE_SEND_ONCE);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), r.head.msgh_remote_port), 0);
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

/*
 * A call the job took when it died: the caller learns at once; the next
 * call starts it again, the ordinary way for a while, then down a new channel.
 */
START_TEST(test_call_taken_dies_with_the_job)
{
	mach_port_t port = look_up_echo();
	pid_t first = echo_query(port).pid;

	ck_assert_int_eq(echo_request(port, ECHO_CRASH_CALL, 0, NULL), MACH_NOTIFY_SEND_ONCE);
	ck_assert_int_ne(echo_query(port).pid, first);
	ck_assert_int_eq(chan_state(port, NULL), PORT_CHAN_ASKABLE);
	for (uint32_t i = 0; i < 20; i++)
		ck_assert_uint_eq(echo_value(port, i), i);
	ck_assert_int_eq(chan_state(port, NULL), PORT_CHAN_OPEN);
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

/*
 * A call queued in the channel behind the message the job died on is not
 * lost: the next instance answers it, as it would a call queued in R.
 */
START_TEST(test_call_queued_behind_a_crash_is_answered)
{
	mach_port_t port = look_up_echo();
	pid_t first = echo_query(port).pid;
	struct echo_msg r;

	ck_assert_int_eq(chan_state(port, NULL), PORT_CHAN_OPEN);
	ck_assert_int_eq(echo_send(port, ECHO_CRASH, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(echo_request(port, ECHO_ECHO, 9, &r), ECHO_ECHO + 100);
	ck_assert_uint_eq(r.value, 9);
	ck_assert_int_ne(r.pid, first);
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

/* A datagram of ours written straight into @fd: header @h, body @body. */
static void write_raw(int fd, struct wire_hdr *h, const void *body, size_t len, int pass)
{
	struct iovec iov[2] = { { h, sizeof(*h) }, { (void *)body, len } };
	char ctl[CMSG_SPACE(sizeof(int))];
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };

	h->magic = WIRE_MAGIC;
	h->body_len = h->data_len = (uint32_t)len;
	if (pass >= 0) {
		struct cmsghdr *c;

		m.msg_control = ctl;
		m.msg_controllen = sizeof(ctl);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &pass, sizeof(int));
		h->nfds = 1;
	}
	ck_assert_int_gt(sendmsg(fd, &m, MSG_NOSIGNAL), 0);
}

/*
 * The receiver's side by hand: channel datagrams through R are dropped
 * (only a channel's B carries them); an OFFER from anyone adds its B, and
 * a call written down A is answered up it, echoing its number.
 */
START_TEST(test_receiver_takes_offers_and_drops_channel_bits_in_r)
{
	mach_port_t port = look_up_echo();
	uint32_t body[3] = { 5, 0, 0 };
	struct wire_hdr h = { .bits = WIRE_BITS_CHAN | WIRE_BITS_ONCONN |
				      MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE,
						     MACH_MSG_TYPE_PORT_SEND),
			      .id = ECHO_ECHO, .seq = 7 };
	struct wire_hdr offer = { .bits = WIRE_BITS_OFFER, .id = 1 };
	struct wire_hdr ans;
	int sv[2], s = send_end(port), pipefd[2];
	pid_t pid;

	ck_assert_int_ge(s, 0);
	ck_assert_uint_eq(echo_value(port, 1), 1);      /* the job runs */
	pid = echo_query(port).pid;
	write_raw(s, &h, body, sizeof(body), -1);       /* through R: dropped */
	ck_assert_uint_eq(echo_value(port, 2), 2);
	/* An OFFER of something that is no socket is refused, and the job serves on. */
	ck_assert_int_eq(pipe(pipefd), 0);
	ck_assert_int_eq(write(pipefd[1], "x", 1), 1);
	write_raw(s, &offer, NULL, 0, pipefd[0]);
	close(pipefd[0]);
	close(pipefd[1]);
	ck_assert_uint_eq(echo_value(port, 3), 3);
	ck_assert_int_eq(echo_query(port).pid, pid);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	write_raw(s, &offer, NULL, 0, sv[1]);
	close(sv[1]);
	h.nfds = 0;
	write_raw(sv[0], &h, body, sizeof(body), -1);   /* down our own A */
	ck_assert_int_eq(recv(sv[0], &ans, sizeof(ans), MSG_TRUNC), sizeof(ans) + sizeof(body));
	ck_assert_uint_eq(ans.seq, 7);
	ck_assert_int_eq(ans.id, ECHO_ECHO + 100);
	ck_assert(ans.bits & WIRE_BITS_ONCONN);
	close(sv[0]);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("chan-calls");
	TCase *tc = tcase_create("chan-calls");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_calls_go_down_a_channel);
	tcase_add_test(tc, test_order_kept_across_the_switch);
	tcase_add_test(tc, test_dropped_reply_right_tells_the_caller);
	tcase_add_test(tc, test_reply_right_sent_on_still_answers);
	tcase_add_test(tc, test_answer_carries_a_reply_port);
	tcase_add_test(tc, test_timed_send_behind_an_ask_times_out);
	tcase_add_test(tc, test_call_taken_dies_with_the_job);
	tcase_add_test(tc, test_call_queued_behind_a_crash_is_answered);
	tcase_add_test(tc, test_receiver_takes_offers_and_drops_channel_bits_in_r);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
