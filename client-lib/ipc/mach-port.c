/* SPDX-License-Identifier: MIT */
/*
 * mach-port.c - mach_port_* calls on the task's IPC space.
 */
#include "port.h"

#include <errno.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bootstrap/linux.h>

#include "fdpass.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT mach_port_t mach_task_self_ = TASK_SELF_NAME;

int port_socketpair(int *r, int *s)
{
	int sv[2], one = 1;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	if (setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		int err = -errno;

		close(sv[0]);
		close(sv[1]);
		return err;
	}
	*r = sv[0];
	*s = sv[1];
	return 0;
}

bool port_is_dead_send(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLERR));
}

void port_to_dead_name(struct port *p)
{
	mach_port_type_t rights = p->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE);

	if (!rights || (p->type & MACH_PORT_TYPE_RECEIVE))
		return;
	if (p->send_fd >= 0)
		close(p->send_fd);
	p->send_fd = -1;
	p->ino = 0;
	if (rights & MACH_PORT_TYPE_SEND_ONCE)
		p->urefs = 1;
	p->type = (p->type & ~rights) | MACH_PORT_TYPE_DEAD_NAME;
}

void port_check_dead(struct port *p)
{
	if ((p->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)) &&
	    !(p->type & MACH_PORT_TYPE_RECEIVE) && p->mem_fd < 0 && port_is_dead_send(p->send_fd))
		port_to_dead_name(p);
}

/*
 * Replace a port that reached no-senders by a fresh one under the same
 * name.  Only an empty queue is replaced, so no message is ever lost.
 */
static int renew_port(struct port *p)
{
	int r, s, err;

	if (fdpass_peek(p->recv_fd, NULL, 0) != -ENODATA)
		return -EBUSY;  /* messages still queued: receive them first */
	err = port_socketpair(&r, &s);
	if (err < 0)
		return err;
	port_unwatch_fd(p, p->recv_fd);
	close(p->recv_fd);
	p->recv_fd = r;
	p->send_fd = s;
	p->ino = fd_inode(s);
	p->recv_eof = false;
	p->ns_armed = false;    /* the request fired: it was for the old senders */
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

static kern_return_t allocate_receive(struct port *p)
{
	if (port_socketpair(&p->recv_fd, &p->send_fd) < 0)
		return KERN_RESOURCE_SHORTAGE;
	p->ino = fd_inode(p->send_fd);
	p->type = MACH_PORT_TYPE_RECEIVE;
	return KERN_SUCCESS;
}

static kern_return_t allocate_right(struct port *p, mach_port_right_t right)
{
	switch (right) {
	case MACH_PORT_RIGHT_RECEIVE:
		return allocate_receive(p);
	case MACH_PORT_RIGHT_PORT_SET:
		p->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (p->epfd < 0)
			return KERN_RESOURCE_SHORTAGE;
		p->type = MACH_PORT_TYPE_PORT_SET;
		return KERN_SUCCESS;
	case MACH_PORT_RIGHT_DEAD_NAME:
		p->type = MACH_PORT_TYPE_DEAD_NAME;
		p->urefs = 1;
		return KERN_SUCCESS;
	default:
		return KERN_INVALID_VALUE;
	}
}

EXPORT kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right,
					mach_port_name_t *name)
{
	struct port *p;
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (!name)
		return KERN_INVALID_ARGUMENT;
	p = port_new();
	if (!p)
		return KERN_RESOURCE_SHORTAGE;
	kr = allocate_right(p, right);
	if (kr != KERN_SUCCESS) {
		port_unref(p);
		return kr;
	}
	space_lock();
	*name = space_add(p);
	space_unlock();
	if (*name == MACH_PORT_NULL) {
		port_unref(p);
		return KERN_NO_SPACE;
	}
	return KERN_SUCCESS;
}

/* Look @name up for a call on @task; space lock held on success. */
static kern_return_t lookup(ipc_space_t task, mach_port_name_t name, struct port **out)
{
	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_NAME;
	space_lock();
	*out = space_get(name);
	if (!*out) {
		space_unlock();
		return KERN_INVALID_NAME;
	}
	return KERN_SUCCESS;
}

static kern_return_t add_urefs(struct port *p, mach_port_type_t kind, mach_port_delta_t delta)
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
			port_send_released(p);
	}
	port_release_if_empty(p);
	return KERN_SUCCESS;
}

static kern_return_t insert_send(struct port *p, mach_msg_type_name_t poly)
{
	if (poly == MACH_MSG_TYPE_MAKE_SEND) {
		if (!(p->type & MACH_PORT_TYPE_RECEIVE))
			return KERN_INVALID_RIGHT;
		if (p->urefs >= PORT_UREFS_MAX)
			return KERN_UREFS_OVERFLOW;
		if (port_make_send_fd(p) < 0)
			return KERN_RESOURCE_SHORTAGE;
		p->type |= MACH_PORT_TYPE_SEND;
		p->urefs++;
		return KERN_SUCCESS;
	}
	if (poly == MACH_MSG_TYPE_COPY_SEND)
		return add_urefs(p, MACH_PORT_TYPE_SEND, 1);
	if (poly == MACH_MSG_TYPE_MOVE_SEND)
		return (p->type & MACH_PORT_TYPE_SEND) ? KERN_SUCCESS : KERN_INVALID_RIGHT;
	return KERN_INVALID_VALUE;
}

EXPORT kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
					    mach_port_t poly, mach_msg_type_name_t polyPoly)
{
	struct port *p;
	kern_return_t kr = lookup(task, poly, &p);

	if (kr != KERN_SUCCESS)
		return kr == KERN_INVALID_NAME ? KERN_INVALID_CAPABILITY : kr;
	/* One port has one name in a space: the right lands under poly's name. */
	kr = name == poly ? insert_send(p, polyPoly) : KERN_RIGHT_EXISTS;
	space_unlock();
	return kr;
}

static kern_return_t destroy_receive(struct port *p)
{
	if (!(p->type & MACH_PORT_TYPE_RECEIVE))
		return KERN_INVALID_RIGHT;
	p->dead = true;
	port_close_receive(p);
	if (p->type & MACH_PORT_TYPE_SEND)
		port_to_dead_name(p);
	port_release_if_empty(p);
	return KERN_SUCCESS;
}

static kern_return_t destroy_port_set(struct port *p)
{
	if (!(p->type & MACH_PORT_TYPE_PORT_SET))
		return KERN_INVALID_RIGHT;
	p->type &= ~MACH_PORT_TYPE_PORT_SET;
	space_forget_set(p->name);
	port_release_if_empty(p);
	return KERN_SUCCESS;
}

static kern_return_t drop_send_once(struct port *p)
{
	if (!(p->type & MACH_PORT_TYPE_SEND_ONCE))
		return KERN_INVALID_RIGHT;
	/* Closing the only send end tells the receiver: MACH_NOTIFY_SEND_ONCE. */
	p->type &= ~MACH_PORT_TYPE_SEND_ONCE;
	port_release_if_empty(p);
	return KERN_SUCCESS;
}

/*
 * The order of the checks is xnu's ipc_right_delta(): a missing right is
 * KERN_INVALID_RIGHT whatever the delta; single rights take 0 or -1 only.
 */
static kern_return_t mod_refs(struct port *p, mach_port_right_t right, mach_port_delta_t delta)
{
	if (right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_DEAD_NAME) {
		mach_port_type_t kind = MACH_PORT_TYPE(right);

		if (delta == 0)
			return (p->type & kind) ? KERN_SUCCESS : KERN_INVALID_RIGHT;
		return add_urefs(p, kind, delta);
	}
	if (!(p->type & MACH_PORT_TYPE(right)))
		return KERN_INVALID_RIGHT;      /* LABELH included: nobody holds one */
	if (delta < -1 || delta > 0)
		return KERN_INVALID_VALUE;
	if (delta == 0)
		return KERN_SUCCESS;
	switch (right) {
	case MACH_PORT_RIGHT_RECEIVE:
		return destroy_receive(p);
	case MACH_PORT_RIGHT_SEND_ONCE:
		return drop_send_once(p);
	default:
		return destroy_port_set(p);
	}
}

EXPORT kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
					mach_port_right_t right, mach_port_delta_t delta)
{
	struct port *p;
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	/* As xnu: dropping a send(-once) right on MACH_PORT_NULL/DEAD is a no-op. */
	if (!MACH_PORT_VALID(name))
		return right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_SEND_ONCE ?
			KERN_SUCCESS : KERN_INVALID_NAME;
	kr = lookup(task, name, &p);
	if (kr != KERN_SUCCESS)
		return kr;
	if (right == MACH_PORT_RIGHT_DEAD_NAME)
		port_check_dead(p);
	kr = mod_refs(p, right, delta);
	space_unlock();
	return kr;
}

/*
 * lookup() for calls that release rights: as xnu, MACH_PORT_NULL and
 * MACH_PORT_DEAD hold nothing to release (KERN_SUCCESS, *p NULL, no lock).
 */
static kern_return_t lookup_to_release(ipc_space_t task, mach_port_name_t name, struct port **p)
{
	*p = NULL;
	if (task == mach_task_self() && !MACH_PORT_VALID(name))
		return KERN_SUCCESS;
	return lookup(task, name, p);
}

EXPORT kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	struct port *p;
	kern_return_t kr;

	kr = lookup_to_release(task, name, &p);
	if (kr != KERN_SUCCESS || !p)
		return kr;
	if (p->type & MACH_PORT_TYPE_SEND)
		kr = add_urefs(p, MACH_PORT_TYPE_SEND, -1);
	else if (p->type & MACH_PORT_TYPE_SEND_ONCE)
		kr = drop_send_once(p);
	else if (p->type & MACH_PORT_TYPE_DEAD_NAME)
		kr = add_urefs(p, MACH_PORT_TYPE_DEAD_NAME, -1);
	else
		kr = KERN_INVALID_RIGHT;
	space_unlock();
	return kr;
}

EXPORT kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	struct port *p;
	kern_return_t kr;

	kr = lookup_to_release(task, name, &p);
	if (kr != KERN_SUCCESS || !p)
		return kr;
	if (p->type & MACH_PORT_TYPE_RECEIVE) {
		p->dead = true;
		port_set_remove_member(p);
		port_close_receive(p);
	}
	if (p->type & MACH_PORT_TYPE_PORT_SET)
		space_forget_set(p->name);
	p->type = MACH_PORT_TYPE_NONE;
	p->urefs = 0;
	port_release_if_empty(p);
	space_unlock();
	return KERN_SUCCESS;
}

static mach_port_urefs_t refs_of(const struct port *p, mach_port_right_t right)
{
	switch (right) {
	case MACH_PORT_RIGHT_SEND:
		return (p->type & MACH_PORT_TYPE_SEND) ? p->urefs : 0;
	case MACH_PORT_RIGHT_DEAD_NAME:
		return (p->type & MACH_PORT_TYPE_DEAD_NAME) ? p->urefs : 0;
	default:
		return (p->type & MACH_PORT_TYPE(right)) ? 1 : 0;
	}
}

EXPORT kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
					mach_port_right_t right, mach_port_urefs_t *refs)
{
	struct port *p;
	kern_return_t kr;

	if (right >= MACH_PORT_RIGHT_NUMBER || !refs)
		return KERN_INVALID_VALUE;
	kr = lookup(task, name, &p);
	if (kr != KERN_SUCCESS)
		return kr;
	*refs = refs_of(p, right);
	space_unlock();
	return KERN_SUCCESS;
}

EXPORT kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name, mach_port_type_t *ptype)
{
	struct port *p;
	kern_return_t kr;

	if (!ptype)
		return KERN_INVALID_ARGUMENT;
	if (task == mach_task_self() && name == MACH_PORT_DEAD) {
		*ptype = MACH_PORT_TYPE_DEAD_NAME;      /* as xnu */
		return KERN_SUCCESS;
	}
	kr = lookup(task, name, &p);

	if (kr != KERN_SUCCESS)
		return kr;
	port_check_dead(p);
	*ptype = p->type;
	space_unlock();
	return KERN_SUCCESS;
}

EXPORT kern_return_t bootstrap_port_get_fd(mach_port_name_t name, int *fd)
{
	struct port *p;
	kern_return_t kr = lookup(mach_task_self(), name, &p);

	if (kr != KERN_SUCCESS)
		return kr;
	if (p->type & MACH_PORT_TYPE_RECEIVE) {
		/* Not R alone: replies and notifications arrive on send-once queues. */
		*fd = port_rcv_epoll(p);
		if (*fd < 0)
			kr = KERN_RESOURCE_SHORTAGE;
	} else if (p->type & MACH_PORT_TYPE_PORT_SET)
		*fd = p->epfd;
	else
		kr = KERN_INVALID_RIGHT;
	space_unlock();
	return kr;
}
