/* SPDX-License-Identifier: MIT */
/*
 * port.c - port entries: making and freeing them, naming them, a receive
 * right's epolls and its moving between tasks (its send-once queues:
 * port-queues.c).
 */
#include "port.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "endpoint.h"
#include "wire.h"

static void recv_reset(struct port *p)
{
	p->kind = PORT_KIND_NONE;
	p->u.recv = (struct port_recv){ .fd = -1, .epfd = -1, .pd_fd = -1,
					.qlimit = MACH_PORT_QLIMIT_DEFAULT };
}

struct port *port_new(void)
{
	struct port *p = port_entry_alloc();

	if (!p)
		return NULL;
	memset(p, 0, sizeof(*p));
	p->refs = 1;
	p->send_fd = -1;
	p->wake_fd = -1;
	p->chan_fd = -1;
	recv_reset(p);
	p->rcv_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	return p;
}

/* A new entry holding @type with @urefs on @send_fd (-1: none). */
static struct port *new_with(mach_port_type_t type, mach_port_urefs_t urefs, int send_fd)
{
	struct port *p = port_new();

	if (p) {
		p->type = type;
		p->urefs = urefs;
		p->send_fd = send_fd;
	}
	return p;
}

struct port *port_new_send(int fd, ino_t ino)
{
	struct port *p = new_with(MACH_PORT_TYPE_SEND, 1, fd);

	if (p)
		port_set_ino(p, ino);
	return p;
}

struct port *port_new_dead_name(void)
{
	return new_with(MACH_PORT_TYPE_DEAD_NAME, 1, -1);
}

struct port *port_new_send_once(int fd)
{
	return new_with(MACH_PORT_TYPE_SEND_ONCE, 0, fd);
}

struct port *port_new_memory(int fd, unsigned long long offset, unsigned long long size, int prot)
{
	struct port *p = new_with(MACH_PORT_TYPE_SEND, 1, -1);

	if (p) {
		p->kind = PORT_KIND_MEMORY;
		p->u.mem = (struct port_mem){ .fd = fd, .offset = offset, .size = size, .prot = prot };
	}
	return p;
}

struct port *port_new_receive(void)
{
	struct port *p = port_new();

	if (p && endpoint_socketpair(&p->u.recv.fd, &p->send_fd) < 0) {
		port_unref(p);
		return NULL;
	}
	if (p) {
		p->kind = PORT_KIND_RECEIVE;
		port_set_ino(p, endpoint_inode(p->send_fd));
		p->type = MACH_PORT_TYPE_RECEIVE;
	}
	return p;
}

struct port *port_new_set(void)
{
	struct port *p = port_new();
	int epfd = p ? epoll_create1(EPOLL_CLOEXEC) : -1;

	if (epfd < 0) {
		port_unref(p);
		return NULL;
	}
	p->kind = PORT_KIND_SET;
	p->u.set.epfd = epfd;
	p->type = MACH_PORT_TYPE_PORT_SET;
	return p;
}

void port_ref(struct port *p)
{
	__atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
}

uint64_t port_pin(struct port *p)
{
	p->sending++;
	return p->pin_epoch;
}

/* Every close put off, whatever still uses the fds (no sender is left). */
static void close_waiting(struct port *p)
{
	for (size_t i = 0; i < p->n_closing; i++)
		endpoint_close(&p->closing[i].fd);
	free(p->closing);
	p->closing = NULL;
	p->n_closing = p->cap_closing = 0;
}

/* The closes whose sends are done: from the oldest, as each also waits for those before it. */
static void close_done(struct port *p)
{
	size_t n = 0;

	while (n < p->n_closing && p->closing[n].senders == 0)
		endpoint_close(&p->closing[n++].fd);
	if (n == 0)
		return;         /* the oldest still waits: nothing to move up */
	p->n_closing -= n;
	memmove(p->closing, p->closing + n, p->n_closing * sizeof(*p->closing));
}

void port_unpin(struct port *p, uint64_t epoch)
{
	size_t i;

	if (epoch == p->pin_epoch) {
		p->sending--;   /* pinned since the last close put off: none waits for it */
		return;
	}
	/* Its epoch ended with a close, which is still there: it waits for this
	 * send.  Each close put off ends one epoch, so theirs follow each other
	 * from the oldest (close_later()): found at once, whatever their number. */
	i = p->n_closing ? (size_t)(epoch - p->closing[0].epoch) : 0;
	if (i < p->n_closing)
		p->closing[i].senders--;
	close_done(p);
}

/*
 * Keep @fd until the sends pinned so far are done; later ones pin in the
 * next epoch, which it does not wait for.  Return: false without memory.
 */
static bool close_later(struct port *p, int fd)
{
	if (p->n_closing == p->cap_closing) {
		size_t n = p->cap_closing ? p->cap_closing * 2 : 4;
		struct port_close *grown = realloc(p->closing, n * sizeof(*grown));

		if (!grown)
			return false;
		p->closing = grown;
		p->cap_closing = n;
	}
	p->closing[p->n_closing++] = (struct port_close){ .fd = fd, .epoch = p->pin_epoch,
							  .senders = p->sending };
	p->sending = 0;
	p->pin_epoch++;
	return true;
}

bool port_pinned(const struct port *p)
{
	return p->sending > 0 || p->n_closing > 0;      /* a close put off waits for a send */
}

void port_close_fd(struct port *p, int *fd)
{
	if (!port_pinned(p) || *fd < 0) {
		endpoint_close(fd);
		return;
	}
	/* Without memory to wait, the fd stays open for good: closed under the
	 * sender, its number could take the message to another socket. */
	close_later(p, *fd);
	*fd = -1;
}

void port_unref(struct port *p)
{
	if (!p || __atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (p->kind == PORT_KIND_SET)
		endpoint_close(&p->u.set.epfd);
	else if (p->kind == PORT_KIND_MEMORY)
		endpoint_close(&p->u.mem.fd);
	else if (p->kind == PORT_KIND_RECEIVE)
		port_close_receive(p);  /* a send right's entry has no receive fds */
	endpoint_close(&p->send_fd);
	endpoint_close(&p->chan_fd);
	endpoint_close(&p->wake_fd);
	close_waiting(p);       /* in a forked child, whose senders are gone */
	port_unref(p->so_rcv);
	/* rcv_lock, a default mutex unlocked at the last reference, holds
	 * nothing to destroy: the memory is freed or initialised again. */
	port_entry_free(p);
}

mach_port_name_t port_name(struct port *p)
{
	p->name = space_add(p);
	space_file_ino(p->name, p->ino);
	return p->name;
}

kern_return_t port_name_at(struct port *p, mach_port_name_t name)
{
	kern_return_t kr = space_add_name(name, p);

	if (kr == KERN_SUCCESS) {
		p->name = name;
		space_file_ino(name, p->ino);
	}
	return kr;
}

void port_set_ino(struct port *p, ino_t ino)
{
	p->ino = ino;
	if (p->name != MACH_PORT_NULL)
		space_file_ino(p->name, ino);
}

mach_port_name_t port_name_new(struct port *p)
{
	mach_port_name_t name;

	space_lock();
	name = port_name(p);
	space_unlock();
	if (name == MACH_PORT_NULL)
		port_unref(p);
	return name;
}

mach_port_name_t port_name_send_fd(int fd)
{
	struct port *p = port_new_send(fd, endpoint_inode(fd));

	if (!p) {
		close(fd);
		return MACH_PORT_NULL;
	}
	return port_name_new(p);        /* on failure, closes fd */
}

struct port *port_find_ino(ino_t ino)
{
	struct port *p;

	if (ino == 0)
		return NULL;
	for (size_t i = 0; (p = space_next_ino(ino, &i));)
		if (p->ino == ino && (p->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)))
			return p;
	return NULL;
}

const struct port_mem *port_memory(const struct port *p)
{
	return p->kind == PORT_KIND_MEMORY ? &p->u.mem : NULL;
}

int port_set_epfd(const struct port *p)
{
	return p->kind == PORT_KIND_SET ? p->u.set.epfd : -1;
}

/* The port set's epoll; none once the entry left the table (in a forked child: the parent's). */
static int member_epfd(const struct port *p)
{
	struct port *set = p->name && p->u.recv.pset ? space_get(p->u.recv.pset) : NULL;

	return set ? port_set_epfd(set) : -1;
}

/* epoll data: which member and which of its queues is ready. */
static uint64_t watch_data(const struct port *p, int fd)
{
	return ((uint64_t)p->name << 32) | (uint32_t)fd;
}

void port_watch_fd(struct port *p, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = watch_data(p, fd) };
	int epfd = member_epfd(p);

	port_direct_kick(p, false);     /* R is no longer its only queue */

	if (epfd >= 0)
		epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
	if (p->u.recv.epfd >= 0)
		epoll_ctl(p->u.recv.epfd, EPOLL_CTL_ADD, fd, &ev);
}

void port_unwatch_fd(struct port *p, int fd)
{
	int epfd = member_epfd(p);

	if (epfd >= 0)
		epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
	if (p->u.recv.epfd >= 0)
		epoll_ctl(p->u.recv.epfd, EPOLL_CTL_DEL, fd, NULL);
}

static int epoll_add_all(struct port *p, int epfd)
{
	struct port_recv *rv = &p->u.recv;
	struct epoll_event ev = { .events = EPOLLIN };
	int err = 0;

	if (rv->fd >= 0 && !rv->eof) {
		ev.data.u64 = watch_data(p, rv->fd);
		err = epoll_ctl(epfd, EPOLL_CTL_ADD, rv->fd, &ev);
	}
	for (size_t i = 0; !err && i < rv->n_so; i++) {
		ev.data.u64 = watch_data(p, rv->so[i].fd);
		err = epoll_ctl(epfd, EPOLL_CTL_ADD, rv->so[i].fd, &ev);
	}
	return err ? -errno : 0;
}

int port_rcv_epoll(struct port *p)
{
	struct port_recv *rv = &p->u.recv;
	int err;

	if (rv->epfd >= 0)
		return rv->epfd;
	rv->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (rv->epfd < 0)
		return -errno;
	err = epoll_add_all(p, rv->epfd);
	if (err) {
		endpoint_close(&rv->epfd);
		return err;
	}
	return rv->epfd;
}

void port_recv_eof(struct port *p, int fd)
{
	if (p->kind == PORT_KIND_RECEIVE && fd == p->u.recv.fd && !p->u.recv.eof) {
		p->u.recv.eof = true;
		port_unwatch_fd(p, fd);
	}
}

mach_port_seqno_t port_next_seqno(struct port *p)
{
	return p->kind == PORT_KIND_RECEIVE ? p->u.recv.seqno++ : 0;
}

/*
 * Our own epoll goes first, unchanged: after fork() it is shared with the
 * parent, and closing our copy is all that may touch it.
 */
/*
 * A receiver waits in @p's epoll, which closing R does not wake (closing
 * an fd only drops it from the epoll).  A readable eventfd does; it stays
 * open, owned by @p, until the receiver, who holds a reference, is gone.
 * Its event names fd -1, which is none of @p's queues: the receiver looks
 * again and finds no receive right.
 */
static void wake_receivers(struct port *p)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = UINT32_MAX };

	if (p->wake_fd < 0)
		p->wake_fd = eventfd(1, EFD_CLOEXEC | EFD_NONBLOCK);
	if (p->wake_fd >= 0)
		epoll_ctl(p->u.recv.epfd, EPOLL_CTL_ADD, p->wake_fd, &ev);
}

void port_close_receive(struct port *p)
{
	struct port_recv *rv = &p->u.recv;

	if (p->kind != PORT_KIND_RECEIVE && p->kind != PORT_KIND_NONE)
		return;
	port_direct_kick(p, true);      /* a sleeper must not take R's messages once it goes */
	if (rv->epfd >= 0 && p->refs > 0)     /* at the last reference, nobody waits */
		wake_receivers(p);
	endpoint_close(&rv->epfd);
	while (rv->n_so > 0)
		port_remove_queue(p, rv->n_so - 1);
	port_close_channels(p);
	if (rv->fd >= 0)
		port_unwatch_fd(p, rv->fd);
	port_close_fd(p, &rv->fd);
	port_close_fd(p, &rv->pd_fd);   /* the notify port is told: MACH_NOTIFY_SEND_ONCE */
	if (!(p->type & MACH_PORT_TYPE_SEND))
		port_close_fd(p, &p->send_fd);
	p->type &= ~MACH_PORT_TYPE_RECEIVE;
	free(rv->so);
	fd_index_free(&rv->so_index);
	recv_reset(p);  /* the no-senders request went with the right (port_release_if_empty) */
}

/*
 * Channels after the send-once queues: @p's, or none if @reserved is
 * NULL.  *@reserved: WIRE_RECV_RESERVED() of them.
 */
static ssize_t add_channel_fds(const struct port_recv *rv, int *fds, size_t n, size_t room,
			       uint32_t *reserved)
{
	if (!reserved)
		return (ssize_t)n;
	if (room - n < rv->n_chan)
		return -E2BIG;
	for (size_t i = 0; i < rv->n_chan; i++)
		fds[n + i] = rv->chan[i].fd;
	*reserved = WIRE_RECV_RESERVED(rv->n_chan);
	return (ssize_t)(n + rv->n_chan);
}

ssize_t port_receive_fds(const struct port *p, int *fds, size_t room, bool *has_s,
			 bool *has_pd, uint32_t *reserved)
{
	const struct port_recv *rv = &p->u.recv;
	size_t n = 0;

	*has_s = p->send_fd >= 0;
	*has_pd = rv->pd_fd >= 0;
	if (rv->immovable)
		return -EINVAL;         /* xnu: kGUARD_EXC_IMMOVABLE */
	if (room < 1u + *has_s + *has_pd)
		return -E2BIG;
	fds[n++] = rv->fd;
	if (*has_s)
		fds[n++] = p->send_fd;
	if (*has_pd)
		fds[n++] = rv->pd_fd;
	/* Parked pairs stay behind: they are closed when the right has left. */
	for (size_t i = 0; i < rv->n_so; i++) {
		if (rv->so[i].parked_s >= 0)
			continue;
		if (n == room)
			return -E2BIG;
		fds[n++] = rv->so[i].fd;
	}
	return add_channel_fds(rv, fds, n, room, reserved);
}

void port_attach_receive(struct port *p, int *fds, const ino_t *inos, size_t nfds, bool has_s,
			 bool has_pd, uint32_t reserved)
{
	size_t first_queue = 1u + has_s + has_pd;
	size_t nchan = WIRE_RECV_CHANNELS(reserved);
	int one = 1;

	/* Audit trailers and end-of-file detection need it, whoever made R. */
	setsockopt(fds[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	recv_reset(p);
	p->kind = PORT_KIND_RECEIVE;
	p->u.recv.fd = fds[0];
	p->dead = false;
	if (has_s) {
		if (!p->ino)
			port_set_ino(p, inos ? inos[1] : endpoint_inode(fds[1]));
		if (p->send_fd >= 0)
			close(fds[1]);
		else
			p->send_fd = fds[1];
	}
	if (has_pd && p->u.recv.pd_fd < 0)     /* recv_reset() left none */
		p->u.recv.pd_fd = fds[first_queue - 1];
	else if (has_pd)
		close(fds[first_queue - 1]);
	for (size_t i = first_queue; i + nchan < nfds; i++)
		port_add_queue(p, fds[i], 0);
	for (size_t i = 0; i < nchan; i++)
		port_add_channel(p, fds[nfds - nchan + i], inos ? inos[nfds - nchan + i] : 0);
	p->type |= MACH_PORT_TYPE_RECEIVE;
}

/*
 * The kept special port keeps its send right only: a receive right (or a
 * set) under the same name stays the parent's.  pset is cleared and the
 * port's own epoll closed first: both epoll instances are shared with the
 * parent and must not change.
 */
static bool fork_keep(struct port *p)
{
	if (p->name != space_fork_keep() || !(p->type & MACH_PORT_TYPE_SEND))
		return false;
	if (p->kind == PORT_KIND_RECEIVE) {
		p->u.recv.pset = 0;
		/* No receiver of the child waits in it, and a wake added to it
		 * would wake the parent's, for as long as the child lived. */
		endpoint_close(&p->u.recv.epfd);
	}
	p->watched = false;
	p->sending = 0;         /* the parent's senders are not the child's */
	close_waiting(p);
	port_close_receive(p);
	endpoint_close(&p->chan_fd);    /* the parent's channel, and the parent's call on it */
	p->so_rcv = NULL;
	p->chan_state = PORT_CHAN_NONE;
	p->chan_calling = false;
	p->refs = 1;
	pthread_mutex_init(&p->rcv_lock, NULL);
	return true;
}

/*
 * fork() gives the child only its special ports, as on macOS: every other
 * right is closed in the child, so that it cannot read a parent's queue or
 * keep a parent's port alive by accident.
 */
void port_fork_child(void)
{
	struct port *p;

	port_direct_fork_child();
	for (size_t i = 0; (p = space_next(&i));) {
		port_direct_forget(p);  /* the parent's sleepers are not the child's */
		if (fork_keep(p))
			continue;
		space_remove(p->name);
		p->name = MACH_PORT_NULL;
		p->refs = 1;    /* other threads' references did not survive fork */
		p->sending = 0; /* nor did their sends: the fds close at once */
		p->so_rcv = NULL;       /* its reference went with the others: that entry goes too */
		pthread_mutex_init(&p->rcv_lock, NULL);
		port_unref(p);
	}
}

mach_port_msgcount_t port_msgcount(struct port *p)
{
	const struct port_recv *rv = &p->u.recv;
	mach_port_msgcount_t n = 0;

	for (size_t i = 0; i < rv->n_so; i++)
		n += endpoint_queued_bytes(rv->so[i].fd) > 0;
	if (rv->fd < 0)
		return n;
	if (pthread_mutex_trylock(&p->rcv_lock) != 0)
		return n + (endpoint_queued_bytes(rv->fd) > 0);
	n += endpoint_count_datagrams(rv->fd);
	pthread_mutex_unlock(&p->rcv_lock);
	return n;
}
