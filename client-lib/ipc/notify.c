/* SPDX-License-Identifier: MIT */
/*
 * notify.c - dead-name and no-senders requests, checked against the
 * rights the names hold and handed to the notification thread (notifier.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <mach/notify.h>

#include "notifier.h"
#include "notify.h"
#include "port.h"

/* A copy of @fd, the caller's.  Return: it, or a negative errno. */
static int copy_fd(int fd)
{
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	return copy < 0 ? -errno : copy;
}

/*
 * MOVE_SEND_ONCE of @n, as xnu's copy-in: a dead name (a send-once right
 * whose port died is one) gives a dead right, one user reference taken.
 * Space lock held.  Return: the send end, -EPIPE for the dead right, or
 * -EINVAL without the right.
 */
static int move_send_once_fd(struct port *n)
{
	port_check_dead(n);
	if (n->type & MACH_PORT_TYPE_DEAD_NAME) {
		port_mod_urefs(n, MACH_PORT_TYPE_DEAD_NAME, -1);
		return -EPIPE;
	}
	return port_take_send_once(n);
}

/*
 * The fd the notification will be sent on.  Space lock held.  Return: it,
 * -ENOENT (@notify names nothing), -EINVAL (it cannot give that right),
 * -EPIPE (it gave a dead right), or the negative errno of a copy or
 * socketpair that could not be made (no fd or memory left).
 */
static int notify_fd(mach_port_name_t notify, mach_msg_type_name_t poly)
{
	struct port *n = space_get(notify);
	int s;

	if (!n)
		return -ENOENT;
	switch (poly) {
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		/* Held by the notification thread, then closed: not known by its inode. */
		return port_send_once_fd(n, false);
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		return move_send_once_fd(n);
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
		s = poly == MACH_MSG_TYPE_MAKE_SEND ? port_make_send_fd(n) :
			((n->type & MACH_PORT_TYPE_SEND) ? n->send_fd : -EINVAL);
		/* -EBUSY: no send end to make one from; else a socketpair the
		 * system could not make (port_make_send_fd()) */
		if (s == -EBUSY)
			return -EINVAL;
		return s < 0 ? s : copy_fd(s);
	default:
		return -EINVAL;
	}
}

/*
 * notify_fd()'s failure as xnu reports it.  A send-once right is copied in
 * first (ipc_object_copyin()): a name not in the space is KERN_INVALID_NAME,
 * one without the right KERN_INVALID_RIGHT, and the dead right a dead name
 * gives is refused as a dead notify port, KERN_INVALID_CAPABILITY.  A send
 * right @notify cannot give is KERN_INVALID_CAPABILITY.  A copy the system
 * could not make is xnu's KERN_RESOURCE_SHORTAGE for a request it cannot
 * allocate (ipc_right_request_alloc()).
 */
static kern_return_t notify_fd_error(int err, mach_msg_type_name_t poly)
{
	bool send_once = poly == MACH_MSG_TYPE_MAKE_SEND_ONCE || poly == MACH_MSG_TYPE_MOVE_SEND_ONCE;

	if (err == -EPIPE || ((err == -ENOENT || err == -EINVAL) && !send_once))
		return KERN_INVALID_CAPABILITY;
	if (err == -ENOENT)
		return KERN_INVALID_NAME;
	return err == -EINVAL ? KERN_INVALID_RIGHT : KERN_RESOURCE_SHORTAGE;
}

/*
 * The fd whose event is the notification, a dup owned by the caller: the
 * send end for a dead name (it hangs up) or send-possible (it can take a
 * message), the receive end for no-senders (it hangs up).  Space lock held.
 * Return: it, -EINVAL without the right, or the negative errno of the copy.
 */
static int subject_fd(const struct port *p, mach_msg_id_t id)
{
	if (id != MACH_NOTIFY_NO_SENDERS) {
		if (!(p->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)) ||
		    (p->type & MACH_PORT_TYPE_RECEIVE) || port_memory(p))
			return -EINVAL;
		return copy_fd(p->send_fd);
	}
	if (!(p->type & MACH_PORT_TYPE_RECEIVE))
		return -EINVAL;
	return copy_fd(p->u.recv.fd);
}

/* The replaced request's send-once right, named in the space.  Space lock held. */
static mach_port_t name_previous(int fd)
{
	struct port *so;
	mach_port_name_t name;

	if (fd < 0)
		return MACH_PORT_NULL;
	so = port_new_send_once(fd);
	if (!so) {
		close(fd);      /* the notify port is told: MACH_NOTIFY_SEND_ONCE */
		return MACH_PORT_NULL;
	}
	name = port_name(so);
	if (name == MACH_PORT_NULL)
		port_unref(so);
	return name;
}

/*
 * Space lock held: the watch is in place before the right can go away.
 * Takes *@nfd on success (set to -1), and when the watch takes it.
 */
static kern_return_t watch_subject(struct port *p, const struct notify_req *rq, int *nfd,
				   mach_port_t *previous)
{
	int fd = subject_fd(p, rq->id), prev = -1, err;

	if (fd < 0)
		return fd == -EINVAL ? KERN_INVALID_RIGHT : KERN_RESOURCE_SHORTAGE;
	err = notifier_watch(fd, *nfd, rq->id, rq->name, &prev);
	*nfd = -1;      /* taken in every case */
	*previous = name_previous(prev);
	if (err < 0)
		return KERN_RESOURCE_SHORTAGE;
	port_note_request(p, rq->id);
	return KERN_SUCCESS;
}

/*
 * A request on a name that is already dead: xnu's immediate notification,
 * or a refusal.  Takes *@nfd on success.
 */
static kern_return_t dead_already(struct port *p, const struct notify_req *rq, int *nfd)
{
	if (rq->sync == 0 || *nfd < 0)
		return KERN_INVALID_ARGUMENT;
	/* The notification carries the name: one more dead-name reference, as xnu. */
	port_mod_urefs(p, MACH_PORT_TYPE_DEAD_NAME, 1);
	notifier_send(*nfd, MACH_NOTIFY_DEAD_NAME, rq->name);
	*nfd = -1;
	return KERN_SUCCESS;
}

/*
 * xnu: one port-destroyed request per port; it cannot be cancelled or
 * replaced.  Takes *@nfd on success.
 */
static kern_return_t request_destroyed(struct port *p, int *nfd)
{
	int fd = *nfd;

	if (p->u.recv.pd_fd >= 0)
		return KERN_FAILURE;
	if (fd < 0)
		return KERN_SUCCESS;    /* no notify port: nothing asked */
	*nfd = -1;
	return port_request_destroyed(p, fd);   /* takes it in every case */
}

/* xnu's checks of the subject for each kind of request. */
static kern_return_t check_subject(const struct port *p, mach_msg_id_t id)
{
	if (!p)
		return KERN_INVALID_NAME;
	if (id == MACH_NOTIFY_NO_SENDERS || id == MACH_NOTIFY_PORT_DESTROYED)
		return (p->type & MACH_PORT_TYPE_RECEIVE) ? KERN_SUCCESS : KERN_INVALID_RIGHT;
	return KERN_SUCCESS;
}

/* xnu's checks of the name before the look-up, per kind of request. */
static kern_return_t check_request(const struct notify_req *rq)
{
	switch (rq->id) {
	case MACH_NOTIFY_PORT_DESTROYED:
		if (rq->sync != 0)
			return KERN_INVALID_VALUE;
		return MACH_PORT_VALID(rq->name) ? KERN_SUCCESS : KERN_INVALID_RIGHT;
	case MACH_NOTIFY_NO_SENDERS:
		return MACH_PORT_VALID(rq->name) ? KERN_SUCCESS : KERN_INVALID_RIGHT;
	case MACH_NOTIFY_SEND_POSSIBLE:
	case MACH_NOTIFY_DEAD_NAME:
		return MACH_PORT_VALID(rq->name) ? KERN_SUCCESS : KERN_INVALID_ARGUMENT;
	default:        /* MACH_NOTIFY_PORT_DELETED included, as xnu */
		return KERN_INVALID_VALUE;
	}
}

/* The request on subject @p, its notify right resolved to *@nfd (-1: cancel).  Space lock held. */
static kern_return_t request_on(struct port *p, const struct notify_req *rq, int *nfd,
				mach_port_t *previous)
{
	kern_return_t kr = check_subject(p, rq->id);

	if (kr != KERN_SUCCESS)
		return kr;
	if (rq->id == MACH_NOTIFY_PORT_DESTROYED)
		return request_destroyed(p, nfd);
	port_ref(p);
	port_check_dead(p);
	if (rq->notify == MACH_PORT_NULL && !(p->type & MACH_PORT_TYPE_DEAD_NAME))
		*previous = name_previous(notifier_take(rq->name, rq->id));
	else if (p->type & MACH_PORT_TYPE_DEAD_NAME)
		kr = dead_already(p, rq, nfd);
	else
		kr = watch_subject(p, rq, nfd, previous);
	port_unref(p);
	return kr;
}

/*
 * As xnu's trap, the notify right is taken first, and destroyed if the
 * request then fails, whatever for: a send-once right made or moved for it
 * tells its port (MACH_NOTIFY_SEND_ONCE) when its send end closes.  One
 * that cannot be taken takes nothing.
 */
kern_return_t notify_request(const struct notify_req *rq, mach_port_t *previous)
{
	int nfd = -1;
	kern_return_t kr = KERN_SUCCESS;

	*previous = MACH_PORT_NULL;
	space_lock();
	if (rq->notify != MACH_PORT_NULL) {
		nfd = notify_fd(rq->notify, rq->poly);
		if (nfd < 0)
			kr = notify_fd_error(nfd, rq->poly);
	}
	if (kr == KERN_SUCCESS)
		kr = check_request(rq);
	if (kr == KERN_SUCCESS)
		kr = request_on(space_get(rq->name), rq, &nfd, previous);
	space_unlock();
	if (nfd >= 0)
		close(nfd);     /* the request failed: the notify right is destroyed */
	return kr;
}
