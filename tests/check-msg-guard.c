/* SPDX-License-Identifier: MIT */
/*
 * check-msg-guard - a receive right's guard, context and sequence number
 * meeting messages, as XNU has them: a guarded port descriptor's context
 * checked against the sender's guard; the receiver of an IMMOVABLE_RECEIVE
 * descriptor guards the right with its receive buffer's address; a moved
 * right leaves its guard, context and count behind (a plain MOVE_RECEIVE
 * moves a guarded right too); the context trailer carries the port's
 * context; MACH_PORT_RECEIVE_STATUS's mps_seqno and mach_port_set_seqno
 * speak of the trailers' count.  Across processes: a forked sender.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>

#include "helpers/peer.h"

#define GUARD ((mach_port_context_t)0x5eed)

#pragma pack(push, 4)
struct guarded_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_guarded_port_descriptor_t g;
	int32_t tail;
};

struct plain_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t p;
	int32_t tail;
};
#pragma pack(pop)

union rcv_buf {
	struct guarded_msg g;
	struct plain_msg p;
	char space[sizeof(struct guarded_msg) + MAX_TRAILER_SIZE];
};

static void setup(void)
{
	peer_fd_mark(false);
}

static void teardown(void)
{
	peer_fd_check();
}

static mach_msg_return_t send_guarded(mach_port_t dest, mach_port_t name,
				      mach_msg_guard_flags_t flags, mach_port_context_t ctx)
{
	struct guarded_msg m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
				       MACH_MSGH_BITS_COMPLEX,
			  .msgh_size = sizeof(m), .msgh_remote_port = dest },
		.body = { 1 },
		.g = { .context = ctx, .flags = flags, .disposition = MACH_MSG_TYPE_MOVE_RECEIVE,
		       .type = MACH_MSG_GUARDED_PORT_DESCRIPTOR, .name = name },
	};

	return mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL,
			PEER_TIMEOUT_MS, MACH_PORT_NULL);
}

static mach_msg_return_t send_plain(mach_port_t dest, mach_port_t name)
{
	struct plain_msg m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
				       MACH_MSGH_BITS_COMPLEX,
			  .msgh_size = sizeof(m), .msgh_remote_port = dest },
		.body = { 1 },
		.p = { .name = name, .disposition = MACH_MSG_TYPE_MOVE_RECEIVE,
		       .type = MACH_MSG_PORT_DESCRIPTOR },
	};

	return mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL,
			PEER_TIMEOUT_MS, MACH_PORT_NULL);
}

static mach_msg_option_t trailer(int elements)
{
	return MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | MACH_RCV_TRAILER_ELEMENTS(elements);
}

static void take(mach_port_t p, union rcv_buf *b, mach_msg_option_t opt)
{
	memset(b, 0, sizeof(*b));
	ck_assert_int_eq(mach_msg(&b->g.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT | opt, 0, sizeof(*b),
				  p, PEER_TIMEOUT_MS, MACH_PORT_NULL), MACH_MSG_SUCCESS);
}

static const mach_msg_max_trailer_t *trailer_of(const union rcv_buf *b)
{
	return (const void *)(b->space + round_msg(b->g.head.msgh_size));
}

static mach_port_status_t status_of(mach_port_t p)
{
	mach_port_status_t st;
	mach_msg_type_number_t n = MACH_PORT_RECEIVE_STATUS_COUNT;

	ck_assert_int_eq(mach_port_get_attributes(mach_task_self(), p, MACH_PORT_RECEIVE_STATUS,
						  (mach_port_info_t)&st, &n), KERN_SUCCESS);
	return st;
}

static mach_port_context_t context_of(mach_port_t p)
{
	mach_port_context_t ctx = 1;

	ck_assert_int_eq(mach_port_get_context(mach_task_self(), p, &ctx), KERN_SUCCESS);
	return ctx;
}

/* The sender's guard against the descriptor's context (ipc_right_copyin_check_guard_locked). */
START_TEST(test_guard_checked_on_send)
{
	mach_port_t box = peer_port_send(), g = peer_port_send();
	union rcv_buf b;

	ck_assert_int_eq(mach_port_guard(mach_task_self(), g, GUARD, FALSE), KERN_SUCCESS);
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, GUARD + 1),
			 MACH_SEND_INVALID_RIGHT);
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND, 0),
			 MACH_SEND_INVALID_RIGHT);
	/* Refused: the right and its guard stay. */
	ck_assert(peer_type(g) & MACH_PORT_TYPE_RECEIVE);
	ck_assert_uint_eq(context_of(g), GUARD);
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, GUARD),
			 MACH_MSG_SUCCESS);
	ck_assert_uint_eq(peer_type(g), MACH_PORT_TYPE_SEND);
	take(box, &b, MACH_RCV_GUARDED_DESC);
	ck_assert_uint_eq(b.g.g.name, g);
	ck_assert_int_eq(mach_port_destruct(mach_task_self(), g, -1, b.g.g.context), KERN_SUCCESS);
	/* Unguarded: only UNGUARDED_ON_SEND with context 0 moves it. */
	g = peer_port_send();
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0),
			 MACH_SEND_INVALID_RIGHT);
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, GUARD),
			 MACH_SEND_INVALID_RIGHT);
	ck_assert(peer_type(g) & MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND, 0),
			 MACH_MSG_SUCCESS);
	take(box, &b, MACH_RCV_GUARDED_DESC);
	ck_assert_uint_eq(b.g.g.name, g);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), g), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

/* @g, guarded, through @box with IMMOVABLE_RECEIVE, received into @b. */
static void pass_immovable(mach_port_t box, mach_port_t g, union rcv_buf *b)
{
	ck_assert_int_eq(mach_port_guard(mach_task_self(), g, GUARD, TRUE), KERN_SUCCESS);
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, GUARD),
			 MACH_MSG_SUCCESS);
	take(box, b, MACH_RCV_GUARDED_DESC);
	ck_assert_uint_eq(b->g.g.name, g);
}

/* IMMOVABLE_RECEIVE: guarded by the receive buffer's address, immovable, not strict. */
START_TEST(test_guard_applied_on_receive)
{
	mach_port_t box = peer_port_send(), g = peer_port_send();
	mach_port_status_t st;
	union rcv_buf b;

	pass_immovable(box, g, &b);
	ck_assert_uint_eq(b.g.g.flags, MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE);
	ck_assert_uint_eq(b.g.g.context, (mach_port_context_t)(uintptr_t)&b);
	ck_assert_uint_eq(context_of(g), (mach_port_context_t)(uintptr_t)&b);
	st = status_of(g);
	ck_assert_uint_eq(st.mps_flags, MACH_PORT_STATUS_FLAG_GUARDED |
			  MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), g), KERN_INVALID_RIGHT);
	/* Immovable now, even with its guard; unguarded it stays so. */
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, b.g.g.context),
			 MACH_SEND_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_unguard(mach_task_self(), g, b.g.g.context), KERN_SUCCESS);
	ck_assert_int_eq(send_plain(box, g), MACH_SEND_INVALID_RIGHT);
	ck_assert(peer_type(g) & MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), g), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

/*
 * mach_msg_destroy() of a message holding a right that arrived guarded
 * unguards it first, as Libsyscall's does, so that it goes: it used to
 * stay, guarded, with nobody left to know its guard.
 */
START_TEST(test_destroy_unguards)
{
	mach_port_t box = peer_port_send(), g = peer_port_send();
	union rcv_buf b;

	pass_immovable(box, g, &b);
	mach_msg_destroy(&b.g.head);
	ck_assert_uint_eq(peer_type(g), MACH_PORT_TYPE_DEAD_NAME);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), g), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

/* Without IMMOVABLE_RECEIVE, or by a plain descriptor: unguarded, context 0, as XNU moves it. */
START_TEST(test_guard_left_behind)
{
	mach_port_t box = peer_port_send(), g = peer_port_send();
	union rcv_buf b;

	ck_assert_int_eq(mach_port_guard(mach_task_self(), g, GUARD, FALSE), KERN_SUCCESS);
	ck_assert_int_eq(send_plain(box, g), MACH_MSG_SUCCESS);
	take(box, &b, 0);
	ck_assert_uint_eq(b.p.p.name, g);
	ck_assert_uint_eq(context_of(g), 0);
	ck_assert_uint_eq(status_of(g).mps_flags, 0);
	ck_assert_int_eq(mach_port_set_context(mach_task_self(), g, GUARD), KERN_SUCCESS);
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND, 0),
			 MACH_MSG_SUCCESS);
	take(box, &b, MACH_RCV_GUARDED_DESC);
	ck_assert_uint_eq(b.g.g.name, g);
	ck_assert_uint_eq(b.g.g.flags, MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND);
	ck_assert_uint_eq(b.g.g.context, 0);
	ck_assert_uint_eq(context_of(g), 0);
	ck_assert_uint_eq(status_of(g).mps_flags, 0);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), g), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

/* MACH_RCV_TRAILER_CTX: the port's context, a guard included (even a strict one). */
START_TEST(test_context_trailer)
{
	mach_port_t p = peer_port_send(), set;
	union rcv_buf b;

	ck_assert_int_eq(peer_send_id(p, MACH_MSG_TYPE_COPY_SEND, 1), MACH_MSG_SUCCESS);
	take(p, &b, trailer(MACH_RCV_TRAILER_CTX));
	ck_assert_uint_eq(trailer_of(&b)->msgh_context, 0);
	ck_assert_int_eq(mach_port_set_context(mach_task_self(), p, 0xc0ffee), KERN_SUCCESS);
	ck_assert_int_eq(peer_send_id(p, MACH_MSG_TYPE_COPY_SEND, 2), MACH_MSG_SUCCESS);
	take(p, &b, trailer(MACH_RCV_TRAILER_CTX));
	ck_assert_uint_eq(trailer_of(&b)->msgh_trailer_size, sizeof(mach_msg_context_trailer_t));
	ck_assert_uint_eq(trailer_of(&b)->msgh_context, 0xc0ffee);
	ck_assert_int_eq(mach_port_set_context(mach_task_self(), p, 0), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_guard(mach_task_self(), p, GUARD, TRUE), KERN_SUCCESS);
	ck_assert_int_eq(peer_send_id(p, MACH_MSG_TYPE_COPY_SEND, 3), MACH_MSG_SUCCESS);
	take(p, &b, trailer(MACH_RCV_TRAILER_AV));
	ck_assert_uint_eq(trailer_of(&b)->msgh_context, GUARD);
	/* Received through a port set: the member's. */
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_move_member(mach_task_self(), p, set), KERN_SUCCESS);
	ck_assert_int_eq(peer_send_id(p, MACH_MSG_TYPE_COPY_SEND, 4), MACH_MSG_SUCCESS);
	take(set, &b, trailer(MACH_RCV_TRAILER_CTX));
	ck_assert_uint_eq(b.g.head.msgh_local_port, p);
	ck_assert_uint_eq(trailer_of(&b)->msgh_context, GUARD);
	ck_assert_int_eq(mach_port_destruct(mach_task_self(), p, -1, GUARD), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), set), KERN_SUCCESS);
}
END_TEST

/* mps_seqno: the next trailer's msgh_seqno; mach_port_set_seqno sets it. */
START_TEST(test_seqno_status)
{
	mach_port_t p = peer_port_send();
	union rcv_buf b;

	ck_assert_uint_eq(status_of(p).mps_seqno, 0);
	for (mach_port_seqno_t i = 0; i < 2; i++) {
		ck_assert_int_eq(peer_send_id(p, MACH_MSG_TYPE_COPY_SEND, 1), MACH_MSG_SUCCESS);
		take(p, &b, trailer(MACH_RCV_TRAILER_SEQNO));
		ck_assert_uint_eq(trailer_of(&b)->msgh_seqno, i);
	}
	ck_assert_uint_eq(status_of(p).mps_seqno, 2);
	ck_assert_int_eq(mach_port_set_seqno(mach_task_self(), p, 40), KERN_SUCCESS);
	ck_assert_uint_eq(status_of(p).mps_seqno, 40);
	ck_assert_int_eq(peer_send_id(p, MACH_MSG_TYPE_COPY_SEND, 2), MACH_MSG_SUCCESS);
	take(p, &b, trailer(MACH_RCV_TRAILER_SEQNO));
	ck_assert_uint_eq(trailer_of(&b)->msgh_seqno, 40);
	ck_assert_uint_eq(status_of(p).mps_seqno, 41);
	/* xnu's refusals. */
	ck_assert_int_eq(mach_port_set_seqno(mach_task_self(), MACH_PORT_NULL, 1), KERN_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_set_seqno(mach_task_self(), MACH_PORT_DEAD, 1), KERN_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_set_seqno(mach_task_self(), 0x7ffff03, 1), KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_set_seqno(MACH_PORT_NULL, p, 1), KERN_INVALID_TASK);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_set_seqno(mach_task_self(), p, 1), KERN_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
}
END_TEST

/*
 * The forked sender: a port with a context, a count and a guard; a wrong
 * context refused (exit 3), then moved with the right one.
 */
static int guard_child(void)
{
	mach_port_t g = MACH_PORT_NULL;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &g) ||
	    peer_send_id(g, MACH_MSG_TYPE_MAKE_SEND, 11) || peer_send_id(g, MACH_MSG_TYPE_MAKE_SEND, 12))
		return 2;
	if (mach_port_set_seqno(mach_task_self(), g, 7) ||
	    mach_port_guard(mach_task_self(), g, GUARD, TRUE))
		return 2;
	if (send_guarded(bootstrap_port, g, MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, GUARD + 1) !=
	    MACH_SEND_INVALID_RIGHT)
		return 3;
	if (send_guarded(bootstrap_port, g, MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, GUARD))
		return 4;
	return 0;
}

/* What the child's right arrives with: its queue; a fresh count; the receiver's guard. */
START_TEST(test_across_processes)
{
	mach_port_t home = peer_port_send(), g;
	union rcv_buf b;
	int ws;
	pid_t pid;

	ck_assert_int_eq(task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, home),
			 KERN_SUCCESS);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(guard_child());
	take(home, &b, MACH_RCV_GUARDED_DESC);
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	ck_assert(WIFEXITED(ws));
	ck_assert_int_eq(WEXITSTATUS(ws), 0);
	g = b.g.g.name;
	ck_assert_uint_eq(b.g.g.flags, MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE);
	ck_assert_uint_eq(b.g.g.context, (mach_port_context_t)(uintptr_t)&b);
	ck_assert_uint_eq(status_of(g).mps_seqno, 0);
	ck_assert_uint_eq(status_of(g).mps_msgcount, 2);
	for (mach_port_seqno_t i = 0; i < 2; i++) {
		union rcv_buf m;

		take(g, &m, trailer(MACH_RCV_TRAILER_CTX));
		ck_assert_int_eq(m.g.head.msgh_id, 11 + (int)i);
		ck_assert_uint_eq(trailer_of(&m)->msgh_seqno, i);
		ck_assert_uint_eq(trailer_of(&m)->msgh_context, (mach_port_context_t)(uintptr_t)&b);
	}
	ck_assert_int_eq(mach_port_destruct(mach_task_self(), g, 0, b.g.g.context), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), home), KERN_SUCCESS);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("msg-guard");
	TCase *tc = tcase_create("msg-guard");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_guard_checked_on_send);
	tcase_add_test(tc, test_guard_applied_on_receive);
	tcase_add_test(tc, test_destroy_unguards);
	tcase_add_test(tc, test_guard_left_behind);
	tcase_add_test(tc, test_context_trailer);
	tcase_add_test(tc, test_seqno_status);
	tcase_add_test(tc, test_across_processes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
