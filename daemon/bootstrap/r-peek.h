/* SPDX-License-Identifier: MIT */
/*
 * r-peek.h - what the daemon reads of a port's R, which it shares with
 * the receiver: datagrams looked at in place (peek offsets), and the
 * wake-ups a receiver that went left at its head.
 */
#ifndef BOOTSTRAPD_R_PEEK_H
#define BOOTSTRAPD_R_PEEK_H

#include <stddef.h>
#include <sys/types.h>

#include "wire.h"

/* Who sent a datagram looked at, and how many fds it carried. */
struct r_peeked {
	pid_t pid;              /* its credentials' pid, 0 if none came */
	size_t nfds;            /* the fds it carried (those installed by the peek are closed) */
};

/**
 * r_peek_at() - the header of the datagram at peek offset @off of @r into
 * @h, and who sent it into @who.  A peek installs the fds a datagram
 * carries if they find room: those that do are closed at once
 * (close-on-exec meanwhile), the rest are dropped by the kernel.
 * Return: recvmsg()'s result, the datagram's whole length (MSG_TRUNC),
 * or -1 with errno (EAGAIN: nothing there).
 */
ssize_t r_peek_at(int r, int off, struct wire_hdr *h, struct r_peeked *who);

/**
 * r_drop_lone_wake() - a WAKE that is all @r holds, read and dropped, once
 * no process but the daemon holds @r.  A thread of the receiver writes
 * one to wake another asleep in R (port-direct.c); one still there when
 * the job exits (the sleeper had taken a message first) wakes nobody, and
 * left alone in R it would start the job again for nothing.  With anything
 * else queued, the next instance is started anyway and skips the WAKE.
 * Only the daemon may be reading @r: the caller says so.  The peek
 * offset is left off.
 */
void r_drop_lone_wake(int r);

#endif
