/* SPDX-License-Identifier: MIT */
/*
 * msg-chan.c - a send right's channel, the client's side (msg-chan.h):
 * the ask, the numbered sends down A, and a call answered up the channel.
 */
#include "msg-chan.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "bootstrap-chan.h"
#include "deadline.h"
#include "fdpass.h"
#include "msg-conn.h"
#include "port.h"

int msg_chan_send(struct port *p, int fd, struct wire_hdr *h, const struct iovec *iov, int niov,
		  const int *fds, size_t nfds, int flags)
{
	uint16_t seq;
	int err;

	/* Numbered and sent under one lock: B's order is the numbers' (RETIRED names one). */
	pthread_mutex_lock(&p->chan_lock);
	seq = (uint16_t)(p->chan_seq + 1) ? (uint16_t)(p->chan_seq + 1) : 1;
	h->bits |= WIRE_BITS_CHAN;
	h->seq = seq;
	err = fdpass_send(fd, iov, niov, fds, nfds, flags);
	if (err == 0)
		p->chan_seq = seq;      /* a failed send took no number */
	pthread_mutex_unlock(&p->chan_lock);
	return err;
}

/*
 * Calls made the ordinary way after a channel ended before the next ask:
 * a service that exits after every request (a demand-launched "once"
 * job) would otherwise cost an ask every other call.
 */
#define CHAN_ASK_BACKOFF 16

void msg_chan_gone(struct port *p, int fd)
{
	/* Another thread may have let it go and asked anew meanwhile. */
	if (p->chan_state != PORT_CHAN_OPEN || p->chan_fd != fd)
		return;
	port_chan_close(p);
	p->chan_state = PORT_CHAN_ASKABLE;
	p->chan_backoff = CHAN_ASK_BACKOFF;
}

struct port *msg_chan_wait_ask(struct port *p, mach_port_name_t name,
				const struct timespec *deadline, bool *timed_out)
{
	int err = 0;

	port_ref(p);
	while (p->chan_state == PORT_CHAN_ASKING && err == 0)
		err = port_chan_wait(deadline);
	port_unref(p);  /* the table still holds it if the name does */
	*timed_out = err == ETIMEDOUT;
	p = space_get(name);
	return p && p->chan_state != PORT_CHAN_ASKING ? p : NULL;
}

/*
 * Ask for @p's channel.  Space lock held, released while asking; @p
 * referenced by the caller, and no message being sent to it
 * (port_pinned()): sends to the port wait meanwhile (msg_chan_wait_ask()),
 * so none lands in R after the OFFER.
 */
static void ask(struct port *p)
{
	mach_port_name_t name = p->name;
	int fd;

	p->chan_state = PORT_CHAN_ASKING;
	space_unlock();
	fd = bootstrap_chan_ask(name);
	space_lock();
	if (fd >= 0 && (p->type & MACH_PORT_TYPE_SEND)) {
		p->chan_fd = fd;
		p->chan_state = PORT_CHAN_OPEN;
	} else {
		if (fd >= 0)
			close(fd);
		p->chan_state = PORT_CHAN_REFUSED;
	}
	port_chan_wake();
}

/*
 * The call's destination, with a channel it may use now (asked for first
 * if need be), and its reply port: both referenced, the destination
 * pinned (A stays open) and marked calling.  Space lock held.
 */
static struct port *take_channel(const mach_msg_header_t *msg, mach_port_name_t rcv_name,
				 struct port **reply, uint64_t *pin)
{
	struct port *p = space_get(msg->msgh_remote_port), *r;

	/* The common case, a port no channel is for, leaves at once. */
	if (!p || !(p->type & MACH_PORT_TYPE_SEND) || (p->type & MACH_PORT_TYPE_RECEIVE) ||
	    p->chan_state == PORT_CHAN_NONE || p->chan_state == PORT_CHAN_REFUSED)
		return NULL;
	port_ref(p);
	/* Asked only while nothing is being sent to the port (a send waiting
	 * on a full queue, a call waiting for its answer): the ask never
	 * waits for a send that may itself wait for someone. */
	if (p->chan_state == PORT_CHAN_ASKABLE && p->chan_backoff)
		p->chan_backoff--;
	else if (p->chan_state == PORT_CHAN_ASKABLE && !port_pinned(p))
		ask(p);
	r = space_get(rcv_name);
	if (p->chan_state != PORT_CHAN_OPEN || p->chan_calling || !(p->type & MACH_PORT_TYPE_SEND) ||
	    !r || !(r->type & MACH_PORT_TYPE_RECEIVE) || r->dead) {
		port_unref(p);
		return NULL;
	}
	p->chan_calling = true;
	*pin = port_pin(p);
	port_ref(r);
	*reply = r;
	return p;
}

mach_msg_return_t msg_chan_call(mach_msg_header_t *msg, mach_msg_option_t option,
				mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				mach_port_name_t rcv_name, mach_msg_timeout_t *timeout,
				mach_msg_header_t *rcv_msg)
{
	struct timespec deadline = { 0 };
	struct conn_wait w = { .channel = true };
	mach_msg_return_t mr = MSG_CHAN_ORDINARY;
	struct port *p, *reply = NULL;
	struct wire_hdr h;
	struct iovec iov[2];
	uint64_t pin = 0;
	int err;

	if (!msg_call_shape(msg, option, send_size, rcv_name))
		return MSG_CHAN_ORDINARY;
	if (option & MACH_RCV_TIMEOUT)
		deadline = deadline_in(*timeout);
	space_lock();
	p = take_channel(msg, rcv_name, &reply, &pin);
	w.fd = p ? p->chan_fd : -1;
	space_unlock();
	if (!p)
		return MSG_CHAN_ORDINARY;
	msg_call_wire(&h, iov, msg, send_size);
	err = msg_chan_send(p, w.fd, &h, iov, 2, NULL, 0, 0);
	w.seq = h.seq;
	if (err == 0)
		mr = msg_receive_conn(rcv_msg, option, rcv_size, reply, &w, *timeout);
	/* The receive goes on elsewhere, within the time the call had left. */
	if (mr == MSG_CHAN_RECEIVE && (option & MACH_RCV_TIMEOUT))
		*timeout = (mach_msg_timeout_t)deadline_left_ms(&deadline);
	else
		w.gone = fdpass_peer_gone(err);        /* shut: the ordinary way, and S from now on */
	space_lock();
	p->chan_calling = false;
	if (w.gone)
		msg_chan_gone(p, w.fd);
	port_unpin(p, pin);
	space_unlock();
	port_unref(reply);
	port_unref(p);
	return mr;
}
