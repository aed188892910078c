/* SPDX-License-Identifier: MIT */
#include "space.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm.h"

/*
 * Names are (index << 8) | generation, as Mach's MACH_PORT_MAKE, so that a
 * stale name is unlikely to hit a reused slot.  Index 0 is never used, so
 * no name is MACH_PORT_NULL; the table is far smaller than 2^24 entries,
 * so no name is MACH_PORT_DEAD.
 */
#define SPACE_MAX_ENTRIES (1u << 20)

struct slot {
	struct port *port;
	uint8_t gen;
};

struct space {
	pthread_mutex_t lock;
	struct slot *slots;
	size_t n_slots;         /* allocated */
	size_t next_free_hint;
	mach_port_name_t fork_keep;
};

/* The task's one IPC space (see space.h for why it is global). */
static struct space space = { .lock = PTHREAD_MUTEX_INITIALIZER };

/*
 * Parked pairs (port_park_queue) hold two fds each: a few per reply port
 * cover a thread calling a few services, and the task-wide cap keeps a
 * process with many receive rights from spending its fd limit on them.
 * The count is protected by the space lock.
 */
#define PARK_PER_PORT 4
#define PARK_MAX 32
static size_t n_parked;

void space_lock(void)
{
	pthread_mutex_lock(&space.lock);
}

void space_unlock(void)
{
	pthread_mutex_unlock(&space.lock);
}

struct port *space_get(mach_port_name_t name)
{
	size_t index = name >> 8;

	if (index == 0 || index >= space.n_slots)
		return NULL;
	if (space.slots[index].gen != (name & 0xff) || !space.slots[index].port)
		return NULL;
	return space.slots[index].port;
}

static int grow(void)
{
	size_t n = space.n_slots ? space.n_slots * 2 : 64;
	struct slot *s;

	if (n > SPACE_MAX_ENTRIES)
		return -ENOSPC;
	s = realloc(space.slots, n * sizeof(*s));
	if (!s)
		return -ENOMEM;
	memset(s + space.n_slots, 0, (n - space.n_slots) * sizeof(*s));
	space.slots = s;
	space.n_slots = n;
	return 0;
}

mach_port_name_t space_add(struct port *p)
{
	size_t i;

	for (;;) {
		for (i = space.next_free_hint; i < space.n_slots; i++)
			if (i > 0 && !space.slots[i].port)
				break;
		if (i < space.n_slots)
			break;
		if (space.next_free_hint > 1) {
			space.next_free_hint = 1;
			continue;
		}
		if (grow() < 0)
			return MACH_PORT_NULL;
	}
	space.next_free_hint = i + 1;
	space.slots[i].gen = (uint8_t)(space.slots[i].gen + 1) ? (uint8_t)(space.slots[i].gen + 1) : 1;
	space.slots[i].port = p;
	p->name = (mach_port_name_t)((i << 8) | space.slots[i].gen);
	return p->name;
}

void space_remove(struct port *p)
{
	size_t index = p->name >> 8;

	if (p->name == MACH_PORT_NULL)
		return;
	space.slots[index].port = NULL;
	if (index < space.next_free_hint)
		space.next_free_hint = index;
	p->name = MACH_PORT_NULL;
	port_unref(p);
}

void space_forget_set(mach_port_name_t set)
{
	for (size_t i = 1; i < space.n_slots; i++) {
		struct port *p = space.slots[i].port;

		if (p && p->pset == set)
			p->pset = 0;
	}
}

struct port *space_find_ino(ino_t ino)
{
	if (ino == 0)
		return NULL;
	for (size_t i = 1; i < space.n_slots; i++) {
		struct port *p = space.slots[i].port;

		if (p && p->ino == ino &&
		    (p->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)))
			return p;
	}
	return NULL;
}

ino_t fd_inode(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

struct port *port_new(void)
{
	struct port *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->refs = 1;
	p->send_fd = p->recv_fd = p->epfd = p->mem_fd = p->rcv_epfd = -1;
	pthread_mutex_init(&p->rcv_lock, NULL);
	return p;
}

struct port *port_new_send(int fd, ino_t ino)
{
	struct port *p = port_new();

	if (!p)
		return NULL;
	p->type = MACH_PORT_TYPE_SEND;
	p->urefs = 1;
	p->send_fd = fd;
	p->ino = ino;
	return p;
}

mach_port_name_t space_name_send_fd(int fd)
{
	struct port *p = port_new_send(fd, fd_inode(fd));
	mach_port_name_t name;

	if (!p) {
		close(fd);
		return MACH_PORT_NULL;
	}
	space_lock();
	name = space_add(p);
	space_unlock();
	if (name == MACH_PORT_NULL)
		port_unref(p);          /* closes fd */
	return name;
}

void port_ref(struct port *p)
{
	__atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
}

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;

		close(*fd);
		errno = saved;
		*fd = -1;
	}
}

void port_unref(struct port *p)
{
	if (!p || __atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	port_close_receive(p);
	close_fd(&p->send_fd);
	close_fd(&p->epfd);
	close_fd(&p->mem_fd);
	free(p->so);
	pthread_mutex_destroy(&p->rcv_lock);
	free(p);
}

/* The port set's epoll; none once the entry left the table (in a forked child: the parent's). */
static int set_epfd(const struct port *p)
{
	struct port *set = p->name && p->pset ? space_get(p->pset) : NULL;

	return set ? set->epfd : -1;
}

/* epoll data: which member and which of its queues is ready. */
static uint64_t watch_data(const struct port *p, int fd)
{
	return ((uint64_t)p->name << 32) | (uint32_t)fd;
}

void port_watch_fd(struct port *p, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = watch_data(p, fd) };
	int epfd = set_epfd(p);

	if (epfd >= 0)
		epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
	if (p->rcv_epfd >= 0)
		epoll_ctl(p->rcv_epfd, EPOLL_CTL_ADD, fd, &ev);
}

void port_unwatch_fd(struct port *p, int fd)
{
	int epfd = set_epfd(p);

	if (epfd >= 0)
		epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
	if (p->rcv_epfd >= 0)
		epoll_ctl(p->rcv_epfd, EPOLL_CTL_DEL, fd, NULL);
}

int port_rcv_epoll(struct port *p)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int err = 0;

	if (p->rcv_epfd >= 0)
		return p->rcv_epfd;
	p->rcv_epfd = epoll_create1(EPOLL_CLOEXEC);
	if (p->rcv_epfd < 0)
		return -errno;
	if (p->recv_fd >= 0 && !p->recv_eof) {
		ev.data.u64 = watch_data(p, p->recv_fd);
		err = epoll_ctl(p->rcv_epfd, EPOLL_CTL_ADD, p->recv_fd, &ev);
	}
	for (size_t i = 0; !err && i < p->n_so; i++) {
		ev.data.u64 = watch_data(p, p->so[i].fd);
		err = epoll_ctl(p->rcv_epfd, EPOLL_CTL_ADD, p->so[i].fd, &ev);
	}
	if (err) {
		err = -errno;
		close_fd(&p->rcv_epfd);
		return err;
	}
	return p->rcv_epfd;
}

/*
 * Our own epoll goes first, unchanged: after fork() it is shared with the
 * parent, and closing our copy is all that may touch it.
 */
void port_close_receive(struct port *p)
{
	close_fd(&p->rcv_epfd);
	while (p->n_so > 0)
		port_remove_queue(p, p->n_so - 1);
	if (p->recv_fd >= 0)
		port_unwatch_fd(p, p->recv_fd);
	close_fd(&p->recv_fd);
	if (!(p->type & MACH_PORT_TYPE_SEND))
		close_fd(&p->send_fd);
	p->type &= ~MACH_PORT_TYPE_RECEIVE;
	p->pset = 0;
	p->recv_eof = false;
	p->ns_armed = false;    /* the request went with the right (notify_forget) */
}

int port_add_queue(struct port *p, int fd)
{
	return port_add_queue_pair(p, fd, 0, 0);
}

int port_add_queue_pair(struct port *p, int fd, ino_t peer_ino, ino_t tag)
{
	if (p->n_so == p->cap_so) {
		size_t n = p->cap_so ? p->cap_so * 2 : 4;
		struct port_queue *q = realloc(p->so, n * sizeof(*q));

		if (!q) {
			close_fd(&fd);
			return -ENOMEM;
		}
		p->so = q;
		p->cap_so = n;
	}
	p->so[p->n_so++] = (struct port_queue){ fd, peer_ino, tag, -1 };
	port_watch_fd(p, fd);
	return 0;
}

struct port_queue port_take_queue(struct port *p, size_t i)
{
	struct port_queue q = p->so[i];

	port_unwatch_fd(p, q.fd);
	p->so[i] = p->so[--p->n_so];
	return q;
}

void port_remove_queue(struct port *p, size_t i)
{
	port_unwatch_fd(p, p->so[i].fd);
	close_fd(&p->so[i].fd);
	if (p->so[i].parked_s >= 0) {
		close_fd(&p->so[i].parked_s);
		n_parked--;
	}
	p->so[i] = p->so[--p->n_so];
}

bool port_park_queue(struct port *p, size_t i, int s)
{
	size_t here = 0;

	if (!p->so[i].tag || n_parked >= PARK_MAX)
		return false;
	for (size_t j = 0; j < p->n_so; j++)
		here += p->so[j].parked_s >= 0;
	if (here >= PARK_PER_PORT)
		return false;
	p->so[i].parked_s = s;
	n_parked++;
	return true;
}

/* Nothing may be waiting in a pair about to carry someone's one reply. */
static bool still_idle(int r)
{
	char c;

	return recv(r, &c, 1, MSG_PEEK | MSG_DONTWAIT) < 0 && errno == EAGAIN;
}

bool port_unpark(struct port *p, ino_t tag, int *r, int *s, ino_t *s_ino)
{
	for (size_t i = p->n_so; i-- > 0;) {
		struct port_queue *q = &p->so[i];

		if (q->parked_s < 0 || q->tag != tag)
			continue;
		if (!still_idle(q->fd)) {
			port_remove_queue(p, i);        /* a stray message: drop it with the pair */
			return false;
		}
		*r = q->fd;
		*s = q->parked_s;
		*s_ino = q->peer_ino;
		q->parked_s = -1;
		n_parked--;
		return true;
	}
	return false;
}

void space_flush_parked(void)
{
	space_lock();
	for (size_t i = 1; i < space.n_slots; i++) {
		struct port *p = space.slots[i].port;

		for (size_t j = p ? p->n_so : 0; j-- > 0;)
			if (p->so[j].parked_s >= 0)
				port_remove_queue(p, j);
	}
	space_unlock();
}

ssize_t port_queue_index(const struct port *p, int fd)
{
	for (size_t i = 0; i < p->n_so; i++)
		if (p->so[i].fd == fd)
			return (ssize_t)i;
	return -1;
}

void port_send_released(struct port *p)
{
	if (p->type & MACH_PORT_TYPE_SEND)
		return;
	if (!(p->type & MACH_PORT_TYPE_RECEIVE) || p->ns_armed)
		close_fd(&p->send_fd);
}

void port_release_if_empty(struct port *p)
{
	if (p->name && p->watched)
		notify_forget(p);
	if (p->name && (p->type & MACH_PORT_TYPE_ALL_RIGHTS) == 0)
		space_remove(p);
}

void space_set_fork_keep(mach_port_name_t name)
{
	space.fork_keep = name;
}

/*
 * fork() gives the child only its special ports, as on macOS: every other
 * right is closed in the child, so that it cannot read a parent's queue or
 * keep a parent's port alive by accident.
 */
static void fork_prepare(void)
{
	space_lock();
	vm_fork_prepare();      /* nests inside the space lock (OOL memory is mapped under it) */
}

static void fork_parent(void)
{
	vm_fork_parent();
	space_unlock();
}

/*
 * The kept special port keeps its send right only: a receive right (or a
 * set) under the same name stays the parent's.  pset is cleared first:
 * the set's epoll instance is shared with the parent and must not change.
 */
static void keep_send_only(struct port *p)
{
	p->pset = 0;
	p->watched = false;
	port_close_receive(p);
	close_fd(&p->epfd);
	p->type &= ~MACH_PORT_TYPE_PORT_SET;
}

static void fork_child(void)
{
	vm_fork_child();
	pthread_mutex_init(&space.lock, NULL);
	for (size_t i = 1; i < space.n_slots; i++) {
		struct port *p = space.slots[i].port;

		if (p && p->name == space.fork_keep && (p->type & MACH_PORT_TYPE_SEND)) {
			keep_send_only(p);
			p->refs = 1;
			pthread_mutex_init(&p->rcv_lock, NULL);
			continue;
		}
		if (!p)
			continue;
		space.slots[i].port = NULL;
		p->name = MACH_PORT_NULL;
		p->refs = 1;    /* other threads' references did not survive fork */
		pthread_mutex_init(&p->rcv_lock, NULL);
		port_unref(p);
	}
	space.next_free_hint = 1;
}

__attribute__((constructor)) static void space_init(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}
