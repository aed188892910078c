/* SPDX-License-Identifier: MIT */
#include "sopool.h"

#include <pthread.h>
#include <unistd.h>

#include "endpoint.h"

/*
 * Idle pairs, parked or pooled, hold two fds each: a few cover a thread
 * calling a few services, and the cap keeps a process with many receive
 * rights from spending its fd limit on them.
 */
#define SOPOOL_MAX 32

struct idle_pair {
	int r, s;
	ino_t tag, s_ino;
};

/* The task's idle pairs: global like the IPC space they belong to. */
static struct {
	pthread_mutex_t lock;
	struct idle_pair e[SOPOOL_MAX];
	size_t n;               /* pooled, in e[] */
	size_t n_parked;        /* parked in their ports' queues (atomic: no lock) */
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER };

static size_t n_parked(void)
{
	return __atomic_load_n(&pool.n_parked, __ATOMIC_RELAXED);
}

/* Count one more parked pair if the cap allows. */
static bool reserve_parked(void)
{
	bool ok;

	pthread_mutex_lock(&pool.lock);
	ok = pool.n + n_parked() < SOPOOL_MAX;
	if (ok)
		__atomic_add_fetch(&pool.n_parked, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&pool.lock);
	return ok;
}

static void unpark_count(void)
{
	__atomic_sub_fetch(&pool.n_parked, 1, __ATOMIC_RELAXED);
}

static bool take_idle(ino_t tag, struct idle_pair *out)
{
	bool found = false;

	pthread_mutex_lock(&pool.lock);
	for (size_t i = pool.n; i-- > 0;) {
		if (pool.e[i].tag == tag) {
			*out = pool.e[i];
			pool.e[i] = pool.e[--pool.n];
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&pool.lock);
	return found;
}

/*
 * An idle pair is not checked for a waiting datagram before it serves a
 * new right.  Both its ends are the task's own: only someone who kept a
 * copy of the send end while it was lent can have queued something, and a
 * check here would not stop that holder, who can as well send just after
 * the reuse.  A parked pair's R stays in its port's epoll, so a datagram
 * arriving while it is parked is seen by the next receive and drops the
 * pair (port_owns_queue()).
 */

int sopool_take(ino_t tag, int *r, int *s, ino_t *s_ino)
{
	struct idle_pair p;
	int err;

	if (tag && take_idle(tag, &p)) {
		*r = p.r;
		*s = p.s;
		*s_ino = p.s_ino;
		return 0;
	}
	err = endpoint_socketpair(r, s);
	if (err < 0)
		return err;
	*s_ino = endpoint_inode(*s);
	return 0;
}

bool sopool_recycle(struct so_queue *q, int s, bool *pool_it)
{
	if (!q->peer_ino || q->peer_ino != endpoint_inode(s))
		return false;
	*pool_it = !q->tag || !reserve_parked();
	if (!*pool_it)
		q->parked_s = s;
	return true;
}

void sopool_put(int r, int s, ino_t tag, ino_t s_ino)
{
	bool kept = false;

	pthread_mutex_lock(&pool.lock);
	if (tag && pool.n + n_parked() < SOPOOL_MAX) {
		pool.e[pool.n++] = (struct idle_pair){ r, s, tag, s_ino };
		kept = true;
	}
	pthread_mutex_unlock(&pool.lock);
	if (!kept) {
		close(r);
		close(s);
	}
}

void sopool_unpark(struct so_queue *q, int *s)
{
	*s = q->parked_s;
	q->parked_s = -1;
	unpark_count();
}

void sopool_close(struct so_queue *q)
{
	endpoint_close(&q->fd);
	if (q->parked_s >= 0) {
		endpoint_close(&q->parked_s);
		unpark_count();
	}
}

static void close_pooled(void)
{
	for (size_t i = 0; i < pool.n; i++) {
		close(pool.e[i].r);
		close(pool.e[i].s);
	}
	pool.n = 0;
}

void sopool_flush(void)
{
	pthread_mutex_lock(&pool.lock);
	close_pooled();
	pthread_mutex_unlock(&pool.lock);
}

/*
 * A forked child starts with no idle pair: the pooled ones are the
 * parent's.  Called after the child's ports are closed (task.c), which
 * closed the parked ones.
 */
void sopool_fork_child(void)
{
	pthread_mutex_init(&pool.lock, NULL);
	close_pooled();
	pool.n_parked = 0;
}
