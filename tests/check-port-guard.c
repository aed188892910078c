/* SPDX-License-Identifier: MIT */
/*
 * check-port-guard - a receive right's context, guard and attributes:
 * mach_port_construct/destruct, mach_port_guard/unguard,
 * mach_port_get/set_context, mach_port_get/set_attributes, the task's
 * EXC_GUARD behaviour, and names: mach_port_allocate_name, mach_port_names,
 * the generation bits of the names the space gives.
 */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <mach/mach.h>

#include "helpers/peer.h"

static void setup(void)
{
	peer_fd_mark(false);
}

static void teardown(void)
{
	peer_fd_check();
}

static mach_port_t construct(uint32_t flags, mach_port_context_t ctx, mach_port_msgcount_t qlimit)
{
	mach_port_options_t o = { .flags = flags, .mpl = { qlimit } };
	mach_port_t n = MACH_PORT_NULL;

	ck_assert_int_eq(mach_port_construct(mach_task_self(), &o, ctx, &n), KERN_SUCCESS);
	ck_assert(MACH_PORT_VALID(n));
	return n;
}

static mach_port_status_t status(mach_port_t n)
{
	mach_port_status_t st;
	mach_msg_type_number_t c = MACH_PORT_RECEIVE_STATUS_COUNT;

	ck_assert_int_eq(mach_port_get_attributes(mach_task_self(), n, MACH_PORT_RECEIVE_STATUS,
						  (mach_port_info_t)&st, &c), KERN_SUCCESS);
	ck_assert_uint_eq(c, MACH_PORT_RECEIVE_STATUS_COUNT);
	return st;
}

static mach_port_context_t context(mach_port_t n)
{
	mach_port_context_t c = 1;

	ck_assert_int_eq(mach_port_get_context(mach_task_self(), n, &c), KERN_SUCCESS);
	return c;
}

START_TEST(test_construct)
{
	mach_port_t a = construct(MPO_INSERT_SEND_RIGHT | MPO_QLIMIT, 0x55, 7);
	mach_port_t g = construct(MPO_CONTEXT_AS_GUARD | MPO_STRICT, 0x66, 0);
	mach_port_options_t o = { .flags = MPO_QLIMIT, .mpl = { MACH_PORT_QLIMIT_MAX + 1 } };
	mach_port_t n;

	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_SEND_RECEIVE);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 1);
	ck_assert_uint_eq(context(a), 0x55);
	ck_assert_uint_eq(status(a).mps_qlimit, 7);
	ck_assert_uint_eq(status(a).mps_flags, 0);
	ck_assert_uint_eq(peer_type(g), MACH_PORT_TYPE_RECEIVE);
	ck_assert_uint_eq(context(g), 0);       /* a strict guard reads as 0 */
	ck_assert_uint_eq(status(g).mps_flags,
			  MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD);
	ck_assert_uint_eq(status(g).mps_qlimit, MACH_PORT_QLIMIT_DEFAULT);
	ck_assert_int_eq(mach_port_construct(mach_task_self(), &o, 0, &n), KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_construct(mach_task_self() + 1, &o, 0, &n), KERN_INVALID_TASK);
	/* Flags without meaning here are accepted, as xnu accepts them. */
	mach_port_t t = construct(MPO_TEMPOWNER | MPO_IMPORTANCE_RECEIVER | MPO_DENAP_RECEIVER, 0, 0);

	/* destruct: xnu's ipc_right_destruct() order of checks. */
	ck_assert_int_eq(mach_port_destruct(mach_task_self(), a, 1, 0), KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_destruct(mach_task_self(), a, -2, 0), KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_destruct(mach_task_self(), g, -1, 0x66), KERN_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_destruct(mach_task_self(), g, 0, 0x67), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(mach_port_destruct(mach_task_self(), 0x4203, 0, 0), KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_destruct(mach_task_self(), g, 0, 0x66), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destruct(mach_task_self(), a, -1, 0), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destruct(mach_task_self(), t, 0, 0), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destruct(mach_task_self(), t, 0, 0), KERN_INVALID_NAME);
}
END_TEST

START_TEST(test_guard)
{
	mach_port_t a = peer_port(), set;
	mach_port_context_t c;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_guard(mach_task_self(), set, 1, FALSE), KERN_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_guard(mach_task_self(), MACH_PORT_NULL, 1, FALSE), KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_unguard(mach_task_self(), a, 0), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(mach_port_guard(mach_task_self(), a, 0x99, FALSE), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_guard(mach_task_self(), a, 0x98, FALSE), KERN_INVALID_ARGUMENT);
	ck_assert_uint_eq(context(a), 0x99);    /* not strict: the guard is the context */
	ck_assert_uint_eq(status(a).mps_flags, MACH_PORT_STATUS_FLAG_GUARDED);
	/* A guarded receive right is not destroyed but by mach_port_destruct with its guard. */
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), a), KERN_INVALID_RIGHT);
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_eq(mach_port_unguard(mach_task_self(), a, 0x98), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(mach_port_unguard(mach_task_self(), a, 0x99), KERN_SUCCESS);
	ck_assert_uint_eq(context(a), 0);
	ck_assert_int_eq(mach_port_guard(mach_task_self(), a, 0x77, TRUE), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_set_context(mach_task_self(), a, 5), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(mach_port_unguard(mach_task_self(), a, 0x77), KERN_SUCCESS);
	/* A context set first is taken for a guard: guarding is refused. */
	ck_assert_int_eq(mach_port_set_context(mach_task_self(), a, 5), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_guard(mach_task_self(), a, 0x77, FALSE), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(mach_port_get_context(mach_task_self(), set, &c), KERN_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_get_context(mach_task_self(), MACH_PORT_NULL, &c), KERN_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_set_context(mach_task_self(), 0x4203, 1), KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), a), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), set), KERN_SUCCESS);
}
END_TEST

/* MPO_IMMOVABLE_RECEIVE: the receive right cannot leave in a message, even once unguarded. */
START_TEST(test_immovable)
{
	mach_port_t a = construct(MPO_CONTEXT_AS_GUARD | MPO_IMMOVABLE_RECEIVE, 0x42, 0);
	mach_port_t box = peer_port();
	struct peer_msg m;

	ck_assert_uint_eq(status(a).mps_flags,
			  MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE);
	peer_msg_init(&m, box, MACH_MSG_TYPE_MAKE_SEND, 1, a, MACH_MSG_TYPE_MOVE_RECEIVE);
	ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
				  MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), MACH_SEND_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_unguard(mach_task_self(), a, 0x42), KERN_SUCCESS);
	ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
				  MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), MACH_SEND_INVALID_RIGHT);
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_RECEIVE);
	/* A guarded right that is not immovable moves, as in xnu. */
	mach_port_t g = construct(MPO_CONTEXT_AS_GUARD, 0x43, 0);

	peer_msg_init(&m, box, MACH_MSG_TYPE_MAKE_SEND, 2, g, MACH_MSG_TYPE_MOVE_RECEIVE);
	peer_post(&m);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), a), KERN_SUCCESS);
}
END_TEST

START_TEST(test_exc_guard_behavior)
{
	task_exc_guard_behavior_t b = 1234;

	ck_assert_int_eq(task_get_exc_guard_behavior(mach_task_self(), &b), KERN_SUCCESS);
	ck_assert_uint_eq(b, TASK_EXC_GUARD_NONE);
	ck_assert_int_eq(task_set_exc_guard_behavior(mach_task_self(),
						     TASK_EXC_GUARD_MP_DELIVER | TASK_EXC_GUARD_MP_FATAL),
			 KERN_SUCCESS);
	ck_assert_int_eq(task_get_exc_guard_behavior(mach_task_self(), &b), KERN_SUCCESS);
	ck_assert_uint_eq(b, TASK_EXC_GUARD_MP_DELIVER | TASK_EXC_GUARD_MP_FATAL);
	ck_assert_int_eq(task_set_exc_guard_behavior(mach_task_self(), 0x100), KERN_INVALID_VALUE);
	ck_assert_int_eq(task_set_exc_guard_behavior(mach_task_self() + 1, 0), KERN_INVALID_TASK);
	ck_assert_int_eq(task_get_exc_guard_behavior(mach_task_self() + 1, &b), KERN_INVALID_TASK);
}
END_TEST

START_TEST(test_attributes)
{
	mach_port_t a = peer_port_send(), set;
	mach_port_limits_t l = { 3 };
	mach_msg_type_number_t c = MACH_PORT_LIMITS_INFO_COUNT;
	int dn = -1;

	ck_assert_uint_eq(status(a).mps_msgcount, 0);
	ck_assert_uint_eq(status(a).mps_srights, TRUE);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(peer_send_id(a, MACH_MSG_TYPE_COPY_SEND, i), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(status(a).mps_msgcount, 3);
	ck_assert_uint_eq(status(a).mps_msgcount, 3);   /* counting consumes nothing */
	ck_assert_int_eq(mach_port_set_attributes(mach_task_self(), a, MACH_PORT_LIMITS_INFO,
						  (mach_port_info_t)&l, c), KERN_SUCCESS);
	l.mpl_qlimit = 0;
	ck_assert_int_eq(mach_port_get_attributes(mach_task_self(), a, MACH_PORT_LIMITS_INFO,
						  (mach_port_info_t)&l, &c), KERN_SUCCESS);
	ck_assert_uint_eq(l.mpl_qlimit, 3);
	l.mpl_qlimit = MACH_PORT_QLIMIT_MAX + 1;
	ck_assert_int_eq(mach_port_set_attributes(mach_task_self(), a, MACH_PORT_LIMITS_INFO,
						  (mach_port_info_t)&l, c), KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_set_attributes(mach_task_self(), a, MACH_PORT_LIMITS_INFO,
						  (mach_port_info_t)&l, 0), KERN_FAILURE);
	ck_assert_int_eq(mach_port_set_attributes(mach_task_self(), a, 99, (mach_port_info_t)&l, c),
			 KERN_INVALID_ARGUMENT);
	c = 0;
	ck_assert_int_eq(mach_port_get_attributes(mach_task_self(), a, MACH_PORT_LIMITS_INFO,
						  (mach_port_info_t)&l, &c), KERN_FAILURE);
	c = MACH_PORT_DNREQUESTS_SIZE_COUNT;
	ck_assert_int_eq(mach_port_get_attributes(mach_task_self(), a, MACH_PORT_DNREQUESTS_SIZE,
						  (mach_port_info_t)&dn, &c), KERN_SUCCESS);
	ck_assert_int_eq(dn, 0);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
			 KERN_SUCCESS);
	c = MACH_PORT_LIMITS_INFO_COUNT;
	ck_assert_int_eq(mach_port_get_attributes(mach_task_self(), set, MACH_PORT_LIMITS_INFO,
						  (mach_port_info_t)&l, &c), KERN_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_get_attributes(mach_task_self(), 0x4203, MACH_PORT_LIMITS_INFO,
						  (mach_port_info_t)&l, &c), KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_get_attributes(mach_task_self(), MACH_PORT_NULL,
						  MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&l, &c),
			 KERN_FAILURE);     /* count too small first */
	ck_assert_int_eq(mach_port_move_member(mach_task_self(), a, set), KERN_SUCCESS);
	ck_assert_uint_eq(status(a).mps_pset, 1);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), set), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), a), KERN_SUCCESS);
}
END_TEST

START_TEST(test_names)
{
	mach_port_t a = peer_port(), b;
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n, nt;
	bool seen = false;

	/* xnu's first generation of a slot: names end in 0x03. */
	ck_assert_uint_eq(a & 0x3, 0x3);
	ck_assert_int_eq(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, a),
			 KERN_NAME_EXISTS);
	ck_assert_int_eq(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, 122),
			 KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, 123),
			 KERN_FAILURE);
	ck_assert_int_eq(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, 0),
			 KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_SEND, 0x50003),
			 KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						 (a & ~0xffu) | 0x07), KERN_FAILURE);
	b = 0x50007;
	ck_assert_int_eq(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, b),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_type(b), MACH_PORT_TYPE_PORT_SET);
	ck_assert_int_eq(mach_port_names(mach_task_self(), &names, &n, &types, &nt), KERN_SUCCESS);
	ck_assert_uint_eq(n, nt);
	for (mach_msg_type_number_t i = 0; i < n; i++)
		if (names[i] == b)
			seen = types[i] == MACH_PORT_TYPE_PORT_SET;
	ck_assert(seen);
	vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, n * sizeof(*types));
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), b), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), a), KERN_SUCCESS);
}
END_TEST

/* A freed slot's next name has the next generation, 4 higher, and rolls after 64. */
START_TEST(test_generations)
{
	mach_port_t first = 0x70003, n = first;

	for (int i = 0; i < 64; i++) {
		ck_assert_int_eq(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, n),
				 KERN_SUCCESS);
		ck_assert_int_eq(mach_port_deallocate(mach_task_self(), n), KERN_SUCCESS);
		n = (n & ~0xffu) | ((n + 4) & 0xff);
	}
	ck_assert_uint_eq(n, first);
}
END_TEST

static Suite *port_guard_suite(void)
{
	Suite *s = suite_create("port-guard");
	TCase *tc = tcase_create("guard");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_construct);
	tcase_add_test(tc, test_guard);
	tcase_add_test(tc, test_immovable);
	tcase_add_test(tc, test_exc_guard_behavior);
	tcase_add_test(tc, test_attributes);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_generations);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(port_guard_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
