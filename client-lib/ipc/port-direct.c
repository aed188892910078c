/* SPDX-License-Identifier: MIT */
/*
 * port-direct.c - a receive that waits in recvmsg(R) itself (msg-recv.c),
 * and what wakes it.
 *
 * A receive right whose only queue is R needs no epoll: its receiver can
 * sleep in recvmsg(R), one system call a message instead of two.  But a
 * thread asleep there sees nothing else: not a queue added to the port
 * (a send-once right made for it, the port put in a set), nor the right
 * going (moved away or destroyed, after which it must not take R's
 * messages).  Whoever changes that first writes a WAKE into R through
 * the port's own S, and when the right or S goes, waits until the
 * sleeper is out.  Space lock held throughout, as for every field of an
 * entry (port.h).
 */
#include "port.h"

#include <sys/socket.h>

#include "wire.h"

static pthread_cond_t direct_cond = PTHREAD_COND_INITIALIZER;

int port_direct_enter(struct port *p)
{
	struct port_recv *rv = &p->u.recv;

	if (p->kind != PORT_KIND_RECEIVE || !(p->type & MACH_PORT_TYPE_RECEIVE) || p->dead ||
	    rv->fd < 0 || rv->eof || rv->n_so || rv->pset || p->send_fd < 0 || rv->barred)
		return -1;
	rv->direct++;
	return rv->fd;
}

void port_direct_leave(struct port *p)
{
	if (--p->u.recv.direct == 0)
		pthread_cond_broadcast(&direct_cond);
}

void port_direct_woken(struct port *p)
{
	if (p->kind == PORT_KIND_RECEIVE)
		p->u.recv.wake_sent = false;
}

void port_direct_kick(struct port *p, bool wait)
{
	struct port_recv *rv = &p->u.recv;

	if (p->kind != PORT_KIND_RECEIVE || !rv->direct)
		return;
	/* One WAKE at a time is enough; if R is full, the sleeper wakes anyway. */
	if (!rv->wake_sent && p->send_fd >= 0) {
		struct wire_hdr h = { .magic = WIRE_MAGIC, .bits = WIRE_BITS_WAKE };

		rv->wake_sent = send(p->send_fd, &h, sizeof(h), MSG_DONTWAIT | MSG_NOSIGNAL) ==
				(ssize_t)sizeof(h);
	}
	if (!wait)
		return;
	/* Woken, it must not fall asleep there again before R or S goes. */
	rv->barred = true;
	while (rv->direct)
		space_wait(&direct_cond, NULL);
	rv->barred = false;
}

void port_direct_fork_child(void)
{
	pthread_cond_init(&direct_cond, NULL);
}
