/* SPDX-License-Identifier: MIT */
/*
 * port-rights.c - every change of the rights a name holds: user
 * references, making and moving rights, destroying them, dead names, and
 * releasing the name once it holds nothing.  Space lock held throughout.
 */
#include "port.h"

#include <errno.h>
#include <unistd.h>

#include <mach/notify.h>

#include "endpoint.h"
#include "fdpass.h"
#include "notifier.h"
#include "wire.h"

/*
 * @p's last send right is gone: close S unless a receive right without a
 * no-senders request keeps it to make send rights.
 */
static void send_released(struct port *p)
{
	if (p->type & MACH_PORT_TYPE_SEND)
		return;
	if (!(p->type & MACH_PORT_TYPE_RECEIVE) || p->u.recv.ns_armed) {
		port_direct_kick(p, true);      /* S wakes them: it must outlast their sleep */
		port_close_fd(p, &p->send_fd);
	}
}

/*
 * End the notification requests on @p's name for the rights it no longer
 * holds.  The watch holds a dup of the subject's fd: left behind, it would
 * keep a dead receive right alive for its senders, or count as a sender
 * forever, and would fire for a name that may be reused.  A dead-name
 * request whose right went while the port lived says so, as xnu's
 * ipc_notify_port_deleted().
 */
static void forget_requests(struct port *p)
{
	bool keep_dead_name = p->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE |
					 MACH_PORT_TYPE_DEAD_NAME);
	bool keep_no_senders = p->type & MACH_PORT_TYPE_RECEIVE;

	if (!keep_dead_name)
		notifier_deleted(p->name);
	if (!keep_no_senders)
		notifier_cancel(p->name, MACH_NOTIFY_NO_SENDERS);
	p->watched = keep_dead_name || keep_no_senders;
}

void port_release_if_empty(struct port *p)
{
	if (p->name && p->watched)
		forget_requests(p);
	if (p->name && (p->type & MACH_PORT_TYPE_ALL_RIGHTS) == 0) {
		space_remove(p->name);
		p->name = MACH_PORT_NULL;
		port_unref(p);  /* the table's reference */
	}
}

kern_return_t port_add_urefs(struct port *p, mach_port_type_t kind, mach_port_delta_t delta)
{
	long n = (long)p->urefs + delta;

	if (!(p->type & kind))
		return KERN_INVALID_RIGHT;
	if (n < 0)
		return KERN_INVALID_VALUE;
	if (n > PORT_UREFS_MAX)
		return KERN_UREFS_OVERFLOW;
	p->urefs = (mach_port_urefs_t)n;
	if (n == 0) {
		p->type &= ~kind;
		if (kind == MACH_PORT_TYPE_SEND)
			send_released(p);
	}
	port_release_if_empty(p);
	return KERN_SUCCESS;
}

/*
 * As xnu's ipc_right_delta(): a count that would pass PORT_UREFS_MAX stays
 * pegged there, and only a delta removing all of them at once moves it.
 */
kern_return_t port_mod_urefs(struct port *p, mach_port_type_t kind, mach_port_delta_t delta)
{
	const long max = PORT_UREFS_MAX;
	long urefs = p->urefs;

	if (!(p->type & kind))
		return KERN_INVALID_RIGHT;
	if (delta > max || delta < -max)
		return KERN_INVALID_VALUE;
	if (urefs == max) {
		if (delta != -max)
			delta = 0;
	} else if (urefs + delta < 0) {
		return KERN_INVALID_VALUE;
	} else if (urefs + delta > max) {
		delta = (mach_port_delta_t)(max - urefs);
	}
	return port_add_urefs(p, kind, delta);
}

kern_return_t port_make_send(struct port *p)
{
	if (!(p->type & MACH_PORT_TYPE_RECEIVE))
		return KERN_INVALID_RIGHT;
	if (port_make_send_fd(p) < 0)
		return KERN_RESOURCE_SHORTAGE;
	p->type |= MACH_PORT_TYPE_SEND;
	if (p->urefs < PORT_UREFS_MAX)
		p->urefs++;     /* pegged at the maximum, as xnu */
	return KERN_SUCCESS;
}

kern_return_t port_guard(struct port *p, mach_port_context_t guard, bool strict, bool immovable)
{
	struct port_recv *rv = &p->u.recv;

	if (rv->context)
		return KERN_INVALID_ARGUMENT;   /* a context or guard is already set */
	rv->context = guard;
	rv->guarded = true;
	rv->strict_guard = strict;
	rv->immovable = rv->immovable || immovable;     /* sticky: unguard keeps it */
	return KERN_SUCCESS;
}

kern_return_t port_unguard(struct port *p, mach_port_context_t guard)
{
	struct port_recv *rv = &p->u.recv;

	if (!rv->guarded || rv->context != guard)
		return KERN_INVALID_ARGUMENT;
	rv->context = 0;
	rv->guarded = rv->strict_guard = false;
	return KERN_SUCCESS;
}

void port_set_seqno(struct port *p, mach_port_seqno_t seqno)
{
	p->u.recv.seqno = seqno;
}

kern_return_t port_set_context(struct port *p, mach_port_context_t context)
{
	if (p->u.recv.strict_guard)
		return KERN_INVALID_ARGUMENT;
	p->u.recv.context = context;
	return KERN_SUCCESS;
}

void port_set_qlimit(struct port *p, mach_port_msgcount_t qlimit)
{
	p->u.recv.qlimit = qlimit;
}

void port_add_send_fd(struct port *p, int fd)
{
	if (p->send_fd >= 0)
		close(fd);
	else
		p->send_fd = fd;
	if (p->urefs < PORT_UREFS_MAX)
		p->urefs++;
	p->type |= MACH_PORT_TYPE_SEND;
}

/* As xnu's copy-in: a count pegged at the maximum stays pegged (port_mod_urefs()). */
void port_drop_send(struct port *p)
{
	if ((p->type & MACH_PORT_TYPE_SEND) && p->urefs > 0)
		port_mod_urefs(p, MACH_PORT_TYPE_SEND, -1);
	else
		port_release_if_empty(p);
}

void port_use_send_once(struct port *p)
{
	port_so_chan_spent(p);
	p->type &= ~MACH_PORT_TYPE_SEND_ONCE;
	port_release_if_empty(p);
}

bool port_send_once_in_flight(const struct port *p)
{
	/* Only a send that moves it pins a send-once right's entry. */
	return (p->type & MACH_PORT_TYPE_SEND_ONCE) && port_pinned(p);
}

int port_take_send_once(struct port *p)
{
	int s = p->send_fd;

	if (!(p->type & MACH_PORT_TYPE_SEND_ONCE) || port_send_once_in_flight(p))
		return -EINVAL;
	/* Its new holder needs a send end of its own, not the channel's. */
	if (port_so_chan_detach(p) < 0)
		return -ENOMEM;
	s = p->send_fd;
	p->send_fd = -1;
	port_use_send_once(p);
	return s;
}

/*
 * An entry for a send-once right under @name (checked free by the caller),
 * its fd not there yet: made and named before the right is made or taken,
 * so that a failure here (no memory for the entry or the name's table)
 * takes nothing, and the right is destroyed once, by the caller.
 * Return: the entry, or NULL with *@kr.
 */
static struct port *send_once_entry_at(mach_port_name_t name, kern_return_t *kr)
{
	struct port *so = port_new_send_once(-1);

	*kr = so ? port_name_at(so, name) : KERN_RESOURCE_SHORTAGE;
	if (*kr == KERN_SUCCESS)
		return so;
	port_unref(so);
	return NULL;
}

/* The entry send_once_entry_at() made gets no right after all: the name is free again. */
static void drop_send_once_entry(struct port *so)
{
	so->type = MACH_PORT_TYPE_NONE;
	port_release_if_empty(so);
}

int port_send_once_fd(struct port *p, bool known)
{
	struct so_pair pair;
	int err;

	if (!(p->type & MACH_PORT_TYPE_RECEIVE))
		return -EINVAL;
	err = port_pair_take(p, 0, known, &pair);
	if (err < 0)
		return err;
	port_pair_given(&pair);
	return pair.s;
}

/* port_send_once_fd() into *@s, its failure as a kern_return_t. */
static kern_return_t new_send_once(struct port *p, int *s, bool kept)
{
	int fd = port_send_once_fd(p, kept);

	if (fd < 0)
		return fd == -EINVAL ? KERN_INVALID_RIGHT : KERN_RESOURCE_SHORTAGE;
	*s = fd;
	return KERN_SUCCESS;
}

kern_return_t port_make_send_once_at(struct port *p, mach_port_name_t name)
{
	kern_return_t kr;
	struct port *so = send_once_entry_at(name, &kr);

	if (!so)
		return kr;      /* nothing made */
	kr = new_send_once(p, &so->send_fd, true);
	if (kr != KERN_SUCCESS)
		drop_send_once_entry(so);
	return kr;
}

kern_return_t port_make_send_once_unused(struct port *p)
{
	int s;
	kern_return_t kr = new_send_once(p, &s, false);

	if (kr == KERN_SUCCESS)
		close(s);       /* its only send end: MACH_NOTIFY_SEND_ONCE, as port_drop_send_once() */
	return kr;
}

kern_return_t port_move_send_once_to(struct port *p, mach_port_name_t name)
{
	kern_return_t kr;
	struct port *so = send_once_entry_at(name, &kr);
	int s;

	if (!so)
		return kr;      /* nothing taken */
	s = port_take_send_once(p);     /* may release @p's entry: not looked at after */
	if (s < 0) {
		drop_send_once_entry(so);
		return KERN_INVALID_RIGHT;
	}
	so->send_fd = s;
	return KERN_SUCCESS;
}

kern_return_t port_drop_send_once(struct port *p)
{
	if (!(p->type & MACH_PORT_TYPE_SEND_ONCE))
		return KERN_INVALID_RIGHT;
	/* Closing the only send end tells the receiver: MACH_NOTIFY_SEND_ONCE;
	 * through a channel, the receiver is told up it. */
	port_so_chan_died(p);
	port_use_send_once(p);
	return KERN_SUCCESS;
}

void port_move_receive(struct port *p)
{
	port_set_remove_member(p);
	port_close_receive(p);
	port_release_if_empty(p);
}

kern_return_t port_request_destroyed(struct port *p, int fd)
{
	if (p->u.recv.pd_fd >= 0) {
		close(fd);
		return KERN_FAILURE;    /* xnu allows one registration */
	}
	p->u.recv.pd_fd = fd;
	return KERN_SUCCESS;
}

/*
 * A port-destroyed request: the receive right leaves in the notification,
 * as if moved, and the port lives on.  Return: whether it left.
 */
static bool hand_back(struct port *p)
{
	int fds[WIRE_MAX_FDS], notify_fd = p->u.recv.pd_fd;
	bool has_s, has_pd, sent;
	uint32_t reserved = 0;
	ssize_t n;

	if (notify_fd < 0)
		return false;
	p->u.recv.pd_fd = -1;   /* used once, whatever happens */

	/* Its channels go with it, as with any move (the daemon, which keeps a
	 * copy of each, closes these). */
	n = port_receive_fds(p, fds, WIRE_MAX_FDS, &has_s, &has_pd, &reserved);
	sent = n >= 0 && notifier_send_receive(notify_fd, fds, (size_t)n, has_s, reserved) == 0;
	close(notify_fd);       /* unsent: the notify port is told, MACH_NOTIFY_SEND_ONCE */
	if (sent)
		port_move_receive(p);
	return sent;
}

kern_return_t port_destroy_receive(struct port *p)
{
	if (!(p->type & MACH_PORT_TYPE_RECEIVE))
		return KERN_INVALID_RIGHT;
	if (hand_back(p))
		return KERN_SUCCESS;
	p->dead = true;
	port_close_receive(p);
	if (p->type & MACH_PORT_TYPE_SEND)
		port_make_dead_name(p);
	port_release_if_empty(p);
	return KERN_SUCCESS;
}

kern_return_t port_destroy_set(struct port *p)
{
	if (!(p->type & MACH_PORT_TYPE_PORT_SET))
		return KERN_INVALID_RIGHT;
	p->type &= ~MACH_PORT_TYPE_PORT_SET;
	port_set_forget(p->name);
	port_release_if_empty(p);
	return KERN_SUCCESS;
}

kern_return_t port_destruct(struct port *p, mach_port_delta_t srdelta, mach_port_context_t guard)
{
	struct port_recv *rv = &p->u.recv;
	kern_return_t kr;

	if (!(p->type & MACH_PORT_TYPE_RECEIVE))
		return KERN_INVALID_RIGHT;
	if (srdelta && !(p->type & MACH_PORT_TYPE_SEND))
		return KERN_INVALID_RIGHT;
	if (srdelta > 0)
		return KERN_INVALID_VALUE;
	if (rv->guarded && guard != rv->context)
		return KERN_INVALID_ARGUMENT;
	if (srdelta) {
		kr = port_mod_urefs(p, MACH_PORT_TYPE_SEND, srdelta);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	return port_destroy_receive(p);
}

/*
 * The last user reference of a plain send right (no notification asked
 * for it): the name goes whether the port is alive or dead, so there is
 * nothing to learn from asking the kernel first.
 */
static bool last_send_ref(const struct port *p)
{
	return p->type == MACH_PORT_TYPE_SEND && p->urefs == 1 && !p->watched;
}

/* xnu's ipc_right_dealloc(): what the name holds decides, a port set is destroyed. */
kern_return_t port_deallocate(struct port *p)
{
	if (!last_send_ref(p))
		port_check_dead(p);
	if (p->type & MACH_PORT_TYPE_SEND)
		return port_mod_urefs(p, MACH_PORT_TYPE_SEND, -1);
	if (p->type & MACH_PORT_TYPE_SEND_ONCE)
		return port_drop_send_once(p);
	if (p->type & MACH_PORT_TYPE_DEAD_NAME)
		return port_mod_urefs(p, MACH_PORT_TYPE_DEAD_NAME, -1);
	if (p->type & MACH_PORT_TYPE_PORT_SET)
		return port_destroy_set(p);
	return KERN_INVALID_RIGHT;
}

/*
 * xnu's ipc_object_destroy() of a right copied in from @p's name, as the
 * three that destroy one do it: mach_port_insert_right() (its trap), a
 * message destroyed unsent (ipc_kmsg_clean()), and mach_msg_destroy()
 * (Libsyscall's).  A moved send or send-once right drops what the name
 * holds by then: a dead name's reference if its port died meanwhile, or
 * if a receive right destroyed before it in the same message killed it.
 */
kern_return_t port_destroy_taken(struct port *p, mach_msg_type_name_t disp)
{
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return port_destroy_receive(p);
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		return port_deallocate(p);
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return port_make_send_once_unused(p);
	default:        /* MAKE_SEND, COPY_SEND: the name gave nothing away */
		return KERN_SUCCESS;
	}
}

kern_return_t port_destroy(struct port *p)
{
	if ((p->type & MACH_PORT_TYPE_RECEIVE) && p->u.recv.guarded)
		return KERN_INVALID_RIGHT;      /* xnu: kGUARD_EXC_DESTROY */
	/* A right whose port died tells its requests so, not that it was deleted. */
	port_check_dead(p);
	if (p->type & MACH_PORT_TYPE_SEND_ONCE)
		port_so_chan_died(p);
	if ((p->type & MACH_PORT_TYPE_RECEIVE) && !hand_back(p)) {
		p->dead = true;
		port_set_remove_member(p);
		port_close_receive(p);
	}
	if (p->type & MACH_PORT_TYPE_PORT_SET)
		port_set_forget(p->name);
	p->type = MACH_PORT_TYPE_NONE;
	p->urefs = 0;
	port_release_if_empty(p);
	return KERN_SUCCESS;
}

/*
 * Replace a port that reached no-senders by a fresh one under the same
 * name.  Only an empty queue is replaced, so no message is ever lost.
 */
static int renew_port(struct port *p)
{
	struct port_recv *rv = &p->u.recv;
	int r, s, err;

	if (fdpass_peek(rv->fd, NULL, 0) != -ENODATA)
		return -EBUSY;  /* messages still queued: receive them first */
	err = endpoint_socketpair(&r, &s);
	if (err < 0)
		return err;
	port_unwatch_fd(p, rv->fd);
	port_close_fd(p, &rv->fd);
	rv->fd = r;
	p->send_fd = s;
	port_set_ino(p, endpoint_inode(s));
	rv->eof = false;
	rv->ns_armed = false;   /* the request fired: it was for the old senders */
	port_watch_fd(p, r);
	return 0;
}

int port_make_send_fd(struct port *p)
{
	int err;

	if (!(p->type & MACH_PORT_TYPE_RECEIVE))
		return -EINVAL;
	if (p->send_fd >= 0)
		return p->send_fd;
	/* -EBUSY: senders elsewhere hold the only S, see mach_port(3) CAVEATS. */
	err = renew_port(p);
	return err < 0 ? err : p->send_fd;
}

void port_note_request(struct port *p, mach_msg_id_t id)
{
	p->watched = true;
	if (id == MACH_NOTIFY_NO_SENDERS) {
		/* Our own S would keep the port from ever having no senders. */
		p->u.recv.ns_armed = true;
		send_released(p);
	}
}

/*
 * As xnu's ipc_right_check(): each dead-name notification about the name
 * carries one more user reference of the dead name, so that its receiver
 * deallocates the name once for the notification and once for its own
 * reference.  Pegged at the maximum, as every count.
 */
static void add_notified_refs(struct port *p, unsigned n)
{
	unsigned long urefs = p->urefs + (unsigned long)n;

	p->urefs = urefs > PORT_UREFS_MAX ? PORT_UREFS_MAX : (mach_port_urefs_t)urefs;
}

void port_make_dead_name(struct port *p)
{
	mach_port_type_t rights = p->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE);
	unsigned notified = 0;

	if (!rights || (p->type & MACH_PORT_TYPE_RECEIVE))
		return;
	if (p->name && p->watched)
		notified = notifier_dead(p->name);
	port_close_fd(p, &p->send_fd);
	port_set_ino(p, 0);
	if (rights & MACH_PORT_TYPE_SEND_ONCE)
		p->urefs = 1;
	p->type = (p->type & ~rights) | MACH_PORT_TYPE_DEAD_NAME;
	add_notified_refs(p, notified);
}

mach_port_type_t port_type(const struct port *p)
{
	if (!p->watched || !(p->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)))
		return p->type;
	return p->type | notifier_requests(p->name);
}

void port_check_dead(struct port *p)
{
	if ((p->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)) &&
	    !(p->type & MACH_PORT_TYPE_RECEIVE) && p->kind != PORT_KIND_MEMORY &&
	    endpoint_hung_up(p->send_fd))
		port_make_dead_name(p);
}

mach_port_type_t port_right_needed(mach_msg_type_name_t disp)
{
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
		return MACH_PORT_TYPE_SEND;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		return MACH_PORT_TYPE_SEND_ONCE;
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_PORT_TYPE_RECEIVE;
	default:
		return 0;
	}
}
