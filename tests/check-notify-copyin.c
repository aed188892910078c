/* SPDX-License-Identifier: MIT */
/*
 * check-notify-copyin - a notification request whose notify name cannot
 * give the right asked for fails as xnu's copy-in of that right, before
 * anything about the request is checked: KERN_INVALID_NAME for a name not
 * in the space, KERN_INVALID_RIGHT for a name without the right;
 * MOVE_SEND_ONCE of a dead name takes one of its user references and the
 * request then fails with KERN_INVALID_CAPABILITY, as a MACH_PORT_DEAD
 * notify port does.
 */
#include <check.h>
#include <stdlib.h>

#include <mach/mach.h>
#include <mach/notify.h>

#include "helpers/peer.h"

#define FREE_NAME 0x4203        /* a name the tests never allocate */

static void setup(void)
{
	peer_fd_mark(true);
}

static void teardown(void)
{
	peer_fd_check();
}

/* A no-senders request on receive right @rcv, notify @notify given as @poly. */
static kern_return_t req(mach_port_t rcv, mach_port_t notify, mach_msg_type_name_t poly)
{
	mach_port_t prev = 1;
	kern_return_t kr = mach_port_request_notification(mach_task_self(), rcv,
							  MACH_NOTIFY_NO_SENDERS, 0, notify, poly,
							  &prev);

	ck_assert_uint_eq(prev, kr == KERN_SUCCESS ? MACH_PORT_NULL : 1);
	return kr;
}

static mach_port_type_t type_of(mach_port_t name)
{
	mach_port_type_t t = 0;

	ck_assert_int_eq(mach_port_type(mach_task_self(), name, &t), KERN_SUCCESS);
	return t;
}

static mach_port_urefs_t dead_refs(mach_port_t name)
{
	mach_port_urefs_t refs = 0;

	ck_assert_int_eq(mach_port_get_refs(mach_task_self(), name, MACH_PORT_RIGHT_DEAD_NAME,
					    &refs), KERN_SUCCESS);
	return refs;
}

static void destroy(mach_port_t name)
{
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), name), KERN_SUCCESS);
}

/* A dead name with @refs user references: a send-once right whose port died. */
static mach_port_t dead_name(mach_port_urefs_t refs)
{
	mach_port_t rcv = peer_port(), d = peer_send_once(rcv);

	destroy(rcv);
	ck_assert_uint_eq(type_of(d), MACH_PORT_TYPE_DEAD_NAME);
	if (refs > 1)
		ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), d, MACH_PORT_RIGHT_DEAD_NAME,
						    (mach_port_delta_t)refs - 1), KERN_SUCCESS);
	return d;
}

/* A name not in the space: KERN_INVALID_NAME, before the request's own checks. */
START_TEST(test_unknown_name)
{
	mach_port_t rcv = peer_port(), prev;

	ck_assert_int_eq(req(rcv, FREE_NAME, MACH_MSG_TYPE_MAKE_SEND_ONCE), KERN_INVALID_NAME);
	ck_assert_int_eq(req(rcv, FREE_NAME, MACH_MSG_TYPE_MOVE_SEND_ONCE), KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), rcv, 0x4242, 0,
			 FREE_NAME, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_INVALID_NAME);
	destroy(rcv);
}
END_TEST

/* MAKE_SEND_ONCE needs a receive right: KERN_INVALID_RIGHT, the name untouched. */
START_TEST(test_make_send_once_without_receive)
{
	mach_port_t rcv = peer_port(), other = peer_port(), so = peer_send_once(other), set;
	mach_port_t d = dead_name(1);

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
			 KERN_SUCCESS);
	ck_assert_int_eq(req(rcv, so, MACH_MSG_TYPE_MAKE_SEND_ONCE), KERN_INVALID_RIGHT);
	ck_assert_int_eq(req(rcv, set, MACH_MSG_TYPE_MAKE_SEND_ONCE), KERN_INVALID_RIGHT);
	ck_assert_int_eq(req(rcv, d, MACH_MSG_TYPE_MAKE_SEND_ONCE), KERN_INVALID_RIGHT);
	ck_assert_uint_eq(type_of(so), MACH_PORT_TYPE_SEND_ONCE);
	ck_assert_uint_eq(dead_refs(d), 1);
	destroy(d);
	destroy(set);
	destroy(so);
	destroy(other);
	destroy(rcv);
}
END_TEST

/* MOVE_SEND_ONCE needs a send-once right: KERN_INVALID_RIGHT, the name untouched. */
START_TEST(test_move_send_once_without_send_once)
{
	mach_port_t rcv = peer_port(), other = peer_port_send(), set;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
			 KERN_SUCCESS);
	ck_assert_int_eq(req(rcv, other, MACH_MSG_TYPE_MOVE_SEND_ONCE), KERN_INVALID_RIGHT);
	ck_assert_int_eq(req(rcv, rcv, MACH_MSG_TYPE_MOVE_SEND_ONCE), KERN_INVALID_RIGHT);
	ck_assert_int_eq(req(rcv, set, MACH_MSG_TYPE_MOVE_SEND_ONCE), KERN_INVALID_RIGHT);
	ck_assert_uint_eq(type_of(other), MACH_PORT_TYPE_SEND_RECEIVE);
	destroy(set);
	destroy(other);
	destroy(rcv);
}
END_TEST

/*
 * MOVE_SEND_ONCE of a dead name takes one user reference, as a dead right
 * moved in a message, and the request has a dead notify port:
 * KERN_INVALID_CAPABILITY.  A send-once right whose port died is a dead name.
 */
START_TEST(test_move_send_once_dead_name)
{
	mach_port_t rcv = peer_port(), d = dead_name(2), other = peer_port();
	mach_port_t so = peer_send_once(other);

	ck_assert_int_eq(req(rcv, d, MACH_MSG_TYPE_MOVE_SEND_ONCE), KERN_INVALID_CAPABILITY);
	ck_assert_uint_eq(dead_refs(d), 1);
	ck_assert_int_eq(req(rcv, d, MACH_MSG_TYPE_MOVE_SEND_ONCE), KERN_INVALID_CAPABILITY);
	ck_assert_int_eq(mach_port_type(mach_task_self(), d, &(mach_port_type_t){ 0 }),
			 KERN_INVALID_NAME);
	destroy(other);
	ck_assert_int_eq(req(rcv, so, MACH_MSG_TYPE_MOVE_SEND_ONCE), KERN_INVALID_CAPABILITY);
	ck_assert_int_eq(mach_port_type(mach_task_self(), so, &(mach_port_type_t){ 0 }),
			 KERN_INVALID_NAME);
	destroy(rcv);
}
END_TEST

/* MACH_PORT_DEAD as the notify port: KERN_INVALID_CAPABILITY; MACH_PORT_NULL cancels. */
START_TEST(test_dead_and_null_notify)
{
	mach_port_t rcv = peer_port();

	ck_assert_int_eq(req(rcv, MACH_PORT_DEAD, MACH_MSG_TYPE_MAKE_SEND_ONCE),
			 KERN_INVALID_CAPABILITY);
	ck_assert_int_eq(req(rcv, MACH_PORT_DEAD, MACH_MSG_TYPE_MOVE_SEND_ONCE),
			 KERN_INVALID_CAPABILITY);
	ck_assert_int_eq(req(rcv, MACH_PORT_NULL, MACH_MSG_TYPE_MAKE_SEND_ONCE), KERN_SUCCESS);
	ck_assert_int_eq(req(rcv, MACH_PORT_NULL, MACH_MSG_TYPE_MOVE_SEND_ONCE), KERN_SUCCESS);
	destroy(rcv);
}
END_TEST

static Suite *notify_copyin_suite(void)
{
	Suite *s = suite_create("notify-copyin");
	TCase *tc = tcase_create("copyin");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_unknown_name);
	tcase_add_test(tc, test_make_send_once_without_receive);
	tcase_add_test(tc, test_move_send_once_without_send_once);
	tcase_add_test(tc, test_move_send_once_dead_name);
	tcase_add_test(tc, test_dead_and_null_notify);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(notify_copyin_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
