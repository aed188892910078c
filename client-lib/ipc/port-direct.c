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

#include <errno.h>
#include <sys/socket.h>

#include "deadline.h"
#include "wire.h"

/* How long a waker waits before it writes a WAKE that could not be written again. */
#define WAKE_RETRY_MS 10

/* Wakers waiting for sleepers to be out, on the monotonic clock (deadline.h). */
static pthread_cond_t direct_cond;

__attribute__((constructor)) static void direct_cond_init(void)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&direct_cond, &a);
	pthread_condattr_destroy(&a);
}

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

/* One WAKE at a time is enough; if R is full, the sleeper wakes anyway. */
static void send_wake(struct port *p)
{
	struct wire_hdr h = { .magic = WIRE_MAGIC, .bits = WIRE_BITS_WAKE };
	ssize_t n;

	if (p->u.recv.wake_sent || p->send_fd < 0)
		return;
	n = send(p->send_fd, &h, sizeof(h), MSG_DONTWAIT | MSG_NOSIGNAL);
	p->u.recv.wake_sent = n == (ssize_t)sizeof(h) || (n < 0 && errno == EAGAIN);
}

void port_direct_kick(struct port *p, bool wait)
{
	struct port_recv *rv = &p->u.recv;

	if (p->kind != PORT_KIND_RECEIVE || !rv->direct)
		return;
	send_wake(p);
	if (!wait)
		return;
	/* Woken, it must not fall asleep there again before R or S goes.  A
	 * WAKE that could not be written (no memory) is written again. */
	rv->barred = true;
	while (rv->direct) {
		struct timespec again = deadline_in(WAKE_RETRY_MS);

		if (space_wait(&direct_cond, &again) == ETIMEDOUT)
			send_wake(p);
	}
	rv->barred = false;
}

void port_direct_fork_child(void)
{
	direct_cond_init();
}

void port_direct_forget(struct port *p)
{
	if (p->kind != PORT_KIND_RECEIVE)
		return;
	p->u.recv.direct = 0;
	p->u.recv.wake_sent = false;
	p->u.recv.barred = false;
}
