/* SPDX-License-Identifier: MIT */
#include "sopool.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <unistd.h>

#include "space.h"
#include "port.h"

#define SOPOOL_MAX 16

struct idle_pair {
	int r, s;
	ino_t tag, s_ino;
};

/* The task's idle pairs: global like the IPC space they belong to. */
static struct {
	pthread_mutex_t lock;
	struct idle_pair e[SOPOOL_MAX];
	size_t n;
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER };

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

/* Nothing may be waiting in a pair about to carry someone's one reply. */
static bool still_idle(int r)
{
	char c;

	return recv(r, &c, 1, MSG_PEEK | MSG_DONTWAIT) < 0 && errno == EAGAIN;
}

int sopool_take(ino_t tag, int *r, int *s, ino_t *s_ino)
{
	struct idle_pair p;
	int err;

	if (tag && take_idle(tag, &p)) {
		if (still_idle(p.r)) {
			*r = p.r;
			*s = p.s;
			*s_ino = p.s_ino;
			return 0;
		}
		close(p.r);
		close(p.s);
	}
	err = port_socketpair(r, s);
	if (err < 0)
		return err;
	*s_ino = fd_inode(*s);
	return 0;
}

void sopool_put(int r, int s, ino_t tag, ino_t s_ino)
{
	bool kept = false;

	pthread_mutex_lock(&pool.lock);
	if (tag && pool.n < SOPOOL_MAX) {
		pool.e[pool.n++] = (struct idle_pair){ r, s, tag, s_ino };
		kept = true;
	}
	pthread_mutex_unlock(&pool.lock);
	if (!kept) {
		close(r);
		close(s);
	}
}

void sopool_flush(void)
{
	space_flush_parked();   /* the pairs parked on their ports are idle too */
	pthread_mutex_lock(&pool.lock);
	for (size_t i = 0; i < pool.n; i++) {
		close(pool.e[i].r);
		close(pool.e[i].s);
	}
	pool.n = 0;
	pthread_mutex_unlock(&pool.lock);
}

/* A forked child starts with an empty pool: the pairs are the parent's. */
static void pool_fork_child(void)
{
	pthread_mutex_init(&pool.lock, NULL);
	for (size_t i = 0; i < pool.n; i++) {
		close(pool.e[i].r);
		close(pool.e[i].s);
	}
	pool.n = 0;
}

__attribute__((constructor)) static void pool_init(void)
{
	pthread_atfork(NULL, NULL, pool_fork_child);
}
