/* SPDX-License-Identifier: MIT */
/*
 * notify.c - dead-name and no-senders notifications.
 *
 * Mach's kernel sends these by itself.  Here a library thread, started on
 * the first request, waits in epoll for the events the kernel reports on
 * the port's sockets (a send end hangs up once every receive end is gone:
 * dead name; a receive end hangs up once every send end is gone: no more
 * senders) and sends the notification message through the send-once right
 * the caller gave, exactly as the kernel would.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mach/notify.h>

#include "fdpass.h"
#include "port.h"
#include "wire.h"

#define EXPORT __attribute__((visibility("default")))

struct watch {
	uint64_t seq;           /* epoll's handle: unique, unlike a freed pointer */
	int fd;                 /* dup of the watched end */
	int notify_fd;          /* where the notification goes */
	mach_msg_id_t id;
	mach_port_name_t subject;
	struct watch *next;
};

/* The notification thread's state: one per task, like the kernel's. */
static struct {
	pthread_mutex_t lock;
	int epfd;
	bool running;
	uint64_t next_seq;
	struct watch *list;
} notifier = { .lock = PTHREAD_MUTEX_INITIALIZER, .epfd = -1 };

static void send_notification(const struct watch *w)
{
	struct {
		struct wire_hdr hdr;
		NDR_record_t ndr;
		uint32_t arg;
	} m = {
		.hdr = { .magic = WIRE_MAGIC, .id = w->id,
			 .bits = MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE),
			 .body_len = sizeof(NDR_record_t) + sizeof(uint32_t),
			 .data_len = sizeof(NDR_record_t) + sizeof(uint32_t) },
		.ndr = NDR_record,
		.arg = w->id == MACH_NOTIFY_DEAD_NAME ? w->subject : 0,
	};
	struct iovec iov = { &m, sizeof(m) };

	fdpass_send(w->notify_fd, &iov, 1, NULL, 0, MSG_DONTWAIT);
}

static void watch_free(struct watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	close(w->notify_fd);
	free(w);
}

static void fire(uint64_t seq)
{
	struct watch **pp, *target = NULL;

	pthread_mutex_lock(&notifier.lock);
	for (pp = &notifier.list; *pp && (*pp)->seq != seq; pp = &(*pp)->next)
		;
	if (*pp) {              /* else cancelled meanwhile */
		target = *pp;
		*pp = target->next;
		epoll_ctl(notifier.epfd, EPOLL_CTL_DEL, target->fd, NULL);
	}
	pthread_mutex_unlock(&notifier.lock);
	if (target) {
		/* The watched end first: it must not outlive the event by a send. */
		close(target->fd);
		target->fd = -1;
		send_notification(target);
		watch_free(target);
	}
}

static void *notifier_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct epoll_event ev[16];
		int n = epoll_wait(notifier.epfd, ev, 16, -1);

		for (int i = 0; i < n; i++)
			fire(ev[i].data.u64);
	}
	return NULL;
}

/* Notifier lock held. */
static int start_notifier(void)
{
	pthread_t t;
	pthread_attr_t attr;
	int err;

	if (notifier.running)
		return 0;
	if (notifier.epfd < 0)
		notifier.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (notifier.epfd < 0)
		return -errno;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	err = -pthread_create(&t, &attr, notifier_main, NULL);
	pthread_attr_destroy(&attr);
	notifier.running = err == 0;
	return err;
}

static int add_watch(struct watch *w)
{
	struct epoll_event ev = { .events = EPOLLHUP };
	int err;

	pthread_mutex_lock(&notifier.lock);
	w->seq = ++notifier.next_seq;
	ev.data.u64 = w->seq;
	err = start_notifier();
	if (!err && epoll_ctl(notifier.epfd, EPOLL_CTL_ADD, w->fd, &ev) < 0)
		err = -errno;
	if (!err) {
		w->next = notifier.list;
		notifier.list = w;
	}
	pthread_mutex_unlock(&notifier.lock);
	return err;
}

static void cancel_watch(mach_port_name_t subject, mach_msg_id_t id)
{
	struct watch **pp, *gone = NULL;

	pthread_mutex_lock(&notifier.lock);
	for (pp = &notifier.list; *pp; pp = &(*pp)->next) {
		if ((*pp)->subject == subject && (*pp)->id == id) {
			gone = *pp;
			*pp = gone->next;
			epoll_ctl(notifier.epfd, EPOLL_CTL_DEL, gone->fd, NULL);
			break;
		}
	}
	pthread_mutex_unlock(&notifier.lock);
	if (gone)
		watch_free(gone);
}

void notify_forget(struct port *p)
{
	bool keep_dead_name = p->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE |
					 MACH_PORT_TYPE_DEAD_NAME);
	bool keep_no_senders = p->type & MACH_PORT_TYPE_RECEIVE;

	/*
	 * The watch holds a dup of the subject's fd: left behind, it would keep
	 * a dead receive right alive for its senders, or count as a sender
	 * forever, and would fire for a name that may be reused.
	 */
	if (!keep_dead_name)
		cancel_watch(p->name, MACH_NOTIFY_DEAD_NAME);
	if (!keep_no_senders)
		cancel_watch(p->name, MACH_NOTIFY_NO_SENDERS);
	p->watched = keep_dead_name || keep_no_senders;
}

/* The fd the notification will be sent on.  Space lock held. */
static int notify_fd(mach_port_name_t notify, mach_msg_type_name_t poly)
{
	struct port *n = space_get(notify);
	int r, s;

	if (!n)
		return -ENOENT;
	switch (poly) {
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		if (!(n->type & MACH_PORT_TYPE_RECEIVE) || port_socketpair(&r, &s) < 0)
			return -EINVAL;
		if (port_add_queue(n, r) < 0) {
			close(s);
			return -ENOMEM;
		}
		return s;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		if (!(n->type & MACH_PORT_TYPE_SEND_ONCE))
			return -EINVAL;
		s = n->send_fd;
		n->send_fd = -1;
		n->type &= ~MACH_PORT_TYPE_SEND_ONCE;
		port_release_if_empty(n);
		return s;
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
		    (p->type & MACH_PORT_TYPE_RECEIVE) || p->mem_fd >= 0)
			return -EINVAL;
		return fcntl(p->send_fd, F_DUPFD_CLOEXEC, 0);
	}
	if (!(p->type & MACH_PORT_TYPE_RECEIVE))
		return -EINVAL;
	return fcntl(p->recv_fd, F_DUPFD_CLOEXEC, 0);
}

/* Space lock held; the request is valid. */
static void arm(struct port *p, mach_msg_id_t id)
{
	p->watched = true;
	if (id == MACH_NOTIFY_NO_SENDERS) {
		/* Our own S would keep the port from ever having no senders. */
		p->ns_armed = true;
		port_send_released(p);
	}
}

/*
 * Space lock held: the watch is in place before the right can go away.
 * @p is referenced: moving a send-once right out for the notification may
 * release the subject's own entry.
 */
static kern_return_t watch_subject(struct watch *w, struct port *p, mach_port_t notify,
				   mach_msg_type_name_t poly)
{
	w->fd = subject_fd(p, w->id);
	if (w->fd < 0)
		return KERN_INVALID_RIGHT;
	w->notify_fd = notify_fd(notify, poly);
	if (w->notify_fd < 0) {
		close(w->fd);
		return KERN_INVALID_CAPABILITY;
	}
	cancel_watch(w->subject, w->id);
	if (add_watch(w) < 0) {
		watch_free(w);
		return KERN_RESOURCE_SHORTAGE;
	}
	arm(p, w->id);
	return KERN_SUCCESS;
}

static kern_return_t request_locked(struct watch *w, mach_port_t notify,
				    mach_msg_type_name_t poly)
{
	struct port *p = space_get(w->subject);
	kern_return_t kr;

	if (!p)
		return KERN_INVALID_NAME;
	port_ref(p);
	kr = watch_subject(w, p, notify, poly);
	port_unref(p);
	return kr;
}

static kern_return_t request(mach_port_name_t name, mach_msg_id_t id, mach_port_t notify,
			     mach_msg_type_name_t poly)
{
	struct watch *w = calloc(1, sizeof(*w));
	kern_return_t kr;

	if (!w)
		return KERN_RESOURCE_SHORTAGE;
	w->id = id;
	w->subject = name;
	space_lock();
	kr = request_locked(w, notify, poly);
	space_unlock();
	if (kr != KERN_SUCCESS && kr != KERN_RESOURCE_SHORTAGE)
		free(w);
	return kr;
}

EXPORT kern_return_t mach_port_request_notification(ipc_space_t task, mach_port_name_t name,
						    mach_msg_id_t msgid, mach_port_mscount_t sync,
						    mach_port_t notify, mach_msg_type_name_t notifyPoly,
						    mach_port_t *previous)
{
	(void)sync;
	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (msgid != MACH_NOTIFY_DEAD_NAME && msgid != MACH_NOTIFY_NO_SENDERS)
		return KERN_INVALID_VALUE;
	if (previous)
		*previous = MACH_PORT_NULL;
	if (notify == MACH_PORT_NULL) {
		cancel_watch(name, msgid);
		return KERN_SUCCESS;
	}
	return request(name, msgid, notify, notifyPoly);
}

/* A forked child has no notification thread and must not fire the parent's watches. */
static void notifier_fork_child(void)
{
	pthread_mutex_init(&notifier.lock, NULL);
	while (notifier.list) {
		struct watch *w = notifier.list;

		notifier.list = w->next;
		close(w->fd);
		close(w->notify_fd);
		free(w);
	}
	if (notifier.epfd >= 0)
		close(notifier.epfd);
	notifier.epfd = -1;
	notifier.running = false;
}

__attribute__((constructor)) static void notifier_init(void)
{
	pthread_atfork(NULL, NULL, notifier_fork_child);
}
