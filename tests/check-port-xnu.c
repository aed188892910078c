/* SPDX-License-Identifier: MIT */
/*
 * check-port-xnu - the return codes of mach_port_mod_refs,
 * mach_port_deallocate, mach_port_destroy and mach_port_insert_right for
 * every kind of right and every wrong use, one table row each, with xnu's
 * answer (osfmk/ipc/ipc_right.c, mach_port.c, ipc_object.c, and xnu's
 * tests mach_port_mod_refs.c, mach_port_insert_right.c,
 * mach_port_deallocate_21692215.c).  Each row runs in its own process.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/notify.h>

#include "helpers/address-cap.h"
#include "helpers/peer.h"

/* What the name under test holds. */
enum kind { RECV, SEND_RECV, SEND, SEND_ONCE, PSET, DEAD, STALE, GUARDED, NUL };
enum call { MOD_REFS, DEALLOC, DESTROY, INSERT };
/* The name mach_port_insert_right() is asked to use. */
enum target { SELF, OTHER, GEN_BAD, INDEX_0, FRESH, TNULL };

struct cell {
	enum kind kind;
	enum call call;
	mach_port_right_t right;        /* MOD_REFS */
	mach_port_delta_t delta;        /* MOD_REFS */
	mach_msg_type_name_t disp;      /* INSERT */
	enum target target;             /* INSERT */
	kern_return_t want;
};

#define R(r) MACH_PORT_RIGHT_##r
#define D(d) MACH_MSG_TYPE_##d
#define MOD(k, r, d, w) { k, MOD_REFS, R(r), d, 0, SELF, w }
#define INS(k, d, t, w) { k, INSERT, 0, 0, D(d), t, w }

static const struct cell cells[] = {
	/* mod_refs on a receive right (xnu's tests/mach_port_mod_refs.c) */
	MOD(RECV, SEND, -1, KERN_INVALID_RIGHT), MOD(RECV, SEND_ONCE, -1, KERN_INVALID_RIGHT),
	MOD(RECV, PORT_SET, -1, KERN_INVALID_RIGHT), MOD(RECV, DEAD_NAME, -1, KERN_INVALID_RIGHT),
	MOD(RECV, LABELH, -1, KERN_INVALID_RIGHT), MOD(RECV, NUMBER, -1, KERN_INVALID_VALUE),
	MOD(RECV, RECEIVE, 1, KERN_INVALID_VALUE), MOD(RECV, RECEIVE, -2, KERN_INVALID_VALUE),
	MOD(RECV, RECEIVE, 0, KERN_SUCCESS), MOD(RECV, RECEIVE, -1, KERN_SUCCESS),
	MOD(RECV, SEND, 0, KERN_INVALID_RIGHT), MOD(RECV, SEND, 1, KERN_INVALID_RIGHT),
	MOD(GUARDED, RECEIVE, -1, KERN_INVALID_RIGHT), MOD(GUARDED, RECEIVE, 0, KERN_SUCCESS),
	MOD(GUARDED, RECEIVE, -2, KERN_INVALID_VALUE),
	/* a send right (with and without the receive right) */
	MOD(SEND, SEND, 0, KERN_SUCCESS), MOD(SEND, SEND, -1, KERN_SUCCESS),
	MOD(SEND, SEND, -2, KERN_INVALID_VALUE), MOD(SEND, SEND, 0x10000, KERN_INVALID_VALUE),
	MOD(SEND, SEND, -0x10000, KERN_INVALID_VALUE), MOD(SEND, SEND, 0xffff, KERN_SUCCESS),
	MOD(SEND, RECEIVE, -1, KERN_INVALID_RIGHT), MOD(SEND, DEAD_NAME, -1, KERN_INVALID_RIGHT),
	MOD(SEND, SEND_ONCE, -1, KERN_INVALID_RIGHT), MOD(SEND, PORT_SET, -1, KERN_INVALID_RIGHT),
	MOD(SEND_RECV, SEND, -1, KERN_SUCCESS), MOD(SEND_RECV, SEND, -2, KERN_INVALID_VALUE),
	MOD(SEND_RECV, RECEIVE, -1, KERN_SUCCESS), MOD(SEND_RECV, DEAD_NAME, 1, KERN_INVALID_RIGHT),
	/* a send-once right */
	MOD(SEND_ONCE, SEND_ONCE, 0, KERN_SUCCESS), MOD(SEND_ONCE, SEND_ONCE, -1, KERN_SUCCESS),
	MOD(SEND_ONCE, SEND_ONCE, 1, KERN_INVALID_VALUE),
	MOD(SEND_ONCE, SEND_ONCE, -2, KERN_INVALID_VALUE),
	MOD(SEND_ONCE, SEND, -1, KERN_INVALID_RIGHT), MOD(SEND_ONCE, RECEIVE, -1, KERN_INVALID_RIGHT),
	/* a port set */
	MOD(PSET, PORT_SET, 0, KERN_SUCCESS), MOD(PSET, PORT_SET, -1, KERN_SUCCESS),
	MOD(PSET, PORT_SET, 1, KERN_INVALID_VALUE), MOD(PSET, PORT_SET, -2, KERN_INVALID_VALUE),
	MOD(PSET, SEND, -1, KERN_INVALID_RIGHT), MOD(PSET, RECEIVE, -1, KERN_INVALID_RIGHT),
	MOD(PSET, NUMBER, -1, KERN_INVALID_VALUE),
	/* a dead name */
	MOD(DEAD, DEAD_NAME, -1, KERN_SUCCESS), MOD(DEAD, DEAD_NAME, 2, KERN_SUCCESS),
	MOD(DEAD, DEAD_NAME, -2, KERN_INVALID_VALUE), MOD(DEAD, DEAD_NAME, 0x10000, KERN_INVALID_VALUE),
	MOD(DEAD, SEND, -1, KERN_INVALID_RIGHT), MOD(DEAD, SEND, 0, KERN_INVALID_RIGHT),
	MOD(DEAD, RECEIVE, -1, KERN_INVALID_RIGHT),
	/* names that hold nothing; MACH_PORT_NULL stands for a send(-once) right */
	MOD(STALE, SEND, -1, KERN_INVALID_NAME), MOD(STALE, RECEIVE, -1, KERN_INVALID_NAME),
	MOD(STALE, NUMBER, -1, KERN_INVALID_VALUE),
	MOD(NUL, SEND, -1, KERN_SUCCESS), MOD(NUL, SEND_ONCE, -1, KERN_SUCCESS),
	MOD(NUL, RECEIVE, -1, KERN_INVALID_NAME), MOD(NUL, DEAD_NAME, -1, KERN_INVALID_NAME),
	/* deallocate (xnu's ipc_right_dealloc(); a port set is destroyed) */
	{ RECV, DEALLOC, 0, 0, 0, SELF, KERN_INVALID_RIGHT },
	{ GUARDED, DEALLOC, 0, 0, 0, SELF, KERN_INVALID_RIGHT },
	{ SEND_RECV, DEALLOC, 0, 0, 0, SELF, KERN_SUCCESS },
	{ SEND, DEALLOC, 0, 0, 0, SELF, KERN_SUCCESS },
	{ SEND_ONCE, DEALLOC, 0, 0, 0, SELF, KERN_SUCCESS },
	{ PSET, DEALLOC, 0, 0, 0, SELF, KERN_SUCCESS },
	{ DEAD, DEALLOC, 0, 0, 0, SELF, KERN_SUCCESS },
	{ STALE, DEALLOC, 0, 0, 0, SELF, KERN_INVALID_NAME },
	{ NUL, DEALLOC, 0, 0, 0, SELF, KERN_SUCCESS },
	/* destroy (a guarded receive right is refused: kGUARD_EXC_DESTROY) */
	{ RECV, DESTROY, 0, 0, 0, SELF, KERN_SUCCESS },
	{ GUARDED, DESTROY, 0, 0, 0, SELF, KERN_INVALID_RIGHT },
	{ SEND_RECV, DESTROY, 0, 0, 0, SELF, KERN_SUCCESS },
	{ SEND, DESTROY, 0, 0, 0, SELF, KERN_SUCCESS },
	{ SEND_ONCE, DESTROY, 0, 0, 0, SELF, KERN_SUCCESS },
	{ PSET, DESTROY, 0, 0, 0, SELF, KERN_SUCCESS },
	{ DEAD, DESTROY, 0, 0, 0, SELF, KERN_SUCCESS },
	{ STALE, DESTROY, 0, 0, 0, SELF, KERN_INVALID_NAME },
	{ NUL, DESTROY, 0, 0, 0, SELF, KERN_SUCCESS },
	/* insert_right onto the port's own name */
	INS(RECV, MAKE_SEND, SELF, KERN_SUCCESS), INS(RECV, COPY_SEND, SELF, KERN_INVALID_RIGHT),
	INS(RECV, MOVE_SEND, SELF, KERN_INVALID_RIGHT), INS(RECV, MOVE_RECEIVE, SELF, KERN_SUCCESS),
	INS(RECV, MAKE_SEND_ONCE, SELF, KERN_NAME_EXISTS),
	INS(SEND, COPY_SEND, SELF, KERN_SUCCESS), INS(SEND, MOVE_SEND, SELF, KERN_SUCCESS),
	INS(SEND, MAKE_SEND, SELF, KERN_INVALID_RIGHT), INS(SEND, MOVE_RECEIVE, SELF, KERN_INVALID_RIGHT),
	INS(SEND_ONCE, MOVE_SEND_ONCE, SELF, KERN_SUCCESS),
	INS(SEND_ONCE, COPY_SEND, SELF, KERN_INVALID_RIGHT),
	INS(PSET, MAKE_SEND, SELF, KERN_INVALID_RIGHT), INS(PSET, MOVE_RECEIVE, SELF, KERN_INVALID_RIGHT),
	INS(DEAD, MAKE_SEND, SELF, KERN_INVALID_CAPABILITY),
	INS(DEAD, COPY_SEND, SELF, KERN_INVALID_CAPABILITY),
	INS(DEAD, MOVE_SEND, SELF, KERN_INVALID_CAPABILITY),
	INS(DEAD, MOVE_SEND_ONCE, SELF, KERN_INVALID_CAPABILITY),
	INS(STALE, MAKE_SEND, SELF, KERN_INVALID_NAME), INS(NUL, MAKE_SEND, SELF, KERN_INVALID_NAME),
	{ RECV, INSERT, 0, 0, 15, SELF, KERN_INVALID_VALUE },
	{ RECV, INSERT, 0, 0, 22, SELF, KERN_INVALID_VALUE },
	/* insert_right under another name (xnu's tests/mach_port_insert_right.c) */
	INS(RECV, MAKE_SEND, INDEX_0, KERN_FAILURE), INS(RECV, MAKE_SEND, GEN_BAD, KERN_INVALID_VALUE),
	INS(RECV, MAKE_SEND, OTHER, KERN_RIGHT_EXISTS), INS(RECV, MAKE_SEND, FRESH, KERN_RIGHT_EXISTS),
	INS(RECV, MAKE_SEND, TNULL, KERN_INVALID_VALUE), INS(SEND, COPY_SEND, TNULL, KERN_INVALID_VALUE),
	/* xnu renames the right here (KERN_SUCCESS): see mach_port(3) CAVEATS */
	INS(RECV, MOVE_RECEIVE, FRESH, KERN_RIGHT_EXISTS),
	INS(SEND_RECV, MOVE_RECEIVE, OTHER, KERN_RIGHT_EXISTS),
	INS(RECV, MOVE_RECEIVE, OTHER, KERN_NAME_EXISTS), INS(SEND, MOVE_SEND, OTHER, KERN_NAME_EXISTS),
	INS(DEAD, COPY_SEND, TNULL, KERN_INVALID_VALUE), INS(DEAD, MOVE_SEND, OTHER, KERN_INVALID_CAPABILITY),
	INS(RECV, MAKE_SEND_ONCE, FRESH, KERN_SUCCESS),
	INS(RECV, MAKE_SEND_ONCE, OTHER, KERN_NAME_EXISTS),
	INS(RECV, MAKE_SEND_ONCE, GEN_BAD, KERN_INVALID_VALUE),
	INS(SEND_ONCE, MOVE_SEND_ONCE, FRESH, KERN_SUCCESS),
	INS(SEND_ONCE, MOVE_SEND_ONCE, OTHER, KERN_NAME_EXISTS),
	INS(SEND, COPY_SEND, OTHER, KERN_RIGHT_EXISTS), INS(SEND, MAKE_SEND, OTHER, KERN_INVALID_RIGHT),
	INS(PSET, MAKE_SEND, INDEX_0, KERN_INVALID_RIGHT),
};

/* The other end of a send-only right's socket, kept open so the port lives. */
static int send_peer = -1;

static mach_port_t make_send_only(void)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	send_peer = sv[0];
	return peer_name_send_fd(sv[1]);
}

static mach_port_t make_kind(enum kind kind)
{
	mach_port_t n = MACH_PORT_NULL;

	switch (kind) {
	case RECV: return peer_port();
	case SEND_RECV: return peer_port_send();
	case SEND: return make_send_only();
	case SEND_ONCE: return peer_send_once(peer_port());
	case PSET:
		ck_assert_int_eq(mach_port_allocate(mach_task_self(), R(PORT_SET), &n), KERN_SUCCESS);
		return n;
	case DEAD:
		ck_assert_int_eq(mach_port_allocate(mach_task_self(), R(DEAD_NAME), &n), KERN_SUCCESS);
		return n;
	case STALE:
		n = peer_port();
		ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), n, R(RECEIVE), -1), KERN_SUCCESS);
		return n;
	case GUARDED:
		n = peer_port();
		ck_assert_int_eq(mach_port_guard(mach_task_self(), n, 0x1234, FALSE), KERN_SUCCESS);
		return n;
	default:
		return MACH_PORT_NULL;
	}
}

/* A valid name that holds nothing: a stale one of a fresh slot. */
static mach_port_t fresh_name(void)
{
	return make_kind(STALE);
}

static mach_port_t target_name(enum target t, mach_port_t self)
{
	switch (t) {
	case SELF: return self;
	case OTHER: return peer_port();
	case GEN_BAD: return 122;       /* low bits not 0b11 */
	case INDEX_0: return 123;
	case FRESH: return fresh_name();
	default: return MACH_PORT_NULL;
	}
}

static kern_return_t run(const struct cell *c, mach_port_t name)
{
	switch (c->call) {
	case MOD_REFS:
		return mach_port_mod_refs(mach_task_self(), name, c->right, c->delta);
	case DEALLOC:
		return mach_port_deallocate(mach_task_self(), name);
	case DESTROY:
		return mach_port_destroy(mach_task_self(), name);
	default:
		return mach_port_insert_right(mach_task_self(), target_name(c->target, name),
					      name, c->disp);
	}
}

START_TEST(test_cell)
{
	const struct cell *c = &cells[_i];
	mach_port_t name = make_kind(c->kind);
	kern_return_t kr = run(c, name);

	ck_assert_msg(kr == c->want, "row %d (kind %d, call %d, right %u, delta %d, disp %u, "
		      "target %d): 0x%x, xnu gives 0x%x", _i, c->kind, c->call, c->right, c->delta,
		      c->disp, c->target, kr, c->want);
}
END_TEST

/* What the successful rows leave behind. */
START_TEST(test_effects)
{
	mach_port_t set = make_kind(PSET), rcv = peer_port(), so, fresh = fresh_name();
	mach_port_type_t t;

	ck_assert_int_eq(mach_port_move_member(mach_task_self(), rcv, set), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), set), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_type(mach_task_self(), set, &t), KERN_INVALID_NAME);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), fresh, rcv, D(MAKE_SEND_ONCE)),
			 KERN_SUCCESS);
	ck_assert_uint_eq(peer_type(fresh), MACH_PORT_TYPE_SEND_ONCE);
	ck_assert_int_eq(peer_send_id(fresh, D(MOVE_SEND_ONCE), 42), MACH_MSG_SUCCESS);
	so = peer_send_once(rcv);
	fresh = fresh_name();
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), fresh, so, D(MOVE_SEND_ONCE)),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_type(mach_task_self(), so, &t), KERN_INVALID_NAME);
	ck_assert_uint_eq(peer_type(fresh), MACH_PORT_TYPE_SEND_ONCE);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), fresh), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), rcv, R(RECEIVE), -1), KERN_SUCCESS);
}
END_TEST

/*
 * A failed mach_port_insert_right() destroys the right it took, as xnu's
 * trap destroys what it copied in and could not copy out (mach_kernelrpc.c,
 * ipc_object_destroy()).  MACH_NOTIFY_SEND_ONCE on @port, at once, and
 * only one.
 */
static void told_send_once_once(mach_port_t port)
{
	struct peer_rcv r;

	ck_assert_int_eq(peer_recv(port, &r, 1000), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, MACH_NOTIFY_SEND_ONCE);
	ck_assert_int_eq(peer_recv(port, &r, 0), MACH_RCV_TIMED_OUT);
}

static kern_return_t insert(mach_port_t name, mach_port_t poly, mach_msg_type_name_t disp)
{
	return mach_port_insert_right(mach_task_self(), name, poly, disp);
}

/* A send-once right made for a name it cannot take is destroyed: its port is told. */
START_TEST(test_failed_make_send_once_tells_port)
{
	mach_port_t rcv = peer_port(), other = peer_port();

	ck_assert_int_eq(insert(rcv, rcv, D(MAKE_SEND_ONCE)), KERN_NAME_EXISTS);
	told_send_once_once(rcv);
	ck_assert_int_eq(insert(other, rcv, D(MAKE_SEND_ONCE)), KERN_NAME_EXISTS);
	told_send_once_once(rcv);
	ck_assert_int_eq(insert(MACH_PORT_NULL, rcv, D(MAKE_SEND_ONCE)), KERN_INVALID_VALUE);
	told_send_once_once(rcv);
	ck_assert_int_eq(insert(122, rcv, D(MAKE_SEND_ONCE)), KERN_INVALID_VALUE);
	told_send_once_once(rcv);
	/* Made and copied send rights leave nothing behind. */
	ck_assert_int_eq(insert(other, rcv, D(MAKE_SEND)), KERN_RIGHT_EXISTS);
	ck_assert_uint_eq(peer_type(rcv), MACH_PORT_TYPE_RECEIVE);
}
END_TEST

/* A moved send-once right is gone, its port told, its dead-name request told it was deleted. */
START_TEST(test_failed_move_send_once_consumed)
{
	mach_port_t rcv = peer_port(), other = peer_port(), n = peer_port();
	mach_port_t so = peer_send_once(rcv), prev;
	mach_port_type_t t;
	struct peer_rcv r;

	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), so, MACH_NOTIFY_DEAD_NAME,
			 1, n, D(MAKE_SEND_ONCE), &prev), KERN_SUCCESS);
	ck_assert_int_eq(insert(other, so, D(MOVE_SEND_ONCE)), KERN_NAME_EXISTS);
	ck_assert_int_eq(mach_port_type(mach_task_self(), so, &t), KERN_INVALID_NAME);
	told_send_once_once(rcv);
	ck_assert_int_eq(peer_recv(n, &r, 1000), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, MACH_NOTIFY_PORT_DELETED);
	so = peer_send_once(rcv);
	ck_assert_int_eq(insert(MACH_PORT_NULL, so, D(MOVE_SEND_ONCE)), KERN_INVALID_VALUE);
	ck_assert_int_eq(mach_port_type(mach_task_self(), so, &t), KERN_INVALID_NAME);
	told_send_once_once(rcv);
}
END_TEST

/* A moved send right loses the reference it moved, wherever the name stays. */
START_TEST(test_failed_move_send_consumed)
{
	mach_port_t s = make_send_only(), sr = peer_port_send(), other = peer_port();
	mach_port_type_t t;

	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), s, R(SEND), 2), KERN_SUCCESS);
	ck_assert_int_eq(insert(other, s, D(MOVE_SEND)), KERN_RIGHT_EXISTS);
	ck_assert_uint_eq(peer_urefs(s, R(SEND)), 2);
	ck_assert_int_eq(insert(MACH_PORT_NULL, s, D(MOVE_SEND)), KERN_INVALID_VALUE);
	ck_assert_uint_eq(peer_urefs(s, R(SEND)), 1);
	/* The last reference, for a name in use: the name goes. */
	ck_assert_int_eq(insert(other, s, D(MOVE_SEND)), KERN_NAME_EXISTS);
	ck_assert_int_eq(mach_port_type(mach_task_self(), s, &t), KERN_INVALID_NAME);
	/* Beside the receive right. */
	ck_assert_int_eq(insert(other, sr, D(MOVE_SEND)), KERN_RIGHT_EXISTS);
	ck_assert_uint_eq(peer_type(sr), MACH_PORT_TYPE_RECEIVE);
	/* Copied, nothing goes. */
	ck_assert_int_eq(insert(other, sr, D(MAKE_SEND)), KERN_RIGHT_EXISTS);
	ck_assert_int_eq(insert(sr, sr, D(MAKE_SEND)), KERN_SUCCESS);
	ck_assert_int_eq(insert(other, sr, D(COPY_SEND)), KERN_RIGHT_EXISTS);
	ck_assert_uint_eq(peer_urefs(sr, R(SEND)), 1);
}
END_TEST

/* A moved receive right is destroyed: its port dies, or goes to its port-destroyed request. */
START_TEST(test_failed_move_receive_destroyed)
{
	mach_port_t sr = peer_port_send(), rcv = peer_port(), other = peer_port();
	mach_port_t n = peer_port(), prev;
	mach_port_type_t t;
	struct peer_rcv r;

	ck_assert_int_eq(insert(other, sr, D(MOVE_RECEIVE)), KERN_RIGHT_EXISTS);
	ck_assert_uint_eq(peer_type(sr), MACH_PORT_TYPE_DEAD_NAME);
	ck_assert_int_eq(insert(other, rcv, D(MOVE_RECEIVE)), KERN_NAME_EXISTS);
	ck_assert_int_eq(mach_port_type(mach_task_self(), rcv, &t), KERN_INVALID_NAME);
	rcv = peer_port();
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), rcv,
			 MACH_NOTIFY_PORT_DESTROYED, 0, n, D(MAKE_SEND_ONCE), &prev), KERN_SUCCESS);
	ck_assert_int_eq(insert(MACH_PORT_NULL, rcv, D(MOVE_RECEIVE)), KERN_INVALID_VALUE);
	ck_assert_int_eq(peer_recv(n, &r, 1000), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.msg.head.msgh_id, MACH_NOTIFY_PORT_DESTROYED);
	ck_assert_uint_eq(r.msg.port.disposition, MACH_MSG_TYPE_PORT_RECEIVE);
	ck_assert_uint_eq(peer_type(r.msg.port.name), MACH_PORT_TYPE_RECEIVE);
	/* Where xnu would rename it, and where it cannot be taken, it stays. */
	rcv = peer_port();
	ck_assert_int_eq(insert(fresh_name(), rcv, D(MOVE_RECEIVE)), KERN_RIGHT_EXISTS);
	ck_assert_uint_eq(peer_type(rcv), MACH_PORT_TYPE_RECEIVE);
}
END_TEST

/* An immovable receive right is not taken (ipc_right_copyin(): kGUARD_EXC_IMMOVABLE). */
START_TEST(test_failed_immovable_receive_kept)
{
	mach_port_options_t o = { .flags = MPO_CONTEXT_AS_GUARD | MPO_IMMOVABLE_RECEIVE };
	mach_port_t a = MACH_PORT_NULL, other = peer_port();

	ck_assert_int_eq(mach_port_construct(mach_task_self(), &o, 0x42, &a), KERN_SUCCESS);
	ck_assert_int_eq(insert(MACH_PORT_NULL, a, D(MOVE_RECEIVE)), KERN_INVALID_CAPABILITY);
	ck_assert_int_eq(insert(other, a, D(MOVE_RECEIVE)), KERN_INVALID_CAPABILITY);
	ck_assert_int_eq(insert(a, a, D(MOVE_RECEIVE)), KERN_INVALID_CAPABILITY);
	ck_assert_uint_eq(peer_type(a), MACH_PORT_TYPE_RECEIVE);
	/* Its send-once rights can be made, and failing, tell it. */
	ck_assert_int_eq(insert(other, a, D(MAKE_SEND_ONCE)), KERN_NAME_EXISTS);
	told_send_once_once(a);
}
END_TEST

/* A dead name moved loses a reference, copied it keeps it: MACH_PORT_DEAD cannot be named. */
START_TEST(test_failed_dead_name_moved)
{
	mach_port_t d = make_kind(DEAD), other = peer_port();
	mach_port_type_t t;

	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), d, R(DEAD_NAME), 1), KERN_SUCCESS);
	ck_assert_int_eq(insert(d, d, D(COPY_SEND)), KERN_INVALID_CAPABILITY);
	ck_assert_int_eq(insert(other, d, D(COPY_SEND)), KERN_INVALID_CAPABILITY);
	ck_assert_uint_eq(peer_urefs(d, R(DEAD_NAME)), 2);
	ck_assert_int_eq(insert(d, d, D(MOVE_SEND)), KERN_INVALID_CAPABILITY);
	ck_assert_uint_eq(peer_urefs(d, R(DEAD_NAME)), 1);
	ck_assert_int_eq(insert(other, d, D(MOVE_SEND_ONCE)), KERN_INVALID_CAPABILITY);
	ck_assert_int_eq(mach_port_type(mach_task_self(), d, &t), KERN_INVALID_NAME);
}
END_TEST

/* The highest name a space holds: naming it grows the table to its most, 32 MiB. */
#define FAR_NAME ((mach_port_name_t)((((1u << 20) - 1) << 8) | 0x03))
/* Room left in the address space for what the call needs besides the table. */
#define HEADROOM (4u << 20)

#if defined(__SANITIZE_ADDRESS__)
/* An allocation that fails returns NULL under AddressSanitizer too, as malloc(3) does. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
#endif

/*
 * mach_port_insert_right() of @poly under FAR_NAME, the address space
 * capped just above what is mapped: the name's table cannot grow.
 */
static kern_return_t insert_without_memory(mach_port_t poly, mach_msg_type_name_t disp)
{
	struct rlimit saved;
	kern_return_t kr;

	address_cap(HEADROOM, &saved);
	kr = insert(FAR_NAME, poly, disp);
	address_uncap(&saved);
	return kr;
}

/*
 * A send-once right that the name it is given cannot take for want of
 * memory is destroyed once: its port is told once, and a moved one is
 * gone from its name.
 */
START_TEST(test_unnamed_send_once_destroyed_once)
{
	mach_port_t rcv = peer_port(), so = peer_send_once(rcv);
	mach_port_type_t t;

	ck_assert_int_eq(insert_without_memory(rcv, D(MAKE_SEND_ONCE)), KERN_RESOURCE_SHORTAGE);
	told_send_once_once(rcv);
	ck_assert_int_eq(insert_without_memory(so, D(MOVE_SEND_ONCE)), KERN_RESOURCE_SHORTAGE);
	ck_assert_int_eq(mach_port_type(mach_task_self(), so, &t), KERN_INVALID_NAME);
	told_send_once_once(rcv);
	ck_assert_int_eq(mach_port_type(mach_task_self(), FAR_NAME, &t), KERN_INVALID_NAME);
}
END_TEST

static Suite *port_xnu_suite(void)
{
	Suite *s = suite_create("port-xnu");
	TCase *tc = tcase_create("codes");
	TCase *failed = tcase_create("failed-insert");

	tcase_add_loop_test(tc, test_cell, 0, (int)(sizeof(cells) / sizeof(cells[0])));
	tcase_add_test(tc, test_effects);
	suite_add_tcase(s, tc);
	tcase_add_test(failed, test_failed_make_send_once_tells_port);
	tcase_add_test(failed, test_failed_move_send_once_consumed);
	tcase_add_test(failed, test_failed_move_send_consumed);
	tcase_add_test(failed, test_failed_move_receive_destroyed);
	tcase_add_test(failed, test_failed_dead_name_moved);
	tcase_add_test(failed, test_failed_immovable_receive_kept);
	tcase_add_test(failed, test_unnamed_send_once_destroyed_once);
	suite_add_tcase(s, failed);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(port_xnu_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
