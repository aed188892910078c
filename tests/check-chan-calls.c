/* SPDX-License-Identifier: MIT */
/*
 * check-chan-calls - calls over channels (wire.h "Channels", bootstrap-wire(7)) between
 * real processes: a client's calls to a MachService go through S without
 * a reply right and are answered up its channel; messages keep their
 * order across the first ask; nothing waits for an ask; a reply right the
 * service drops, or sends on, still answers; a call the job took dies
 * with it, and one still queued is answered by the next instance, on the
 * same channel; a receiver drops a channel call from a process it has no
 * channel for, refuses an OFFER of anything but a socket, and answers a
 * PROBE; and what a RETIRED says of a call, case by case.
 */
#include <check.h>
#include <poll.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "helpers/daemon.h"
#include "helpers/runner.h"
#include "helpers/echo-client.h"
#include "msg-recv.h"
#include "port.h"
#include "wire.h"

static struct test_daemon td;

/* More calls than a channel's ask waits after one that ran out of time (msg-chan.c). */
#define CHAN_ASK_BACKOFF_CALLS 20

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

/* The number of the last call made on @port's channel. */
static uint16_t chan_seq_of(mach_port_t port)
{
	struct port *p;
	uint16_t seq = 0;

	space_lock();
	p = space_get(port);
	if (p)
		seq = p->chan_seq;
	space_unlock();
	return seq;
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

START_TEST(test_calls_are_answered_up_a_channel)
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

/* Resumes the stopped daemon after 10 s if the test has not by then, and says so. */
struct watchdog {
	pthread_mutex_t lock;
	pthread_cond_t done;
	bool finished, fired;
};

static void *watch(void *arg)
{
	struct watchdog *w = arg;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	pthread_mutex_lock(&w->lock);
	while (!w->finished &&
	       pthread_cond_timedwait(&w->done, &w->lock, &until) == 0)
		;
	if (!w->finished) {
		w->fired = true;
		test_daemon_resume(&td);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * A timed call's ask for a channel is bounded by the call's time: with
 * the daemon stopped, the call comes back within its timeout (answered
 * the ordinary way, or timed out) instead of waiting for the daemon, and
 * the channel is asked for again some calls later.  It used to wait for
 * the daemon, whatever the call's timeout.
 */
START_TEST(test_timed_call_bounds_its_ask)
{
	struct watchdog w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, false };
	mach_port_t port = look_up_echo();
	mach_msg_return_t mr;
	pthread_t t;

	/* The job started by a one-way message: no channel asked for yet. */
	ck_assert_int_eq(echo_send(port, ECHO_DATA, 0, 0), MACH_MSG_SUCCESS);
	ck_assert(test_daemon_wait_log(&td, "started (pid", 10000));
	ck_assert_int_eq(chan_state(port, NULL), PORT_CHAN_ASKABLE);
	test_daemon_pause(&td);
	ck_assert_int_eq(pthread_create(&t, NULL, watch, &w), 0);
	mr = echo_request_within(port, ECHO_ECHO, 7, 300, NULL);
	pthread_mutex_lock(&w.lock);
	w.finished = true;
	pthread_cond_signal(&w.done);
	pthread_mutex_unlock(&w.lock);
	pthread_join(t, NULL);
	ck_assert_msg(!w.fired, "the call waited for the stopped daemon");
	test_daemon_resume(&td);
	ck_assert(mr == MACH_MSG_SUCCESS || mr == MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(chan_state(port, NULL), PORT_CHAN_ASKABLE);
	/* The daemon back: calls are answered, and a channel comes in time. */
	for (uint32_t i = 1; i <= CHAN_ASK_BACKOFF_CALLS; i++)
		ck_assert_uint_eq(echo_value(port, i), i);
	ck_assert_int_eq(chan_state(port, NULL), PORT_CHAN_OPEN);
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

/* Sent before the first call's ask and after it: the job sees one stream in order. */
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

/* The job started by a call from a child process: this task has not asked yet. */
static void start_echo_from_child(void)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		mach_port_t port;
		struct echo_msg r;

		_exit(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port) != 0 ||
		      echo_request(port, ECHO_ECHO, 1, &r) != ECHO_ECHO + 100);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/*
 * While another thread's ask is out (the daemon stopped), a send to the
 * port and a call to it go on at once, the ordinary way: nothing is
 * ordered by the ask any more.
 */
START_TEST(test_nothing_waits_for_an_ask)
{
	struct asker a = { .port = look_up_echo() };
	pthread_t asker;
	int i;

	start_echo_from_child();
	ck_assert_int_eq(chan_state(a.port, NULL), PORT_CHAN_ASKABLE);
	test_daemon_pause(&td);
	ck_assert_int_eq(pthread_create(&asker, NULL, ask_in_thread, &a), 0);
	for (i = 0; i < 500 && chan_state(a.port, NULL) != PORT_CHAN_ASKING; i++)
		test_pause_ms(10);
	ck_assert_int_eq(chan_state(a.port, NULL), PORT_CHAN_ASKING);
	ck_assert_int_eq(echo_send(a.port, ECHO_DATA, 0, 100), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(echo_value(a.port, 8), 8);
	ck_assert_int_eq(chan_state(a.port, NULL), PORT_CHAN_ASKING);
	test_daemon_resume(&td);
	pthread_join(asker, NULL);
	ck_assert_uint_eq(a.reply.value, 7);
	ck_assert_int_eq(chan_state(a.port, NULL), PORT_CHAN_OPEN);
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
 * call starts it again, and the channel outlives the job.
 */
START_TEST(test_call_taken_dies_with_the_job)
{
	mach_port_t port = look_up_echo();
	pid_t first = echo_query(port).pid;
	int a = -1, a_after = -1;

	ck_assert_int_eq(chan_state(port, &a), PORT_CHAN_OPEN);
	ck_assert_int_eq(echo_request(port, ECHO_CRASH_CALL, 0, NULL), MACH_NOTIFY_SEND_ONCE);
	ck_assert_int_ne(echo_query(port).pid, first);
	for (uint32_t i = 0; i < 20; i++)
		ck_assert_uint_eq(echo_value(port, i), i);
	ck_assert_int_eq(chan_state(port, &a_after), PORT_CHAN_OPEN);
	ck_assert_int_eq(a_after, a);
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

/*
 * A call queued in R behind the message the job died on is not lost: the
 * next instance answers it up the same channel.
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

/* A channel call to @s written by a child process, which has no channel to the port. */
static void call_from_child(int s, struct wire_hdr *h, const void *body, size_t len)
{
	int copy = dup(s), status;     /* the child's library closes what the task held */
	pid_t pid;

	ck_assert_int_ge(copy, 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		write_raw(copy, h, body, len, -1);
		_exit(0);
	}
	close(copy);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* The control datagram (if any) that comes up our channel's A within @ms. */
static ssize_t from_channel(int a, struct wire_hdr *h, int ms)
{
	struct pollfd pfd = { .fd = a, .events = POLLIN };

	if (poll(&pfd, 1, ms) <= 0)
		return -1;
	return recv(a, h, sizeof(*h), MSG_DONTWAIT | MSG_TRUNC);
}

/*
 * The receiver's side by hand: a channel call from a process with no
 * channel to the port is dropped; an OFFER of a pipe is refused; a PROBE
 * for a call it never read is answered SO_DIED up the channel, one for
 * the last call it read is not.
 */
START_TEST(test_receiver_drops_strangers_calls_and_answers_probes)
{
	mach_port_t port = look_up_echo();
	uint32_t body[3] = { 5, 0, 0 };
	struct wire_hdr h = { .bits = WIRE_BITS_CHAN | WIRE_BITS_ONCONN |
				      MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE,
						     MACH_MSG_TYPE_PORT_SEND),
			      .id = ECHO_ECHO, .seq = 7 };
	struct wire_hdr offer = { .bits = WIRE_BITS_OFFER, .id = 1 };
	struct wire_hdr probe = { .bits = WIRE_BITS_RETIRED | WIRE_BITS_CHAN }, got;
	int s = send_end(port), a = -1, pipefd[2];
	pid_t pid;

	ck_assert_int_ge(s, 0);
	ck_assert_uint_eq(echo_value(port, 1), 1);      /* the job runs, our channel is open */
	ck_assert_int_eq(chan_state(port, &a), PORT_CHAN_OPEN);
	pid = echo_query(port).pid;
	call_from_child(s, &h, body, sizeof(body));     /* no channel of the child's: dropped */
	ck_assert_uint_eq(echo_value(port, 2), 2);
	ck_assert_int_eq(pipe(pipefd), 0);
	ck_assert_int_eq(write(pipefd[1], "x", 1), 1);
	write_raw(s, &offer, NULL, 0, pipefd[0]);       /* refused: no socket */
	close(pipefd[0]);
	close(pipefd[1]);
	ck_assert_uint_eq(echo_value(port, 3), 3);
	ck_assert_int_eq(echo_query(port).pid, pid);
	/* Our last call read is the query's; a probe for one after it was never read. */
	probe.seq = (uint16_t)(chan_seq_of(port) + 9);
	write_raw(s, &probe, NULL, 0, -1);
	ck_assert_int_eq(from_channel(a, &got, 5000), (ssize_t)sizeof(got));
	ck_assert_uint_eq(got.bits, WIRE_BITS_SO_DIED | WIRE_BITS_ONCONN);
	ck_assert_uint_eq(got.seq, probe.seq);
	probe.seq = chan_seq_of(port);
	write_raw(s, &probe, NULL, 0, -1);
	ck_assert_uint_eq(echo_value(port, 4), 4);      /* the probe was read before it */
	ck_assert_int_lt(from_channel(a, &got, 0), 0);
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

/* What a RETIRED says of call 10, sent from 100 ns to 200 ns. */
START_TEST(test_retired_tells_a_calls_fate)
{
	/* The last queued: it is answered later. */
	ck_assert_int_eq(msg_chan_fate(10, 100, 200, 10, 500), CHAN_FATE_QUEUED);
	/* Another last queued (an older call, or an older numbering's), or
	 * none, and sent before the look: it died. */
	ck_assert_int_eq(msg_chan_fate(10, 100, 200, 9, 500), CHAN_FATE_DIED);
	ck_assert_int_eq(msg_chan_fate(1, 100, 200, 500, 500), CHAN_FATE_DIED);
	ck_assert_int_eq(msg_chan_fate(10, 100, 200, 0, 500), CHAN_FATE_DIED);
	/* Sent after the look: not taken by the one that went. */
	ck_assert_int_eq(msg_chan_fate(10, 100, 200, 0, 50), CHAN_FATE_QUEUED);
	/* Sent while the daemon looked: the next receiver is asked. */
	ck_assert_int_eq(msg_chan_fate(10, 100, 200, 0, 150), CHAN_FATE_ASK);
	ck_assert_int_eq(msg_chan_fate(10, 100, 200, 0, 100), CHAN_FATE_ASK);
	ck_assert_int_eq(msg_chan_fate(10, 100, 200, 0, 200), CHAN_FATE_ASK);
	/* The daemon could not look: ask. */
	ck_assert_int_eq(msg_chan_fate(10, 100, 200, 0, 0), CHAN_FATE_ASK);
	ck_assert_int_eq(msg_chan_fate(10, 100, 200, 9, 0), CHAN_FATE_ASK);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("chan-calls");
	TCase *tc = tcase_create("chan-calls");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_calls_are_answered_up_a_channel);
	tcase_add_test(tc, test_timed_call_bounds_its_ask);
	tcase_add_test(tc, test_order_kept_across_the_switch);
	tcase_add_test(tc, test_dropped_reply_right_tells_the_caller);
	tcase_add_test(tc, test_reply_right_sent_on_still_answers);
	tcase_add_test(tc, test_answer_carries_a_reply_port);
	tcase_add_test(tc, test_nothing_waits_for_an_ask);
	tcase_add_test(tc, test_call_taken_dies_with_the_job);
	tcase_add_test(tc, test_call_queued_behind_a_crash_is_answered);
	tcase_add_test(tc, test_receiver_drops_strangers_calls_and_answers_probes);
	tcase_add_test(tc, test_retired_tells_a_calls_fate);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(suite(), NULL, 0, argc, argv);
}
