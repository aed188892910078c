/* SPDX-License-Identifier: MIT */
/*
 * port-queues.c - a receive right's send-once queues: the R of each
 * outstanding send-once right made from it, found by fd, and the idle
 * pairs parked on it for reuse (sopool.h).  Space lock held throughout,
 * as for every field of an entry (port.h).
 */
#include "port.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "endpoint.h"
#include "sopool.h"

/* Past this many queues, they are found through the fd index. */
#define INDEX_FROM 16

/* Index every queue of @rv; without memory, none (the walk stays right). */
static void index_all(struct port_recv *rv)
{
	for (size_t i = 0; i < rv->n_so; i++) {
		if (fd_index_put(&rv->so_index, rv->so[i].fd, (uint32_t)i) < 0) {
			fd_index_free(&rv->so_index);
			return;
		}
	}
}

/* Queue @i of @rv is at that position now (added, or moved into a hole). */
static void index_at(struct port_recv *rv, size_t i)
{
	if (!rv->so_index.cap) {
		if (rv->n_so >= INDEX_FROM)
			index_all(rv);
	} else if (fd_index_put(&rv->so_index, rv->so[i].fd, (uint32_t)i) < 0) {
		fd_index_free(&rv->so_index);
	}
}

/* Add queue @q to @p (takes its fd). */
static int add_queue(struct port *p, struct so_queue q)
{
	struct port_recv *rv = &p->u.recv;

	if (rv->n_so == rv->cap_so) {
		size_t n = rv->cap_so ? rv->cap_so * 2 : 4;
		struct so_queue *grown = realloc(rv->so, n * sizeof(*grown));

		if (!grown) {
			endpoint_close(&q.fd);
			return -ENOMEM;
		}
		rv->so = grown;
		rv->cap_so = n;
	}
	rv->so[rv->n_so++] = q;
	index_at(rv, rv->n_so - 1);
	port_watch_fd(p, q.fd);
	return 0;
}

int port_add_queue(struct port *p, int fd, ino_t peer_ino)
{
	return add_queue(p, (struct so_queue){ fd, peer_ino, 0, -1 });
}

bool port_queue_peer(const struct port *p, ino_t s_ino)
{
	const struct port_recv *rv = &p->u.recv;

	for (size_t i = 0; s_ino && i < rv->n_so; i++)
		if (rv->so[i].peer_ino == s_ino && rv->so[i].parked_s < 0)
			return true;
	return false;
}

ssize_t port_queue_index(const struct port *p, int fd)
{
	if (p->kind != PORT_KIND_RECEIVE)
		return -1;
	if (p->u.recv.so_index.cap)
		return (ssize_t)fd_index_get(&p->u.recv.so_index, fd);
	for (size_t i = 0; i < p->u.recv.n_so; i++)
		if (p->u.recv.so[i].fd == fd)
			return (ssize_t)i;
	return -1;
}

/* Take queue @i out of @p without closing it. */
static struct so_queue take_queue(struct port *p, size_t i)
{
	struct port_recv *rv = &p->u.recv;
	struct so_queue q = rv->so[i];

	if (q.parked_s >= 0)
		rv->n_parked--;
	port_unwatch_fd(p, q.fd);
	fd_index_del(&rv->so_index, q.fd);
	rv->so[i] = rv->so[--rv->n_so];
	if (i < rv->n_so && rv->so_index.cap)
		index_at(rv, i);
	return q;
}

void port_remove_queue(struct port *p, size_t i)
{
	struct so_queue q = take_queue(p, i);

	port_close_fd(p, &q.fd);        /* a receive right moving carries it */
	sopool_close(&q);
}

void port_remove_queue_fd(struct port *p, int fd)
{
	ssize_t i = port_queue_index(p, fd);

	if (i >= 0)
		port_remove_queue(p, (size_t)i);
}

bool port_owns_queue(struct port *p, int fd, bool *is_queue)
{
	ssize_t i;

	*is_queue = fd != p->u.recv.fd;
	if (!(p->type & MACH_PORT_TYPE_RECEIVE))
		return false;
	if (fd == p->u.recv.fd)
		return true;
	i = port_queue_index(p, fd);
	if (i < 0)
		return false;
	if (p->u.recv.so[i].parked_s < 0)
		return true;
	port_remove_queue(p, (size_t)i);
	return false;
}

/* A pair parked in @p for destination @tag, as an active queue again. */
static bool reuse_parked(struct port *p, ino_t tag, struct so_pair *pair)
{
	struct port_recv *rv = &p->u.recv;

	/* A port with many send-once rights out (a notify port) seldom has one parked. */
	for (size_t i = rv->n_parked ? rv->n_so : 0; i-- > 0;) {
		struct so_queue *q = &rv->so[i];

		if (q->parked_s < 0 || q->tag != tag)
			continue;
		sopool_unpark(q, &pair->s);
		rv->n_parked--;
		pair->r = q->fd;
		pair->s_ino = q->peer_ino;
		return true;
	}
	return false;
}

/*
 * A new pair's R becomes a queue of @p before its send end goes anywhere:
 * once the right is handed on, nothing can fail to reach @p.  Unless
 * @known, its send end is not known by its inode (port_queue_peer()).
 */
static int queue_new_pair(struct port *p, struct so_pair *pair, bool known)
{
	if (!known)
		pair->s_ino = 0;        /* closed soon: a later socket may get its inode */
	if (add_queue(p, (struct so_queue){ pair->r, pair->s_ino, pair->tag, -1 }) == 0)
		return 0;
	pair->r = -1;                   /* add_queue() closed it */
	endpoint_close(&pair->s);
	return -ENOMEM;
}

int port_pair_take(struct port *p, ino_t tag, bool known, struct so_pair *pair)
{
	int err;

	*pair = (struct so_pair){ .r = -1, .s = -1, .tag = tag };
	if (tag && reuse_parked(p, tag, pair))
		return 0;
	err = sopool_take(tag, &pair->r, &pair->s, &pair->s_ino);
	return err < 0 ? err : queue_new_pair(p, pair, known);
}

void port_pair_given(struct so_pair *pair)
{
	pair->r = -1;   /* @p's queue now, or gone with @p's receive right */
}

/*
 * R already waits in @p as a queue, and would report MACH_NOTIFY_SEND_ONCE
 * once our send end closes: taken out, unless it is no longer this pair's
 * (@p's receive right moved and its fd was reused meanwhile).
 */
void port_pair_not_given(struct port *p, struct so_pair *pair)
{
	ssize_t i;

	if (pair->r < 0)
		return;
	i = port_queue_index(p, pair->r);
	if (i >= 0 && p->u.recv.so[i].peer_ino == pair->s_ino && p->u.recv.so[i].parked_s < 0)
		port_remove_queue(p, (size_t)i);
	pair->r = -1;
}

void port_recycle_queue(struct port *p, int fd, int s)
{
	struct so_queue q = { .fd = -1 };
	bool pool_it = false;
	ssize_t i;

	space_lock();
	i = port_queue_index(p, fd);
	if (i >= 0 && sopool_recycle(&p->u.recv.so[i], s, &pool_it)) {
		if (pool_it) {
			q = take_queue(p, (size_t)i);
		} else {
			s = -1;         /* parked: R stays in the port's epolls */
			p->u.recv.n_parked++;
		}
	} else if (i >= 0) {
		port_remove_queue(p, (size_t)i);
	}
	space_unlock();
	if (q.fd >= 0)
		sopool_put(q.fd, s, q.tag, q.peer_ino);
	else
		endpoint_close(&s);
}

void port_flush_idle(void)
{
	struct port *p;

	space_lock();
	for (size_t i = 0; (p = space_next(&i));) {
		for (size_t j = p->kind == PORT_KIND_RECEIVE ? p->u.recv.n_so : 0; j-- > 0;)
			if (p->u.recv.so[j].parked_s >= 0)
				port_remove_queue(p, j);
	}
	space_unlock();
	sopool_flush();
}
