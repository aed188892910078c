/* SPDX-License-Identifier: MIT */
/*
 * check-mig-runtime - the MIG runtime in libbootstrap: reply ports per
 * thread, the bounded string copies, out-of-line memory helpers and
 * mach_msg_server_once() with replies, no replies, error replies and
 * requests larger than the buffer.
 */
#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <mach/mach.h>
#include <mach/mig.h>
#include <mach/mig_errors.h>

#include "helpers/fdcheck.h"
#include "helpers/runner.h"

static int fds_before;

static void setup(void)
{
	fds_before = fdcheck_count();
}

static void teardown(void)
{
	mig_dealloc_reply_port(MACH_PORT_NULL);
	if (fdcheck_count() != fds_before)
		fdcheck_dump();
	ck_assert_int_eq(fdcheck_count(), fds_before);
}

START_TEST(test_strncpy)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(mig_strncpy(buf, "abc", 8), 4);
	ck_assert_str_eq(buf, "abc");
	ck_assert_int_eq(buf[4], 'x');
	ck_assert_int_eq(mig_strncpy(buf, "abcdefghij", 8), 8);
	ck_assert_str_eq(buf, "abcdefg");
	ck_assert_int_eq(mig_strncpy(buf, "abc", 0), 0);
	ck_assert_int_eq(mig_strncpy(buf, "", 1), 1);
	ck_assert_str_eq(buf, "");
	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(mig_strncpy_zerofill(buf, "ab", 8), 3);
	for (int i = 2; i < 8; i++)
		ck_assert_int_eq(buf[i], 0);
	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(mig_strncpy_zerofill(buf, NULL, 8), 0);
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(buf[i], 0);
}
END_TEST

START_TEST(test_allocate)
{
	vm_address_t a = 0;

	mig_allocate(&a, 10000);
	ck_assert_uint_ne(a, 0);
	ck_assert_uint_eq(a % 4096, 0);
	ck_assert_int_eq(((char *)a)[9999], 0);
	((char *)a)[9999] = 1;
	mig_deallocate(a, 10000);
}
END_TEST

static void *thread_port(void *arg)
{
	mach_port_t *out = arg;

	*out = mig_get_reply_port();
	return NULL;
}

START_TEST(test_reply_port_per_thread)
{
	mach_port_t a = mig_get_reply_port(), b, other = MACH_PORT_NULL;
	mach_port_type_t type;
	pthread_t t;

	ck_assert(MACH_PORT_VALID(a));
	ck_assert_uint_eq(mig_get_reply_port(), a);
	ck_assert_int_eq(mach_port_type(mach_task_self(), a, &type), KERN_SUCCESS);
	ck_assert(type & MACH_PORT_TYPE_RECEIVE);
	mig_put_reply_port(a);
	ck_assert_uint_eq(mig_get_reply_port(), a);
	/* Another thread gets its own, released when that thread exits. */
	ck_assert_int_eq(pthread_create(&t, NULL, thread_port, &other), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert(MACH_PORT_VALID(other));
	ck_assert_uint_ne(other, a);
	ck_assert_int_eq(mach_port_type(mach_task_self(), other, &type), KERN_INVALID_NAME);
	mig_dealloc_reply_port(a);
	ck_assert_int_eq(mach_port_type(mach_task_self(), a, &type), KERN_INVALID_NAME);
	b = mig_get_reply_port();
	ck_assert(MACH_PORT_VALID(b));
}
END_TEST

#pragma pack(push, 4)
struct req {
	mach_msg_header_t Head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	NDR_record_t NDR;
	int32_t value;
	char pad[1];
};

struct rep {
	mig_reply_error_t err;
	int32_t value;
};
#pragma pack(pop)

/* What the demux under test answers: the value + 1, or a code, or nothing. */
static kern_return_t demux_answer;
static int demux_calls;
static mach_port_t kept_reply, kept_port;

static boolean_t demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	struct rep *rep = (struct rep *)out;
	struct req *rq = (struct req *)in;

	demux_calls++;
	kept_reply = in->msgh_remote_port;
	kept_port = rq->port.name;
	out->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
	out->msgh_remote_port = in->msgh_remote_port;
	out->msgh_size = sizeof(*rep);
	out->msgh_id = in->msgh_id + 100;
	rep->err.NDR = NDR_record;
	rep->err.RetCode = demux_answer;
	rep->value = rq->value + 1;
	return TRUE;
}

static mach_port_t new_port(void)
{
	mach_port_t p;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	return p;
}

/* Queue a request on @server carrying a send-once right to @carried and a send-once reply right. */
static void send_request(mach_port_t server, mach_port_t reply, mach_port_t carried, size_t extra)
{
	size_t size = sizeof(struct req) + extra;
	struct req *rq = calloc(1, size);

	ck_assert_ptr_nonnull(rq);
	rq->Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
			     MACH_MSGH_BITS_COMPLEX;
	rq->Head.msgh_size = (mach_msg_size_t)(size & ~3u);
	rq->Head.msgh_remote_port = server;
	rq->Head.msgh_local_port = reply;
	rq->Head.msgh_id = 500;
	rq->body.msgh_descriptor_count = 1;
	rq->port.name = carried;
	rq->port.disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	rq->port.type = MACH_MSG_PORT_DESCRIPTOR;
	rq->NDR = NDR_record;
	rq->value = 41;
	ck_assert_int_eq(mach_msg(&rq->Head, MACH_SEND_MSG, rq->Head.msgh_size, 0, MACH_PORT_NULL,
				  MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	free(rq);
}

static mach_msg_return_t recv_reply(mach_port_t reply, struct rep *out, mach_msg_timeout_t ms)
{
	struct { struct rep r; mach_msg_max_trailer_t t; } buf = { 0 };
	mach_msg_return_t mr;

	mr = mach_msg(&buf.r.err.Head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(buf), reply, ms,
		      MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS)
		*out = buf.r;
	return mr;
}

/* Whether the send-once right to @carried died: its notification is queued there. */
static bool send_once_died(mach_port_t carried)
{
	struct rep msg;
	mach_msg_return_t mr = recv_reply(carried, &msg, 0);

	if (mr == MACH_RCV_TIMED_OUT)
		return false;
	ck_assert_int_eq(mr, MACH_MSG_SUCCESS);
	ck_assert_int_eq(msg.err.Head.msgh_id, MACH_NOTIFY_SEND_ONCE);
	return true;
}

/* One request through mach_msg_server_once() answered with @answer. */
static void serve_one(kern_return_t answer, size_t extra, mach_msg_options_t options,
		      mach_msg_return_t expect)
{
	mach_port_t server = new_port(), reply = new_port(), carried = new_port();
	struct rep rep;

	demux_answer = answer;
	demux_calls = 0;
	send_request(server, reply, carried, extra);
	ck_assert_int_eq(mach_msg_server_once(demux, 128, server, options), expect);
	if (expect == MACH_MSG_SUCCESS) {
		ck_assert_int_eq(demux_calls, 1);
		if (answer == MIG_NO_REPLY) {
			ck_assert_int_eq(recv_reply(reply, &rep, 0), MACH_RCV_TIMED_OUT);
			/* The request's rights stay with the server routine that kept them. */
			ck_assert(!send_once_died(carried));
			ck_assert_int_eq(mach_port_deallocate(mach_task_self(), kept_reply), KERN_SUCCESS);
			ck_assert_int_eq(mach_port_deallocate(mach_task_self(), kept_port), KERN_SUCCESS);
		} else {
			ck_assert_int_eq(recv_reply(reply, &rep, 10000), MACH_MSG_SUCCESS);
			ck_assert_int_eq(rep.err.Head.msgh_id, 600);
			ck_assert_int_eq(rep.err.RetCode, answer);
			if (answer == KERN_SUCCESS)
				ck_assert_int_eq(rep.value, 42);
		}
		if (answer == KERN_SUCCESS) {
			/* The stub kept the carried right. */
			ck_assert(!send_once_died(carried));
			ck_assert_int_eq(mach_port_deallocate(mach_task_self(), kept_port), KERN_SUCCESS);
		}
		/* An error answer destroys the request and the right it carried. */
		ck_assert(send_once_died(carried));
	} else {
		ck_assert_int_eq(demux_calls, 0);
	}
	mach_port_destroy(mach_task_self(), carried);
	mach_port_destroy(mach_task_self(), reply);
	mach_port_destroy(mach_task_self(), server);
}

START_TEST(test_server_once_reply)
{
	serve_one(KERN_SUCCESS, 0, 0, MACH_MSG_SUCCESS);
}
END_TEST

START_TEST(test_server_once_error_destroys_request)
{
	serve_one(MIG_BAD_ID, 0, 0, MACH_MSG_SUCCESS);
}
END_TEST

START_TEST(test_server_once_no_reply)
{
	serve_one(MIG_NO_REPLY, 0, 0, MACH_MSG_SUCCESS);
}
END_TEST

START_TEST(test_server_once_large)
{
	serve_one(KERN_SUCCESS, 4096, MACH_RCV_LARGE, MACH_MSG_SUCCESS);
}
END_TEST

START_TEST(test_server_once_too_large)
{
	serve_one(KERN_SUCCESS, 4096, 0, MACH_RCV_TOO_LARGE);
}
END_TEST

START_TEST(test_server_once_dead_reply_port)
{
	mach_port_t server = new_port(), reply = new_port(), carried = new_port();
	mach_port_type_t type;

	demux_answer = KERN_SUCCESS;
	send_request(server, reply, carried, 0);
	mach_port_destroy(mach_task_self(), reply);
	/* The client is gone: the reply cannot be delivered, the server goes on. */
	ck_assert_int_eq(mach_msg_server_once(demux, 128, server, 0), MACH_MSG_SUCCESS);
	/* The undeliverable reply's right was released, not leaked. */
	ck_assert_int_eq(mach_port_type(mach_task_self(), kept_reply, &type), KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), kept_port), KERN_SUCCESS);
	mach_port_destroy(mach_task_self(), carried);
	mach_port_destroy(mach_task_self(), server);
}
END_TEST

static Suite *mig_runtime_suite(void)
{
	Suite *s = suite_create("mig-runtime");
	TCase *tc = tcase_create("runtime");

	tcase_add_test(tc, test_strncpy);
	tcase_add_test(tc, test_allocate);
	tcase_add_test(tc, test_reply_port_per_thread);
	tcase_add_test(tc, test_server_once_reply);
	tcase_add_test(tc, test_server_once_error_destroys_request);
	tcase_add_test(tc, test_server_once_no_reply);
	tcase_add_test(tc, test_server_once_large);
	tcase_add_test(tc, test_server_once_too_large);
	tcase_add_test(tc, test_server_once_dead_reply_port);
	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(mig_runtime_suite(), NULL, 0, argc, argv);
}
