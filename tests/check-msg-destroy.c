/* SPDX-License-Identifier: MIT */
/*
 * check-msg-destroy - what a receiver owns and mach_msg_destroy() frees,
 * as XNU and Libsyscall have it: out-of-line memory arrives with the
 * sender's copy option and deallocate set for a virtual copy only, and is
 * freed only when the message owns it; mach_port_extract_right() of the
 * caller's own task, and a send-once right an unsent message would make.
 */
#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <mach/mach.h>
#include <mach/mach_vm.h>
#include <mach/notify.h>

#include "helpers/peer.h"
#include "helpers/runner.h"

static void setup(void)
{
	peer_fd_mark(false);
}

static void teardown(void)
{
	peer_fd_check();
}

#pragma pack(push, 4)
struct region_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t ool;
};

union region_rcv {
	struct region_msg m;
	char space[sizeof(struct region_msg) + MAX_TRAILER_SIZE];
};
#pragma pack(pop)

/* @size bytes at @addr to @box with copy option @copy. */
static mach_msg_return_t send_region(mach_port_t box, void *addr, mach_msg_size_t size,
				     mach_msg_copy_options_t copy)
{
	struct region_msg m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
				       MACH_MSGH_BITS_COMPLEX,
			  .msgh_size = sizeof(m), .msgh_remote_port = box },
		.body = { 1 },
		.ool = { .address = addr, .size = size, .copy = copy,
			 .type = MACH_MSG_OOL_DESCRIPTOR },
	};

	return mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

static bool mapped(const void *addr)
{
	vm_offset_t data;
	mach_msg_type_number_t n;

	if (mach_vm_read(mach_task_self(), (mach_vm_address_t)(uintptr_t)addr, 4, &data, &n) !=
	    KERN_SUCCESS)
		return false;
	vm_deallocate(mach_task_self(), data, n);
	return true;
}

/*
 * As xnu tells a receiver of out-of-line memory: the sender's copy option,
 * and deallocate set for a virtual copy only; mach_msg_destroy() frees a
 * region only if deallocate says the message owns it, as Libsyscall's
 * does.  It used to say a virtual copy always, and free every region:
 * a server's own buffers in an unsent reply, too.
 */
START_TEST(test_ool_copy_options)
{
	static const mach_msg_size_t sizes[] = { 64, 100000 };
	mach_port_t box = peer_port_send();
	char *buf = calloc(1, 100000);
	union region_rcv r;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ck_assert_int_eq(send_region(box, buf, sizes[i], MACH_MSG_VIRTUAL_COPY), 0);
		ck_assert_int_eq(mach_msg(&r.m.head, MACH_RCV_MSG, 0, sizeof(r), box, 0,
					  MACH_PORT_NULL), MACH_MSG_SUCCESS);
		ck_assert_int_eq(r.m.ool.copy, MACH_MSG_VIRTUAL_COPY);
		ck_assert(r.m.ool.deallocate);
		mach_msg_destroy(&r.m.head);
		ck_assert(!mapped(r.m.ool.address));
		ck_assert_int_eq(send_region(box, buf, sizes[i], MACH_MSG_PHYSICAL_COPY), 0);
		ck_assert_int_eq(mach_msg(&r.m.head, MACH_RCV_MSG, 0, sizeof(r), box, 0,
					  MACH_PORT_NULL), MACH_MSG_SUCCESS);
		ck_assert_int_eq(r.m.ool.copy, MACH_MSG_PHYSICAL_COPY);
		ck_assert(!r.m.ool.deallocate);
		mach_msg_destroy(&r.m.head);
		ck_assert(mapped(r.m.ool.address));
		vm_deallocate(mach_task_self(), (vm_address_t)r.m.ool.address, sizes[i]);
	}
	ck_assert_int_eq(send_region(box, buf, 64, MACH_MSG_ALLOCATE), MACH_SEND_INVALID_TYPE);
	/* An unsent message that does not give its region away keeps it. */
	r.m = (struct region_msg){
		.head = { .msgh_bits = MACH_MSGH_BITS_COMPLEX },
		.body = { 1 },
		.ool = { .address = buf, .size = 64, .type = MACH_MSG_OOL_DESCRIPTOR },
	};
	mach_msg_destroy(&r.m.head);
	ck_assert(mapped(buf));
	free(buf);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

/*
 * mach_port_extract_right() of the caller's own task, as xnu's: the right
 * comes back as a MIG reply would bring it (a send right under the port's
 * name, a send-once right under a new one), with xnu's codes for what
 * cannot be taken; and mach_msg_destroy() of an unsent message that would
 * have made a send-once right tells its port, as Libsyscall's does.
 */
START_TEST(test_extract_right)
{
	mach_port_t p = peer_port(), got;
	mach_msg_type_name_t type;

	/* No place for the answer: refused before the right moves (it used to crash after). */
	ck_assert_int_eq(mach_port_extract_right(mach_task_self(), p, MACH_MSG_TYPE_MOVE_RECEIVE,
						 NULL, &type), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(mach_port_extract_right(mach_task_self(), p, MACH_MSG_TYPE_MAKE_SEND,
						 &got, NULL), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(mach_port_extract_right(mach_task_self(), p, MACH_MSG_TYPE_MAKE_SEND,
						 &got, &type), KERN_SUCCESS);
	ck_assert_uint_eq(got, p);
	ck_assert_uint_eq(type, MACH_MSG_TYPE_PORT_SEND);
	ck_assert_uint_eq(peer_urefs(p, MACH_PORT_RIGHT_SEND), 1);
	ck_assert_int_eq(mach_port_extract_right(mach_task_self(), p, MACH_MSG_TYPE_COPY_SEND,
						 &got, &type), KERN_SUCCESS);
	ck_assert_uint_eq(peer_urefs(p, MACH_PORT_RIGHT_SEND), 2);
	ck_assert_int_eq(mach_port_extract_right(mach_task_self(), p, MACH_MSG_TYPE_MAKE_SEND_ONCE,
						 &got, &type), KERN_SUCCESS);
	ck_assert_uint_ne(got, p);
	ck_assert_uint_eq(type, MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_uint_eq(peer_type(got), MACH_PORT_TYPE_SEND_ONCE);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), got), KERN_SUCCESS);
	ck_assert(peer_told_send_once(p));
	ck_assert_int_eq(mach_port_extract_right(mach_task_self(), 0x4207, MACH_MSG_TYPE_COPY_SEND,
						 &got, &type), KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_extract_right(mach_task_self(), p, MACH_MSG_TYPE_MOVE_SEND_ONCE,
						 &got, &type), KERN_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_extract_right(mach_task_self(), p, 15, &got, &type),
			 KERN_INVALID_VALUE);
	{
		mach_msg_header_t h = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0),
					.msgh_remote_port = p };

		mach_msg_destroy(&h);
	}
	ck_assert(peer_told_send_once(p));
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
}
END_TEST

#pragma pack(push, 4)
struct ports_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t d[3];
	uint32_t pad[8];        /* room for a trailer when received */
};
#pragma pack(pop)

/* To @dest (MAKE_SEND), @n port descriptors: @names[i] with @disps[i]. */
static void ports_init(struct ports_msg *m, mach_port_t dest, size_t n, const mach_port_t *names,
		       const mach_msg_type_name_t *disps)
{
	*m = (struct ports_msg){
		.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) |
				       MACH_MSGH_BITS_COMPLEX,
			  .msgh_size = (mach_msg_size_t)offsetof(struct ports_msg, pad),
			  .msgh_remote_port = dest },
		.body = { (mach_msg_size_t)n },
	};
	for (size_t i = 0; i < n; i++)
		m->d[i] = (mach_msg_port_descriptor_t){ .name = names[i], .disposition = disps[i],
							.type = MACH_MSG_PORT_DESCRIPTOR };
}

static mach_msg_return_t ports_send(struct ports_msg *m)
{
	return mach_msg(&m->head, MACH_SEND_MSG, m->head.msgh_size, 0, MACH_PORT_NULL, 0,
			MACH_PORT_NULL);
}

/*
 * As xnu's copy-in: a send right moved out of a name whose count is
 * pegged at the maximum leaves it pegged, whether the message went, its
 * body failed and destroyed what it took, mach_port_insert_right()
 * destroyed it, or mach_msg_destroy() did.  A message used to count the
 * move down from the maximum.
 */
START_TEST(test_moved_send_leaves_pegged_count)
{
	mach_port_t box = peer_port(), a = peer_port_send();
	mach_port_t names[] = { a, 0x4207 };
	mach_msg_type_name_t disps[] = { MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_COPY_SEND };
	struct ports_msg m;

	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_SEND, 0xffff),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 0xffff);
	ports_init(&m, box, 1, names, disps);
	ck_assert_int_eq(ports_send(&m), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 0xffff);
	ck_assert_int_eq(mach_msg(&m.head, MACH_RCV_MSG, 0, sizeof(m), box, 0, MACH_PORT_NULL),
			 MACH_MSG_SUCCESS);
	mach_msg_destroy(&m.head);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 0xffff);
	ports_init(&m, box, 2, names, disps);
	ck_assert_int_eq(ports_send(&m), MACH_SEND_INVALID_RIGHT);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 0xffff);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), box, a, MACH_MSG_TYPE_MOVE_SEND),
			 KERN_RIGHT_EXISTS);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 0xffff);
	ports_init(&m, box, 1, names, disps);
	mach_msg_destroy(&m.head);
	ck_assert_uint_eq(peer_urefs(a, MACH_PORT_RIGHT_SEND), 0xffff);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_SEND, -0xffff),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), a), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

/*
 * A message that carries a name's receive right and then its last send
 * reference takes both out of the name, as xnu copies them in, in order;
 * destroyed (its body failed, or it carried its destination's receive
 * right), it leaves nothing under the name, as mach_msg_destroy() of the
 * same message does.  The destroyed receive right used to turn the send
 * reference still to be destroyed into a dead name that stayed behind.
 */
START_TEST(test_destroyed_receive_then_its_send)
{
	mach_port_t box = peer_port(), a = peer_port_send();
	mach_port_t names[] = { a, a, 0x4207 };
	mach_msg_type_name_t disps[] = { MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_MOVE_SEND,
					 MACH_MSG_TYPE_COPY_SEND };
	mach_port_type_t type;
	struct ports_msg m;

	ports_init(&m, box, 3, names, disps);
	ck_assert_int_eq(ports_send(&m), MACH_SEND_INVALID_RIGHT);
	ck_assert_int_eq(mach_port_type(mach_task_self(), a, &type), KERN_INVALID_NAME);
	names[0] = names[1] = a = peer_port_send();
	ports_init(&m, a, 2, names, disps);
	ck_assert_int_eq(ports_send(&m), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_port_type(mach_task_self(), a, &type), KERN_INVALID_NAME);
	names[0] = names[1] = a = peer_port_send();
	ports_init(&m, box, 2, names, disps);
	mach_msg_destroy(&m.head);
	ck_assert_int_eq(mach_port_type(mach_task_self(), a, &type), KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

/*
 * mach_msg_destroy() of a guarded receive right in a plain port
 * descriptor leaves it, as Libsyscall's mach_port_mod_refs() cannot
 * destroy it (xnu raises a guard exception instead).
 */
START_TEST(test_guarded_receive_stays)
{
	mach_port_t a = peer_port();
	mach_msg_type_name_t disp = MACH_MSG_TYPE_MOVE_RECEIVE;
	mach_port_type_t type;
	struct ports_msg m;

	ck_assert_int_eq(mach_port_guard(mach_task_self(), a, 0x1234, false), KERN_SUCCESS);
	ports_init(&m, MACH_PORT_NULL, 1, &a, &disp);
	mach_msg_destroy(&m.head);
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_eq(mach_port_unguard(mach_task_self(), a, 0x1234), KERN_SUCCESS);
	mach_msg_destroy(&m.head);
	ck_assert_int_eq(mach_port_type(mach_task_self(), a, &type), KERN_INVALID_NAME);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("msg-destroy");
	TCase *tc = tcase_create("msg-destroy");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ool_copy_options);
	tcase_add_test(tc, test_extract_right);
	tcase_add_test(tc, test_moved_send_leaves_pegged_count);
	tcase_add_test(tc, test_destroyed_receive_then_its_send);
	tcase_add_test(tc, test_guarded_receive_stays);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(suite(), NULL, 0, argc, argv);
}
