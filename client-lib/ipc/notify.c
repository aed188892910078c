/* SPDX-License-Identifier: MIT */
/*
 * notify.c - dead-name and no-senders requests, checked against the
 * rights the names hold and handed to the notification thread (notifier.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <mach/notify.h>

#include "endpoint.h"
#include "notifier.h"
#include "notify.h"
#include "port.h"

/* The fd the notification will be sent on.  Space lock held. */
static int notify_fd(mach_port_name_t notify, mach_msg_type_name_t poly)
{
	struct port *n = space_get(notify);
	int r, s;

	if (!n)
		return -ENOENT;
	switch (poly) {
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		if (!(n->type & MACH_PORT_TYPE_RECEIVE) || endpoint_socketpair(&r, &s) < 0)
			return -EINVAL;
		if (port_add_queue(n, r) < 0) {
			close(s);
			return -ENOMEM;
		}
		return s;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		return port_take_send_once(n);
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
		s = poly == MACH_MSG_TYPE_MAKE_SEND ? port_make_send_fd(n) :
			((n->type & MACH_PORT_TYPE_SEND) ? n->send_fd : -1);
		return s < 0 ? -EINVAL : fcntl(s, F_DUPFD_CLOEXEC, 0);
	default:
		return -EINVAL;
	}
}

/* The fd whose hang-up is the event, a dup owned by the caller.  Space lock held. */
static int subject_fd(const struct port *p, mach_msg_id_t id)
{
	if (id == MACH_NOTIFY_DEAD_NAME) {
		if (!(p->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)) ||
		    (p->type & MACH_PORT_TYPE_RECEIVE) || port_memory(p))
			return -EINVAL;
		return fcntl(p->send_fd, F_DUPFD_CLOEXEC, 0);
	}
	if (!(p->type & MACH_PORT_TYPE_RECEIVE))
		return -EINVAL;
	return fcntl(p->u.recv.fd, F_DUPFD_CLOEXEC, 0);
}

/*
 * Space lock held: the watch is in place before the right can go away.
 * @p is referenced: moving a send-once right out for the notification may
 * release the subject's own entry.
 */
static kern_return_t watch_subject(struct port *p, mach_port_name_t name, mach_msg_id_t id,
				   mach_port_t notify, mach_msg_type_name_t poly)
{
	int fd = subject_fd(p, id), nfd;

	if (fd < 0)
		return KERN_INVALID_RIGHT;
	nfd = notify_fd(notify, poly);
	if (nfd < 0) {
		close(fd);
		return KERN_INVALID_CAPABILITY;
	}
	if (notifier_watch(fd, nfd, id, name) < 0)
		return KERN_RESOURCE_SHORTAGE;
	port_note_request(p, id);
	return KERN_SUCCESS;
}

kern_return_t notify_request(mach_port_name_t name, mach_msg_id_t id, mach_port_t notify,
			     mach_msg_type_name_t poly)
{
	struct port *p;
	kern_return_t kr = KERN_INVALID_NAME;

	space_lock();
	p = space_get(name);
	if (p) {
		port_ref(p);
		kr = watch_subject(p, name, id, notify, poly);
		port_unref(p);
	}
	space_unlock();
	return kr;
}
