/* SPDX-License-Identifier: MIT */
/*
 * sopool.h - idle send-once socketpairs, for reuse (internal).
 *
 * A send-once right is a socketpair of its own, so that its holder's death
 * is seen as end of file.  Making one costs more than the whole exchange it
 * serves, so the sender of a message through a send-once right returns the
 * send end with it (WIRE_BITS_RETURNED): both ends are then back with the
 * receiver, nobody else can use them, and the pair is kept here for the
 * next MAKE_SEND_ONCE towards the same destination.
 */
#ifndef BOOTSTRAP_SOPOOL_H
#define BOOTSTRAP_SOPOOL_H

#include <sys/types.h>

/**
 * sopool_take() - a send-once socketpair for a message to the port @tag
 * (the destination's identity, 0 for none): an idle one made for that
 * destination before, else a new one.
 * @s_ino: out: the send end's inode, to recognise it when it comes back.
 * Return: 0, or a negative errno.
 */
int sopool_take(ino_t tag, int *r, int *s, ino_t *s_ino);

/** sopool_put() - keep an idle pair (takes both fds; closes them if the pool is full). */
void sopool_put(int r, int s, ino_t tag, ino_t s_ino);

/** sopool_flush() - close every idle pair (leak checks count fds). */
void sopool_flush(void);

#endif
