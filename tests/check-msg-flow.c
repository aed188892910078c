/* SPDX-License-Identifier: MIT */
/*
 * check-msg-flow - mach_msg in one process: timeouts, MACH_RCV_TOO_LARGE,
 * trailers, the thin wrappers and two threads on one port.
 */
#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsm/libbsm.h>
#include <mach/mach.h>
#include <mach/notify.h>

#include "helpers/msg.h"
#include "helpers/peer.h"
#include "helpers/runner.h"

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

static void *send_later(void *arg)
{
	mach_port_t p = (mach_port_t)(uintptr_t)arg;
	mach_msg_header_t h;

	usleep(50000);
	header(&h, p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 7);
	ck_assert_int_eq(send_msg(&h, 0, 0), MACH_MSG_SUCCESS);
	return NULL;
}

/*
 * A timeout past INT_MAX ms (Mach's run to 2^32 - 1) is a long wait, not
 * none: such a receive used to time out at once, its time left read as a
 * negative int.
 */
START_TEST(test_timeout_past_int_max)
{
	mach_port_t p = peer_port_send();
	union rcv_buf r;
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, send_later, (void *)(uintptr_t)p), 0);
	ck_assert_int_eq(mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), p,
				  UINT32_MAX, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.head.msgh_id, 7);
	pthread_join(t, NULL);
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

#define WHOLE_BYTES (60 * 1024)
#define WHOLE_ROUNDS 200

struct whole_msg {
	mach_msg_header_t head;
	unsigned char data[WHOLE_BYTES];
};

struct whole_arg {
	mach_port_t port;
	int seed, errors;
};

/* Round @i of receiver @seed: every byte says whose and which it is. */
static unsigned char whole_byte(int seed, int i, size_t at)
{
	return (unsigned char)(seed * 131 + i * 7 + (int)(at % 251));
}

static void *whole_receiver(void *arg)
{
	struct whole_arg *w = arg;
	size_t size = sizeof(struct whole_msg) + MAX_TRAILER_SIZE;
	struct whole_msg *m = malloc(size);

	for (int i = 0; m && i < WHOLE_ROUNDS; i++) {
		if (mach_msg(&m->head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, (mach_msg_size_t)size,
			     w->port, PEER_TIMEOUT_MS, MACH_PORT_NULL) != MACH_MSG_SUCCESS ||
		    m->head.msgh_id != i) {
			w->errors++;
			continue;
		}
		for (size_t at = 0; at < WHOLE_BYTES; at++)
			if (m->data[at] != whole_byte(w->seed, i, at)) {
				w->errors++;
				break;
			}
	}
	free(m);
	return m ? NULL : (void *)1;
}

/*
 * A message is dequeued whole into a buffer of the receiving thread's
 * own: two threads taking large messages at the same time each read
 * their own bytes, never the other's.
 */
START_TEST(test_threads_receive_whole)
{
	struct whole_arg a[2];
	pthread_t t[2];
	struct whole_msg *m = malloc(sizeof(*m));
	void *res;

	ck_assert_ptr_nonnull(m);
	for (int k = 0; k < 2; k++) {
		a[k] = (struct whole_arg){ peer_port_send(), k + 1, 0 };
		ck_assert_int_eq(pthread_create(&t[k], NULL, whole_receiver, &a[k]), 0);
	}
	for (int i = 0; i < WHOLE_ROUNDS; i++) {
		for (int k = 0; k < 2; k++) {
			header(&m->head, a[k].port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, i);
			m->head.msgh_size = sizeof(*m);
			for (size_t at = 0; at < WHOLE_BYTES; at++)
				m->data[at] = whole_byte(a[k].seed, i, at);
			ck_assert_int_eq(send_msg(&m->head, MACH_SEND_TIMEOUT, PEER_TIMEOUT_MS),
					 MACH_MSG_SUCCESS);
		}
	}
	for (int k = 0; k < 2; k++) {
		ck_assert_int_eq(pthread_join(t[k], &res), 0);
		ck_assert_ptr_null(res);
		ck_assert_int_eq(a[k].errors, 0);
		destroy(a[k].port);
	}
	free(m);
}
END_TEST

/*
 * A receive in another library's thread-exit cleanup, after the library
 * freed the thread's receive buffer in its own: it must get a fresh buffer
 * and the message
 * (ASan sees any use of the freed one).  The key is made after the
 * library's, whose cleanup therefore runs first (glibc runs them in order).
 */
static mach_port_t exit_port;
static int exit_result;

static void receive_at_exit(void *arg)
{
	struct peer_rcv r;

	(void)arg;
	if (peer_send_id(exit_port, MACH_MSG_TYPE_MAKE_SEND, 2) != MACH_MSG_SUCCESS)
		return;
	exit_result = mach_msg(&r.msg.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), exit_port,
			       0, MACH_PORT_NULL);
}

static void *receive_then_exit(void *arg)
{
	struct peer_rcv r;

	pthread_setspecific(*(pthread_key_t *)arg, &exit_port);
	/* A message received here: the thread's buffer is made. */
	mach_msg(&r.msg.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), exit_port, 0,
		 MACH_PORT_NULL);
	return NULL;
}

START_TEST(test_receive_in_thread_exit_cleanup)
{
	struct peer_rcv r;
	pthread_key_t key;
	pthread_t t;

	exit_port = peer_port();
	/* A message received here first: the library's key comes before ours. */
	ck_assert_int_eq(peer_send_id(exit_port, MACH_MSG_TYPE_MAKE_SEND, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_msg(&r.msg.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r),
				  exit_port, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_int_eq(pthread_key_create(&key, receive_at_exit), 0);
	exit_result = 0;
	ck_assert_int_eq(peer_send_id(exit_port, MACH_MSG_TYPE_MAKE_SEND, 1), MACH_MSG_SUCCESS);
	ck_assert_int_eq(pthread_create(&t, NULL, receive_then_exit, &key), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(exit_result, MACH_MSG_SUCCESS);
	pthread_key_delete(key);
	destroy(exit_port);
}
END_TEST

static Suite *msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *flow = tcase_create("flow");

	tcase_add_test(flow, test_timeouts);
	tcase_add_test(flow, test_timeout_past_int_max);
	tcase_add_test(flow, test_rcv_too_large);
	tcase_add_test(flow, test_trailers);
	tcase_add_test(flow, test_wrappers);
	tcase_add_test(flow, test_threads);
	tcase_add_test(flow, test_threads_receive_whole);
	tcase_add_test(flow, test_receive_in_thread_exit_cleanup);
	tcase_add_checked_fixture(flow, setup, teardown);
	suite_add_tcase(s, flow);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(msg_suite(), NULL, 0, argc, argv);
}
