/* SPDX-License-Identifier: MIT */
/* notifier.c - the notification thread and its watches (see notifier.h). */
#include "notifier.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mach/notify.h>

#include "fdpass.h"
#include "watch-table.h"
#include "wire.h"

/* The notification thread's state: one per task, like the kernel's. */
static struct {
	pthread_mutex_t lock;
	int epfd;
	bool running;
	uint64_t next_seq;
	struct watch_table watches;
	unsigned spent;         /* fired dead-name requests still filed (SPENT); atomic */
} notifier = { .lock = PTHREAD_MUTEX_INITIALIZER, .epfd = -1 };

/*
 * The id a fired dead-name request is filed under, spent (no fds), until
 * the name becomes a dead name: its notification carries one user
 * reference of the name, which xnu's ipc_right_check() adds only then, and
 * only once (notifier_dead()).  Not a message id, so a new request of the
 * same kind does not meet it.
 */
#define SPENT ((mach_msg_id_t)-1)

static void send_notification(const struct watch *w)
{
	bool named = w->id == MACH_NOTIFY_DEAD_NAME || w->id == MACH_NOTIFY_SEND_POSSIBLE ||
		     w->id == MACH_NOTIFY_PORT_DELETED;
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
		.arg = named ? w->subject : 0,
	};
	struct iovec iov = { &m, sizeof(m) };

	fdpass_send(w->notify_fd, &iov, 1, NULL, 0, MSG_DONTWAIT);
}

static void watch_free(struct watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	if (w->notify_fd >= 0)
		close(w->notify_fd);
	free(w);
}

void notifier_send(int notify_fd, mach_msg_id_t id, mach_port_name_t subject)
{
	struct watch w = { .fd = -1, .notify_fd = notify_fd, .id = id, .subject = subject };

	send_notification(&w);
	close(notify_fd);
}

int notifier_send_receive(int notify_fd, const int *fds, size_t nfds, bool has_s,
			  uint32_t reserved)
{
	struct {
		struct wire_hdr hdr;
		struct wire_desc desc;
	} m = {
		.hdr = { .magic = WIRE_MAGIC, .id = MACH_NOTIFY_PORT_DESTROYED,
			 .bits = MACH_MSGH_BITS_COMPLEX |
				 MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE),
			 .ndesc = 1, .nfds = (uint32_t)nfds },
		.desc = { .type = MACH_MSG_PORT_DESCRIPTOR,
			  .disposition = MACH_MSG_TYPE_PORT_RECEIVE, .kind = WIRE_PORT_RECEIVE,
			  .nfds = (uint8_t)nfds, .flags = has_s ? WIRE_F_MASTER : 0,
			  .reserved = reserved },
	};
	struct iovec iov = { &m, sizeof(m) };
	int err = fdpass_send(notify_fd, &iov, 1, fds, nfds, MSG_DONTWAIT);

	return err < 0 ? err : 0;
}

/*
 * Notifier lock held: stop watching @w and return what its notification
 * needs (notify_fd: the caller's).  A dead-name notification leaves @w
 * filed as SPENT; any other unfiles and frees it.
 */
static struct watch take_notification(struct watch *w, uint32_t events)
{
	struct watch note = { .fd = -1, .notify_fd = w->notify_fd, .id = w->id,
			      .subject = w->subject };

	epoll_ctl(notifier.epfd, EPOLL_CTL_DEL, w->fd, NULL);
	/* The watched end first: it must not outlive the event by a send. */
	close(w->fd);
	w->fd = -1;
	/* A send-possible request on a port that died: xnu sends a dead-name notification. */
	if (w->id == MACH_NOTIFY_SEND_POSSIBLE && (events & (EPOLLHUP | EPOLLERR)))
		note.id = MACH_NOTIFY_DEAD_NAME;
	if (note.id == MACH_NOTIFY_DEAD_NAME) {
		w->notify_fd = -1;
		watch_table_rekey(&notifier.watches, w, SPENT);
		__atomic_add_fetch(&notifier.spent, 1, __ATOMIC_RELAXED);
	} else {
		watch_table_remove(&notifier.watches, w);
		free(w);
	}
	return note;
}

static void fire(uint64_t seq, uint32_t events)
{
	struct watch *w, note = { .notify_fd = -1 };

	pthread_mutex_lock(&notifier.lock);
	w = watch_table_find_seq(&notifier.watches, seq);
	if (w && w->id != SPENT)        /* else cancelled meanwhile, or fired */
		note = take_notification(w, events);
	pthread_mutex_unlock(&notifier.lock);
	if (note.notify_fd >= 0)
		notifier_send(note.notify_fd, note.id, note.subject);
}

static void *notifier_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct epoll_event ev[16];
		int n = epoll_wait(notifier.epfd, ev, 16, -1);

		for (int i = 0; i < n; i++)
			fire(ev[i].data.u64, ev[i].events);
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

	if (w->id == MACH_NOTIFY_SEND_POSSIBLE)
		ev.events |= EPOLLOUT;

	pthread_mutex_lock(&notifier.lock);
	w->seq = ++notifier.next_seq;
	ev.data.u64 = w->seq;
	err = start_notifier();
	if (!err)
		err = watch_table_add(&notifier.watches, w);
	if (!err && epoll_ctl(notifier.epfd, EPOLL_CTL_ADD, w->fd, &ev) < 0) {
		err = -errno;
		watch_table_remove(&notifier.watches, w);
	}
	pthread_mutex_unlock(&notifier.lock);
	return err;
}

/* Unfile and stop watching the request for @subject and @id, if any. */
static struct watch *unwatch(mach_port_name_t subject, mach_msg_id_t id)
{
	struct watch *gone;

	pthread_mutex_lock(&notifier.lock);
	gone = watch_table_take_key(&notifier.watches, subject, id);
	if (gone && gone->id == SPENT)
		__atomic_sub_fetch(&notifier.spent, 1, __ATOMIC_RELAXED);
	if (gone && gone->fd >= 0)
		epoll_ctl(notifier.epfd, EPOLL_CTL_DEL, gone->fd, NULL);
	pthread_mutex_unlock(&notifier.lock);
	return gone;
}

int notifier_take(mach_port_name_t subject, mach_msg_id_t id)
{
	struct watch *gone = unwatch(subject, id);
	int notify_fd;

	if (!gone)
		return -1;
	notify_fd = gone->notify_fd;
	gone->notify_fd = -1;
	watch_free(gone);
	return notify_fd;
}

/*
 * End every dead-name and send-possible request for @subject: those not
 * fired yet send @id now (0: none), spent ones go quietly.  Return: how
 * many there were, spent ones included.
 */
static unsigned end_requests(mach_port_name_t subject, mach_msg_id_t id)
{
	static const mach_msg_id_t kinds[] = { SPENT, MACH_NOTIFY_DEAD_NAME, MACH_NOTIFY_SEND_POSSIBLE };
	struct watch *w;
	unsigned n = 0;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		while ((w = unwatch(subject, kinds[i]))) {
			if (w->notify_fd >= 0 && id) {
				notifier_send(w->notify_fd, id, subject);
				w->notify_fd = -1;
			}
			watch_free(w);
			n++;
		}
	}
	return n;
}

unsigned notifier_dead(mach_port_name_t subject)
{
	return end_requests(subject, MACH_NOTIFY_DEAD_NAME);
}

void notifier_deleted(mach_port_name_t subject)
{
	end_requests(subject, MACH_NOTIFY_PORT_DELETED);
}

bool notifier_any_fired(void)
{
	return __atomic_load_n(&notifier.spent, __ATOMIC_RELAXED) != 0;
}

mach_port_type_t notifier_requests(mach_port_name_t subject)
{
	mach_port_type_t type = 0;

	pthread_mutex_lock(&notifier.lock);
	if (watch_table_find_key(&notifier.watches, subject, MACH_NOTIFY_DEAD_NAME))
		type |= MACH_PORT_TYPE_DNREQUEST;
	/* xnu: a send-possible request is a dead-name request too. */
	if (watch_table_find_key(&notifier.watches, subject, MACH_NOTIFY_SEND_POSSIBLE))
		type |= MACH_PORT_TYPE_DNREQUEST | MACH_PORT_TYPE_SPREQUEST;
	pthread_mutex_unlock(&notifier.lock);
	return type;
}

bool notifier_requested(mach_port_name_t subject)
{
	bool found;

	pthread_mutex_lock(&notifier.lock);
	found = watch_table_find_key(&notifier.watches, subject, SPENT) ||
		watch_table_find_key(&notifier.watches, subject, MACH_NOTIFY_DEAD_NAME) ||
		watch_table_find_key(&notifier.watches, subject, MACH_NOTIFY_SEND_POSSIBLE);
	pthread_mutex_unlock(&notifier.lock);
	return found;
}

void notifier_cancel(mach_port_name_t subject, mach_msg_id_t id)
{
	int notify_fd = notifier_take(subject, id);

	if (notify_fd >= 0)
		close(notify_fd);
}

int notifier_watch(int fd, int notify_fd, mach_msg_id_t id, mach_port_name_t subject, int *previous)
{
	struct watch *w = calloc(1, sizeof(*w));
	int err;

	*previous = notifier_take(subject, id);
	if (!w) {
		close(fd);
		close(notify_fd);
		return -ENOMEM;
	}
	*w = (struct watch){ .fd = fd, .notify_fd = notify_fd, .id = id, .subject = subject };
	err = add_watch(w);
	if (err < 0)
		watch_free(w);
	return err;
}

/* A forked child has no notification thread and must not fire the parent's watches. */
void notifier_fork_child(void)
{
	pthread_mutex_init(&notifier.lock, NULL);
	watch_table_drain(&notifier.watches, watch_free);
	notifier.spent = 0;
	if (notifier.epfd >= 0)
		close(notifier.epfd);
	notifier.epfd = -1;
	notifier.running = false;
}
