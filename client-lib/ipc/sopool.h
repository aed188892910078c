/* SPDX-License-Identifier: MIT */
/*
 * sopool.h - reuse of send-once socketpairs (internal).
 *
 * A send-once right is a socketpair of its own, so that its holder's death
 * is seen as end of file.  Making one costs more than the whole exchange it
 * serves, so the sender of a message through a send-once right returns the
 * send end with it (WIRE_BITS_RETURNED, wire.h): both ends are then back
 * with the receiver, nobody else can use them, and the pair serves the
 * next MAKE_SEND_ONCE towards the same destination.
 *
 * An idle pair waits in one of two places: *parked* as a queue of the port
 * it came back to (its R stays in that port's epolls, so reusing it costs
 * no epoll_ctl), or in this module's pool.  One cap bounds both together,
 * since each idle pair holds two fds of the task's limit.
 */
#ifndef BOOTSTRAP_SOPOOL_H
#define BOOTSTRAP_SOPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A receive queue of a port beyond its own R: one per send-once right made. */
struct so_queue {
	int fd;                     /* R of the right's socketpair */
	ino_t peer_ino;             /* its send end, if made here (0: unknown) */
	ino_t tag;                  /* the destination it was made for */
	int parked_s;               /* parked idle pair: its send end; -1 when in use */
};

/**
 * sopool_take() - a send-once socketpair for a message to the port @tag
 * (the destination's identity, 0 for none): an idle pooled one made for
 * that destination before, else a new one.
 * @s_ino: out: the send end's inode, to recognise it when it comes back.
 * Return: 0, or a negative errno.
 */
int sopool_take(ino_t tag, int *r, int *s, ino_t *s_ino);

/**
 * sopool_recycle() - the message on queue @q came with its own send end
 * @s, whose inode is checked: park the pair in @q if the cap allows (then
 * *@pool_it is false), else tell the caller to take the queue out and give
 * it to sopool_put() (*@pool_it true).  Return: false if @s is not @q's
 * send end (the caller drops the queue and closes @s).
 */
bool sopool_recycle(struct so_queue *q, int s, bool *pool_it);

/** sopool_put() - keep an idle pair (takes both fds; closes them if over the cap). */
void sopool_put(int r, int s, ino_t tag, ino_t s_ino);

/**
 * sopool_unpark() - parked queue @q, made for the destination asked for,
 * is about to serve a new right: *@s is its send end (the caller's now).
 * Nothing is checked: see "An idle pair is not checked" in sopool.c.
 */
void sopool_unpark(struct so_queue *q, int *s);

/** sopool_close() - close queue @q's fds, a parked pair's send end included. */
void sopool_close(struct so_queue *q);

/** sopool_flush() - close every pooled pair (port_flush_idle() also closes parked ones). */
void sopool_flush(void);

/** sopool_fork_child() - the pool is the parent's: close it (task.c). */
void sopool_fork_child(void);

#endif
