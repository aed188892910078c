/* SPDX-License-Identifier: MIT */
/*
 * check-msg-ports - out-of-line port arrays (MACH_MSG_OOL_PORTS_DESCRIPTOR)
 * with every disposition, NULL and DEAD elements, the sender's deallocate,
 * the received array in new memory, and the limits; guarded port
 * descriptors (MACH_MSG_GUARDED_PORT_DESCRIPTOR) with and without
 * MACH_RCV_GUARDED_DESC.  Across processes: check-mig's port_array routine.
 */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_vm.h>

#include "helpers/peer.h"
#include "wire.h"

#define N 4

#pragma pack(push, 4)
struct array_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_ool_ports_descriptor_t list;
	int32_t tail;
};

struct guarded_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_guarded_port_descriptor_t g;
	int32_t tail;
};
#pragma pack(pop)

union rcv_buf {
	struct array_msg a;
	struct guarded_msg g;
	char space[sizeof(struct array_msg) + MAX_TRAILER_SIZE];
};

static void setup(void)
{
	peer_fd_mark(false);
}

static void teardown(void)
{
	peer_fd_check();
}

static mach_msg_return_t send_array(mach_port_t dest, mach_port_name_t *names, mach_msg_size_t n,
				    mach_msg_type_name_t disp, bool dealloc)
{
	struct array_msg m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
				       MACH_MSGH_BITS_COMPLEX,
			  .msgh_size = sizeof(m), .msgh_remote_port = dest, .msgh_id = 5 },
		.body = { 1 },
		.list = { .address = names, .count = n, .deallocate = dealloc,
			  .copy = MACH_MSG_VIRTUAL_COPY, .disposition = disp,
			  .type = MACH_MSG_OOL_PORTS_DESCRIPTOR },
		.tail = 77,
	};

	return mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL,
			PEER_TIMEOUT_MS, MACH_PORT_NULL);
}

static void take(mach_port_t p, union rcv_buf *b, mach_msg_option_t opt)
{
	memset(b, 0, sizeof(*b));
	ck_assert_int_eq(mach_msg(&b->a.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT | opt, 0, sizeof(*b),
				  p, PEER_TIMEOUT_MS, MACH_PORT_NULL), MACH_MSG_SUCCESS);
}

/* The received array: as XNU hands it out, @n names in new memory. */
static const mach_port_name_t *received(const union rcv_buf *b, mach_msg_size_t n,
					mach_msg_type_name_t disp)
{
	ck_assert(MACH_MSGH_BITS_IS_COMPLEX(b->a.head.msgh_bits));
	ck_assert_uint_eq(b->a.head.msgh_size, sizeof(struct array_msg));
	ck_assert_uint_eq(b->a.body.msgh_descriptor_count, 1);
	ck_assert_uint_eq(b->a.list.type, MACH_MSG_OOL_PORTS_DESCRIPTOR);
	ck_assert_uint_eq(b->a.list.disposition, disp);
	ck_assert_uint_eq(b->a.list.count, n);
	ck_assert_uint_eq(b->a.list.deallocate, TRUE);
	ck_assert_uint_eq(b->a.list.copy, MACH_MSG_VIRTUAL_COPY);
	ck_assert_int_eq(b->a.tail, 77);
	return b->a.list.address;
}

static void release_array(const union rcv_buf *b)
{
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)b->a.list.address,
				       b->a.list.count * sizeof(mach_port_name_t)), KERN_SUCCESS);
}

/* Send rights: copied, made and moved; NULL and DEAD pass as they are. */
START_TEST(test_send_dispositions)
{
	mach_port_t box = peer_port(), p[N] = { peer_port_send(), peer_port_send(), peer_port(),
						 peer_port_send() };
	mach_port_name_t names[N + 2] = { p[0], MACH_PORT_NULL, p[1], MACH_PORT_DEAD, p[3], p[3] };
	mach_port_name_t made[2] = { p[2], p[2] };
	const mach_port_name_t *got;
	union rcv_buf b;

	ck_assert_int_eq(send_array(box, names, N + 2, MACH_MSG_TYPE_COPY_SEND, false),
			 MACH_SEND_INVALID_DEST);      /* box has no send right */
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), box, box, MACH_MSG_TYPE_MAKE_SEND),
			 KERN_SUCCESS);
	ck_assert_int_eq(send_array(box, names, N + 2, MACH_MSG_TYPE_COPY_SEND, false),
			 MACH_MSG_SUCCESS);
	take(box, &b, 0);
	got = received(&b, N + 2, MACH_MSG_TYPE_PORT_SEND);
	ck_assert_uint_eq(got[0], p[0]);
	ck_assert_uint_eq(got[1], MACH_PORT_NULL);
	ck_assert_uint_eq(got[2], p[1]);
	ck_assert_uint_eq(got[3], MACH_PORT_DEAD);
	ck_assert_uint_eq(got[4], p[3]);
	ck_assert_uint_eq(got[5], p[3]);
	ck_assert_uint_eq(peer_urefs(p[0], MACH_PORT_RIGHT_SEND), 2);
	ck_assert_uint_eq(peer_urefs(p[3], MACH_PORT_RIGHT_SEND), 3);
	release_array(&b);
	/* MAKE_SEND from receive rights. */
	ck_assert_int_eq(send_array(box, made, 2, MACH_MSG_TYPE_MAKE_SEND, false), MACH_MSG_SUCCESS);
	take(box, &b, 0);
	got = received(&b, 2, MACH_MSG_TYPE_PORT_SEND);
	ck_assert_uint_eq(got[0], p[2]);
	ck_assert_uint_eq(peer_urefs(p[2], MACH_PORT_RIGHT_SEND), 2);
	release_array(&b);
	/* MOVE_SEND: the sender's references go with the message and come back. */
	ck_assert_int_eq(send_array(box, &p[0], 1, MACH_MSG_TYPE_MOVE_SEND, false), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(peer_urefs(p[0], MACH_PORT_RIGHT_SEND), 1);
	take(box, &b, 0);
	ck_assert_uint_eq(received(&b, 1, MACH_MSG_TYPE_PORT_SEND)[0], p[0]);
	ck_assert_uint_eq(peer_urefs(p[0], MACH_PORT_RIGHT_SEND), 2);
	release_array(&b);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(mach_port_destroy(mach_task_self(), p[i]), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

/* Send-once rights, made and moved: each a new name that carries one message. */
START_TEST(test_send_once_dispositions)
{
	mach_port_t box = peer_port_send(), r = peer_port();
	mach_port_name_t names[2] = { r, r };
	mach_port_name_t once[2];
	const mach_port_name_t *got;
	union rcv_buf b;

	ck_assert_int_eq(send_array(box, names, 2, MACH_MSG_TYPE_MAKE_SEND_ONCE, false),
			 MACH_MSG_SUCCESS);
	take(box, &b, 0);
	got = received(&b, 2, MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_uint_ne(got[0], got[1]);
	ck_assert_uint_eq(peer_type(got[0]), MACH_PORT_TYPE_SEND_ONCE);
	memcpy(once, got, sizeof(once));
	release_array(&b);
	/* Moved on: used up here, and each still reaches r. */
	ck_assert_int_eq(send_array(box, once, 2, MACH_MSG_TYPE_MOVE_SEND_ONCE, false),
			 MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_port_type(mach_task_self(), once[0], &(mach_port_type_t){ 0 }),
			 KERN_INVALID_NAME);
	take(box, &b, 0);
	got = received(&b, 2, MACH_MSG_TYPE_PORT_SEND_ONCE);
	for (int i = 0; i < 2; i++) {
		struct peer_rcv rr;

		ck_assert_int_eq(peer_send_id(got[i], MACH_MSG_TYPE_MOVE_SEND_ONCE, 100 + i),
				 MACH_MSG_SUCCESS);
		ck_assert_int_eq(peer_recv(r, &rr, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
		ck_assert_int_eq(rr.msg.head.msgh_id, 100 + i);
	}
	release_array(&b);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), r), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

/* Receive rights move out with the message, with what is queued on them, and come back. */
START_TEST(test_move_receive)
{
	mach_port_t box = peer_port_send(), a = peer_port_send(), c = peer_port();
	mach_port_name_t names[2] = { a, c };
	const mach_port_name_t *got;
	struct peer_rcv rr;
	union rcv_buf b;

	ck_assert_int_eq(peer_send_id(a, MACH_MSG_TYPE_COPY_SEND, 9), MACH_MSG_SUCCESS);
	ck_assert_int_eq(send_array(box, names, 2, MACH_MSG_TYPE_MOVE_RECEIVE, false),
			 MACH_MSG_SUCCESS);
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_SEND);
	ck_assert_int_eq(mach_port_type(mach_task_self(), c, &(mach_port_type_t){ 0 }),
			 KERN_INVALID_NAME);
	take(box, &b, 0);
	got = received(&b, 2, MACH_MSG_TYPE_PORT_RECEIVE);
	ck_assert_uint_eq(got[0], a);            /* back under the name of our send right */
	ck_assert(peer_type(got[1]) & MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_eq(peer_recv(a, &rr, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(rr.msg.head.msgh_id, 9);
	/* A port carrying its own receive right (in an array too): as xnu,
	 * the message is destroyed, the port with it, and the send done. */
	ck_assert_int_eq(send_array(box, &box, 1, MACH_MSG_TYPE_MOVE_RECEIVE, false),
			 MACH_MSG_SUCCESS);
	ck_assert_uint_eq(peer_type(box), MACH_PORT_TYPE_DEAD_NAME);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), got[1]), KERN_SUCCESS);
	release_array(&b);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), a), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

/* With deallocate, the sender's array is gone once the message went; kept if it did not. */
START_TEST(test_deallocate)
{
	mach_port_t box = peer_port_send(), p = peer_port_send();
	mach_vm_address_t a = 0;
	mach_port_name_t *names;
	vm_offset_t data;
	mach_msg_type_number_t n;
	union rcv_buf b;

	ck_assert_int_eq(mach_vm_allocate(mach_task_self(), &a, vm_page_size, VM_FLAGS_ANYWHERE),
			 KERN_SUCCESS);
	names = (mach_port_name_t *)(uintptr_t)a;
	names[0] = p;
	names[1] = 0x7ffff03;                   /* no such name */
	ck_assert_int_eq(send_array(box, names, 2, MACH_MSG_TYPE_MOVE_SEND, true),
			 MACH_SEND_INVALID_RIGHT);
	/* As xnu: the array was given away once read, and the right taken
	 * before the bad name was destroyed with the message. */
	ck_assert_int_eq(mach_vm_read(mach_task_self(), a, 4, &data, &n), KERN_INVALID_ADDRESS);
	ck_assert_uint_eq(peer_urefs(p, MACH_PORT_RIGHT_SEND), 0);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_vm_allocate(mach_task_self(), &a, vm_page_size, VM_FLAGS_ANYWHERE),
			 KERN_SUCCESS);
	names = (mach_port_name_t *)(uintptr_t)a;
	names[0] = p;
	ck_assert_int_eq(send_array(box, names, 1, MACH_MSG_TYPE_MOVE_SEND, true), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_vm_read(mach_task_self(), a, 4, &data, &n), KERN_INVALID_ADDRESS);
	ck_assert_uint_eq(peer_urefs(p, MACH_PORT_RIGHT_SEND), 0);
	take(box, &b, 0);
	ck_assert_uint_eq(received(&b, 1, MACH_MSG_TYPE_PORT_SEND)[0], p);
	/* mach_msg_destroy() releases the rights and the array. */
	a = (uintptr_t)b.a.list.address;
	mach_msg_destroy(&b.a.head);
	ck_assert_uint_eq(peer_urefs(p, MACH_PORT_RIGHT_SEND), 0);
	ck_assert_int_eq(mach_vm_read(mach_task_self(), a, 4, &data, &n), KERN_INVALID_ADDRESS);
	/* An empty array: no memory on either side. */
	ck_assert_int_eq(send_array(box, NULL, 0, MACH_MSG_TYPE_COPY_SEND, true), MACH_MSG_SUCCESS);
	take(box, &b, 0);
	ck_assert_ptr_null(received(&b, 0, MACH_MSG_TYPE_PORT_SEND));
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

START_TEST(test_refusals)
{
	mach_port_t box = peer_port_send(), p = peer_port_send(), many[65];
	mach_port_name_t *nulls = calloc(5000, sizeof(*nulls));
	char *none = mmap(NULL, vm_page_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	union rcv_buf b;

	ck_assert_ptr_nonnull(nulls);
	ck_assert_ptr_ne(none, MAP_FAILED);
	ck_assert_int_eq(send_array(box, (mach_port_name_t *)none, 1, MACH_MSG_TYPE_COPY_SEND, false),
			 MACH_SEND_INVALID_MEMORY);
	ck_assert_int_eq(send_array(box, NULL, 2, MACH_MSG_TYPE_COPY_SEND, false),
			 MACH_SEND_INVALID_MEMORY);
	ck_assert_int_eq(send_array(box, &p, 1, MACH_MSG_TYPE_PORT_NAME, false),
			 MACH_SEND_INVALID_RIGHT);
	ck_assert_int_eq(send_array(box, &p, 1, MACH_MSG_TYPE_MOVE_SEND_ONCE, false),
			 MACH_SEND_INVALID_RIGHT);
	/* Each right is an fd: 64 in one message at most. */
	for (int i = 0; i < 65; i++)
		many[i] = peer_port_send();
	ck_assert_int_eq(send_array(box, many, 65, MACH_MSG_TYPE_MOVE_SEND, false),
			 MACH_SEND_TOO_LARGE);
	for (int i = 0; i < 65; i++) {
		ck_assert_uint_eq(peer_urefs(many[i], MACH_PORT_RIGHT_SEND), 1);
		ck_assert_int_eq(mach_port_destroy(mach_task_self(), many[i]), KERN_SUCCESS);
	}
	/* Names without rights cost no fd: as many as the datagram holds, up to 4096. */
	ck_assert_int_eq(send_array(box, nulls, 4097, MACH_MSG_TYPE_COPY_SEND, false),
			 MACH_SEND_TOO_LARGE);
	ck_assert_int_eq(send_array(box, nulls, 4096, MACH_MSG_TYPE_COPY_SEND, false),
			 MACH_MSG_SUCCESS);
	take(box, &b, 0);
	ck_assert_uint_eq(received(&b, 4096, MACH_MSG_TYPE_PORT_SEND)[4095], MACH_PORT_NULL);
	release_array(&b);
	free(nulls);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

static mach_msg_return_t send_guarded(mach_port_t dest, mach_port_t name, mach_msg_type_name_t disp,
				      mach_msg_guard_flags_t flags, mach_port_context_t ctx)
{
	struct guarded_msg m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
				       MACH_MSGH_BITS_COMPLEX,
			  .msgh_size = sizeof(m), .msgh_remote_port = dest },
		.body = { 1 },
		.g = { .context = ctx, .flags = flags, .disposition = disp,
		       .type = MACH_MSG_GUARDED_PORT_DESCRIPTOR, .name = name },
	};

	return mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL,
			PEER_TIMEOUT_MS, MACH_PORT_NULL);
}

START_TEST(test_guarded)
{
	mach_port_t box = peer_port_send(), g = peer_port_send();
	union rcv_buf b;

	/* XNU's checks: a receive right, some flags and only known ones, no context if unguarded. */
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE,
				      0), MACH_SEND_INVALID_TYPE);
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_TYPE_MOVE_RECEIVE, 0, 0), MACH_SEND_INVALID_TYPE);
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_TYPE_MOVE_RECEIVE, 0x4, 0), MACH_SEND_INVALID_TYPE);
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_TYPE_MOVE_RECEIVE,
				      MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND, 5), MACH_SEND_INVALID_TYPE);
	ck_assert_int_eq(send_guarded(box, 0x7ffff03, MACH_MSG_TYPE_MOVE_RECEIVE,
				      MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0), MACH_SEND_INVALID_RIGHT);
	ck_assert(peer_type(g) & MACH_PORT_TYPE_RECEIVE);
	/* Taken by a receiver that says it takes guarded descriptors (guards: check-msg-guard). */
	ck_assert_int_eq(peer_send_id(g, MACH_MSG_TYPE_COPY_SEND, 3), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_port_guard(mach_task_self(), g, 0x1234, FALSE), KERN_SUCCESS);
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_TYPE_MOVE_RECEIVE,
				      MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0x1234), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(peer_type(g), MACH_PORT_TYPE_SEND);
	take(box, &b, MACH_RCV_GUARDED_DESC);
	ck_assert_uint_eq(b.g.head.msgh_size, sizeof(struct guarded_msg));
	ck_assert_uint_eq(b.g.g.type, MACH_MSG_GUARDED_PORT_DESCRIPTOR);
	ck_assert_uint_eq(b.g.g.disposition, MACH_MSG_TYPE_PORT_RECEIVE);
	ck_assert_uint_eq(b.g.g.flags, MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE);
	ck_assert_uint_eq(b.g.g.context, (mach_port_context_t)(uintptr_t)&b);
	ck_assert_uint_eq(b.g.g.name, g);
	ck_assert(peer_type(g) & MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_eq(mach_port_destruct(mach_task_self(), g, -1, b.g.g.context), KERN_SUCCESS);
	g = peer_port_send();
	/* A receiver that does not: the right is destroyed, the descriptor names nothing. */
	ck_assert_int_eq(send_guarded(box, g, MACH_MSG_TYPE_MOVE_RECEIVE,
				      MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND, 0), MACH_MSG_SUCCESS);
	take(box, &b, 0);
	ck_assert_uint_eq(b.g.g.type, MACH_MSG_GUARDED_PORT_DESCRIPTOR);
	ck_assert_uint_eq(b.g.g.name, MACH_PORT_NULL);
	ck_assert_uint_eq(b.g.g.context, 0);
	ck_assert_int_eq(peer_send_id(g, MACH_MSG_TYPE_COPY_SEND, 4), MACH_SEND_INVALID_DEST);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), g), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), box), KERN_SUCCESS);
}
END_TEST

#pragma pack(push, 4)
struct three_arrays {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_ool_ports_descriptor_t d[3];
};
#pragma pack(pop)

static void array_desc(mach_msg_ool_ports_descriptor_t *d, mach_port_name_t *names,
		       mach_msg_size_t n, mach_msg_type_name_t disp)
{
	*d = (mach_msg_ool_ports_descriptor_t){ .address = names, .count = n, .disposition = disp,
						.copy = MACH_MSG_VIRTUAL_COPY,
						.type = MACH_MSG_OOL_PORTS_DESCRIPTOR };
}

/*
 * The child: a receive right with two messages queued, and send-once and
 * send rights to its own port, all in arrays to its bootstrap port (the
 * parent's); then the three messages the parent sends back.
 */
static int array_child(void)
{
	mach_port_t a = MACH_PORT_NULL, r = MACH_PORT_NULL;
	mach_port_name_t moved[1], once[2], send[1];
	struct three_arrays m = { .head = { .msgh_bits = MACH_MSGH_BITS_COMPLEX |
					    MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
					    .msgh_size = sizeof(m), .msgh_id = 1 },
				  .body = { 3 } };
	union rcv_buf b;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &a) ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &r) ||
	    peer_send_id(a, MACH_MSG_TYPE_MAKE_SEND, 11) || peer_send_id(a, MACH_MSG_TYPE_MAKE_SEND, 12))
		return 2;
	moved[0] = a;
	once[0] = once[1] = send[0] = r;
	m.head.msgh_remote_port = bootstrap_port;
	array_desc(&m.d[0], moved, 1, MACH_MSG_TYPE_MOVE_RECEIVE);
	array_desc(&m.d[1], once, 2, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	array_desc(&m.d[2], send, 1, MACH_MSG_TYPE_MAKE_SEND);
	if (mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, 0, 0, 0))
		return 3;
	for (int id = 21; id <= 23; id++)
		if (mach_msg(&b.a.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), r,
			     PEER_TIMEOUT_MS, 0) || b.a.head.msgh_id < 21 || b.a.head.msgh_id > 23)
			return 4;
	return 0;
}

/* Arrays of receive, send-once and send rights between two processes. */
START_TEST(test_across_processes)
{
	mach_port_t home = peer_port_send();
	struct three_arrays *m;
	union { struct three_arrays m; char space[sizeof(struct three_arrays) + MAX_TRAILER_SIZE]; } b;
	const mach_port_name_t *moved, *once, *send;
	struct peer_rcv r;
	int ws;
	pid_t pid;

	ck_assert_int_eq(task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, home),
			 KERN_SUCCESS);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(array_child());
	ck_assert_int_eq(mach_msg(&b.m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), home,
				  PEER_TIMEOUT_MS, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	m = &b.m;
	ck_assert_uint_eq(m->body.msgh_descriptor_count, 3);
	ck_assert_uint_eq(m->d[0].disposition, MACH_MSG_TYPE_PORT_RECEIVE);
	ck_assert_uint_eq(m->d[1].disposition, MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_uint_eq(m->d[2].disposition, MACH_MSG_TYPE_PORT_SEND);
	moved = m->d[0].address;
	once = m->d[1].address;
	send = m->d[2].address;
	/* The moved right came with what was queued on it. */
	for (int id = 11; id <= 12; id++) {
		ck_assert_int_eq(peer_recv(moved[0], &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
		ck_assert_int_eq(r.msg.head.msgh_id, id);
	}
	ck_assert_uint_ne(once[0], once[1]);
	ck_assert_int_eq(peer_send_id(once[0], MACH_MSG_TYPE_MOVE_SEND_ONCE, 21), MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_send_id(once[1], MACH_MSG_TYPE_MOVE_SEND_ONCE, 22), MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_send_id(send[0], MACH_MSG_TYPE_COPY_SEND, 23), MACH_MSG_SUCCESS);
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	ck_assert(WIFEXITED(ws));
	ck_assert_int_eq(WEXITSTATUS(ws), 0);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), moved[0]), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), send[0]), KERN_SUCCESS);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)m->d[i].address,
					       m->d[i].count * sizeof(mach_port_name_t)), KERN_SUCCESS);
	ck_assert_int_eq(task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, MACH_PORT_NULL),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), home), KERN_SUCCESS);
}
END_TEST

/* A port array datagram: header, the array's descriptor, then @n element records. */
struct raw_array {
	struct wire_hdr h;
	struct wire_desc d;
	struct wire_desc e[2];
};

static void raw_init(struct raw_array *r, uint32_t n, int kind)
{
	memset(r, 0, sizeof(*r));
	r->h = (struct wire_hdr){ .magic = WIRE_MAGIC, .bits = MACH_MSGH_BITS_COMPLEX, .ndesc = 1,
				  .data_len = (uint32_t)(n * sizeof(struct wire_desc)) };
	r->d = (struct wire_desc){ .type = MACH_MSG_OOL_PORTS_DESCRIPTOR,
				   .disposition = MACH_MSG_TYPE_PORT_SEND, .kind = WIRE_PORT_ARRAY,
				   .size = n };
	for (uint32_t i = 0; i < n; i++) {
		r->e[i] = (struct wire_desc){ .type = MACH_MSG_PORT_DESCRIPTOR,
					      .disposition = MACH_MSG_TYPE_PORT_SEND,
					      .kind = (uint8_t)kind };
		r->e[i].nfds = kind == WIRE_PORT_SEND;
		r->d.nfds += r->e[i].nfds;
	}
}

/* Write @r into @port's queue with @fd (if >= 0), and expect it refused, its fd closed. */
static void refused(mach_port_t port, struct raw_array *r, int fd)
{
	int s = peer_send_fd(port);
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { r, sizeof(r->h) + sizeof(r->d) + r->h.data_len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	union rcv_buf b;

	r->h.nfds = fd >= 0;
	if (fd >= 0) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		m.msg_control = ctl.buf;
		m.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&m);
		*c = (struct cmsghdr){ .cmsg_len = CMSG_LEN(sizeof(int)), .cmsg_level = SOL_SOCKET,
				       .cmsg_type = SCM_RIGHTS };
		memcpy(CMSG_DATA(c), &fd, sizeof(fd));
	}
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(sendmsg(s, &m, MSG_NOSIGNAL), (ssize_t)iov.iov_len);
	close(s);
	if (fd >= 0)
		close(fd);
	/* Dropped unseen: the datagram is queued already, so nothing comes;
	 * a message sent after it is the next one received. */
	ck_assert_int_eq(mach_msg(&b.a.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), port,
				  0, MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(peer_send_id(port, MACH_MSG_TYPE_MAKE_SEND, 4711), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_msg(&b.a.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), port,
				  0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_int_eq(b.a.head.msgh_id, 4711);
}

/* Hostile arrays: each refused before anything is named, every fd closed. */
START_TEST(test_hostile_arrays)
{
	mach_port_t port = peer_port_send(), other = peer_port_send();
	struct raw_array r;
	int pipefd[2];

	raw_init(&r, 2, WIRE_PORT_NULL);
	r.d.size = 3;                                   /* more elements than records */
	refused(port, &r, -1);
	raw_init(&r, 1, WIRE_PORT_NULL);
	r.d.offset = 2;                                 /* not aligned */
	refused(port, &r, -1);
	raw_init(&r, 1, WIRE_OOL_INLINE);               /* not a right */
	refused(port, &r, -1);
	raw_init(&r, 1, WIRE_PORT_ARRAY);               /* no arrays in arrays */
	refused(port, &r, -1);
	raw_init(&r, 1, WIRE_PORT_NULL);
	r.e[0].type = MACH_MSG_OOL_DESCRIPTOR;
	refused(port, &r, -1);
	raw_init(&r, 1, WIRE_PORT_SEND);
	r.e[0].kind = WIRE_PORT_SEND_ONCE;              /* a right, but not the array's */
	r.e[0].disposition = MACH_MSG_TYPE_PORT_SEND_ONCE;
	refused(port, &r, peer_send_fd(other));
	raw_init(&r, 1, WIRE_PORT_SEND);
	r.d.nfds = 0;                                   /* the element's fd unaccounted */
	refused(port, &r, peer_send_fd(other));
	ck_assert_int_eq(pipe(pipefd), 0);
	close(pipefd[0]);
	raw_init(&r, 1, WIRE_PORT_SEND);                /* a pipe is no port */
	refused(port, &r, pipefd[1]);
	raw_init(&r, 0, WIRE_PORT_NULL);
	r.d.type = MACH_MSG_GUARDED_PORT_DESCRIPTOR;    /* guarded: a receive right or none */
	r.d.kind = WIRE_PORT_SEND;
	r.d.nfds = 1;
	refused(port, &r, peer_send_fd(other));
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), other), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), port), KERN_SUCCESS);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("msg-ports");
	TCase *tc = tcase_create("msg-ports");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_send_dispositions);
	tcase_add_test(tc, test_send_once_dispositions);
	tcase_add_test(tc, test_move_receive);
	tcase_add_test(tc, test_deallocate);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_guarded);
	tcase_add_test(tc, test_hostile_arrays);
	tcase_add_test(tc, test_across_processes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
